import { ImageRenderer, LinearCompositor, type ColormapName } from "@iris/renderer";
import type { ChunkStore } from "@iris/store";
import { type ImageFormat, type IrisPixelLayout } from "@iris/types";
import { fitCanvasToDisplay, readCanvasPixels } from "./canvas-pixels.ts";
import { entitiesWith } from "./depth-segmentation-visualizer.ts";
import { queryDrawables } from "./drawable-query.ts";
import { readPixelText } from "./format-values.ts";
import { HoverMagnifier } from "./hover-magnifier.ts";
import { type CachedImage, type Drawable2D, ImageCache } from "./image-cache.ts";
import { ImageRangePanel, explicitValueRange } from "./image-range-panel.ts";
import { type ImageSettings, defaultImageSettings } from "./image-settings.ts";
import { type QueryTime, imageEntities } from "./image-visualizer.ts";
import { type Camera2D, type Rect, fitCamera, spaceFromView } from "./view-camera.ts";
import { installView2DInteraction, placeTooltip } from "./view-2d-interaction.ts";
import { type ViewSpec, viewIncludes } from "./view-heuristics.ts";
import { ViewErrorBadge } from "./view-error-badge.ts";
import { installProbeDrag, probeRequestOf } from "./probe-drag.ts";
import type { ProbeRequest } from "./probe-panel.ts";
import type { LinkableView, ViewLink } from "./view-link.ts";

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

export interface Spatial2DViewOptions {
  /** Whether an entity is shown (the user's visibility toggles); default: all. */
  readonly isVisible?: (entityPath: string) => boolean;
}

/**
 * Rerun's Spatial2DView for images: every entity with an Image, EncodedImage, DepthImage or SegmentationImage the
 * view's `spec` includes is drawn at the latest-at state of the current time, stacked by draw order. Wheel/pinch
 * zoom, drag to pan, double-click to reset, a magnification toggle, a hover tooltip with the raw pixel values,
 * and for single-channel / non-U8 images a value-range, colormap and histogram strip beside the image.
 */
export class Spatial2DView implements LinkableView {
  readonly element: HTMLDivElement;
  /** The view's origin (its `spec.origin`). */
  readonly root: string;
  readonly canvas: HTMLCanvasElement;
  /** The header, where the layout adds its buttons. */
  readonly header: HTMLDivElement;
  private readonly gl: WebGL2RenderingContext;
  private readonly renderer: ImageRenderer;
  /** Images are blended in linear light (as Rerun does), then presented sRGB-encoded to the canvas. */
  private readonly compositor: LinearCompositor;
  /** Entities this view could not upload or draw, with the reason (the others keep drawing). */
  readonly errorBadge: ViewErrorBadge;
  private readonly tooltip: HTMLDivElement;
  private readonly tooltipText: HTMLDivElement;
  private readonly magnifier = new HoverMagnifier();
  private readonly panel: ImageRangePanel;
  private readonly cache: ImageCache;
  private readonly settings = new Map<string, ImageSettings>();
  private camera: Camera2D | undefined;
  private userMovedCamera = false;
  private frame = 0;
  private drawn: DrawnImage[] = [];
  private drawnCache: CachedImage[] = [];
  private hover: { x: number; y: number; clientX: number; clientY: number } | undefined;
  private dirty = true;
  private magnification: "nearest" | "linear" = "nearest";
  /** Linked views (zoom, pan and hover shared with same-size views while enabled). */
  link: ViewLink | undefined;
  /** Called when the user clicks a pixel (or empty space: undefined) without dragging. */
  onSelect: ((selection: PixelSelection | undefined) => void) | undefined;
  /** Alt+click on a pixel / Alt+drag over a rectangle of an image (probe-drag.ts). */
  onProbe: ((request: ProbeRequest) => void) | undefined;

