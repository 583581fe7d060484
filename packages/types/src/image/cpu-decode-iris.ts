/**
 * CPU reference decoder of the Iris extension layouts (Bayer mosaics, UYVY; see iris-pixel-layout.ts). Iris
 * extension: Rerun has no such formats and shows these images as raw grey samples. The WebGL decoder in
 * `@iris/renderer` (`image-fragment.glsl.ts`) implements exactly the same rules and is tested against this file.
 *
 * Bayer, bilinear demosaic. Let s(x, y) be the raw sample (U8, or U16 little-endian) and c(x, y) ∈ {R, G, B} the
 * colour filter of the pattern (the name lists the 2×2 tile row by row: RGGB = R G / G B). For each pixel:
 * - its own colour is s(x, y);
 * - at an R or B pixel: G = mean of the 4 orthogonal neighbours, and the opposite colour (B at R, R at B) = mean
 *   of the 4 diagonal neighbours;
 * - at a G pixel: the colour of its row's other filter = mean of the left and right neighbours, the remaining
 *   colour = mean of the upper and lower neighbours.
 * (This is the masked convolution with [1 2 1; 2 4 2; 1 2 1]/4 for R/B and [0 1 0; 1 4 1; 0 1 0]/4 for G.)
 *
 * Edge rule: MIRROR without repeating the edge sample ("reflect-101"): coordinate −1 reads 1, and w reads w − 2
 * (likewise for rows). A mirrored neighbour always lies under the same colour filter as the missing one, so every
 * pixel, including borders and odd-sized images, is interpolated from samples of the right colour. This is why
 * Bayer images need width ≥ 2 and height ≥ 2.
 *
 * Each interpolated value v (a mean of integers, exact in float32) is then normalised like an L image:
 * t = clamp((v − lo)/(hi − lo), 0, 1), output round(255·t), alpha 255. [lo, hi] is `options.valueRange`, else
 * [0, 255] for 8-bit mosaics and Rerun's `dataRangeHeuristic` of the raw samples (as for L U16) for 16-bit.
 * The GPU rounds in its unorm write (and v often ends in .5), so compare with ±1.
 *
 * UYVY: the stored L U8 image is 2w × h bytes; each pixel pair is `U0 Y0 V0 Y1`. Pixel (x, y) uses
 * Y = byte 2·(y·w + x) + 1 and the U/V of its pair (bytes 2·(y·w + x − x mod 2) and +2), converted with BT.601
 * limited range exactly like YUY2 (`yuvToRgb8`, truncating): compare the GPU with 0…+1. `valueRange` is ignored.
 */
import { ChannelDatatype, PixelFormat } from "./enums.ts";
import { ImageFormatError } from "./image-format-error.ts";
import { type ImageFormat, effectiveChannelDatatype, validateImageBuffer } from "./image-format.ts";
import { type DecodeImageOptions, yuvToRgb8 } from "./cpu-decode.ts";
import {
  type IrisPixelLayout,
  bayerColorAt,
  bayerRedPosition,
  irisShownSize,
  isBayerLayout,
  validateIrisPixelLayout,
} from "./iris-pixel-layout.ts";
import { dataRangeHeuristic } from "./value-range.ts";

/** Reflect-101: −1 → 1, n → n − 2 (n ≥ 2, |overshoot| ≤ 1). */
export function mirrorIndex(i: number, n: number): number {
  return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
}

function sampleReader(bytes: Uint8Array, format: ImageFormat): (x: number, y: number) => number {
  const w = format.width;
  const h = format.height;
  const sixteen = effectiveChannelDatatype(format) === ChannelDatatype.U16;
  return (x, y) => {
    const i = mirrorIndex(y, h) * w + mirrorIndex(x, w);
    return sixteen ? bytes[2 * i]! | (bytes[2 * i + 1]! << 8) : bytes[i]!;
  };
}

/**
 * The bilinear demosaic [r, g, b] (raw sample units, before normalisation) of Bayer pixel (x, y). No validation.
 */
export function demosaicBilinear(
  bytes: Uint8Array,
  format: ImageFormat,
  layout: Exclude<IrisPixelLayout, "UYVY">,
  x: number,
  y: number,
): [number, number, number] {
  const s = sampleReader(bytes, format);
  const [rx, ry] = bayerRedPosition(layout);
  const px = x & 1;
  const py = y & 1;
  const centre = s(x, y);
  const cross = (s(x - 1, y) + s(x + 1, y) + s(x, y - 1) + s(x, y + 1)) / 4;
  const diagonal = (s(x - 1, y - 1) + s(x + 1, y - 1) + s(x - 1, y + 1) + s(x + 1, y + 1)) / 4;
  const horizontal = (s(x - 1, y) + s(x + 1, y)) / 2;
  const vertical = (s(x, y - 1) + s(x, y + 1)) / 2;
  if (px === rx && py === ry) return [centre, cross, diagonal]; // R pixel
  if (px !== rx && py !== ry) return [diagonal, cross, centre]; // B pixel
  // G pixel: in the red row the horizontal neighbours are red, otherwise blue.
  return py === ry ? [horizontal, centre, vertical] : [vertical, centre, horizontal];
}

