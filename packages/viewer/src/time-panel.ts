import type { TimeControl, TimelineState } from "./time-control.ts";
import { formatTimeValue } from "./timeline-data.ts";

/**
 * Rerun's time panel, compact: timeline selector, play/pause, step, speed, loop, and a scrubber that shows for
 * each entity where it has data. Keyboard: space plays/pauses, ←/→ step frame by frame, Home/End jump.
 */
export class TimePanel {
  readonly element: HTMLDivElement;
  private readonly timelineSelect: HTMLSelectElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly loopBox: HTMLInputElement;
  private readonly label: HTMLSpanElement;
  private readonly scrubber: HTMLCanvasElement;
  private timelines: TimelineState[] = [];
  private readonly buttons: HTMLButtonElement[];
  private density = new Map<string, readonly bigint[]>();

  constructor(
    private readonly control: TimeControl,
    onSelectTimeline: (name: string) => void,
  ) {
    this.element = document.createElement("div");
    this.element.className = "iris-time-panel";
    this.timelineSelect = document.createElement("select");
    this.timelineSelect.name = "timeline";
    this.timelineSelect.addEventListener("change", () => onSelectTimeline(this.timelineSelect.value));
    const back = button("‹", "Previous frame (←)", () => control.step(-1));
    this.playButton = button("Play", "Play / pause (space)", () => control.setPlaying(!control.playing));
    this.playButton.className = "iris-play";
    const forward = button("›", "Next frame (→)", () => control.step(1));
    back.className = "iris-step-back";
    forward.className = "iris-step-forward";
    this.buttons = [back, this.playButton, forward];
    this.speedSelect = document.createElement("select");
    this.speedSelect.name = "speed";
    for (const s of [0.25, 0.5, 1, 2, 4, 8])
      this.speedSelect.add(new Option(`${s}×`, String(s), s === 1, s === 1));
    this.speedSelect.addEventListener("change", () => control.setSpeed(Number(this.speedSelect.value)));
    this.loopBox = document.createElement("input");
    this.loopBox.type = "checkbox";
    this.loopBox.checked = control.loop;
    this.loopBox.addEventListener("change", () => control.setLoop(this.loopBox.checked));
    const loopLabel = document.createElement("label");
    loopLabel.append(this.loopBox, " loop");
    this.label = document.createElement("span");
    this.label.className = "iris-time-label";
    const controls = document.createElement("div");
    controls.className = "iris-time-controls";
    controls.append(
      this.timelineSelect,
      back,
      this.playButton,
      forward,
      this.speedSelect,
      loopLabel,
      this.label,
    );
    this.scrubber = document.createElement("canvas");
    this.scrubber.className = "iris-scrubber";
    this.element.append(controls, this.scrubber);
    this.installScrubbing();
    control.on("change", () => this.update());
    this.update();
  }

  /** Keyboard shortcuts on `target` (the viewer root). */
  installKeyboard(target: HTMLElement): void {
    target.addEventListener("keydown", (e) => {
      if ((e.target as HTMLElement).tagName === "INPUT" || (e.target as HTMLElement).tagName === "SELECT")
        return;
      if (e.key === " ") this.control.setPlaying(!this.control.playing);
      else if (e.key === "ArrowLeft") this.control.step(-1);
      else if (e.key === "ArrowRight") this.control.step(1);
      else if (e.key === "Home" && this.control.timeline) this.control.setTime(this.control.timeline.min);
      else if (e.key === "End" && this.control.timeline) this.control.setTime(this.control.timeline.max);
      else return;
      e.preventDefault();
    });
  }

  setTimelines(timelines: TimelineState[], density: Map<string, readonly bigint[]>): void {
    this.timelines = timelines;
    this.density = density;
    const names = timelines.map((t) => t.name);
    const current = [...this.timelineSelect.options].map((o) => o.value);
    if (names.join("\n") !== current.join("\n")) {
      this.timelineSelect.replaceChildren(...names.map((n) => new Option(n, n)));
    }
    this.update();
  }

  private update(): void {
    const { timeline, time, playing } = this.control;
    if (timeline && this.timelineSelect.value !== timeline.name) this.timelineSelect.value = timeline.name;
    this.playButton.textContent = playing ? "Pause" : "Play";
    this.label.textContent = timeline
      ? `${timeline.name} ${formatTimeValue(timeline.type, time)}`
      : "no timeline (static data only)";
    // Nothing to play or step through without a timeline (an empty viewer, or static data only).
    for (const b of this.buttons) b.disabled = timeline === undefined;
    this.timelineSelect.disabled = this.timelines.length === 0;
    this.speedSelect.disabled = timeline === undefined;
    this.drawScrubber();
  }

  private drawScrubber(): void {
    const canvas = this.scrubber;
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(rect.width * dpr));
    canvas.height = Math.max(1, Math.round(rect.height * dpr));
    const ctx = canvas.getContext("2d");
    const t = this.control.timeline;
    if (!ctx || !t) return;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, rect.width, rect.height);
    const rows = [...this.density.entries()];
    const rowHeight = Math.max(3, Math.min(10, (rect.height - 4) / Math.max(1, rows.length)));
    rows.forEach(([, times], i) => {
      ctx.fillStyle = "#4c8bf5";
      for (const time of times)
        ctx.fillRect(this.xOf(time, t, rect.width) - 1, 2 + i * rowHeight, 2, rowHeight - 1);
    });
    ctx.fillStyle = "#f5c542";
    ctx.fillRect(this.xOf(this.control.time, t, rect.width) - 1, 0, 2, rect.height);
  }

  private xOf(time: bigint, t: TimelineState, width: number): number {
    const span = Number(t.max - t.min);
    const pad = 8;
    return span <= 0 ? width / 2 : pad + (Number(time - t.min) / span) * (width - 2 * pad);
  }

  /** The time at CSS x inside the scrubber. */
  timeAt(x: number): bigint | undefined {
    const t = this.control.timeline;
    if (!t) return undefined;
    const width = this.scrubber.getBoundingClientRect().width;
    const pad = 8;
    const f = Math.min(1, Math.max(0, (x - pad) / Math.max(1, width - 2 * pad)));
    return t.min + BigInt(Math.round(Number(t.max - t.min) * f));
  }

  private installScrubbing(): void {
    let dragging = false;
    const seek = (e: PointerEvent): void => {
      const x = e.clientX - this.scrubber.getBoundingClientRect().left;
      const time = this.timeAt(x);
      if (time !== undefined) this.control.setTime(time);
    };
    this.scrubber.addEventListener("pointerdown", (e) => {
      dragging = true;
      this.scrubber.setPointerCapture(e.pointerId);
      seek(e);
    });
    this.scrubber.addEventListener("pointermove", (e) => dragging && seek(e));
    this.scrubber.addEventListener("pointerup", () => (dragging = false));
  }
}

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}