  constructor(
    readonly spec: ViewSpec,
    private readonly store: () => ChunkStore | undefined,
    private readonly time: () => QueryTime,
    private readonly options: Spatial2DViewOptions = {},
  ) {
    this.root = spec.origin;
    this.element = document.createElement("div");
    this.element.className = "iris-view";
    this.element.dataset["root"] = spec.origin;
    this.header = document.createElement("div");
    this.header.className = "iris-view-header";
    const title = document.createElement("span");
    title.className = "iris-view-title";
    title.textContent = spec.contents === "subtree" ? spec.origin : `${spec.origin} (entity)`;
    title.title = title.textContent;
    const filter = document.createElement("button");
    filter.className = "iris-mag";
    filter.title = "Magnification filter";
    filter.textContent = "nearest";
    filter.addEventListener("click", () => {
      this.magnification = this.magnification === "nearest" ? "linear" : "nearest";
      filter.textContent = this.magnification;
      this.invalidate();
    });
    this.header.append(title, filter);
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
    this.compositor = new LinearCompositor(gl);
    this.errorBadge = new ViewErrorBadge(document);
    this.cache = new ImageCache(
      this.renderer,
      (text) => {
        this.element.dataset["error"] = text;
        const colon = text.indexOf(": ");
        this.errorBadge.report(
          colon > 0 ? text.slice(0, colon) : this.root,
          colon > 0 ? text.slice(colon + 2) : text,
        );
      },
      () => this.invalidate(),
    );
    this.tooltip = document.createElement("div");
    this.tooltip.className = "iris-tooltip";
    this.tooltipText = document.createElement("div");
    this.tooltipText.className = "iris-tooltip-text";
    this.tooltip.append(this.tooltipText, this.magnifier.element);
    this.panel = new ImageRangePanel(
      (entity) => this.settingsFor(entity),
      () => this.invalidate(),
    );
    const area = document.createElement("div");
    area.className = "iris-canvas-area";
    area.append(this.canvas, this.tooltip, this.errorBadge.element);
    const body = document.createElement("div");
    body.className = "iris-view-body";
    body.append(area, this.panel.element);
    this.element.append(this.header, body);
    installView2DInteraction(this.canvas, {
      camera: () => this.camera,
      moveCamera: (camera) => {
        this.applyLinkedCamera(camera);
        this.link?.cameraMoved(this, camera);
      },
      resetCamera: () => {
        this.applyLinkedCamera(undefined);
        this.link?.cameraMoved(this, undefined);
      },
      hover: (at) => {
        this.hover = at;
        this.invalidate();
        this.link?.hovered(this, at && this.camera && spaceFromView(this.camera, at.x, at.y));
      },
      click: (x, y) => this.onSelect?.(this.pixelAt(x, y)),
    });
    installProbeDrag(this.canvas, area, (a, b) => {
      const request = probeRequestOf(this.drawn, (x, y) => this.pixelAt(x, y), a, b);
      if (request) this.onProbe?.(request);
    });
  }

  invalidate(): void {
    this.dirty = true;
  }

  /** Frees the GPU resources (the view was closed or replaced). */
  destroy(): void {
    this.cache.destroy();
    this.gl.getExtension("WEBGL_lose_context")?.loseContext();
    this.element.remove();
  }

  /** The entities this view shows now (in its spec, visible, with image data), sorted. */
  entities(): string[] {
    const store = this.store();
    if (!store) return [];
    return [
      ...new Set([
        ...imageEntities(store, this.root),
        ...entitiesWith(store, "DepthImage:buffer", this.root),
        ...entitiesWith(store, "SegmentationImage:buffer", this.root),
      ]),
    ]
      .filter((p) => viewIncludes(this.spec, p))
      .sort();
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
    return this.cache.bytes;
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
    this.errorBadge.beginFrame();
    const at = this.time();
    const visible = this.options.isVisible ?? (() => true);
    const drawables = this.entities()
      .filter(visible)
      .flatMap((path) => queryDrawables(store, path, at))
      .sort((a, b) => a.drawOrder - b.drawOrder || (a.entityPath < b.entityPath ? -1 : 1));

    const ready: { d: Drawable2D; img: CachedImage }[] = [];
    for (const d of drawables) {
      const img = this.cache.get(d, this.frame);
      if (img) ready.push({ d, img });
    }
    const bounds = boundsOf(ready.map((r) => r.img));
    if (bounds && (!this.camera || !this.userMovedCamera))
      this.camera = fitCamera(bounds, rect.width, rect.height);

    this.compositor.begin(width, height, [0.07, 0.08, 0.09]);
    this.drawn = [];
    this.drawnCache = [];
    const cam = this.camera;
    if (cam) {
      for (const { d, img } of ready) {
        const s = this.settingsFor(d.entityPath, d.kind === "depth" ? d.colormap : undefined);
        // The logged colormap can change over time; it applies until the user picks one in the panel.
        if (d.kind === "depth" && !s.colormapChosen) s.colormap = d.colormap;
        const range = explicitValueRange(img, s) ?? (d.kind === "depth" ? d.range : undefined);
        try {
          this.renderer.draw(img.gpu, {
            viewFromImage: { x: cam.x * dpr, y: cam.y * dpr, scale: cam.scale * dpr },
            ...(range ? { valueRange: range } : {}),
            colormap: s.colormap,
            magnification: this.magnification,
            opacity: defaultOpacity(d, ready),
            target: "linear",
          });
        } catch (error) {
          // One undrawable image (e.g. a manual range the renderer refuses) must not stop the others.
          this.errorBadge.report(d.entityPath, (error as Error).message);
          continue;
        }
        this.drawn.push({
          entityPath: d.entityPath,
          format: img.format,
          irisLayout: img.irisLayout,
          x: cam.x,
          y: cam.y,
          scale: cam.scale,
        });
        this.drawnCache.push(img);
      }
    }
    this.compositor.present();
    this.errorBadge.endFrame(this.drawn.map((d) => d.entityPath));
    this.updateTooltip();
    this.panel.update(ready.map((r) => ({ entity: r.d.entityPath, img: r.img })));
    this.cache.evictUnused(this.frame);
  }

