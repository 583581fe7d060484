import { type ColormapName, type DifferenceStatistics, sideBySideWidth } from "@iris/renderer";
import { fitCanvasToDisplay, readCanvasPixels } from "./canvas-pixels.ts";
import { CompareControls, type CompareMode, type CompareSource, compareModes } from "./compare-controls.ts";
import { CompareImages, type ResolvedSide } from "./compare-images.ts";
import { injectCompareStyles, installSwipeHandle } from "./compare-styles.ts";
import { type CompareHost, compareSideChoices, defaultCompareSources } from "./compare-sources.ts";
import { readPixelText } from "./format-values.ts";
import { installView2DInteraction, placeTooltip } from "./view-2d-interaction.ts";
import { type Camera2D, fitCamera, spaceFromView } from "./view-camera.ts";

export type { CompareMode, CompareSource } from "./compare-controls.ts";
export type { CompareHost } from "./compare-sources.ts";

/** Raw values of one pixel in both images (undefined outside an image). */
export interface ComparePixel {
  readonly x: number;
  readonly y: number;
  readonly a: { values: number[]; text: string } | undefined;
  readonly b: { values: number[]; text: string } | undefined;
}

/**
 * Compare mode (Iris extension, rerun-io/rerun#4610, #294): two images — two entities, one entity at two times, or
 * the same entity in two open recordings — as swipe (draggable divider), blend (slider), difference (|A − B| of
 * the decoded values through a colormap, with max/mean |A − B| and PSNR) or side by side (zoom and pan shared).
 * Sizes: the difference needs equal sizes and is refused otherwise (the message says both sizes); the other modes
 * align both images top-left. Drawn by `CompareRenderer` with the decoders of the 2D views.
 */
export class CompareView {
  readonly element: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  readonly controls: CompareControls;
  private readonly gl: WebGL2RenderingContext;
  private readonly images: CompareImages;
  private readonly message: HTMLDivElement;
  private readonly handle: HTMLDivElement;
  private readonly tooltip: HTMLDivElement;
  private sourceA: CompareSource | undefined;
  private sourceB: CompareSource | undefined;
  private modeValue: CompareMode = "swipe";
  private amountValue = 0.5;
  private colormap: ColormapName = "turbo";
  private maxDifference: number | undefined;
  private resolved: { a: ResolvedSide; b: ResolvedSide } | undefined;
  private camera: Camera2D | undefined;
  private userMovedCamera = false;
  private hover: { x: number; y: number; clientX: number; clientY: number } | undefined;
  private dirty = true;

  constructor(private readonly host: CompareHost) {
    injectCompareStyles(document);
    this.element = document.createElement("div");
    this.element.className = "iris-compare";
    this.controls = new CompareControls({
      setSource: (side, source) => {
        // A pinned time stays pinned when the entity or recording changes.
        const pinned = this.sourceOf(side)?.time;
        const next = pinned === undefined ? source : { ...source, time: pinned };
        this.setSources(
          side === "a" ? next : (this.sourceA ?? next),
          side === "b" ? next : (this.sourceB ?? next),
        );
      },
      togglePin: (side) => this.togglePin(side),
      swap: () => this.swap(),
      setMode: (mode) => this.setMode(mode),
      setAmount: (fraction) => this.setAmount(fraction),
      setColormap: (name) => {
        this.colormap = name;
        this.invalidate();
      },
      setMaxDifference: (value) => {
        this.maxDifference = value;
        this.invalidate();
      },
    });
    this.canvas = document.createElement("canvas");
    this.canvas.className = "iris-canvas";
    const gl = this.canvas.getContext("webgl2", { preserveDrawingBuffer: true, antialias: false });
    if (!gl) throw new Error("WebGL2 is not available in this browser");
    this.gl = gl;
    this.images = new CompareImages(gl, () => this.invalidate());
    this.message = document.createElement("div");
    this.message.className = "iris-compare-message";
    this.handle = document.createElement("div");
    this.handle.className = "iris-compare-handle";
    this.handle.title = "Drag to move the divider";
    this.tooltip = document.createElement("div");
    this.tooltip.className = "iris-tooltip";
    const area = document.createElement("div");
    area.className = "iris-canvas-area";
    area.append(this.canvas, this.handle, this.message, this.tooltip);
    this.element.append(this.controls.element, area);
    installSwipeHandle(this.handle, this.canvas, (fraction) => this.setAmount(fraction));
    installView2DInteraction(this.canvas, {
      camera: () => (this.camera ? { ...this.camera, x: this.camera.x + this.pointerOffset() } : undefined),
      moveCamera: (camera) => {
        this.camera = { ...camera, x: camera.x - this.pointerOffset() };
        this.userMovedCamera = true;
        this.invalidate();
      },
      resetCamera: () => {
        this.userMovedCamera = false;
        this.camera = undefined;
        this.invalidate();
      },
      hover: (at) => {
        this.hover = at;
        this.updateTooltip();
      },
      click: () => undefined,
    });
  }

