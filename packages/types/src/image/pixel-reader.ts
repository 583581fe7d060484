/**
 * Raw values at one pixel — what a hover tooltip shows.
 *
 * Pixel-format sampling follows the addressing of Rerun's viewer (re_renderer `yuv_converter.wgsl`), which
 * reads the bytes as a data texture of W-byte rows (2W for YUY2; n = W·H; k = ⌊W/2⌋):
 * - Y_U_V24: Y at y·W+x, U at n + y·W+x, V at 2n + y·W+x.
 * - Y_U_V16 / Y_U_V12: chroma sample (cx, cy) = (⌊x/2⌋, y) resp. (⌊x/2⌋, ⌊y/2⌋) at offset
 *   o(cx, cy) = ⌊cy/2⌋·W + (cy mod 2)·k + cx (two chroma rows per W-byte row; for even W simply cy·(W/2) + cx).
 *   U at n + o(cx, cy); V at n + o(0, ch) + o(cx, cy), where ch = H (4:2:2) or ⌊H/2⌋ (4:2:0) chroma rows:
 *   the V plane starts where the U plane ends, as Rerun's documentation describes the planes. Rerun's shader
 *   starts it at n + ⌊ch/2⌋·W instead, which is the same unless ch is odd (4:2:0 with H mod 4 ∈ {2, 3}, 4:2:2
 *   with odd H): a documented difference (docs/rerun-differences.md).
 * - NV12: U at n + ⌊y/2⌋·W + 2·⌊x/2⌋, V right after it, both within their W-byte row (the UV plane starts
 *   right after the Y plane, at row H — Rerun's shader computes ⌊(H + ⌊H/2⌋)/1.5⌋, which is H − 1 for odd H: a
 *   documented difference).
 * - YUY2: `Y0 U Y1 V` per horizontal pixel pair of a 2W-byte row: Y at 2·(y·W+x), U/V at the pair's bytes 1
 *   and 3.
 * - Y8: U = V = 128.
 * A sample outside its row (the V of the last pixel of an odd-width NV12/YUY2 row) or outside the buffer reads
 * as 0, as Rerun's viewer reads out-of-bounds texels. For even sizes these are exactly the bytes Rerun's viewer
 * reads; for odd widths the chroma rows of the planar formats overlap by design of that addressing.
 */
import {
  type PixelFormat,
  ChannelDatatype as CD,
  colorModelChannels,
  channelDatatypeBytes,
} from "./enums.ts";
import { dataViewOf, readChannelValue } from "./channel-reader.ts";
import { ImageFormatError } from "./image-format-error.ts";
import {
  type ImageFormat,
  effectiveChannelDatatype,
  effectiveColorModel,
  validateImageBuffer,
} from "./image-format.ts";
import { type YuvLayout, pixelFormatInfo } from "./pixel-format-info.ts";
import { bayerLayoutOfPixelFormat } from "./bayer-pixel-format.ts";

const NEUTRAL = 128;

/** Byte `index` (0 beyond the buffer, like an out-of-bounds texel load in Rerun's viewer). */
function at(bytes: Uint8Array, index: number): number {
  return bytes[index] ?? 0;
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

/** Offset of chroma sample (cx, cy) in a planar chroma plane: two chroma rows per `width`-byte row. */
function chromaOffset(width: number, cx: number, cy: number): number {
  return Math.floor(cy / 2) * width + (cy % 2) * Math.floor(width / 2) + cx;
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
  switch (layout) {
    case "Y_U_V444":
      return [at(bytes, yIndex), at(bytes, n + yIndex), at(bytes, 2 * n + yIndex)];
    case "Y_U_V422":
    case "Y_U_V420": {
      const sub = layout === "Y_U_V420";
      const rows = sub ? Math.floor(height / 2) : height;
      const c = chromaOffset(width, Math.floor(x / 2), sub ? Math.floor(y / 2) : y);
      const vStart = n + chromaOffset(width, 0, rows);
      return [at(bytes, yIndex), at(bytes, n + c), at(bytes, vStart + c)];
    }
    case "Y_UV420": {
      const col = 2 * Math.floor(x / 2);
      const row = n + Math.floor(y / 2) * width;
      return [at(bytes, yIndex), at(bytes, row + col), col + 1 < width ? at(bytes, row + col + 1) : 0];
    }
    case "YUYV422": {
      const rowStart = 2 * y * width;
      const pair = 2 * (x - (x % 2));
      const u = pair + 1;
      const v = pair + 3;
      return [
        at(bytes, 2 * yIndex),
        u < 2 * width ? at(bytes, rowStart + u) : 0,
        v < 2 * width ? at(bytes, rowStart + v) : 0,
      ];
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
 * B, G, R; U64/I64 as Number; F16 decoded), or for pixel-format images the [Y, U, V] samples of that pixel
 * (for the Bayer formats: [the raw sample]).
 * Validates the format, the buffer size and the coordinates ("out-of-bounds").
 */
export function readPixelValues(bytes: Uint8Array, f: ImageFormat, x: number, y: number): number[] {
  validateImageBuffer(bytes, f);
  checkCoordinate("x", x, f.width);
  checkCoordinate("y", y, f.height);
  if (bayerLayoutOfPixelFormat(f.pixelFormat) !== undefined) return [bytes[y * f.width + x]!];
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

/**
 * The exact decimal text of each channel value at (x, y) for U64/I64 images (a Number rounds values above 2^53:
 * 2^64 − 1 would print as 18446744073709552000); undefined for every other datatype and for pixel formats.
 */
export function readExactIntegerTexts(
  bytes: Uint8Array,
  f: ImageFormat,
  x: number,
  y: number,
): string[] | undefined {
  if (f.pixelFormat !== undefined) return undefined;
  const dt = effectiveChannelDatatype(f);
  if (dt !== CD.U64 && dt !== CD.I64) return undefined;
  validateImageBuffer(bytes, f);
  checkCoordinate("x", x, f.width);
  checkCoordinate("y", y, f.height);
  const channels = colorModelChannels(effectiveColorModel(f));
  const view = dataViewOf(bytes);
  const offset = (y * f.width + x) * channels * 8;
  const out: string[] = [];
  for (let c = 0; c < channels; c++) {
    const o = offset + 8 * c;
    out.push(String(dt === CD.U64 ? view.getBigUint64(o, true) : view.getBigInt64(o, true)));
  }
  return out;
}