  private settingsFor(entity: string, colormap?: ColormapName): ImageSettings {
    let s = this.settings.get(entity);
    if (!s) this.settings.set(entity, (s = { ...defaultImageSettings(), ...(colormap ? { colormap } : {}) }));
    return s;
  }

  /** The pixel under a view position (CSS px) of the topmost image there, with its raw values. */
  pixelAt(px: number, py: number): PixelSelection | undefined {
    for (let i = this.drawn.length - 1; i >= 0; i--) {
      const d = this.drawn[i]!;
      const img = this.drawnCache[i]!;
      const [sx, sy] = spaceFromView(d, px, py);
      const x = Math.floor(sx);
      const y = Math.floor(sy);
      const hit = readPixelText(img, x, y);
      if (hit) return { entityPath: d.entityPath, x, y, values: hit.values, text: hit.text };
    }
    return undefined;
  }

  // LinkableView (see view-link.ts).
  imageSize(): { width: number; height: number } | undefined {
    return this.drawnCache.length > 0 ? boundsOf(this.drawnCache) : undefined;
  }

  viewSize(): { width: number; height: number } {
    const r = this.canvas.getBoundingClientRect();
    return { width: r.width, height: r.height };
  }

  cameraState(): Camera2D | undefined {
    return this.camera && { ...this.camera };
  }

  applyLinkedCamera(camera: Camera2D | undefined): void {
    this.camera = camera && { ...camera };
    this.userMovedCamera = camera !== undefined;
    this.invalidate();
  }

  showLinkedHover(point: readonly [number, number] | undefined): void {
    const cam = this.camera;
    const r = this.canvas.getBoundingClientRect();
    const x = cam && point ? cam.x + point[0] * cam.scale : 0;
    const y = cam && point ? cam.y + point[1] * cam.scale : 0;
    this.hover = cam && point ? { x, y, clientX: r.left + x, clientY: r.top + y } : undefined;
    this.invalidate();
  }

  pixelText(x: number, y: number): string {
    const i = this.drawnCache.length - 1;
    const hit = i >= 0 ? readPixelText(this.drawnCache[i]!, x, y) : undefined;
    return hit ? `${this.drawn[i]!.entityPath} ${hit.text}` : "";
  }

  private updateTooltip(): void {
    const hover = this.hover;
    const hit = hover && this.pixelAt(hover.x, hover.y);
    if (!hit || !hover) {
      this.tooltip.style.display = "none";
      return;
    }
    this.tooltip.style.display = "block";
    this.tooltipText.textContent = `${hit.entityPath}  x ${hit.x}, y ${hit.y}  ${hit.text}${this.link?.hoverText(this, hit.x, hit.y) ?? ""}`;
    const index = this.drawn.findIndex((d) => d.entityPath === hit.entityPath);
    const drawn = this.drawn[index];
    const img = this.drawnCache[index];
    if (drawn && img)
      this.magnifier.show(
        this.canvas,
        window.devicePixelRatio || 1,
        drawn,
        hit,
        img.irisLayout ? undefined : { bytes: img.bytes, format: img.format },
      );
    placeTooltip(this.tooltip, hover.clientX, hover.clientY);
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

function boundsOf(images: readonly CachedImage[]): Rect | undefined {
  if (images.length === 0) return undefined;
  return {
    x: 0,
    y: 0,
    width: Math.max(...images.map((i) => i.width)),
    height: Math.max(...images.map((i) => i.height)),
  };
}
