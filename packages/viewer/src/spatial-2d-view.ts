import { fitCanvasToDisplay, readCanvasPixels } from "./canvas-pixels.ts";
import { type GpuImage, ImageRenderer, type ColormapName, colormapNames } from "@iris/renderer";
import type { ChunkStore } from "@iris/store";
import {
  ChannelDatatype,
  type ImageFormat,
  colorModelChannels,
  describeImageFormat,
  effectiveChannelDatatype,
  effectiveColorModel,
  type IrisPixelLayout,
  irisShownSize,
  readIrisLayoutPixelValues,
  readPixelValues,
  validateIrisPixelLayout,
} from "@iris/types";
import {
  type DepthDrawable,
  type SegmentationDrawable,
  entitiesWith,
  formatClass,
  formatDepth,
  queryDepthImage,
  querySegmentationImage,
  segmentationRgba,
} from "./depth-segmentation-visualizer.ts";
import { formatPixelValues } from "./format-values.ts";
import { type ImageSettings, defaultImageSettings } from "./image-settings.ts";
import { channelHistogram, channelPercentileRange } from "./image-statistics.ts";
import { type ImageDrawable, type QueryTime, imageEntities, queryImage } from "./image-visualizer.ts";
import { type Camera2D, type Rect, fitCamera, spaceFromView, zoomAt } from "./view-camera.ts";

interface CachedImage {
  gpu: GpuImage;
  width: number;
  height: number;
  /** Raw pixels and format (for hover values and statistics); RGBA8 for decoded EncodedImages. */
  bytes: Uint8Array;
  format: ImageFormat;
  /**
   * Statistics of channel 0 for the value-range panel, computed from `bytes` when first needed. Only the results
   * are kept: a per-image copy of the values would take twice the image's own memory for float images.
   */
  percentileRange?: [number, number];
  histogram?: { range: readonly [number, number]; bins: number; counts: Uint32Array };
  lastUsed: number;
  /** Depth / segmentation images: their hover text (replaces the raw value text). */
  kind?: "depth" | "segmentation";
  /** Depth images: the depth range in effect when the range mode is "auto". */
  autoRange?: readonly [number, number];
  describe?: (values: readonly number[]) => string;
  /** Iris extension layout (Bayer / UYVY): `format` is the stored L carrier, width/height the shown size. */
  irisLayout?: IrisPixelLayout;
}

type Drawable2D = ImageDrawable | DepthDrawable | SegmentationDrawable;

/** GPU bytes of cached images not drawn in the current frame kept for going back (e.g. when scrubbing). */
const UNUSED_TEXTURE_BUDGET_BYTES = 64 * 1024 * 1024;

/** A clicked pixel: the topmost image there, the pixel and its raw values. */
export interface PixelSelection {
  readonly entityPath: string;
  readonly x: number;
  readonly y: number;
  readonly values: number[];
  readonly text: string;
}

/** One drawn image, as placed in the last frame (exposed for tests and hover). */
export interface DrawnImage {
  readonly entityPath: string;
  readonly format: ImageFormat;
  /** Iris extension layout; the shown size is then `irisShownSize(format, irisLayout)`. */
  readonly irisLayout?: IrisPixelLayout | undefined;
  /** Where image pixel (0, 0)'s top-left corner is in CSS pixels of the view canvas, and CSS px per pixel. */
  readonly x: number;
  readonly y: number;
  readonly scale: number;
}

/**
 * Rerun's Spatial2DView for images: every entity with an Image (or EncodedImage) under `root` is drawn at the
 * latest-at state of the current time, stacked by draw order. Wheel/pinch zoom, drag to pan, double-click to
 * reset, a magnification toggle, a hover tooltip with the raw pixel values, and for single-channel / non-U8
 * images a value-range, colormap and histogram panel.
 */
export class Spatial2DView {
  readonly element: HTMLDivElement;
  readonly root: string;
  readonly canvas: HTMLCanvasElement;
  private readonly gl: WebGL2RenderingContext;
  private readonly renderer: ImageRenderer;
  private readonly tooltip: HTMLDivElement;
  private readonly panel: HTMLDivElement;
  private readonly cache = new Map<string, CachedImage>();
  private readonly decoding = new Set<string>();
  private readonly settings = new Map<string, ImageSettings>();
  private camera: Camera2D | undefined;
  private userMovedCamera = false;
  private frame = 0;
  private drawn: DrawnImage[] = [];
  private hover: [number, number] | undefined;
  private dirty = true;
  private magnification: "nearest" | "linear" = "nearest";
  /** Called when the user clicks a pixel (or empty space: undefined) without dragging. */
  onSelect: ((selection: PixelSelection | undefined) => void) | undefined;
  private panelEntity: string | undefined;

