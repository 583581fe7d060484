/**
 * The probe panel: the value per channel of one pixel (or the mean of a rectangle) of an image entity over the
 * current timeline, computed from the store (`probeImageSeries`), plotted; a click on the plot (or the arrow keys
 * on it) moves the time cursor; the values download as CSV. Opened by Alt+click / Alt+drag on a 2D view, by
 * Shift+P (a form reachable from the keyboard) or by `IrisViewer.probe()`.
 */
import {
  type ChunkStore,
  ProbeError,
  type ProbeSeries,
  formatProbeValue,
  imageEntityPaths,
  probeImageSeries,
  probeToCsv,
} from "@iris/store";
import { channelColor, nearestSampleTime, PLOT_GEOMETRY, renderProbePlot } from "./probe-plot.ts";
import { decodeEncodedFrames, needsDecoding } from "./probe-decode.ts";
import type { TimeControl } from "./time-control.ts";

/** What to probe: a pixel, or a rectangle when width/height are given (> 1 pixel: the mean). */
export interface ProbeRequest {
  readonly entityPath: string;
  readonly x: number;
  readonly y: number;
  readonly width?: number;
  readonly height?: number;
  /** Default: the time control's current timeline. */
  readonly timeline?: string;
}

/** The panel's view of the viewer: the active store and the time cursor. */
export interface ProbePanelHost {
  store(): ChunkStore | undefined;
  readonly time: TimeControl;
  /**
   * For a recording read on demand: the store to probe `entityPath` in (all of its data, read for the probe) and
   * what the series cannot cover, if anything; undefined: probe `store()`.
   */
  probeStore?(entityPath: string): Promise<{ store: ChunkStore; notice?: string | undefined }> | undefined;
  /** The entities the form offers; undefined (or absent): those with an image in `store()`. */
  imageEntities?(): string[] | undefined;
}

export const probePanelCss = `
.iris-probe { flex: none; border-top: 1px solid #2a2e35; background: #16191d; padding: 4px 8px; }
.iris-probe-head { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.iris-probe-head input { width: 52px; }
.iris-probe-head select { max-width: 200px; }
.iris-probe-title { font-weight: 600; color: #f5c542; }
.iris-probe-error { color: #ff7b72; }
.iris-probe-notice { color: #e8d9a8; }
.iris-probe-legend span { margin-right: 8px; }
.iris-probe-plot { display: block; width: 100%; max-width: 960px; height: 180px; cursor: crosshair; outline: none; }
.iris-probe-plot:focus { outline: 1px solid #f5c542; }
.iris-probe-area { fill: #101215; stroke: #2a2e35; }
.iris-probe-axis { fill: #9aa0a6; font: 10px ui-monospace, monospace; }
.iris-probe-cursor { stroke: #f5c542; stroke-width: 1; }
.iris-probe-rect { position: absolute; border: 1px dashed #f5c542; pointer-events: none; }
`;

/** How often an open probe is re-run while data keeps arriving. */
const PROBE_REFRESH_MS = 500;

export class ProbePanel {
  readonly element: HTMLDivElement;
  /** The last probe's result (undefined before the first one or after an error). */
  series: ProbeSeries | undefined;
  /** The last probe's error text (a `ProbeError` message), shown in the panel. */
  error: string | undefined;
  private request: ProbeRequest | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts probes, so that a slow (decoding) probe never overwrites a newer one. */
  private generation = 0;
  private readonly title: HTMLSpanElement;
  private readonly message: HTMLDivElement;
  private readonly notice: HTMLDivElement;
  /** What the last series cannot cover (a recording read on demand), shown above the plot. */
  private noticeText: string | undefined;
  private readonly legend: HTMLDivElement;
  private readonly plot: SVGSVGElement;
  private readonly entity: HTMLSelectElement;
  private readonly fields: Record<"x" | "y" | "w" | "h", HTMLInputElement>;

