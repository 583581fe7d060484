import { type ColormapName, type DifferenceStatistics, colormapNames } from "@iris/renderer";

/** How compare mode shows its two images. */
export type CompareMode = "swipe" | "blend" | "difference" | "side-by-side";

export const compareModes: readonly CompareMode[] = ["swipe", "blend", "difference", "side-by-side"];

const modeLabels: Record<CompareMode, string> = {
  swipe: "Swipe",
  blend: "Blend",
  difference: "Difference",
  "side-by-side": "Side by side",
};

/** One of the two compared images: an entity of an open recording, at the time cursor or at a pinned time. */
export interface CompareSource {
  /** Index in `IrisViewer.recordings`; default: the recording shown. */
  recording?: number;
  entity: string;
  /** A fixed time on the current timeline; undefined: follow the time cursor. */
  time?: bigint;
}

/** What the controls show for one side. */
export interface SideChoices {
  readonly recordings: readonly string[];
  readonly recording: number;
  readonly entities: readonly string[];
  readonly source: CompareSource | undefined;
}

export interface CompareControlActions {
  setSource(side: "a" | "b", source: CompareSource): void;
  /** Pins the side's time to the time cursor, or releases it (follow the cursor). */
  togglePin(side: "a" | "b"): void;
  swap(): void;
  setMode(mode: CompareMode): void;
  setAmount(fraction: number): void;
  setColormap(name: ColormapName): void;
  setMaxDifference(value: number | undefined): void;
}

/**
 * The compare toolbar: A and B (recording, entity, pin time), swap, the four modes, the swipe/blend slider, the
 * difference colormap and top of range, the statistics line and the size rule.
 */
export class CompareControls {
  readonly element: HTMLDivElement;
  readonly stats: HTMLSpanElement;
  private readonly sides: Record<
    "a" | "b",
    { rec: HTMLSelectElement; entity: HTMLSelectElement; pin: HTMLButtonElement }
  >;
  private readonly modeButtons = new Map<CompareMode, HTMLButtonElement>();
  private readonly slider: HTMLInputElement;
  private readonly colormap: HTMLSelectElement;
  private readonly max: HTMLInputElement;
  private readonly differenceControls: HTMLSpanElement;

  constructor(actions: CompareControlActions) {
    this.element = document.createElement("div");
    this.element.className = "iris-compare-controls";
    const side = (name: "a" | "b"): HTMLSpanElement => {
      const box = document.createElement("span");
      box.className = `iris-compare-side iris-compare-${name}`;
      const label = document.createElement("b");
      label.textContent = name.toUpperCase();
      const rec = document.createElement("select");
      rec.name = `compare-${name}-recording`;
      const entity = document.createElement("select");
      entity.name = `compare-${name}-entity`;
      const pin = document.createElement("button");
      pin.className = "iris-compare-pin";
      pin.title = "Pin this image to the current time / follow the time cursor";
      const changed = (): void =>
        actions.setSource(name, { recording: Number(rec.value), entity: entity.value });
      rec.addEventListener("change", changed);
      entity.addEventListener("change", changed);
      pin.addEventListener("click", () => actions.togglePin(name));
      box.append(label, rec, entity, pin);
      this.sides[name] = { rec, entity, pin };
      return box;
    };
    this.sides = {} as CompareControls["sides"];
    const swap = document.createElement("button");
    swap.textContent = "⇄";
    swap.title = "Swap A and B (x)";
    swap.addEventListener("click", () => actions.swap());
    const modes = document.createElement("span");
    modes.className = "iris-compare-modes";
    compareModes.forEach((mode, i) => {
      const b = document.createElement("button");
      b.textContent = modeLabels[mode];
      b.dataset["mode"] = mode;
      b.title = `${modeLabels[mode]} (${i + 1})`;
      b.addEventListener("click", () => actions.setMode(mode));
      this.modeButtons.set(mode, b);
      modes.append(b);
    });
    this.slider = document.createElement("input");
    this.slider.type = "range";
    this.slider.name = "compare-amount";
    this.slider.min = "0";
    this.slider.max = "100";
    this.slider.title = "Swipe position / blend amount ([ and ])";
    this.slider.addEventListener("input", () => actions.setAmount(Number(this.slider.value) / 100));
    this.differenceControls = document.createElement("span");
    this.colormap = document.createElement("select");
    this.colormap.name = "compare-colormap";
    for (const name of colormapNames) this.colormap.append(new Option(name, name));
    this.colormap.addEventListener("change", () => actions.setColormap(this.colormap.value as ColormapName));
    this.max = document.createElement("input");
    this.max.name = "compare-max";
    this.max.placeholder = "max: auto";
    this.max.size = 8;
    this.max.title = "Difference shown as the top of the colormap (empty: the largest difference)";
    this.max.addEventListener("change", () => {
      const v = Number(this.max.value);
      actions.setMaxDifference(this.max.value.trim() === "" || !Number.isFinite(v) || v < 0 ? undefined : v);
    });
    this.differenceControls.append(this.colormap, this.max);
    this.stats = document.createElement("span");
    this.stats.className = "iris-compare-stats";
    const rule = document.createElement("span");
    rule.className = "iris-compare-rule";
    rule.textContent = "ⓘ";
    rule.title =
      "Difference: |A − B| of the decoded values (raw values; YUV as 8-bit RGB; Bayer demosaiced) — needs two " +
      "images of the same size and value kind. Swipe, blend and side by side show any two images, aligned top-left.";
    this.element.append(
      side("a"),
      swap,
      side("b"),
      modes,
      this.slider,
      this.differenceControls,
      this.stats,
      rule,
    );
  }