  constructor(
    root: string,
    private readonly store: () => ChunkStore | undefined,
    private readonly time: () => QueryTime,
  ) {
    this.root = root;
    this.element = document.createElement("div");
    this.element.className = "iris-view";
    this.element.dataset["root"] = root;
    const header = document.createElement("div");
    header.className = "iris-view-header";
    const title = document.createElement("span");
    title.textContent = root;
    const filter = document.createElement("button");
    filter.className = "iris-mag";
    filter.title = "Magnification filter";
    filter.textContent = "nearest";
    filter.addEventListener("click", () => {
      this.magnification = this.magnification === "nearest" ? "linear" : "nearest";
      filter.textContent = this.magnification;
      this.invalidate();
    });
    header.append(title, filter);
    this.canvas = document.createElement("canvas");
    this.canvas.className = "iris-canvas";
    const gl = this.canvas.getContext("webgl2", {
      preserveDrawingBuffer: true,
      antialias: false,
      premultipliedAlpha: true,
    });
    if (!gl) throw new Error("WebGL2 is not available in this browser");
    this.gl = gl;
    this.renderer = new ImageRenderer(gl);
    this.tooltip = document.createElement("div");
    this.tooltip.className = "iris-tooltip";
    this.panel = document.createElement("div");
    this.panel.className = "iris-image-panel";
    const body = document.createElement("div");
    body.className = "iris-view-body";
    body.append(this.canvas, this.tooltip, this.panel);
    this.element.append(header, body);
    this.installInteraction();
  }

  invalidate(): void {
    this.dirty = true;
  }

  /** GPU upload/draw counters (tests check that changing range or colormap never re-uploads). */
  get rendererStats(): ImageRenderer["stats"] {
    return this.renderer.stats;
  }

  /** The images drawn in the last frame, bottom to top. */
  get drawnImages(): readonly DrawnImage[] {
    return this.drawn;
  }

  /** GPU bytes of the cached image textures: those drawn in the last frame plus at most 64 MiB of others. */
  get textureCacheBytes(): number {
    let bytes = 0;
    for (const img of this.cache.values()) bytes += img.gpu.gpuSizeBytes;
    return bytes;
  }

  /**
   * The canvas's current pixels (RGBA8, top row first) in device pixels, read back from WebGL; `scale` is the
   * device-pixel ratio the images were drawn with (canvas pixels per CSS pixel of `drawnImages` placements).
   * Used by tests to compare what is shown with the CPU reference.
   */
  readCanvasPixels(): { width: number; height: number; scale: number; rgba: Uint8Array } {
    return readCanvasPixels(this.gl, this.canvas);
  }

