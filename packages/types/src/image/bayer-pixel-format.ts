/**
 * Rerun 0.41's official Bayer PixelFormats (`BayerRGGB8` = 128, `BayerBGGR8` = 129, `BayerGBRG8` = 130,
 * `BayerGRBG8` = 131): one U8 sample per pixel, w·h bytes, the 2×2 tile named row by row (RGGB = R G / G B).
 *
 * Demosaic, as Rerun 0.41's viewer does it (`bayer_converter.wgsl`, "GPU equivalent of
 * `BayerPattern::demosaic_at`"): a pixel keeps its own sample for its own colour; each other colour is the mean
 * of the samples of that colour among the 8 neighbours that lie INSIDE the image (the 3×3 window clamped to the
 * image, nothing mirrored), 0 when there is none (1-pixel-wide images). Inside the image this is the usual
 * bilinear demosaic (and equals Iris's extension); on the border it differs from the extension's mirror rule
 * (docs/rerun-differences.md). The means are LINEAR colour values (Rerun 0.41's release notes: "interprets Bayer
 * samples as linear color values"; its native viewer shows a uniform mosaic of 128 as 188 beside an L U8 image of
 * 128 shown as 128): each is shown as round(255·srgb(t)), t = clamp((v − lo)/(hi − lo), 0, 1), [lo, hi] = [0, 255]
 * unless a value range is given.
 */
import { PixelFormat } from "./enums.ts";
import type { ImageFormat } from "./image-format.ts";
import { srgbFromLinear } from "./srgb-from-linear.ts";
import { type IrisPixelLayout, bayerColorAt } from "./iris-pixel-layout.ts";

export type BayerLayout = Exclude<IrisPixelLayout, "UYVY">;

const BAYER_PIXEL_FORMATS: ReadonlyMap<number, BayerLayout> = new Map([
  [PixelFormat.BayerRGGB8, "BayerRGGB"],
  [PixelFormat.BayerBGGR8, "BayerBGGR"],
  [PixelFormat.BayerGBRG8, "BayerGBRG"],
  [PixelFormat.BayerGRBG8, "BayerGRBG"],
]);

/** The Bayer layout of an official Bayer PixelFormat, undefined for every other pixel format. */
export function bayerLayoutOfPixelFormat(pf: number | undefined): BayerLayout | undefined {
  return pf === undefined ? undefined : BAYER_PIXEL_FORMATS.get(pf);
}

/** The official PixelFormat of an 8-bit Bayer layout (`"BayerRGGB"` → `PixelFormat.BayerRGGB8`). */
export function bayerPixelFormatOf(layout: BayerLayout): PixelFormat {
  for (const [pf, l] of BAYER_PIXEL_FORMATS) if (l === layout) return pf as PixelFormat;
  throw new Error(`unreachable: ${String(layout)}`);
}

const CHANNEL = { R: 0, G: 1, B: 2 } as const;

/**
 * Rerun's demosaic [r, g, b] (raw sample units) of pixel (x, y) of an official Bayer image (no validation; see
 * the file comment).
 */
export function demosaicClamped(
  bytes: Uint8Array,
  format: Pick<ImageFormat, "width" | "height">,
  layout: BayerLayout,
  x: number,
  y: number,
): [number, number, number] {
  const { width: w, height: h } = format;
  const own = CHANNEL[bayerColorAt(layout, x, y)];
  const sums = [0, 0, 0];
  const counts = [0, 0, 0];
  for (let ny = Math.max(0, y - 1); ny <= Math.min(h - 1, y + 1); ny++) {
    for (let nx = Math.max(0, x - 1); nx <= Math.min(w - 1, x + 1); nx++) {
      const c = CHANNEL[bayerColorAt(layout, nx, ny)];
      if (c === own) continue;
      sums[c]! += bytes[ny * w + nx]!;
      counts[c]! += 1;
    }
  }
  const rgb = sums.map((s, c) => s / Math.max(1, counts[c]!)) as [number, number, number];
  rgb[own] = bytes[y * w + x]!;
  return rgb;
}

/**
 * The 8-bit display level of one demosaiced (linear) Bayer colour value `v` for the value range [lo, hi]:
 * round(255·srgb(clamp((v − lo)/(hi − lo), 0, 1))).
 */
export function bayerDisplayLevel(v: number, lo = 0, hi = 255): number {
  return Math.round(255 * srgbFromLinear(Math.min(1, Math.max(0, (v - lo) / (hi - lo)))));
}

/** Decodes an official Bayer image to RGBA8 into `out` (validated by the caller). */
export function decodeBayerPixelFormat(
  bytes: Uint8Array,
  format: ImageFormat,
  layout: BayerLayout,
  range: readonly [number, number],
  out: Uint8ClampedArray,
): void {
  const [lo, hi] = range;
  const norm = (v: number): number => bayerDisplayLevel(v, lo, hi);
  for (let y = 0; y < format.height; y++) {
    for (let x = 0; x < format.width; x++) {
      const [r, g, b] = demosaicClamped(bytes, format, layout, x, y);
      out.set([norm(r), norm(g), norm(b), 255], 4 * (y * format.width + x));
    }
  }
}
