import type { GpuImage, ImageRenderer } from "@iris/renderer";
import type { ImageFormat } from "@iris/types";
import { type SegmentationDrawable, segmentationRgba } from "./depth-segmentation-visualizer.ts";
import type { ImageDrawable } from "./image-visualizer.ts";

/** An image the 3D view can put on an image plane. */
export type PlaneDrawable = ImageDrawable | SegmentationDrawable;

/** An uploaded texture and its size in pixels. */
export interface CachedGpuImage {
  gpu: GpuImage;
  width: number;
  height: number;
  lastUsed: number;
}

/** What the cache tells its view. */
export interface GpuImageCacheEvents {
  /** An encoded image finished decoding: draw again. */
  decoded(): void;
  /** An image could not be uploaded (`entity: message`). */
  warn(text: string): void;
  /** An encoded image could not be decoded. */
  decodeFailed(entityPath: string, error: unknown): void;
}

/** Frames a texture may go unused before it is destroyed. */
const KEEP_FRAMES = 120;

/**
 * Textures of the images drawn on image planes, uploaded once per drawable key: raw images as they are,
 * segmentation images as RGBA through their class colours, encoded images decoded by the browser (asynchronously).
 */
export class GpuImageCache {
  private readonly cache = new Map<string, CachedGpuImage>();
  private readonly decoding = new Set<string>();

  constructor(
    private readonly renderer: ImageRenderer,
    private readonly events: GpuImageCacheEvents,
  ) {}

  /** The texture of a drawable (undefined while an encoded image decodes, or on error); marks it used. */
  image(d: PlaneDrawable, frame: number): CachedGpuImage | undefined {
    const cached = this.cache.get(d.key);
    if (cached) {
      cached.lastUsed = frame;
      return cached;
    }
    try {
      if (d.kind === "segmentation") {
        const gpu = this.renderer.upload({
          ...rgba(d.format.width, d.format.height),
          bytes: segmentationRgba(d.bytes, d.format, d.classes),
        } as UploadDesc);
        return this.remember(d.key, gpu, d.format.width, d.format.height, frame);
      }
      if (d.kind === "raw" && d.format) {
        const gpu = this.renderer.upload({ ...d.format, bytes: d.bytes } as UploadDesc);
        return this.remember(d.key, gpu, d.format.width, d.format.height, frame);
      }
    } catch (error) {
      this.events.warn(`${d.entityPath}: ${(error as Error).message}`);
      return undefined;
    }
    if (d.kind === "encoded" && !this.decoding.has(d.key)) {
      this.decoding.add(d.key);
      void decodeToRgba(d.bytes, d.mediaType).then(
        (data) => {
          const bytes = new Uint8Array(data.data.buffer, data.data.byteOffset, data.data.byteLength);
          const gpu = this.renderer.upload({ ...rgba(data.width, data.height), bytes } as UploadDesc);
          this.remember(d.key, gpu, data.width, data.height, frame);
          this.decoding.delete(d.key);
          this.events.decoded();
        },
        (error: unknown) => this.events.decodeFailed(d.entityPath, error),
      );
    }
    return undefined;
  }

  /** Destroys textures not used in the last frames. */
  evict(frame: number): void {
    for (const [key, img] of this.cache) {
      if (frame - img.lastUsed > KEEP_FRAMES) {
        img.gpu.destroy();
        this.cache.delete(key);
      }
    }
  }

  private remember(key: string, gpu: GpuImage, width: number, height: number, frame: number): CachedGpuImage {
    const img = { gpu, width, height, lastUsed: frame };
    this.cache.set(key, img);
    return img;
  }
}

type UploadDesc = Parameters<ImageRenderer["upload"]>[0];

function rgba(width: number, height: number): ImageFormat {
  return { width, height, colorModel: 3, channelDatatype: 6 };
}

async function decodeToRgba(bytes: Uint8Array, mediaType: string | undefined): Promise<ImageData> {
  const blob = new Blob([bytes as BlobPart], mediaType ? { type: mediaType } : {});
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}
