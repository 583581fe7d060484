import { readFile } from "node:fs/promises";
import { ColorModel, EncodedImage, Image, type ImageStyle, ImageFormatError } from "@iris/types";
import type { JpegEncoder } from "../image-compress.ts";

/**
 * The part of sharp's API these helpers use. `@iris/sdk` does not depend on sharp: pass the module in
 * (`import sharp from "sharp"; await imageFromFile(path, { sharp })`).
 */
export interface SharpInstanceLike {
  metadata(): Promise<{ width?: number; height?: number; channels?: number; depth?: string; space?: string }>;
  toColourspace(space: string): SharpInstanceLike;
  ensureAlpha(): SharpInstanceLike;
  raw(options?: { depth?: "uchar" | "ushort" }): SharpInstanceLike;
  jpeg(options: { quality: number }): SharpInstanceLike;
  toBuffer(options: { resolveWithObject: true }): Promise<{
    data: Uint8Array;
    info: { width: number; height: number; channels: number };
  }>;
}
export type SharpLike = (
  input: string | Uint8Array,
  options?: { raw?: { width: number; height: number; channels: 1 | 2 | 3 | 4 } },
) => SharpInstanceLike;

function copyU16(data: Uint8Array): Uint16Array {
  // Buffers from sharp may sit at an odd offset in a pooled ArrayBuffer: copy into an aligned one.
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(data);
  return new Uint16Array(bytes.buffer, 0, bytes.byteLength / 2);
}

/**
 * Reads a PNG/JPEG/… file into an Image with the file's own datatype: 8-bit files become U8 (L, RGB or RGBA;
 * grey+alpha becomes RGBA), 16-bit PNGs become U16 with the exact stored values (L for grey, RGB/RGBA for colour).
 */
export async function imageFromFile(
  path: string,
  options: { sharp: SharpLike } & ImageStyle,
): Promise<Image> {
  const { sharp, ...style } = options;
  if (typeof sharp !== "function") {
    throw new ImageFormatError(
      "missing-format",
      "imageFromFile needs the sharp module: imageFromFile(path, { sharp })",
      {
        expected: "sharp function",
        actual: typeof sharp,
      },
    );
  }
  const meta = await sharp(path).metadata();
  const channels = meta.channels ?? 0;
  const sixteen = meta.depth === "ushort";
  let pipeline = sharp(path);
  if (sixteen) {
    if (channels <= 2)
      pipeline =
        channels === 2 ? pipeline.toColourspace("rgb16").ensureAlpha() : pipeline.toColourspace("grey16");
    else pipeline = pipeline.toColourspace("rgb16");
    pipeline = pipeline.raw({ depth: "ushort" });
  } else {
    if (channels === 1) pipeline = pipeline.toColourspace("b-w");
    else if (channels === 2) pipeline = pipeline.toColourspace("srgb").ensureAlpha();
    pipeline = pipeline.raw();
  }
  const { data, info } = await pipeline.toBuffer({ resolveWithObject: true });
  const colorModel =
    info.channels === 1
      ? ColorModel.L
      : info.channels === 3
        ? ColorModel.RGB
        : info.channels === 4
          ? ColorModel.RGBA
          : undefined;
  if (colorModel === undefined) {
    throw new ImageFormatError("unsupported-array", `${path}: decoded to ${info.channels} channels`, {
      expected: "1, 3 or 4 channels",
      actual: info.channels,
    });
  }
  const pixels = sixteen ? copyU16(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Image(pixels, { ...style, width: info.width, height: info.height, colorModel });
}

/** A JPEG encoder backed by sharp (mozjpeg). */
export function sharpJpegEncoder(sharp: SharpLike): JpegEncoder {
  return async (rgba, width, height, quality) => {
    const { data } = await sharp(rgba, { raw: { width, height, channels: 4 } })
      .jpeg({ quality })
      .toBuffer({ resolveWithObject: true });
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  };
}

/** Reads an image file's bytes into an EncodedImage (media type from the magic bytes, else from the extension). */
export async function encodedImageFromFile(
  path: string,
  options: ImageStyle & { mediaType?: string } = {},
): Promise<EncodedImage> {
  const bytes = new Uint8Array(await readFile(path));
  return new EncodedImage(bytes, { ...options, ...mediaTypeOption(path, bytes, options.mediaType) });
}

function mediaTypeOption(path: string, bytes: Uint8Array, given: string | undefined): { mediaType?: string } {
  if (given !== undefined) return { mediaType: given };
  const probe = new EncodedImage(bytes);
  if (probe.mediaType !== undefined) return {};
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  const byExt: Record<string, string> = {
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    webp: "image/webp",
    bmp: "image/bmp",
    tif: "image/tiff",
    tiff: "image/tiff",
  };
  return ext !== undefined && byExt[ext] !== undefined ? { mediaType: byExt[ext] } : {};
}