/** U, Y, V of pixel (x, y) of a UYVY image whose shown width is `w` (no validation). */
function uyvyAt(bytes: Uint8Array, w: number, x: number, y: number): [number, number, number] {
  const base = 2 * (y * w + x - (x & 1));
  return [bytes[2 * (y * w + x) + 1]!, bytes[base]!, bytes[base + 2]!];
}

/**
 * Decodes an Iris extension image (its stored Rerun `format` and bytes, plus the `Image:iris_pixel_layout`
 * value) to tightly packed RGBA8 of the SHOWN size (UYVY: format.width / 2 × height). Validates the buffer and
 * the layout (`ImageFormatError`). See the file comment for the exact rules.
 */
export function decodeIrisLayoutToRgba8(
  bytes: Uint8Array,
  format: ImageFormat,
  layout: IrisPixelLayout,
  options: DecodeImageOptions = {},
): Uint8ClampedArray {
  validateImageBuffer(bytes, format);
  validateIrisPixelLayout(format, layout);
  const { width: w, height: h } = irisShownSize(format, layout);
  const out = new Uint8ClampedArray(w * h * 4);
  if (!isBayerLayout(layout)) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [Y, U, V] = uyvyAt(bytes, w, x, y);
        const [r, g, b] = yuvToRgb8(Y, U, V, PixelFormat.YUY2);
        out.set([r, g, b, 255], 4 * (y * w + x));
      }
    }
    return out;
  }
  const range =
    options.valueRange ??
    (effectiveChannelDatatype(format) === ChannelDatatype.U8
      ? ([0, 255] as [number, number])
      : dataRangeHeuristic(bytes, format));
  const [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo === hi) {
    throw new ImageFormatError(
      "invalid-range",
      `Value range must be two different finite numbers, got [${String(lo)}, ${String(hi)}]`,
      { expected: "[lo, hi] finite, lo ≠ hi", actual: `[${String(lo)}, ${String(hi)}]` },
    );
  }
  const scale = 1 / (hi - lo);
  const norm = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, (v - lo) * scale)));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = demosaicBilinear(bytes, format, layout, x, y);
      out.set([norm(r), norm(g), norm(b), 255], 4 * (y * w + x));
    }
  }
  return out;
}

/** What a hover tooltip shows for a pixel of an extension image. */
export interface IrisLayoutPixelValues {
  /** Bayer: [raw sample]; UYVY: [Y, U, V]. */
  readonly values: number[];
  /** Bayer: the filter colour of the sample (["R"], ["G"] or ["B"]); UYVY: ["Y", "U", "V"]. */
  readonly channels: string[];
  /** e.g. "BayerRGGB R 1023" or "UYVY Y 81 U 90 V 240". */
  readonly text: string;
}

/**
 * The raw values at SHOWN pixel (x, y) of an extension image: the Bayer sample and its filter colour, or the
 * Y, U, V bytes of a UYVY pixel. Validates the buffer, the layout and the coordinates ("out-of-bounds").
 */
export function readIrisLayoutPixelValues(
  bytes: Uint8Array,
  format: ImageFormat,
  layout: IrisPixelLayout,
  x: number,
  y: number,
): IrisLayoutPixelValues {
  validateImageBuffer(bytes, format);
  validateIrisPixelLayout(format, layout);
  const { width, height } = irisShownSize(format, layout);
  for (const [name, value, size] of [
    ["x", x, width],
    ["y", y, height],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value >= size) {
      throw new ImageFormatError(
        "out-of-bounds",
        `Pixel ${name} = ${String(value)} is outside 0…${size - 1}`,
        {
          expected: `integer in 0…${size - 1}`,
          actual: value,
        },
      );
    }
  }
  if (!isBayerLayout(layout)) {
    const values = uyvyAt(bytes, width, x, y);
    return {
      values,
      channels: ["Y", "U", "V"],
      text: `UYVY Y ${values[0]} U ${values[1]} V ${values[2]}`,
    };
  }
  const value = sampleReader(bytes, format)(x, y);
  const color = bayerColorAt(layout, x, y);
  return { values: [value], channels: [color], text: `${layout} ${color} ${value}` };
}