  /** Draws if something changed; called from the app's animation frame. */
  render(): void {
    const store = this.store();
    if (fitCanvasToDisplay(this.canvas)) this.dirty = true;
    if (!this.dirty || !store) return;
    // Layout is read only when a frame is drawn, not on every animation frame.
    const rect = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const { width, height } = this.canvas;
    this.dirty = false;
    this.frame += 1;
    const at = this.time();
    const drawables = [
      ...imageEntities(store, this.root).map((path) => queryImage(store, path, at)),
      ...entitiesWith(store, "DepthImage:buffer", this.root).map((path) => queryDepthImage(store, path, at)),
      ...entitiesWith(store, "SegmentationImage:buffer", this.root).map((path) =>
        querySegmentationImage(store, path, at),
      ),
    ]
      .filter((d): d is Drawable2D => d !== undefined)
      .sort((a, b) => a.drawOrder - b.drawOrder || (a.entityPath < b.entityPath ? -1 : 1));

    const ready: { d: Drawable2D; img: CachedImage }[] = [];
    for (const d of drawables) {
      const img = this.gpuImage(d);
      if (img) ready.push({ d, img });
    }
    const bounds = boundsOf(ready.map((r) => r.img));
    if (bounds && (!this.camera || !this.userMovedCamera))
      this.camera = fitCamera(bounds, rect.width, rect.height);

    const gl = this.gl;
    gl.viewport(0, 0, width, height);
    gl.clearColor(0.07, 0.08, 0.09, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    this.drawn = [];
    const cam = this.camera;
    if (cam) {
      for (const { d, img } of ready) {
        const s = this.settingsFor(d.entityPath, d.kind === "depth" ? d.colormap : undefined);
        const range = this.valueRange(img, s) ?? (d.kind === "depth" ? d.range : undefined);
        this.renderer.draw(img.gpu, {
          viewFromImage: { x: cam.x * dpr, y: cam.y * dpr, scale: cam.scale * dpr },
          ...(range ? { valueRange: range } : {}),
          colormap: s.colormap,
          magnification: this.magnification,
          opacity: defaultOpacity(d, ready),
        });
        this.drawn.push({
          entityPath: d.entityPath,
          format: img.format,
          irisLayout: img.irisLayout,
          x: cam.x,
          y: cam.y,
          scale: cam.scale,
        });
      }
    }
    this.updateTooltip();
    this.updatePanel(ready.map((r) => ({ entity: r.d.entityPath, img: r.img })));
    this.evictUnused();
  }

  private settingsFor(entity: string, colormap?: ColormapName): ImageSettings {
    let s = this.settings.get(entity);
    if (!s) this.settings.set(entity, (s = { ...defaultImageSettings(), ...(colormap ? { colormap } : {}) }));
    return s;
  }

  private valueRange(img: CachedImage, s: ImageSettings): [number, number] | undefined {
    if (s.rangeMode === "manual") return [s.min, s.max];
    if (s.rangeMode === "percentile") {
      img.percentileRange ??= channelPercentileRange(img.bytes, img.format);
      return img.percentileRange;
    }
    return undefined; // the renderer applies Rerun's heuristic
  }

  private gpuImage(d: Drawable2D): CachedImage | undefined {
    const cached = this.cache.get(d.key);
    if (cached) {
      cached.lastUsed = this.frame;
      return cached;
    }
    if (d.kind === "depth" || d.kind === "segmentation") return this.uploadDepthOrSegmentation(d);
    if (d.kind === "raw" && d.format) {
      try {
        const layout = d.irisLayout && irisLayoutFits(d.format, d.irisLayout) ? d.irisLayout : undefined;
        const shown = layout ? irisShownSize(d.format, layout) : d.format;
        const gpu = this.renderer.upload(
          (layout
            ? {
                ...shown,
                irisLayout: layout,
                bytes: d.bytes,
                ...(layout === "UYVY" ? {} : { channelDatatype: d.format.channelDatatype ?? 6 }),
              }
            : { ...d.format, bytes: d.bytes }) as Parameters<ImageRenderer["upload"]>[0],
        );
        const img: CachedImage = {
          gpu,
          width: shown.width,
          height: shown.height,
          bytes: d.bytes,
          format: d.format,
          lastUsed: this.frame,
          ...(layout ? { irisLayout: layout } : {}),
        };
        this.cache.set(d.key, img);
        return img;
      } catch (error) {
        this.showError(`${d.entityPath}: ${(error as Error).message}`);
        return undefined;
      }
    }
    if (d.kind === "encoded" && !this.decoding.has(d.key)) {
      this.decoding.add(d.key);
      void decodeEncodedImage(d.bytes, d.mediaType).then(
        (rgba) => {
          const format: ImageFormat = {
            width: rgba.width,
            height: rgba.height,
            colorModel: 3,
            channelDatatype: 6,
          };
          const bytes = new Uint8Array(rgba.data.buffer, rgba.data.byteOffset, rgba.data.byteLength);
          const gpu = this.renderer.upload({ ...format, bytes } as Parameters<ImageRenderer["upload"]>[0]);
          this.cache.set(d.key, {
            gpu,
            width: rgba.width,
            height: rgba.height,
            bytes,
            format,
            lastUsed: this.frame,
          });
          this.decoding.delete(d.key);
          this.invalidate();
        },
        (error: unknown) =>
          this.showError(`${d.entityPath}: cannot decode ${d.mediaType ?? "image"}: ${String(error)}`),
      );
    }
    return undefined;
  }

  private uploadDepthOrSegmentation(d: DepthDrawable | SegmentationDrawable): CachedImage | undefined {
    try {
      const rgbaFormat: ImageFormat = {
        width: d.format.width,
        height: d.format.height,
        colorModel: 3,
        channelDatatype: 6,
      };
      const gpu =
        d.kind === "depth"
          ? this.renderer.upload({ ...d.format, bytes: d.bytes } as Parameters<ImageRenderer["upload"]>[0])
          : this.renderer.upload({
              ...rgbaFormat,
              bytes: segmentationRgba(d.bytes, d.format, d.classes),
            } as Parameters<ImageRenderer["upload"]>[0]);
      const img: CachedImage = {
        gpu,
        width: d.format.width,
        height: d.format.height,
        bytes: d.bytes,
        format: d.format,
        lastUsed: this.frame,
        kind: d.kind,
        ...(d.kind === "depth" ? { autoRange: d.range } : {}),
        describe:
          d.kind === "depth"
            ? (values) => `Depth: ${formatDepth(values[0] ?? NaN, d.meter)}  Val: ${values[0] ?? ""}`
            : (values) => formatClass(values[0] ?? 0, d.classes),
      };
      this.cache.set(d.key, img);
      return img;
    } catch (error) {
      this.showError(`${d.entityPath}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Frees images not drawn for 120 frames, and beyond `UNUSED_TEXTURE_BUDGET_BYTES` of images not drawn in this
   * frame, the least recently drawn first: loading or playing a recording draws every frame once, and keeping all
   * of their textures would hold a second copy of the recording (in the GPU process, or in CPU memory under a
   * software renderer).
   */
  private evictUnused(): void {
    const unused: [string, CachedImage][] = [];
    let unusedBytes = 0;
    for (const [key, img] of this.cache) {
      if (img.lastUsed === this.frame) continue;
      if (this.frame - img.lastUsed > 120) {
        img.gpu.destroy();
        this.cache.delete(key);
        continue;
      }
      unused.push([key, img]);
      unusedBytes += img.gpu.gpuSizeBytes;
    }
    if (unusedBytes <= UNUSED_TEXTURE_BUDGET_BYTES) return;
    unused.sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [key, img] of unused) {
      if (unusedBytes <= UNUSED_TEXTURE_BUDGET_BYTES) break;
      unusedBytes -= img.gpu.gpuSizeBytes;
      img.gpu.destroy();
      this.cache.delete(key);
    }
  }

  private showError(text: string): void {
    this.element.dataset["error"] = text;
  }

  // ---- interaction ---------------------------------------------------------------------------------------

  private installInteraction(): void {
    const c = this.canvas;
    const pointers = new Map<number, [number, number]>();
    let pinchDistance: number | undefined;
    c.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        if (!this.camera) return;
        const r = c.getBoundingClientRect();
        this.camera = zoomAt(
          this.camera,
          e.clientX - r.left,
          e.clientY - r.top,
          Math.exp(-e.deltaY * 0.0015),
        );
        this.userMovedCamera = true;
        this.invalidate();
      },
      { passive: false },
    );
    c.addEventListener("pointerdown", (e) => {
      c.setPointerCapture(e.pointerId);
      pointers.set(e.pointerId, [e.clientX, e.clientY]);
    });
    c.addEventListener("pointermove", (e) => {
      const r = c.getBoundingClientRect();
      this.hover = [e.clientX - r.left, e.clientY - r.top];
      const last = pointers.get(e.pointerId);
      if (last && this.camera) {
        if (pointers.size === 1) {
          this.camera = {
            ...this.camera,
            x: this.camera.x + e.clientX - last[0],
            y: this.camera.y + e.clientY - last[1],
          };
          this.userMovedCamera = true;
        }
        pointers.set(e.pointerId, [e.clientX, e.clientY]);
        if (pointers.size === 2) {
          const [a, b] = [...pointers.values()] as [[number, number], [number, number]];
          const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
          if (pinchDistance !== undefined && d > 0) {
            this.camera = zoomAt(
              this.camera,
              (a[0] + b[0]) / 2 - r.left,
              (a[1] + b[1]) / 2 - r.top,
              d / pinchDistance,
            );
            this.userMovedCamera = true;
          }
          pinchDistance = d;
        }
      }
      this.invalidate();
    });
    let downAt: [number, number] | undefined;
    c.addEventListener("pointerdown", (e) => (downAt = [e.clientX, e.clientY]));
    c.addEventListener("click", (e) => {
      if (!downAt || Math.hypot(e.clientX - downAt[0], e.clientY - downAt[1]) > 4) return;
      const r = c.getBoundingClientRect();
      this.onSelect?.(this.pixelAt(e.clientX - r.left, e.clientY - r.top));
    });
    const release = (e: PointerEvent): void => {
      pointers.delete(e.pointerId);
      if (pointers.size < 2) pinchDistance = undefined;
    };
    c.addEventListener("pointerup", release);
    c.addEventListener("pointercancel", release);
    c.addEventListener("pointerleave", () => {
      this.hover = undefined;
      this.invalidate();
    });
    c.addEventListener("dblclick", () => {
      this.userMovedCamera = false;
      this.camera = undefined;
      this.invalidate();
    });
  }

  /** The pixel under a view position (CSS px) of the topmost image there, with its raw values. */
  pixelAt(
    px: number,
    py: number,
  ): { entityPath: string; x: number; y: number; values: number[]; text: string } | undefined {
    for (let i = this.drawn.length - 1; i >= 0; i--) {
      const d = this.drawn[i]!;
      const [sx, sy] = spaceFromView(d, px, py);
      const x = Math.floor(sx);
      const y = Math.floor(sy);
      const size = d.irisLayout ? irisShownSize(d.format, d.irisLayout) : d.format;
      if (x < 0 || y < 0 || x >= size.width || y >= size.height) continue;
      const img = [...this.cache.values()].find((c) => c.format === d.format);
      if (!img) continue;
      if (img.irisLayout) {
        const hit = readIrisLayoutPixelValues(img.bytes, img.format, img.irisLayout, x, y);
        return { entityPath: d.entityPath, x, y, values: hit.values, text: hit.text };
      }
      const values = readPixelValues(img.bytes, img.format, x, y);
      const text = img.describe ? img.describe(values) : formatPixelValues(img.format, values);
      return { entityPath: d.entityPath, x, y, values, text };
    }
    return undefined;
  }

  private updateTooltip(): void {
    const hit = this.hover && this.pixelAt(this.hover[0], this.hover[1]);
    if (!hit || !this.hover) {
      this.tooltip.style.display = "none";
      return;
    }
    this.tooltip.style.display = "block";
    this.tooltip.style.left = `${this.hover[0] + 14}px`;
    this.tooltip.style.top = `${this.hover[1] + 14}px`;
    this.tooltip.textContent = `${hit.entityPath}  x ${hit.x}, y ${hit.y}  ${hit.text}`;
  }

  // ---- value range / colormap / histogram panel ----------------------------------------------------------

  private updatePanel(images: { entity: string; img: CachedImage }[]): void {
    const adjustable = images.filter(
      ({ img }) => img.kind !== "segmentation" && img.irisLayout !== "UYVY" && needsRangeControls(img.format),
    );
    if (adjustable.length === 0) {
      this.panel.style.display = "none";
      return;
    }
    const current = adjustable.find((a) => a.entity === this.panelEntity) ?? adjustable[0]!;
    if (
      this.panel.dataset["entity"] === current.entity &&
      this.panel.dataset["key"] === String(current.img.gpu.width)
    ) {
      this.drawHistogram(current.img, this.settingsFor(current.entity));
      return;
    }
    this.panelEntity = current.entity;
    this.panel.dataset["entity"] = current.entity;
    this.panel.dataset["key"] = String(current.img.gpu.width);
    this.panel.style.display = "block";
    this.panel.replaceChildren();
    const s = this.settingsFor(current.entity);
    const label = document.createElement("div");
    label.textContent = `${current.entity} · ${describeImageFormat(current.img.format)}`;
    const cmap = select("colormap", colormapNames, s.colormap, (v) => {
      s.colormap = v as ColormapName;
      this.invalidate();
    });
    const mode = select("range", ["auto", "percentile", "manual"], s.rangeMode, (v) => {
      s.rangeMode = v as ImageSettings["rangeMode"];
      if (s.rangeMode === "manual")
        [s.min, s.max] = current.img.autoRange ?? current.img.gpu.defaultValueRange;
      minInput.value = String(s.min);
      maxInput.value = String(s.max);
      this.invalidate();
    });
    const minInput = numberInput("min", s.min, (v) => {
      s.min = v;
      s.rangeMode = "manual";
      mode.querySelector("select")!.value = "manual";
      this.invalidate();
    });
    const maxInput = numberInput("max", s.max, (v) => {
      s.max = v;
      s.rangeMode = "manual";
      mode.querySelector("select")!.value = "manual";
      this.invalidate();
    });
    const hist = document.createElement("canvas");
    hist.className = "iris-histogram";
    hist.width = 160;
    hist.height = 40;
    this.panel.append(label, cmap, mode, wrap("min", minInput), wrap("max", maxInput), hist);
    this.drawHistogram(current.img, s);
  }

  private drawHistogram(img: CachedImage, s: ImageSettings): void {
    const hist = this.panel.querySelector<HTMLCanvasElement>("canvas.iris-histogram");
    const ctx = hist?.getContext("2d");
    if (!hist || !ctx) return;
    const range = this.valueRange(img, s) ?? img.autoRange ?? img.gpu.defaultValueRange;
    const bins = hist.width / 2;
    const cached = img.histogram;
    const counts =
      cached && cached.bins === bins && cached.range[0] === range[0] && cached.range[1] === range[1]
        ? cached.counts
        : channelHistogram(img.bytes, img.format, range, bins);
    img.histogram = { range: [range[0], range[1]], bins, counts };
    const peak = Math.max(1, ...counts);
    ctx.clearRect(0, 0, hist.width, hist.height);
    ctx.fillStyle = "#8ab4f8";
    counts.forEach((c, i) => {
      const h = (c / peak) * hist.height;
      ctx.fillRect(i * 2, hist.height - h, 2, h);
    });
  }
}

/**
 * Rerun's opacity fallback (image-archetype-detail.md §5.1), from the images in this frame: colour images 0.5 over
 * a depth image, segmentation 0.5 over colour or depth images, depth always 1; a logged opacity wins.
 */
function defaultOpacity(d: Drawable2D, all: readonly { d: Drawable2D }[]): number {
  const hasDepth = all.some((x) => x.d.kind === "depth");
  const hasColor = all.some((x) => x.d.kind === "raw" || x.d.kind === "encoded");
  if (d.kind === "depth") return 1;
  if (d.kind === "segmentation") return d.loggedOpacity ?? (hasDepth || hasColor ? 0.5 : 1);
  return d.loggedOpacity ?? (hasDepth ? 0.5 : d.opacity);
}

function needsRangeControls(format: ImageFormat): boolean {
  if (format.pixelFormat !== undefined) return false;
  return (
    colorModelChannels(effectiveColorModel(format)) === 1 ||
    effectiveChannelDatatype(format) !== ChannelDatatype.U8
  );
}

function boundsOf(images: readonly CachedImage[]): Rect | undefined {
  if (images.length === 0) return undefined;
  return {
    x: 0,
    y: 0,
    width: Math.max(...images.map((i) => i.width)),
    height: Math.max(...images.map((i) => i.height)),
  };
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

function numberInput(name: string, value: number, onChange: (v: number) => void): HTMLInputElement {
  const el = document.createElement("input");
  el.type = "number";
  el.name = name;
  el.step = "any";
  el.value = String(value);
  el.addEventListener("change", () => {
    const v = Number(el.value);
    if (Number.isFinite(v)) onChange(v);
  });
  return el;
}

function wrap(name: string, el: HTMLElement): HTMLLabelElement {
  const label = document.createElement("label");
  label.textContent = `${name} `;
  label.append(el);
  return label;
}

async function decodeEncodedImage(bytes: Uint8Array, mediaType: string | undefined): Promise<ImageData> {
  const blob = new Blob([bytes as BlobPart], mediaType ? { type: mediaType } : {});
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** Iris extension: whether `layout` describes `format` (otherwise the image is shown as its plain grey carrier). */
function irisLayoutFits(format: ImageFormat, layout: IrisPixelLayout): boolean {
  try {
    validateIrisPixelLayout(format, layout);
    return true;
  } catch {
    return false;
  }
}