  /** Shows `a` and `b` (the camera is fitted again). */
  setSources(a: CompareSource, b: CompareSource): void {
    // Entity paths as the store spells them ("cam/a" → "/cam/a").
    const normal = (s: CompareSource): CompareSource => ({
      ...s,
      entity: s.entity.startsWith("/") ? s.entity : `/${s.entity}`,
    });
    this.sourceA = normal(a);
    this.sourceB = normal(b);
    this.userMovedCamera = false;
    this.invalidate();
  }

  /** The two sources (undefined until chosen; `ensureSources` picks defaults). */
  get sources(): { a: CompareSource | undefined; b: CompareSource | undefined } {
    return { a: this.sourceA && { ...this.sourceA }, b: this.sourceB && { ...this.sourceB } };
  }

  get mode(): CompareMode {
    return this.modeValue;
  }

  setMode(mode: CompareMode): void {
    if (!compareModes.includes(mode))
      throw new Error(`Unknown compare mode "${String(mode)}"; expected ${compareModes.join(", ")}`);
    if (mode !== this.modeValue && (mode === "side-by-side" || this.modeValue === "side-by-side"))
      this.userMovedCamera = false;
    this.modeValue = mode;
    this.invalidate();
  }

  /** Swipe: the divider's position as a fraction of the view width; blend: B's weight. Clamped to [0, 1]. */
  get amount(): number {
    return this.amountValue;
  }

  setAmount(fraction: number): void {
    if (!Number.isFinite(fraction))
      throw new Error(`The compare amount must be a finite number, got ${fraction}`);
    this.amountValue = Math.min(1, Math.max(0, fraction));
    this.invalidate();
  }

  /** Difference colour scale: the colormap and the difference shown at its top (undefined: the largest). */
  setDifferenceDisplay(options: { colormap?: ColormapName; maxValue?: number | undefined }): void {
    if (options.colormap !== undefined) this.colormap = options.colormap;
    if ("maxValue" in options) this.maxDifference = options.maxValue;
    this.invalidate();
  }

  swap(): void {
    if (this.sourceA && this.sourceB) this.setSources(this.sourceB, this.sourceA);
  }

  /** Pins a side to the time cursor's current time, or lets it follow the cursor again. */
  togglePin(side: "a" | "b"): void {
    const source = this.sourceOf(side);
    if (!source) return;
    const { time, ...rest } = source;
    const next: CompareSource = time === undefined ? { ...rest, time: this.host.time().time } : rest;
    if (side === "a") this.sourceA = next;
    else this.sourceB = next;
    this.invalidate();
  }

  /** Statistics of the difference shown (difference mode, compatible images), else undefined. */
  get statistics(): DifferenceStatistics | undefined {
    return this.modeValue === "difference" ? this.images.differenceStatistics : undefined;
  }

  /** What keeps compare mode from showing the pair (a missing image, a refused difference), else undefined. */
  get problemText(): string | undefined {
    return this.message.textContent === "" ? undefined : (this.message.textContent ?? undefined);
  }

  /**
   * Where both images' top-left corner is, in CSS px of the canvas, and CSS px per image pixel; side by side, B's
   * corner is `rightX` further right.
   */
  get placement(): { x: number; y: number; scale: number; rightX: number } | undefined {
    if (!this.camera || !this.resolved) return undefined;
    return { ...this.camera, rightX: this.modeValue === "side-by-side" ? this.rightStartCss() : 0 };
  }

  /** Raw values of image pixel (x, y) in A and in B. */
  pixelAt(x: number, y: number): ComparePixel {
    const r = this.resolved;
    return {
      x,
      y,
      a: r ? readPixelText(r.a.image, x, y) : undefined,
      b: r ? readPixelText(r.b.image, x, y) : undefined,
    };
  }

  readCanvasPixels(): { width: number; height: number; scale: number; rgba: Uint8Array } {
    return readCanvasPixels(this.gl, this.canvas);
  }

  invalidate(): void {
    this.dirty = true;
  }

