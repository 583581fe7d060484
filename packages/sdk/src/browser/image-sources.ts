import { Image, type ImageStyle } from "@iris/types";
import type { JpegEncoder } from "../image-compress.ts";

/** Anything the 2D canvas can draw: canvases, bitmaps, video frames, <img>/<video> elements. */
export type DrawableSource =
  HTMLCanvasElement | OffscreenCanvas | ImageBitmap | VideoFrame | HTMLImageElement;

function sourceSize(source: DrawableSource): { width: number; height: number } {
  if (typeof VideoFrame !== "undefined" && source instanceof VideoFrame) {
    return { width: source.displayWidth, height: source.displayHeight };
  }
  if (typeof HTMLImageElement !== "undefined" && source instanceof HTMLImageElement) {
    return { width: source.naturalWidth, height: source.naturalHeight };
  }
  const s = source as { width: number; height: number };
  return { width: s.width, height: s.height };
}

/** From an `ImageData`: RGBA8 pixels (referenced, not copied). */
export function imageFromImageData(data: ImageData, style: ImageStyle = {}): Image {
  return Image.fromImageData(data, style);
}

/**
 * Reads the pixels of a canvas, ImageBitmap, VideoFrame or <img> into an RGBA8 Image by drawing it on an
 * OffscreenCanvas (colour-managed to sRGB, unpremultiplied as `getImageData` returns it).
 */
export function imageFromDrawable(source: DrawableSource, style: ImageStyle = {}): Image {
  const { width, height } = sourceSize(source);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  if (!ctx) throw new Error("OffscreenCanvas 2D context unavailable");
  ctx.drawImage(source as CanvasImageSource, 0, 0, width, height);
  return Image.fromImageData(ctx.getImageData(0, 0, width, height), style);
}

export const imageFromCanvas = (canvas: HTMLCanvasElement | OffscreenCanvas, style: ImageStyle = {}): Image =>
  imageFromDrawable(canvas, style);
export const imageFromImageBitmap = (bitmap: ImageBitmap, style: ImageStyle = {}): Image =>
  imageFromDrawable(bitmap, style);
export const imageFromVideoFrame = (frame: VideoFrame, style: ImageStyle = {}): Image =>
  imageFromDrawable(frame, style);

/** A JPEG encoder using `OffscreenCanvas.convertToBlob({ type: "image/jpeg" })`. */
export function offscreenCanvasJpegEncoder(): JpegEncoder {
  return async (rgba, width, height, quality) => {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("OffscreenCanvas 2D context unavailable");
    const pixels = new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.byteLength);
    ctx.putImageData(new ImageData(pixels, width, height), 0, 0);
    const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: quality / 100 });
    return new Uint8Array(await blob.arrayBuffer());
  };
}
