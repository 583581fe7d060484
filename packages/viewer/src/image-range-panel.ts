import { type ColormapName, colormapNames } from "@iris/renderer";
import {
  ChannelDatatype,
  type ImageFormat,
  colorModelChannels,
  describeImageFormat,
  effectiveChannelDatatype,
  effectiveColorModel,
} from "@iris/types";
import type { CachedImage } from "./image-cache.ts";
import type { ImageSettings } from "./image-settings.ts";
import { channelHistogram, channelPercentileRange } from "./image-statistics.ts";

/** One image the panel can adjust. */
export interface RangePanelImage {
  readonly entity: string;
  readonly img: CachedImage;
}

/** The value range the renderer should use for `img` (undefined: the renderer applies Rerun's heuristic). */
export function explicitValueRange(img: CachedImage, s: ImageSettings): [number, number] | undefined {
  if (s.rangeMode === "manual") return [s.min, s.max];
  if (s.rangeMode === "percentile") {
    img.percentileRange ??= channelPercentileRange(img.bytes, img.format);
    return img.percentileRange;
  }
  return undefined;
}

/** The value range in use for `img`, whatever the mode: what the min/max fields show. */
export function rangeInUse(img: CachedImage, s: ImageSettings): readonly [number, number] {
  return explicitValueRange(img, s) ?? img.autoRange ?? img.gpu.defaultValueRange;
}

/** Whether an image gets value-range controls: single-channel or not U8 (and not a chroma-subsampled format). */
export function needsRangeControls(img: CachedImage): boolean {
  if (img.kind === "segmentation" || img.irisLayout === "UYVY") return false;
  const format: ImageFormat = img.format;
  if (format.pixelFormat !== undefined) return false;
  return (
    colorModelChannels(effectiveColorModel(format)) === 1 ||
    effectiveChannelDatatype(format) !== ChannelDatatype.U8
  );
}

/**
 * The per-image settings strip of a 2D view (beside the image, never over it): colormap, range mode, the min/max
 * of the range in use (also in auto and percentile modes) and a histogram of channel 0 with its value axis and
 * the range marked. Collapsible; the title is one line (the full text is its tooltip).
 */
export class ImageRangePanel {
  readonly element: HTMLDivElement;
  private readonly title: HTMLSpanElement;
  private readonly body: HTMLDivElement;
  private readonly toggle: HTMLButtonElement;
  private entity: string | undefined;
  private shownImage: CachedImage | undefined;
  private collapsed = false;
  private minInput: HTMLInputElement | undefined;
  private maxInput: HTMLInputElement | undefined;
  private modeSelect: HTMLSelectElement | undefined;

