import {
  type ImageFormat,
  channelDatatypeBytes,
  colorModelChannels,
  dataRangeHeuristic,
  decodeImageToRgba8,
  effectiveChannelDatatype,
  effectiveColorModel,
  bayerDisplayLevel,
  bayerLayoutOfPixelFormat,
  demosaicClamped,
  readPixelValues,
  yuvToRgb8,
} from "@iris/types";

/**
 * A small RGBA8 preview of an image (nearest sampling), decoded with the same maths as the CPU reference the
 * 2D view is tested against: the value range comes from the whole image, YUV pixel formats go through yuvToRgb8,
 * the Bayer formats through `demosaicClamped`.
 */
export function imageThumbnail(
  bytes: Uint8Array,
  format: ImageFormat,
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number; rgba: Uint8ClampedArray } {
  const scale = Math.min(1, maxWidth / format.width, maxHeight / format.height);
  const width = Math.max(1, Math.round(format.width * scale));
  const height = Math.max(1, Math.round(format.height * scale));
  const sx = (x: number): number =>
    Math.min(format.width - 1, Math.floor(((x + 0.5) * format.width) / width));
  const sy = (y: number): number =>
    Math.min(format.height - 1, Math.floor(((y + 0.5) * format.height) / height));

  const bayer = bayerLayoutOfPixelFormat(format.pixelFormat);
  if (bayer !== undefined) {
    // Rerun 0.41's Bayer formats: each sampled pixel demosaiced and sRGB-encoded as the renderer does (default
    // range [0, 255]).
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const rgb = demosaicClamped(bytes, format, bayer, sx(x), sy(y)).map((v) => bayerDisplayLevel(v));
        rgba.set([...rgb, 255], (y * width + x) * 4);
      }
    }
    return { width, height, rgba };
  }
  if (format.pixelFormat !== undefined) {
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [Y, U, V] = readPixelValues(bytes, format, sx(x), sy(y)) as [number, number, number];
        rgba.set([...yuvToRgb8(Y, U, V, format.pixelFormat), 255], (y * width + x) * 4);
      }
    }
    return { width, height, rgba };
  }
  // Gather the sampled pixels into a small image of the same format, then decode it with the full image's range.
  const pixelBytes =
    colorModelChannels(effectiveColorModel(format)) * channelDatatypeBytes(effectiveChannelDatatype(format));
  const small = new Uint8Array(width * height * pixelBytes);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = (sy(y) * format.width + sx(x)) * pixelBytes;
      small.set(bytes.subarray(src, src + pixelBytes), (y * width + x) * pixelBytes);
    }
  }
  const valueRange = dataRangeHeuristic(bytes, format);
  return { width, height, rgba: decodeImageToRgba8(small, { ...format, width, height }, { valueRange }) };
}
