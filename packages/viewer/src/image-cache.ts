import { type GpuImage, ImageRenderer } from "@iris/renderer";
import { type ImageFormat, type IrisPixelLayout, irisShownSize, validateIrisPixelLayout } from "@iris/types";
import {
  type DepthDrawable,
  type SegmentationDrawable,
  formatClass,
  depthHoverText,
  segmentationRgba,
} from "./depth-segmentation-visualizer.ts";
import type { ImageDrawable } from "./image-visualizer.ts";

/** What a 2D view draws for one entity: a colour, depth or segmentation image. */
export type Drawable2D = ImageDrawable | DepthDrawable | SegmentationDrawable;

/** One uploaded image and what the view needs to describe it. */
export interface CachedImage {
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

/** GPU bytes of cached images not drawn in the current frame kept for going back (e.g. when scrubbing). */
const UNUSED_TEXTURE_BUDGET_BYTES = 64 * 1024 * 1024;

type UploadInput = Parameters<ImageRenderer["upload"]>[0];

/**
 * The GPU textures of one view's images, keyed by the stored rows they come from, so redrawing the same frame
 * never re-uploads. EncodedImages are decoded asynchronously (`onDecoded` asks for a redraw).
 */
export class ImageCache {
  private readonly cache = new Map<string, CachedImage>();
  private readonly decoding = new Set<string>();

  constructor(
    private readonly renderer: ImageRenderer,
    private readonly onError: (text: string) => void,
    private readonly onDecoded: () => void,
  ) {}

  /** GPU bytes of every cached texture. */
  get bytes(): number {
    let bytes = 0;
    for (const img of this.cache.values()) bytes += img.gpu.gpuSizeBytes;
    return bytes;
  }

  /** The uploaded image of `d` (undefined while an EncodedImage decodes, or when the data is invalid). */
  get(d: Drawable2D, frame: number): CachedImage | undefined {
    const cached = this.cache.get(d.key);
    if (cached) {
      cached.lastUsed = frame;
      return cached;
    }
    if (d.kind === "depth" || d.kind === "segmentation") return this.uploadDepthOrSegmentation(d, frame);
    if (d.kind === "raw" && d.format) return this.uploadRaw(d, d.format, frame);
    if (d.kind === "encoded" && !this.decoding.has(d.key)) this.decode(d, frame);
    return undefined;
  }

  private uploadRaw(d: ImageDrawable, format: ImageFormat, frame: number): CachedImage | undefined {
    try {
      const layout = d.irisLayout && irisLayoutFits(format, d.irisLayout) ? d.irisLayout : undefined;
      const shown = layout ? irisShownSize(format, layout) : format;
      const gpu = this.renderer.upload(
        (layout
          ? {
              ...shown,
              irisLayout: layout,
              bytes: d.bytes,
              ...(layout === "UYVY" ? {} : { channelDatatype: format.channelDatatype ?? 6 }),
            }
          : { ...format, bytes: d.bytes }) as UploadInput,
      );
      const img: CachedImage = {
        gpu,
        width: shown.width,
        height: shown.height,
        bytes: d.bytes,
        format,
        lastUsed: frame,
        ...(layout ? { irisLayout: layout } : {}),
      };
      this.cache.set(d.key, img);
      return img;
    } catch (error) {
      this.onError(`${d.entityPath}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private decode(d: ImageDrawable, frame: number): void {
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
        const gpu = this.renderer.upload({ ...format, bytes } as UploadInput);
        this.cache.set(d.key, {
          gpu,
          width: rgba.width,
          height: rgba.height,
          bytes,
          format,
          lastUsed: frame,
        });
        this.decoding.delete(d.key);
        this.onDecoded();
      },
      (error: unknown) =>
        this.onError(`${d.entityPath}: cannot decode ${d.mediaType ?? "image"}: ${String(error)}`),
    );
  }

  private uploadDepthOrSegmentation(
    d: DepthDrawable | SegmentationDrawable,
    frame: number,
  ): CachedImage | undefined {
    try {
      const rgbaFormat: ImageFormat = {
        width: d.format.width,
        height: d.format.height,
        colorModel: 3,
        channelDatatype: 6,
      };
      const gpu =
        d.kind === "depth"
          ? this.renderer.upload({ ...d.format, bytes: d.bytes } as UploadInput)
          : this.renderer.upload({
              ...rgbaFormat,
              bytes: segmentationRgba(d.bytes, d.format, d.classes),
            } as UploadInput);
      const img: CachedImage = {
        gpu,
        width: d.format.width,
        height: d.format.height,
        bytes: d.bytes,
        format: d.format,
        lastUsed: frame,
        kind: d.kind,
        ...(d.kind === "depth" ? { autoRange: d.range } : {}),
        describe:
          d.kind === "depth"
            ? (values) => depthHoverText(values[0], d.meter)
            : (values) => formatClass(values[0] ?? 0, d.classes),
      };
      this.cache.set(d.key, img);
      return img;
    } catch (error) {
      this.onError(`${d.entityPath}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Frees images not drawn for 120 frames, and beyond `UNUSED_TEXTURE_BUDGET_BYTES` of images not drawn in this
   * frame, the least recently drawn first: loading or playing a recording draws every frame once, and keeping all
   * of their textures would hold a second copy of the recording (in the GPU process, or in CPU memory under a
   * software renderer).
   */
  evictUnused(frame: number): void {
    const unused: [string, CachedImage][] = [];
    let unusedBytes = 0;
    for (const [key, img] of this.cache) {
      if (img.lastUsed === frame) continue;
      if (frame - img.lastUsed > 120) {
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

  /** Frees every texture (the view is closed). */
  destroy(): void {
    for (const img of this.cache.values()) img.gpu.destroy();
    this.cache.clear();
  }
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