  constructor(
    private readonly settingsFor: (entity: string) => ImageSettings,
    private readonly onChange: () => void,
  ) {
    this.element = document.createElement("div");
    this.element.className = "iris-image-panel";
    const head = document.createElement("div");
    head.className = "iris-image-panel-head";
    this.toggle = document.createElement("button");
    this.toggle.className = "iris-panel-toggle";
    this.toggle.title = "Collapse / expand the image settings";
    this.toggle.addEventListener("click", () => this.setCollapsed(!this.collapsed));
    this.title = document.createElement("span");
    this.title.className = "iris-image-panel-title";
    head.append(this.toggle, this.title);
    this.body = document.createElement("div");
    this.body.className = "iris-image-panel-body";
    this.element.append(head, this.body);
    this.setCollapsed(false);
  }

  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    this.element.classList.toggle("iris-collapsed", collapsed);
    this.toggle.textContent = collapsed ? "◂" : "▸";
    this.onChange();
  }

  /** Shows the controls of the first adjustable image (or the one chosen before); hides when there is none. */
  update(images: readonly RangePanelImage[]): void {
    const adjustable = images.filter(({ img }) => needsRangeControls(img));
    if (adjustable.length === 0) {
      if (this.element.style.display !== "none") {
        this.element.style.display = "none";
        this.onChange();
      }
      return;
    }
    const current = adjustable.find((a) => a.entity === this.entity) ?? adjustable[0]!;
    if (this.element.style.display === "none") {
      this.element.style.display = "";
      this.onChange();
    }
    if (this.entity !== current.entity || this.shownImage?.format !== current.img.format) this.build(current);
    this.shownImage = current.img;
    this.showRange(current.img);
    this.drawHistogram(current.img);
  }

  private build(current: RangePanelImage): void {
    this.entity = current.entity;
    this.element.dataset["entity"] = current.entity;
    const s = this.settingsFor(current.entity);
    const text = `${current.entity} · ${describeImageFormat(current.img.format)}`;
    this.title.textContent = text;
    this.title.title = text;
    const cmap = select("colormap", colormapNames, s.colormap, (v) => {
      s.colormap = v as ColormapName;
      s.colormapChosen = true;
      this.onChange();
    });
    const mode = select("range", ["auto", "percentile", "manual"], s.rangeMode, (v) => {
      if (v === "manual" && this.shownImage) [s.min, s.max] = rangeInUse(this.shownImage, s);
      s.rangeMode = v as ImageSettings["rangeMode"];
      this.onChange();
    });
    this.modeSelect = mode.querySelector("select")!;
    const manual = (apply: (v: number) => void) => (v: number) => {
      if (s.rangeMode !== "manual" && this.shownImage) [s.min, s.max] = rangeInUse(this.shownImage, s);
      apply(v);
      s.rangeMode = "manual";
      this.modeSelect!.value = "manual";
      this.onChange();
    };
    this.minInput = numberInput(
      "min",
      manual((v) => (s.min = v)),
    );
    this.maxInput = numberInput(
      "max",
      manual((v) => (s.max = v)),
    );
    const hist = document.createElement("canvas");
    hist.className = "iris-histogram";
    hist.width = 168;
    hist.height = 60;
    this.body.replaceChildren(cmap, mode, wrap("min", this.minInput), wrap("max", this.maxInput), hist);
  }

  /** The fields show the range in use; a field being edited is left alone. */
  private showRange(img: CachedImage): void {
    if (!this.entity) return;
    const s = this.settingsFor(this.entity);
    const [lo, hi] = rangeInUse(img, s);
    const active = this.element.ownerDocument.activeElement;
    if (this.minInput && active !== this.minInput) this.minInput.value = formatRangeValue(lo);
    if (this.maxInput && active !== this.maxInput) this.maxInput.value = formatRangeValue(hi);
    if (this.modeSelect && this.modeSelect.value !== s.rangeMode) this.modeSelect.value = s.rangeMode;
  }

  /**
   * The histogram of channel 0 over the range in use widened to the data's own auto range, bars in blue, the
   * range in use as two yellow markers, and the axis ends labelled.
   */
  private drawHistogram(img: CachedImage): void {
    const hist = this.body.querySelector<HTMLCanvasElement>("canvas.iris-histogram");
    const ctx = hist?.getContext("2d");
    if (!hist || !ctx || !this.entity) return;
    const inUse = rangeInUse(img, this.settingsFor(this.entity));
    const data = img.autoRange ?? img.gpu.defaultValueRange;
    const lo = Math.min(inUse[0], data[0]);
    const hi = Math.max(inUse[1], data[1]);
    const range: [number, number] = hi > lo ? [lo, hi] : [lo, lo + 1];
    const plotHeight = hist.height - 14;
    const bins = hist.width / 2;
    const cached = img.histogram;
    const counts =
      cached && cached.bins === bins && cached.range[0] === range[0] && cached.range[1] === range[1]
        ? cached.counts
        : channelHistogram(img.bytes, img.format, range, bins);
    img.histogram = { range, bins, counts };
    const peak = Math.max(1, ...counts);
    ctx.clearRect(0, 0, hist.width, hist.height);
    ctx.fillStyle = "#8ab4f8";
    counts.forEach((c, i) => {
      const h = (c / peak) * plotHeight;
      ctx.fillRect(i * 2, plotHeight - h, 2, h);
    });
    const xOf = (v: number): number => ((v - range[0]) / (range[1] - range[0])) * (hist.width - 1);
    ctx.fillStyle = "#f5c542";
    for (const v of inUse) ctx.fillRect(Math.round(xOf(v)) - (v === range[1] ? 1 : 0), 0, 1, plotHeight);
    ctx.fillStyle = "#9aa0a6";
    ctx.font = "10px ui-monospace, monospace";
    ctx.textBaseline = "bottom";
    ctx.textAlign = "left";
    ctx.fillText(formatRangeValue(range[0]), 0, hist.height);
    ctx.textAlign = "right";
    ctx.fillText(formatRangeValue(range[1]), hist.width, hist.height);
    hist.dataset["axis"] = `${formatRangeValue(range[0])}…${formatRangeValue(range[1])}`;
  }
}

/** A range bound as the fields show it: integers as such, others with 6 significant digits. */
export function formatRangeValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

function select(
  name: string,
  options: readonly string[],
  value: string,
  onChange: (v: string) => void,
): HTMLLabelElement {
  const label = document.createElement("label");
  label.textContent = `${name} `;
  const el = document.createElement("select");
  el.name = name;
  for (const o of options) el.add(new Option(o, o, o === value, o === value));
  el.addEventListener("change", () => onChange(el.value));
  label.append(el);
  return label;
}

function numberInput(name: string, onChange: (v: number) => void): HTMLInputElement {
  const el = document.createElement("input");
  el.type = "number";
  el.name = name;
  el.step = "any";
  el.addEventListener("change", () => {
    const v = Number(el.value);
    if (el.value !== "" && Number.isFinite(v)) onChange(v);
  });
  return el;
}

function wrap(name: string, el: HTMLElement): HTMLLabelElement {
  const label = document.createElement("label");
  label.textContent = `${name} `;
  label.append(el);
  return label;
}
