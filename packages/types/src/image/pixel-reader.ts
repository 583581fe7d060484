/**
 * Raw values at one pixel — what a hover tooltip shows.
 *
 * Pixel-format sampling (n = w·h; chroma planes are "floor"-sized: cw = ⌊w/2⌋, ch = ⌊h/2⌋):
 * - Y_U_V24: Y at y·w+x, U at n + y·w+x, V at 2n + y·w+x.
 * - Y_U_V16: U plane cw×h at n, V plane at n + cw·h; chroma (cx, y) with cx = ⌊x/2⌋.
 * - Y_U_V12: U plane cw×ch at n, V plane at n + cw·ch; chroma (cx, cy) with cx = ⌊x/2⌋, cy = ⌊y/2⌋.
 * - NV12: ch rows of w bytes at n holding U V pairs; pair at n + cy·w + 2·cx (x rounded down to even, as the GPU
 *   does — Rerun's CPU hover helper does not round and is wrong for odd x).
 * - YUY2: `Y0 U Y1 V` per horizontal pixel pair; Y at 2·(y·w+x), U/V at the pair's bytes 1 and 3.
 * - Y8: U = V = 128.
 * For even sizes these are exactly the bytes Rerun's viewer reads. For odd sizes (see `image-format.ts`) the last
 * column/row has no chroma sample of its own: Iris clamps cx ≤ cw−1 and cy ≤ ch−1 (replicates the nearest chroma
 * sample); an odd-width YUY2 row's last pixel has its own U but takes V from the previous pair; when a chroma plane
 * is empty (w = 1, or h = 1 for 4:2:0) U = V = 128.
 */
import { type PixelFormat, colorModelChannels, channelDatatypeBytes } from "./enums.ts";
import { dataViewOf, readChannelValue } from "./channel-reader.ts";
import { ImageFormatError } from "./image-format-error.ts";
import {
  type ImageFormat,
  effectiveChannelDatatype,
  effectiveColorModel,
  validateImageBuffer,
} from "./image-format.ts";
import { type YuvLayout, pixelFormatInfo } from "./pixel-format-info.ts";

const NEUTRAL = 128;

function at(bytes: Uint8Array, index: number): number {
  return bytes[index] ?? NEUTRAL;
}

/**
 * The [Y, U, V] samples used for pixel (x, y) of a pixel-format image (no validation; the caller checked the
 * buffer size and the coordinates). See the file comment for the layouts.
 */
export function sampleYuv(
  bytes: Uint8Array,
  width: number,
  height: number,
  pf: PixelFormat,
  x: number,
  y: number,
): [number, number, number] {
  return sampleYuvLayout(bytes, width, height, pixelFormatInfo(pf).layout, x, y);
}

/** `sampleYuv` with the layout already looked up (for per-pixel loops). */
export function sampleYuvLayout(
  bytes: Uint8Array,
  width: number,
  height: number,
  layout: YuvLayout,
  x: number,
  y: number,
): [number, number, number] {
  const n = width * height;
  const yIndex = y * width + x;
  const cw = Math.floor(width / 2);
  const cx = Math.min(Math.floor(x / 2), cw - 1);
  switch (layout) {
    case "Y_U_V444":
      return [at(bytes, yIndex), at(bytes, n + yIndex), at(bytes, 2 * n + yIndex)];
    case "Y_U_V422": {
      if (cw === 0) return [at(bytes, yIndex), NEUTRAL, NEUTRAL];
      const c = y * cw + cx;
      return [at(bytes, yIndex), at(bytes, n + c), at(bytes, n + cw * height + c)];
    }
    case "Y_U_V420": {
      const ch = Math.floor(height / 2);
      if (cw === 0 || ch === 0) return [at(bytes, yIndex), NEUTRAL, NEUTRAL];
      const c = Math.min(Math.floor(y / 2), ch - 1) * cw + cx;
      return [at(bytes, yIndex), at(bytes, n + c), at(bytes, n + cw * ch + c)];
    }
    case "Y_UV420": {
      const ch = Math.floor(height / 2);
      if (cw === 0 || ch === 0) return [at(bytes, yIndex), NEUTRAL, NEUTRAL];
      const pair = n + Math.min(Math.floor(y / 2), ch - 1) * width + 2 * cx;
      return [at(bytes, yIndex), at(bytes, pair), at(bytes, pair + 1)];
    }
    case "YUYV422": {
      const base = 2 * (yIndex - (x % 2));
      const luma = at(bytes, 2 * yIndex);
      if (x % 2 === 1 || x + 1 < width) return [luma, at(bytes, base + 1), at(bytes, base + 3)];
      // Last pixel of an odd-width row: `Y U` only; V from the previous pair.
      return [luma, at(bytes, base + 1), x > 0 ? at(bytes, base - 1) : NEUTRAL];
    }
    case "Y400":
      return [at(bytes, yIndex), NEUTRAL, NEUTRAL];
  }
}

function checkCoordinate(name: "x" | "y", value: number, size: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= size) {
    throw new ImageFormatError("out-of-bounds", `Pixel ${name} = ${String(value)} is outside 0…${size - 1}`, {
      expected: `integer in 0…${size - 1}`,
      actual: value,
    });
  }
}

/**
 * The raw values at pixel (x, y), in the image's own datatype: one value per channel in stored order (BGR stays
 * B, G, R; U64/I64 as Number; F16 decoded), or for pixel-format images the [Y, U, V] samples of that pixel.
 * Validates the format, the buffer size and the coordinates ("out-of-bounds").
 */
export function readPixelValues(bytes: Uint8Array, f: ImageFormat, x: number, y: number): number[] {
  validateImageBuffer(bytes, f);
  checkCoordinate("x", x, f.width);
  checkCoordinate("y", y, f.height);
  if (f.pixelFormat !== undefined) return sampleYuv(bytes, f.width, f.height, f.pixelFormat, x, y);
  const dt = effectiveChannelDatatype(f);
  const channels = colorModelChannels(effectiveColorModel(f));
  const bpe = channelDatatypeBytes(dt);
  const view = dataViewOf(bytes);
  const offset = (y * f.width + x) * channels * bpe;
  const out: number[] = [];
  for (let c = 0; c < channels; c++) out.push(readChannelValue(view, dt, offset + c * bpe));
  return out;
}