  constructor(private readonly host: ProbePanelHost) {
    this.element = document.createElement("div");
    this.element.className = "iris-probe";
    this.element.style.display = "none";
    const head = document.createElement("div");
    head.className = "iris-probe-head";
    this.title = document.createElement("span");
    this.title.className = "iris-probe-title";
    this.title.textContent = "Probe";
    this.entity = document.createElement("select");
    this.entity.className = "iris-probe-entity";
    this.entity.setAttribute("aria-label", "entity");
    const number = (name: string, value: number, min: number): HTMLInputElement => {
      const input = document.createElement("input");
      input.type = "number";
      input.min = String(min);
      input.value = String(value);
      input.className = `iris-probe-${name}`;
      input.setAttribute("aria-label", name);
      return input;
    };
    this.fields = { x: number("x", 0, 0), y: number("y", 0, 0), w: number("w", 1, 1), h: number("h", 1, 1) };
    const run = button("Probe", "iris-probe-run", () => this.runForm());
    const csv = button("⤓ CSV", "iris-probe-csv", () => this.downloadCsv());
    const close = button("×", "iris-probe-close", () => this.close());
    close.title = "Close the probe (Escape)";
    head.append(
      this.title,
      this.entity,
      "x",
      this.fields.x,
      "y",
      this.fields.y,
      "w",
      this.fields.w,
      "h",
      this.fields.h,
      run,
      csv,
      close,
    );
    head.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        this.runForm();
      }
    });
    this.message = document.createElement("div");
    this.message.className = "iris-probe-error";
    this.notice = document.createElement("div");
    this.notice.className = "iris-probe-notice";
    this.notice.hidden = true;
    this.legend = document.createElement("div");
    this.legend.className = "iris-probe-legend";
    this.plot = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    this.plot.classList.add("iris-probe-plot");
    this.plot.setAttribute("tabindex", "0");
    this.plot.setAttribute("aria-label", "probe plot: click or use the arrow keys to move the time cursor");
    this.plot.addEventListener("click", (e) => this.clickPlot(e));
    this.plot.addEventListener("keydown", (e) => this.keyOnPlot(e));
    this.element.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        this.close();
      }
    });
    this.element.append(head, this.message, this.notice, this.legend, this.plot);
    host.time.on("change", () => {
      if (this.element.style.display === "none" || !this.request) return;
      const timeline = this.host.time.timeline?.name;
      if (this.request.timeline === undefined && this.series && timeline !== this.series.timeline)
        this.refresh();
      else this.draw();
    });
  }

  get isOpen(): boolean {
    return this.element.style.display !== "none";
  }

  /**
   * Probes and shows the panel. Resolves with the series; a `ProbeError` (unknown entity, out of bounds, no
   * timeline…) is shown in the panel and rejects. EncodedImage frames are decoded by the browser first.
   */
  open(request: ProbeRequest): Promise<ProbeSeries> {
    this.request = request;
    this.element.style.display = "";
    this.fillForm(request);
    return this.rerun();
  }

  /** `open`, with a `ProbeError` only shown in the panel (the Alt+click / Alt+drag path). */
  openQuietly(request: ProbeRequest): void {
    this.open(request).catch((error: unknown) => {
      if (!(error instanceof ProbeError)) throw error;
    });
  }

  /** Shift+P on `target` opens the panel's form (entity, x, y, w, h; Enter probes). */
  installKeyboard(target: HTMLElement): void {
    target.addEventListener("keydown", (e) => {
      const tag = (e.target as HTMLElement).tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
      if (e.key !== "P" || !e.shiftKey || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      this.openForm();
    });
  }

  /** Shows the panel with its form focused (keyboard route), prefilled with the last request. */
  openForm(): void {
    this.element.style.display = "";
    this.fillForm(this.request);
    this.entity.focus();
  }

  close(): void {
    this.element.style.display = "none";
  }

  /** The last series as CSV (`probeToCsv`), or undefined. */
  csv(): string | undefined {
    return this.series ? probeToCsv(this.series) : undefined;
  }

  /**
   * More data arrived (a live stream): re-runs the open probe, at most once per `PROBE_REFRESH_MS`, so that its plot
   * follows the stream without recomputing the whole series for every chunk.
   */
  dataArrived(): void {
    if (!this.request || !this.isOpen || this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.refresh();
    }, PROBE_REFRESH_MS);
  }

  /** Re-runs the last request (e.g. after more data arrived); an error is shown in the panel. */
  refresh(): void {
    if (!this.request || !this.isOpen) return;
    this.rerun().catch((error: unknown) => {
      if (!(error instanceof ProbeError)) throw error;
    });
  }

  private async rerun(): Promise<ProbeSeries> {
    const request = this.request!;
    const generation = ++this.generation;
    const timeline = request.timeline ?? this.host.time.timeline?.name;
    try {
      const onDemand = this.host.probeStore?.(request.entityPath);
      const { store, notice } = onDemand ? await onDemand : { store: this.host.store(), notice: undefined };
      if (!store) throw new ProbeError("unknown-entity", "no recording is open");
      if (timeline === undefined) throw new ProbeError("unknown-timeline", "the recording has no timeline");
      const decodeEncoded = needsDecoding(store, request.entityPath)
        ? await decodeEncodedFrames(store, request.entityPath, timeline)
        : undefined;
      const series = probeImageSeries(store, {
        entityPath: request.entityPath,
        timeline,
        region: { x: request.x, y: request.y, width: request.width ?? 1, height: request.height ?? 1 },
        ...(decodeEncoded ? { decodeEncoded } : {}),
      });
      if (generation !== this.generation) return series; // a newer probe replaced this one meanwhile
      this.series = series;
      this.noticeText = notice;
      this.error = undefined;
      this.draw();
      return series;
    } catch (error) {
      if (error instanceof ProbeError && generation === this.generation) {
        this.series = undefined;
        this.error = error.message;
        this.draw();
      }
      throw error;
    }
  }

  private fillForm(request: ProbeRequest | undefined): void {
    const store = this.host.store();
    const entities = this.host.imageEntities?.() ?? (store ? imageEntityPaths(store) : []);
    this.entity.replaceChildren(...entities.map((e) => new Option(e, e)));
    if (request) {
      this.entity.value = request.entityPath;
      this.fields.x.value = String(request.x);
      this.fields.y.value = String(request.y);
      this.fields.w.value = String(request.width ?? 1);
      this.fields.h.value = String(request.height ?? 1);
    }
  }

  private runForm(): void {
    const n = (input: HTMLInputElement): number => Number(input.value);
    this.open({
      entityPath: this.entity.value,
      x: n(this.fields.x),
      y: n(this.fields.y),
      width: n(this.fields.w),
      height: n(this.fields.h),
    }).then(
      () => this.plot.focus(),
      (error: unknown) => {
        if (!(error instanceof ProbeError)) throw error;
      },
    );
  }

  private draw(): void {
    const s = this.series;
    this.message.textContent = this.error ?? "";
    const notice = s ? this.noticeText : undefined;
    this.notice.hidden = notice === undefined;
    this.notice.textContent = notice ?? "";
    if (!s) {
      this.title.textContent = "Probe";
      this.legend.replaceChildren();
      this.plot.replaceChildren();
      return;
    }
    const r = s.region;
    const where = s.mean ? `mean of ${r.width}×${r.height} at ${r.x}, ${r.y}` : `pixel ${r.x}, ${r.y}`;
    this.title.textContent = `${s.entityPath} ${where} on ${s.timeline}`;
    let current: ProbeSeries["samples"][number] | undefined;
    for (const sample of s.samples) if (sample.time <= this.host.time.time) current = sample;
    this.legend.replaceChildren(
      ...s.channels.names.map((name, c) => {
        const span = document.createElement("span");
        span.style.color = channelColor(name);
        const v = current?.values?.[c];
        span.textContent = `${name} ${v === undefined ? "–" : formatProbeValue(v)}`;
        span.dataset["channel"] = name;
        return span;
      }),
      Object.assign(document.createElement("span"), {
        textContent: `${s.mean ? "F64 mean" : s.channels.datatype}${s.channels.source === "decoded-rgb" ? " (decoded RGB)" : ""}, ${s.samples.length} samples`,
      }),
    );
    renderProbePlot(
      this.plot,
      s,
      this.host.time.timeline?.name === s.timeline ? this.host.time.time : undefined,
    );
  }

  private clickPlot(e: MouseEvent): void {
    if (!this.series) return;
    const r = this.plot.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * PLOT_GEOMETRY.width;
    const t = nearestSampleTime(this.series, x);
    if (t !== undefined) this.moveTime(t);
  }

  private keyOnPlot(e: KeyboardEvent): void {
    const s = this.series;
    if (!s || s.samples.length === 0) return;
    const times = s.samples.map((x) => x.time);
    const now = this.host.time.time;
    let target: bigint | undefined;
    if (e.key === "ArrowRight") target = times.find((t) => t > now) ?? times[times.length - 1];
    else if (e.key === "ArrowLeft") target = [...times].reverse().find((t) => t < now) ?? times[0];
    else if (e.key === "Home") target = times[0];
    else if (e.key === "End") target = times[times.length - 1];
    else return;
    e.preventDefault();
    e.stopPropagation(); // the time panel's own arrow keys would step again
    this.moveTime(target!);
  }

  private moveTime(t: bigint): void {
    const s = this.series!;
    if (this.host.time.timeline?.name !== s.timeline) return;
    this.host.time.setPlaying(false);
    this.host.time.setTime(t);
  }

  private downloadCsv(): void {
    const text = this.csv();
    if (!text || !this.series) return;
    const r = this.series.region;
    const name = `probe${this.series.entityPath.replaceAll(/[^\w.-]+/g, "_")}_${r.x}_${r.y}${this.series.mean ? `_${r.width}x${r.height}` : ""}.csv`;
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
}

function button(text: string, cls: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = text;
  b.className = cls;
  b.addEventListener("click", onClick);
  return b;
}