  /** Picks A and B when none are set (see `defaultCompareSources`). */
  ensureSources(): void {
    if (this.sourceA && this.sourceB) return;
    const sources = defaultCompareSources(this.host);
    if (sources) this.setSources(...sources);
  }

  destroy(): void {
    this.images.destroy();
    this.element.remove();
  }

  /** Draws when something changed (called from the viewer's animation frame while compare mode is shown). */
  render(): void {
    if (fitCanvasToDisplay(this.canvas)) this.dirty = true;
    if (!this.dirty) return;
    this.dirty = false;
    this.ensureSources();
    this.images.beginFrame();
    const a = this.images.resolve(this.host, this.sourceA, "A");
    const b = this.images.resolve(this.host, this.sourceB, "B");
    this.resolved = a && b ? { a, b } : undefined;
    this.updateControls();
    const gl = this.gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    gl.clearColor(0.07, 0.08, 0.09, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    let message = this.images.problem ?? "";
    let stats = "";
    if (a && b) {
      const dpr = window.devicePixelRatio || 1;
      const rect = this.canvas.getBoundingClientRect();
      const sideBySide = this.modeValue === "side-by-side";
      const areaWidth = sideBySide
        ? sideBySideWidth(this.canvas.width, this.dividerWidth()) / dpr
        : rect.width;
      const bounds = {
        x: 0,
        y: 0,
        width: Math.max(a.image.width, b.image.width),
        height: Math.max(a.image.height, b.image.height),
      };
      if (!this.camera || !this.userMovedCamera) this.camera = fitCamera(bounds, areaWidth, rect.height);
      const cam = this.camera;
      const viewFromImage = { x: cam.x * dpr, y: cam.y * dpr, scale: cam.scale * dpr };
      try {
        const drawn = this.images.draw(a, b, {
          mode: this.modeValue,
          amount: this.amountValue,
          colormap: this.colormap,
          maxDifference: this.maxDifference,
          viewFromImage,
          canvasWidth: this.canvas.width,
          dividerWidth: this.dividerWidth(),
        });
        if ("refused" in drawn) message = drawn.refused;
        else stats = drawn.stats;
      } catch (error) {
        message = (error as Error).message;
      }
    }
    this.message.textContent = message;
    this.message.style.display = message ? "" : "none";
    this.controls.stats.textContent = stats;
    this.handle.style.display = this.modeValue === "swipe" && this.resolved ? "" : "none";
    this.handle.style.left = `${this.amountValue * 100}%`;
    this.element.dataset["mode"] = this.modeValue;
    this.updateTooltip();
    this.images.endFrame();
  }

  private sourceOf(side: "a" | "b"): CompareSource | undefined {
    return side === "a" ? this.sourceA : this.sourceB;
  }

  private updateControls(): void {
    this.controls.update(
      compareSideChoices(this.host, this.sourceA),
      compareSideChoices(this.host, this.sourceB),
      {
        mode: this.modeValue,
        amount: this.amountValue,
        colormap: this.colormap,
        maxDifference: this.maxDifference,
      },
    );
  }

  private dividerWidth(): number {
    return Math.max(1, Math.round(2 * (window.devicePixelRatio || 1)));
  }

  /** Side by side: where B's half starts, in CSS px. */
  private rightStartCss(): number {
    const half = sideBySideWidth(this.canvas.width, this.dividerWidth());
    return (this.canvas.width - half) / (window.devicePixelRatio || 1);
  }

  /** CSS px between the canvas's left edge and the half under the pointer (side by side), else 0. */
  private pointerOffset(): number {
    if (this.modeValue !== "side-by-side" || !this.hover) return 0;
    const right = this.rightStartCss();
    return this.hover.x >= right ? right : 0;
  }

  private updateTooltip(): void {
    const hover = this.hover;
    const cam = this.camera;
    if (!hover || !cam || !this.resolved) {
      this.tooltip.style.display = "none";
      return;
    }
    const [sx, sy] = spaceFromView(cam, hover.x - this.pointerOffset(), hover.y);
    const p = this.pixelAt(Math.floor(sx), Math.floor(sy));
    if (!p.a && !p.b) {
      this.tooltip.style.display = "none";
      return;
    }
    this.tooltip.style.display = "block";
    this.tooltip.textContent = `x ${p.x}, y ${p.y}  A ${p.a?.text ?? "—"}  B ${p.b?.text ?? "—"}`;
    placeTooltip(this.tooltip, hover.clientX, hover.clientY);
  }
}
