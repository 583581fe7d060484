import {
  type ColormapName,
  type CompareDisplay,
  CompareRenderer,
  type DifferenceImage,
  type DifferenceStatistics,
  ImageRenderer,
} from "@iris/renderer";
import { type CompareMode, type CompareSource, statisticsText } from "./compare-controls.ts";
import { type CompareHost, findCompareDrawable } from "./compare-sources.ts";
import { type CachedImage, type Drawable2D, ImageCache } from "./image-cache.ts";

/** One compared image as resolved for the last frame. */
export interface ResolvedSide {
  readonly drawable: Drawable2D;
  readonly image: CachedImage;
}

/** How one frame shows the pair. */
export interface ComparePairDrawing {
  readonly mode: CompareMode;
  /** Swipe: the divider's position as a fraction of the canvas width; blend: B's weight. */
  readonly amount: number;
  readonly colormap: ColormapName;
  /** The difference shown at the top of the colormap (undefined: the largest). */
  readonly maxDifference: number | undefined;
  /** Device px per image px, and where both images' top-left corner is, in device px. */
  readonly viewFromImage: { x: number; y: number; scale: number };
  /** The canvas width in device px. */
  readonly canvasWidth: number;
  /** The divider between the halves (swipe, side by side), in device px. */
  readonly dividerWidth: number;
}

/**
 * The GPU side of compare mode: the two images' textures (decoded as the 2D views decode them, kept while they
 * are drawn), the difference image of the pair drawn last (made again only when the pair changes), and drawing
 * a pair in each mode with `CompareRenderer`.
 */
export class CompareImages {
  private readonly renderer: ImageRenderer;
  private readonly compare: CompareRenderer;
  private readonly cache: ImageCache;
  private difference:
    { key: string; image: DifferenceImage | undefined; error: string | undefined } | undefined;
  private frame = 0;
  private problemValue: string | undefined;

  /** `onDecoded`: an EncodedImage finished decoding (a redraw shows it). */
  constructor(gl: WebGL2RenderingContext, onDecoded: () => void) {
    this.renderer = new ImageRenderer(gl);
    this.compare = new CompareRenderer(gl, this.renderer);
    this.cache = new ImageCache(this.renderer, (text) => (this.problemValue = text), onDecoded);
  }

  /** The first reason found this frame why a side cannot be shown (or an image failed to upload or decode). */
  get problem(): string | undefined {
    return this.problemValue;
  }

  /** Statistics of the difference image made last, if it could be made. */
  get differenceStatistics(): DifferenceStatistics | undefined {
    return this.difference?.image?.statistics;
  }

  /** Starts a frame: forgets the last frame's problem; textures not used from now on are evicted at `endFrame`. */
  beginFrame(): void {
    this.frame += 1;
    this.problemValue = undefined;
  }

  /** The uploaded image a source names (`name`: "A" or "B"), or undefined with `problem` saying why. */
  resolve(host: CompareHost, source: CompareSource | undefined, name: string): ResolvedSide | undefined {
    const found = findCompareDrawable(host, source, name);
    if ("problem" in found) {
      this.problemValue ??= found.problem;
      return undefined;
    }
    const image = this.cache.get(found.drawable, this.frame);
    if (!image) {
      this.problemValue ??= `${name}: ${found.drawable.entityPath} is being decoded or cannot be shown`;
      return undefined;
    }
    return { drawable: found.drawable, image };
  }

  /**
   * Draws `a` and `b` into the bound framebuffer as `drawing.mode` says; the difference gives its statistics line,
   * or why it is refused (sizes or value kinds differ). Throws what the renderer throws.
   */
  draw(
    a: ResolvedSide,
    b: ResolvedSide,
    drawing: ComparePairDrawing,
  ): { stats: string } | { refused: string } {
    const { viewFromImage } = drawing;
    const pair = { viewFromImage, a: displayOf(a.drawable), b: displayOf(b.drawable) };
    if (drawing.mode === "swipe")
      this.compare.drawSwipe(a.image.gpu, b.image.gpu, {
        ...pair,
        split: drawing.amount * drawing.canvasWidth,
        dividerWidth: drawing.dividerWidth,
      });
    else if (drawing.mode === "blend")
      this.compare.drawBlend(a.image.gpu, b.image.gpu, { ...pair, amount: drawing.amount });
    else if (drawing.mode === "side-by-side")
      this.compare.drawSideBySide(a.image.gpu, b.image.gpu, { ...pair, dividerWidth: drawing.dividerWidth });
    else {
      const difference = this.differenceOf(a, b);
      if (!difference.image) return { refused: difference.error ?? "" };
      this.compare.drawDifference(difference.image, {
        viewFromImage,
        colormap: drawing.colormap,
        ...(drawing.maxDifference !== undefined ? { maxValue: drawing.maxDifference } : {}),
      });
      return { stats: statisticsText(difference.image.statistics) };
    }
    return { stats: "" };
  }

  /** Ends a frame: evicts the textures this frame did not use. */
  endFrame(): void {
    this.cache.evictUnused(this.frame);
  }

  destroy(): void {
    this.difference?.image?.destroy();
    this.cache.destroy();
    this.compare.destroy();
    this.renderer.destroy();
  }

  private differenceOf(
    a: ResolvedSide,
    b: ResolvedSide,
  ): { image: DifferenceImage | undefined; error: string | undefined } {
    const key = `${a.drawable.key}#${b.drawable.key}`;
    if (this.difference?.key === key) return this.difference;
    this.difference?.image?.destroy();
    try {
      this.difference = { key, image: this.compare.difference(a.image.gpu, b.image.gpu), error: undefined };
    } catch (error) {
      this.difference = { key, image: undefined, error: (error as Error).message };
    }
    return this.difference;
  }
}

/** How the 2D views show an image: depth images with their colormap and range, others by Rerun's defaults. */
function displayOf(d: Drawable2D): CompareDisplay {
  return d.kind === "depth" ? { valueRange: d.range, colormap: d.colormap } : {};
}