  /** Shows the current choices and state. */
  update(
    a: SideChoices,
    b: SideChoices,
    state: { mode: CompareMode; amount: number; colormap: ColormapName; maxDifference: number | undefined },
  ): void {
    for (const [name, choices] of [
      ["a", a],
      ["b", b],
    ] as const) {
      const { rec, entity, pin } = this.sides[name];
      fillSelect(rec, choices.recordings, String(choices.recording), (i) => String(i));
      rec.style.display = choices.recordings.length > 1 ? "" : "none";
      fillSelect(entity, choices.entities, choices.source?.entity ?? "", (_, e) => e);
      const time = choices.source?.time;
      pin.textContent = time === undefined ? "at cursor" : `@ ${time}`;
    }
    for (const [mode, button] of this.modeButtons)
      button.classList.toggle("iris-active", mode === state.mode);
    this.slider.style.display = state.mode === "swipe" || state.mode === "blend" ? "" : "none";
    this.slider.value = String(Math.round(state.amount * 100));
    this.differenceControls.style.display = state.mode === "difference" ? "" : "none";
    this.colormap.value = state.colormap;
    if (document.activeElement !== this.max)
      this.max.value = state.maxDifference === undefined ? "" : String(state.maxDifference);
  }
}

function fillSelect(
  select: HTMLSelectElement,
  labels: readonly string[],
  value: string,
  valueOf: (index: number, label: string) => string,
): void {
  const wanted = labels.map((l, i) => `${valueOf(i, l)}\u0000${l}`).join("\u0001");
  if (select.dataset["options"] !== wanted) {
    select.replaceChildren(...labels.map((l, i) => new Option(l, valueOf(i, l))));
    select.dataset["options"] = wanted;
  }
  select.value = value;
}

/** The statistics line: max and mean |A − B|, PSNR (with its peak), and non-finite values left out. */
export function statisticsText(s: DifferenceStatistics): string {
  const number = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))));
  const psnr =
    s.psnr === undefined
      ? "PSNR — (no peak)"
      : s.psnr === Infinity
        ? "PSNR ∞ dB"
        : `PSNR ${s.psnr.toFixed(2)} dB`;
  const peak = s.peak === undefined ? "" : ` (peak ${number(s.peak)})`;
  const skipped = s.nonFinite > 0 ? ` · ${s.nonFinite} non-finite left out` : "";
  return `max |A−B| ${number(s.maxAbs)} · mean |A−B| ${number(s.meanAbs)} · ${psnr}${peak} · ${s.channels} channel${s.channels > 1 ? "s" : ""}${skipped}`;
}
