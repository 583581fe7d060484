import { EncodedImage, type Image, ImageFormatError, decodeImageToRgba8 } from "@iris/types";

/** A JPEG encoder over tightly packed RGBA8 pixels (sharp in Node, OffscreenCanvas in the browser). */
export type JpegEncoder = (
  rgba: Uint8Array,
  width: number,
  height: number,
  quality: number,
) => Promise<Uint8Array>;

/**
 * Compresses an Image to a JPEG EncodedImage (any colour model / datatype is first mapped to RGBA8 the way the
 * viewer shows it; alpha is dropped by JPEG). `quality` is 1–100.
 */
export async function compressImage(
  image: Image,
  options: { quality?: number; encoder: JpegEncoder },
): Promise<EncodedImage> {
  const quality = options.quality ?? 95;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new ImageFormatError(
      "out-of-bounds",
      `JPEG quality must be an integer 1..100, got ${String(quality)}`,
      {
        expected: "1..100",
        actual: String(quality),
      },
    );
  }
  if (image.buffer === undefined || image.format === undefined) {
    throw new ImageFormatError("missing-format", "compressImage needs an Image with both buffer and format", {
      expected: "buffer and format",
      actual: image.buffer === undefined ? "no buffer" : "no format",
    });
  }
  const rgba = decodeImageToRgba8(image.buffer, image.format);
  const bytes = await options.encoder(
    new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength),
    image.format.width,
    image.format.height,
    quality,
  );
  const style = {
    ...(image.opacity !== undefined ? { opacity: image.opacity } : {}),
    ...(image.drawOrder !== undefined ? { drawOrder: image.drawOrder } : {}),
    ...(image.magnificationFilter !== undefined ? { magnificationFilter: image.magnificationFilter } : {}),
  };
  return new EncodedImage(bytes, { ...style, mediaType: "image/jpeg" });
}
