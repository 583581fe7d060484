import type { TimeControl, TimelineState } from "./time-control.ts";
import { densityMarks } from "./density-marks.ts";
import { type EntityDensity, formatTimeValue } from "./timeline-data.ts";
import { parseTimeInput, rulerTicks } from "./time-ruler.ts";

const NAME_COLUMN_PX = 150;
const RULER_PX = 18;
const PAD_PX = 8;
const MAX_HEIGHT_PX = 150;

/**
 * Rerun's time panel: timeline selector, play/pause, step, speed, loop, an editable current time, and the
 * timeline itself — a ruler with tick labels in the timeline's units, one row per entity showing where it has
 * data, the time cursor, and a readout of the time (and entity) under the pointer. The wheel zooms the time axis
 * around the pointer, shift+wheel pans, double-click shows the whole range again; click or drag to scrub.
 * Keyboard: space plays/pauses, ←/→ step, Home/End jump. Controls are disabled while there is no timeline.
 */
export class TimePanel {
  readonly element: HTMLDivElement;
  private readonly timelineSelect: HTMLSelectElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly loopBox: HTMLInputElement;
  private readonly label: HTMLSpanElement;
  private readonly timeInput: HTMLInputElement;
  private readonly hoverReadout: HTMLSpanElement;
  private readonly scrubber: HTMLCanvasElement;
  private readonly buttons: HTMLButtonElement[];
  private timelines: TimelineState[] = [];
  private density = new Map<string, EntityDensity>();
  /** The visible part of the time axis (undefined: the whole timeline). */
  private zoom: { timeline: string; start: bigint; end: bigint } | undefined;
  private hoverX: number | undefined;
  private hoverY = 0;

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
    this.timeInput = document.createElement("input");
    this.timeInput.className = "iris-time-input";
    this.timeInput.name = "current-time";
    this.timeInput.title = "Current time: type a time and press Enter";
    this.timeInput.addEventListener("change", () => this.applyTypedTime());
    this.hoverReadout = document.createElement("span");
    this.hoverReadout.className = "iris-time-hover";
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
      this.timeInput,
      this.hoverReadout,
    );
    this.scrubber = document.createElement("canvas");
    this.scrubber.className = "iris-scrubber";
    this.element.append(controls, this.scrubber);
    this.installPointer();
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

  setTimelines(timelines: TimelineState[], density: Map<string, EntityDensity>): void {
    this.timelines = timelines;
    this.density = density;
    const names = timelines.map((t) => t.name);
    const current = [...this.timelineSelect.options].map((o) => o.value);
    if (names.join("\n") !== current.join("\n")) {
      this.timelineSelect.replaceChildren(...names.map((n) => new Option(n, n)));
    }
    this.update();
  }

  /** The visible time range of the axis (the whole timeline unless zoomed). */
  visibleRange(): { start: bigint; end: bigint } | undefined {
    const t = this.control.timeline;
    if (!t) return undefined;
    if (this.zoom && this.zoom.timeline === t.name) return { start: this.zoom.start, end: this.zoom.end };
    return { start: t.min, end: t.max };
  }

  /** The time at CSS x inside the timeline canvas. */
  timeAt(x: number): bigint | undefined {
    const range = this.visibleRange();
    if (!range) return undefined;
    const width = this.trackWidth();
    const f = Math.min(1, Math.max(0, (x - NAME_COLUMN_PX - PAD_PX) / Math.max(1, width)));
    return range.start + BigInt(Math.round(Number(range.end - range.start) * f));
  }

  /** CSS x of `time` inside the timeline canvas. */
  xOf(time: bigint): number {
    const range = this.visibleRange();
    if (!range) return NAME_COLUMN_PX;
    const span = Number(range.end - range.start);
    const width = this.trackWidth();
    return NAME_COLUMN_PX + PAD_PX + (span <= 0 ? width / 2 : (Number(time - range.start) / span) * width);
  }

  private trackWidth(): number {
    return Math.max(1, this.scrubber.getBoundingClientRect().width - NAME_COLUMN_PX - 2 * PAD_PX);
  }

  private update(): void {
    const { timeline, time, playing } = this.control;
    if (timeline && this.timelineSelect.value !== timeline.name) this.timelineSelect.value = timeline.name;
    this.playButton.textContent = playing ? "Pause" : "Play";
    this.label.textContent = timeline
      ? `${timeline.name} ${formatTimeValue(timeline.type, time)}`
      : "no timeline (static data only)";
    if (timeline && this.element.ownerDocument.activeElement !== this.timeInput)
      this.timeInput.value = formatTimeValue(timeline.type, time);
    // Nothing to play or step through without a timeline (an empty viewer, or static data only).
    for (const b of this.buttons) b.disabled = timeline === undefined;
    this.timelineSelect.disabled = this.timelines.length === 0;
    this.speedSelect.disabled = timeline === undefined;
    this.timeInput.disabled = timeline === undefined;
    this.draw();
  }

  private applyTypedTime(): void {
    const t = this.control.timeline;
    if (!t) return;
    const parsed = parseTimeInput(t.type, this.timeInput.value);
    this.timeInput.classList.toggle("iris-invalid", parsed === undefined);
    if (parsed === undefined) return;
    this.control.setTime(parsed);
    this.timeInput.value = formatTimeValue(t.type, this.control.time);
  }

  private draw(): void {
    const canvas = this.scrubber;
    const rows = [...this.density.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const cssHeight = Math.min(MAX_HEIGHT_PX, RULER_PX + Math.max(1, rows.length) * 14 + 2);
    if (canvas.style.height !== `${cssHeight}px`) canvas.style.height = `${cssHeight}px`;
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(rect.width * dpr));
    canvas.height = Math.max(1, Math.round(rect.height * dpr));
    const ctx = canvas.getContext("2d");
    const t = this.control.timeline;
    const range = this.visibleRange();
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, rect.width, rect.height);
    if (!t || !range) return;
    ctx.font = "10px ui-monospace, monospace";
    ctx.textBaseline = "middle";
    // Ruler.
    ctx.fillStyle = "#1f2328";
    ctx.fillRect(NAME_COLUMN_PX, 0, rect.width - NAME_COLUMN_PX, RULER_PX);
    const ticks = rulerTicks(t.type, range.start, range.end, this.trackWidth());
    canvas.dataset["ticks"] = ticks.map((k) => k.label).join("|");
    for (const tick of ticks) {
      const x = Math.round(this.xOf(tick.time));
      ctx.fillStyle = "#3a3f47";
      ctx.fillRect(x, RULER_PX - 5, 1, rect.height);
      ctx.fillStyle = "#9aa0a6";
      ctx.textAlign = "center";
      ctx.fillText(tick.label, Math.min(Math.max(x, NAME_COLUMN_PX + 20), rect.width - 20), RULER_PX / 2);
    }
    // Entity rows with a mark where each has data, shaded by how many rows it has there.
    const rowHeight = Math.max(3, (rect.height - RULER_PX - 2) / Math.max(1, rows.length));
    const marks = densityMarks(this.density, range.start, range.end, (time) => this.xOf(time));
    rows.forEach(([entity], i) => {
      const y = RULER_PX + 1 + i * rowHeight;
      if (rowHeight >= 9) {
        ctx.fillStyle = "#9aa0a6";
        ctx.textAlign = "left";
        ctx.fillText(ellipsize(ctx, entity, NAME_COLUMN_PX - 8), 4, y + rowHeight / 2);
      }
      ctx.fillStyle = "#4c8bf5";
      for (const mark of marks.get(entity) ?? []) {
        ctx.globalAlpha = mark.alpha;
        ctx.fillRect(mark.x - 1, y + 1, 2, rowHeight - 2);
      }
      ctx.globalAlpha = 1;
    });
    ctx.fillStyle = "#f5c542";
    const cursor = this.control.time;
    if (cursor >= range.start && cursor <= range.end) ctx.fillRect(this.xOf(cursor) - 1, 0, 2, rect.height);
    if (this.hoverX !== undefined) {
      ctx.fillStyle = "rgba(255,255,255,.35)";
      ctx.fillRect(this.hoverX, 0, 1, rect.height);
    }
  }

  /** The entity whose row is at CSS y, if any. */
  private entityAt(y: number): string | undefined {
    const rows = [...this.density.keys()].sort();
    const height = this.scrubber.getBoundingClientRect().height;
    const rowHeight = Math.max(3, (height - RULER_PX - 2) / Math.max(1, rows.length));
    return y < RULER_PX ? undefined : rows[Math.floor((y - RULER_PX - 1) / rowHeight)];
  }

  private installPointer(): void {
    let dragging = false;
    const local = (e: MouseEvent): [number, number] => {
      const r = this.scrubber.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    const seek = (e: PointerEvent): void => {
      const time = this.timeAt(local(e)[0]);
      if (time !== undefined) this.control.setTime(time);
    };
    this.scrubber.addEventListener("pointerdown", (e) => {
      if (local(e)[0] < NAME_COLUMN_PX) return;
      dragging = true;
      this.scrubber.setPointerCapture(e.pointerId);
      seek(e);
    });
    this.scrubber.addEventListener("pointermove", (e) => {
      const [x, y] = local(e);
      this.hoverX = x >= NAME_COLUMN_PX ? x : undefined;
      this.hoverY = y;
      this.updateHover();
      if (dragging) seek(e);
      else this.draw();
    });
    this.scrubber.addEventListener("pointerleave", () => {
      this.hoverX = undefined;
      this.updateHover();
      this.draw();
    });
    this.scrubber.addEventListener("pointerup", () => (dragging = false));
    this.scrubber.addEventListener(
      "wheel",
      (e) => {
        const t = this.control.timeline;
        const range = this.visibleRange();
        if (!t || !range) return;
        e.preventDefault();
        const span = range.end - range.start;
        if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          const delta = BigInt(Math.round((Number(span) * (e.deltaX || e.deltaY)) / this.trackWidth()));
          this.setZoom(t, range.start + delta, range.end + delta);
          return;
        }
        const at = this.timeAt(local(e)[0]) ?? range.start;
        const factor = Math.exp(e.deltaY * 0.002);
        const minSpan = t.type === "sequence" ? 2 : 1000;
        const newSpan = Math.max(minSpan, Number(span) * factor);
        const f = Number(at - range.start) / Math.max(1, Number(span));
        const start = at - BigInt(Math.round(newSpan * f));
        this.setZoom(t, start, start + BigInt(Math.round(newSpan)));
      },
      { passive: false },
    );
    this.scrubber.addEventListener("dblclick", () => {
      this.zoom = undefined;
      this.draw();
    });
  }

  private setZoom(t: TimelineState, start: bigint, end: bigint): void {
    const full = t.max - t.min;
    if (end - start >= full) this.zoom = undefined;
    else {
      const shift = start < t.min ? t.min - start : end > t.max ? t.max - end : 0n;
      this.zoom = { timeline: t.name, start: start + shift, end: end + shift };
    }
    this.updateHover();
    this.draw();
  }

  private updateHover(): void {
    const t = this.control.timeline;
    const time = this.hoverX !== undefined ? this.timeAt(this.hoverX) : undefined;
    if (!t || time === undefined) {
      this.hoverReadout.textContent = "";
      return;
    }
    const entity = this.entityAt(this.hoverY);
    this.hoverReadout.textContent = `${formatTimeValue(t.type, time)}${entity ? ` · ${entity}` : ""}`;
  }
}

function ellipsize(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`…${s}`).width > maxWidth) s = s.slice(1);
  return `…${s}`;
}

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = text;
  b.title = title;
  b.addEventListener("click", onClick);
  return b;
}
