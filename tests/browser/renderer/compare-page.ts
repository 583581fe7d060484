/**
 * Browser entry of the compare-mode renderer suite (bundled by esbuild in compare.test.ts): `CompareRenderer`
 * (difference, swipe, blend, side by side) in Chromium, each result paired with an INDEPENDENT reference computed
 * here from the raw bytes — typed-array reads for colour-model images, `decodeImageToRgba8` (@iris/types, the
 * project's CPU oracle) for YUV and Bayer — never with output of the code under test.
 */
import {
  ChannelDatatype,
  ColorModel,
  CompareRenderer,
  type GpuImage,
  type GpuImageDesc,
  ImageRenderer,
  PixelFormat,
  RendererError,
} from "@iris/renderer";
import { type ImageFormat, bayerLayoutOfPixelFormat, decodeImageToRgba8, demosaicClamped } from "@iris/types";

const canvas = document.createElement("canvas");
canvas.width = 1;
canvas.height = 1;
const maybeGl = canvas.getContext("webgl2", { antialias: false, premultipliedAlpha: false });
if (maybeGl === null) throw new Error("WebGL2 is not available");
const gl: WebGL2RenderingContext = maybeGl;
const images = new ImageRenderer(gl);
const compare = new CompareRenderer(gl, images);

/** Reference statistics, computed here in float64 (independent of `differenceStatistics`). */
export interface ReferenceStats {
  maxAbs: number;
  meanAbs: number;
  psnr: number | null;
  nonFinite: number;
}

export interface DifferenceCase {
  name: string;
  channels: number;
  /** GPU |a − b| of the compared channels, pixel by pixel. */
  gpu: number[];
  expected: number[];
  /** Allowed |gpu − expected| per value. */
  tolerance: number;
  stats: { maxAbs: number; meanAbs: number; psnr: number | null; nonFinite: number; count: number };
  expectedStats: ReferenceStats;
  /** Pixels of the difference shown with the "grey" colormap over [0, max] (R channel), and the reference. */
  shown: number[];
  shownExpected: number[];
  glError: number;
}

export interface ScreenCase {
  name: string;
  width: number;
  height: number;
  /** RGBA rows top-down. */
  gpu: number[];
  expected: number[];
  /** Pixels (indices) the check covers; null = all. */
  mask: number[] | null;
  tolerance: number;
  glError: number;
}

/** Deterministic pseudo-random integers in [0, max] (xorshift32). */
function samples(count: number, seed: number, max: number): number[] {
  let s = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out.push(s % (max + 1));
  }
  return out;
}

interface TestImage {
  desc: GpuImageDesc;
  format: ImageFormat;
}

function u8Image(w: number, h: number, channels: 1 | 3 | 4, seed: number, max = 255): TestImage {
  const bytes = Uint8Array.from(samples(w * h * channels, seed, max));
  const cm = channels === 1 ? ColorModel.L : channels === 3 ? ColorModel.RGB : ColorModel.RGBA;
  return {
    desc: { width: w, height: h, colorModel: cm, channelDatatype: ChannelDatatype.U8, bytes },
    format: { width: w, height: h, colorModel: cm, channelDatatype: ChannelDatatype.U8 },
  };
}

function u16Image(w: number, h: number, seed: number): TestImage {
  const values = Uint16Array.from(samples(w * h, seed, 65535));
  const bytes = new Uint8Array(values.buffer);
  return {
    desc: { width: w, height: h, colorModel: ColorModel.L, channelDatatype: ChannelDatatype.U16, bytes },
    format: { width: w, height: h, colorModel: ColorModel.L, channelDatatype: ChannelDatatype.U16 },
  };
}

function f32Image(w: number, h: number, seed: number, special: Record<number, number> = {}): TestImage {
  const values = Float32Array.from(samples(w * h, seed, 100000).map((v) => (v - 50000) / 977));
  for (const [i, v] of Object.entries(special)) values[Number(i)] = v;
  const bytes = new Uint8Array(values.buffer);
  return {
    desc: { width: w, height: h, colorModel: ColorModel.L, channelDatatype: ChannelDatatype.F32, bytes },
    format: { width: w, height: h, colorModel: ColorModel.L, channelDatatype: ChannelDatatype.F32 },
  };
}

function pixelFormatImage(w: number, h: number, pf: PixelFormat, size: number, seed: number): TestImage {
  const bytes = Uint8Array.from(samples(size, seed, 255));
  return {
    desc: { width: w, height: h, pixelFormat: pf, bytes },
    format: { width: w, height: h, pixelFormat: pf },
  };
}

/** Values of a colour-model image per pixel as RGBA (L replicated, missing alpha = opaque), read from the bytes. */
function referenceValues(img: TestImage, opaque: number): number[][] {
  const { width: w, height: h } = img.format;
  if (img.format.pixelFormat !== undefined) {
    // Bayer: the CPU oracle's demosaiced values (raw units, rounded; not the sRGB-encoded display colour).
    const bayer = bayerLayoutOfPixelFormat(img.format.pixelFormat);
    if (bayer !== undefined)
      return Array.from({ length: w * h }, (_, p) => [
        ...demosaicClamped(img.desc.bytes, img.format, bayer, p % w, Math.floor(p / w)).map(Math.round),
        255,
      ]);
    // YUV: the CPU oracle's 8-bit RGB.
    const rgba = decodeImageToRgba8(img.desc.bytes, img.format, { valueRange: [0, 255] });
    return Array.from({ length: w * h }, (_, p) => [rgba[4 * p]!, rgba[4 * p + 1]!, rgba[4 * p + 2]!, 255]);
  }
  const dt = img.format.channelDatatype;
  const bytes = img.desc.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const channels =
    img.format.colorModel === ColorModel.L ? 1 : img.format.colorModel === ColorModel.RGB ? 3 : 4;
  const read = (i: number): number =>
    dt === ChannelDatatype.U8
      ? bytes[i]!
      : dt === ChannelDatatype.U16
        ? view.getUint16(2 * i, true)
        : view.getFloat32(4 * i, true);
  return Array.from({ length: w * h }, (_, p) => {
    const c = (k: number): number => read(p * channels + k);
    if (channels === 1) return [c(0), c(0), c(0), opaque];
    if (channels === 3) return [c(0), c(1), c(2), opaque];
    return [c(0), c(1), c(2), c(3)];
  });
}

function referenceDifference(a: number[][], b: number[][], channels: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < a.length; p++)
    for (let c = 0; c < channels; c++) {
      const x = a[p]![c]!;
      const y = b[p]![c]!;
      // The shader subtracts in float32 (IEEE, correctly rounded): exact for every integer value up to 2^24,
      // the float32 rounding of the exact difference for F32 data.
      out.push(x === y || (Number.isNaN(x) && Number.isNaN(y)) ? 0 : Math.fround(Math.abs(x - y)));
    }
  return out;
}

function referenceStats(diff: number[], peak: number | undefined): ReferenceStats {
  const finite = diff.filter((d) => Number.isFinite(d));
  const maxAbs = finite.reduce((m, d) => Math.max(m, d), 0);
  const meanAbs = finite.reduce((s, d) => s + d, 0) / finite.length;
  const mse = finite.reduce((s, d) => s + d * d, 0) / finite.length;
  const psnr =
    mse === 0 ? Infinity : peak === undefined ? null : 20 * Math.log10(peak) - 10 * Math.log10(mse);
  return { maxAbs, meanAbs, psnr, nonFinite: diff.length - finite.length };
}

/** Draws `draw` into a fresh RGBA8 framebuffer (cleared to opaque black) and reads it back, rows top-down. */
function renderPixels(width: number, height: number, draw: () => void): number[] {
  const framebuffer = gl.createFramebuffer();
  const renderbuffer = gl.createRenderbuffer();
  gl.bindRenderbuffer(gl.RENDERBUFFER, renderbuffer);
  gl.renderbufferStorage(gl.RENDERBUFFER, gl.RGBA8, width, height);
  gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
  gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.RENDERBUFFER, renderbuffer);
  gl.viewport(0, 0, width, height);
  gl.clearColor(0, 0, 0, 1);
  gl.clear(gl.COLOR_BUFFER_BIT);
  draw();
  const pixels = new Uint8Array(width * height * 4);
  gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
  gl.bindFramebuffer(gl.FRAMEBUFFER, null);
  gl.deleteFramebuffer(framebuffer);
  gl.deleteRenderbuffer(renderbuffer);
  const out: number[] = [];
  for (let y = height - 1; y >= 0; y--)
    for (let i = 0; i < width * 4; i++) out.push(pixels[y * width * 4 + i]!);
  return out;
}

function differenceCase(
  name: string,
  a: TestImage,
  b: TestImage,
  options: { channels: number; peak: number | undefined; tolerance?: number; opaque?: number },
): DifferenceCase {
  const ga = images.upload(a.desc);
  const gb = images.upload(b.desc);
  try {
    const diff = compare.difference(ga, gb);
    const values = compare.readDifference(diff);
    const gpu: number[] = [];
    for (let p = 0; p < diff.width * diff.height; p++)
      for (let c = 0; c < diff.plan.channels; c++) gpu.push(values[4 * p + c]!);
    const expected = referenceDifference(
      referenceValues(a, options.opaque ?? 255),
      referenceValues(b, options.opaque ?? 255),
      options.channels,
    );
    const expectedStats = referenceStats(expected, options.peak);
    const { width: w, height: h } = diff;
    const shownAll = renderPixels(w, h, () =>
      compare.drawDifference(diff, { viewFromImage: { x: 0, y: 0, scale: 1 }, colormap: "grey" }),
    );
    const top = expectedStats.maxAbs > 0 ? expectedStats.maxAbs : 1;
    const shownExpected: number[] = [];
    for (let p = 0; p < w * h; p++) {
      const per = expected.slice(p * options.channels, (p + 1) * options.channels);
      shownExpected.push(
        per.some((d) => !Number.isFinite(d)) ? 255 : Math.round(255 * Math.min(1, Math.max(...per) / top)),
      );
    }
    const s = diff.statistics;
    const result: DifferenceCase = {
      name,
      channels: diff.plan.channels,
      gpu,
      expected,
      tolerance: options.tolerance ?? 0,
      stats: {
        maxAbs: s.maxAbs,
        meanAbs: s.meanAbs,
        psnr: s.psnr ?? null,
        nonFinite: s.nonFinite,
        count: s.count,
      },
      expectedStats,
      shown: Array.from({ length: w * h }, (_, p) => shownAll[4 * p]!),
      shownExpected,
      glError: gl.getError(),
    };
    diff.destroy();
    return result;
  } finally {
    ga.destroy();
    gb.destroy();
  }
}

function copyOf(img: TestImage): TestImage {
  return { desc: { ...img.desc, bytes: img.desc.bytes.slice() }, format: img.format };
}

const W = 13;
const H = 9;

export const api = {
  /** A − A for every kind of format: 0 everywhere, PSNR ∞, shown black. */
  identical(): DifferenceCase[] {
    const cases: [string, TestImage, number][] = [
      ["RGB U8", u8Image(W, H, 3, 1), 3],
      ["RGBA U8", u8Image(W, H, 4, 2), 4],
      ["L U8", u8Image(W, H, 1, 3), 1],
      ["L U16", u16Image(W, H, 4), 1],
      ["L F32", f32Image(W, H, 5), 1],
      ["NV12", pixelFormatImage(W + 1, H + 1, PixelFormat.NV12, (W + 1) * (H + 1 + 5), 6), 3],
      ["YUY2", pixelFormatImage(W + 1, H, PixelFormat.YUY2, 2 * (W + 1) * H, 7), 3],
      ["Y_U_V24_FullRange", pixelFormatImage(W, H, PixelFormat.Y_U_V24_FullRange, 3 * W * H, 8), 3],
      ["BayerRGGB8", pixelFormatImage(W, H, PixelFormat.BayerRGGB8, W * H, 9), 3],
    ];
    return cases.map(([name, img, channels]) =>
      differenceCase(`identical ${name}`, img, copyOf(img), {
        channels,
        peak: 255,
        opaque: name === "L U16" ? 65535 : 255,
      }),
    );
  },
  /** Known pairs: |a − b| and the statistics equal the CPU reference. */
  knownPairs(): DifferenceCase[] {
    const nan = f32Image(W, H, 21, { 5: Number.NaN, 6: Infinity });
    const other = f32Image(W, H, 22, { 6: Infinity, 7: Number.NaN });
    const floatPeak = (() => {
      const all = [...referenceValues(nan, 1), ...referenceValues(other, 1)]
        .map((v) => v[0]!)
        .filter(Number.isFinite);
      return Math.max(...all) - Math.min(...all);
    })();
    return [
      differenceCase("RGB U8 pair", u8Image(W, H, 3, 11), u8Image(W, H, 3, 12), { channels: 3, peak: 255 }),
      differenceCase("L U8 vs RGB U8", u8Image(W, H, 1, 13), u8Image(W, H, 3, 14), {
        channels: 3,
        peak: 255,
      }),
      differenceCase("RGBA U8 vs RGB U8", u8Image(W, H, 4, 15), u8Image(W, H, 3, 16), {
        channels: 4,
        peak: 255,
      }),
      differenceCase("L U16 pair", u16Image(W, H, 17), u16Image(W, H, 18), { channels: 1, peak: 65535 }),
      differenceCase("L F32 pair (NaN, Inf)", nan, other, { channels: 1, peak: floatPeak, opaque: 1 }),
      // YUV: the GPU rounds 255·rgb (what an 8-bit display shows), the CPU oracle truncates (Rerun's `as u8`).
      differenceCase(
        "NV12 pair",
        pixelFormatImage(W + 1, H + 1, PixelFormat.NV12, (W + 1) * (H + 1 + 5), 31),
        pixelFormatImage(W + 1, H + 1, PixelFormat.NV12, (W + 1) * (H + 1 + 5), 32),
        { channels: 3, peak: 255, tolerance: 1 },
      ),
      differenceCase(
        "Y_U_V16_LimitedRange vs RGB U8",
        pixelFormatImage(W + 1, H, PixelFormat.Y_U_V16_LimitedRange, 2 * (W + 1) * H, 33),
        u8Image(W + 1, H, 3, 34),
        { channels: 3, peak: 255, tolerance: 1 },
      ),
      // Bayer: the GPU keeps the demosaic means (x.5, x.25 …), the oracle rounds them to 8 bits.
      differenceCase(
        "BayerGRBG8 pair",
        pixelFormatImage(W, H, PixelFormat.BayerGRBG8, W * H, 35),
        pixelFormatImage(W, H, PixelFormat.BayerGRBG8, W * H, 36),
        { channels: 3, peak: 255, tolerance: 1 },
      ),
    ];
  },
  /** Swipe with the divider at 50 %: A left of it, B right of it, each as `draw` shows it. */
  swipe(): ScreenCase {
    const a = u8Image(16, 8, 3, 41);
    const b = u16Image(16, 8, 42);
    const scale = 4;
    const [w, h] = [64, 32];
    const ga = images.upload(a.desc);
    const gb = images.upload(b.desc);
    const gpu = renderPixels(w, h, () =>
      compare.drawSwipe(ga, gb, { viewFromImage: { x: 0, y: 0, scale }, split: w / 2, dividerWidth: 2 }),
    );
    const ra = decodeImageToRgba8(a.desc.bytes, a.format);
    const rb = decodeImageToRgba8(b.desc.bytes, b.format);
    const expected: number[] = [];
    const mask: number[] = [];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const src = x < w / 2 ? ra : rb;
        const p = Math.floor(y / scale) * 16 + Math.floor(x / scale);
        expected.push(src[4 * p]!, src[4 * p + 1]!, src[4 * p + 2]!, 255);
        if (Math.abs(x + 0.5 - w / 2) > 2) mask.push(y * w + x);
      }
    ga.destroy();
    gb.destroy();
    return {
      name: "swipe 50 %",
      width: w,
      height: h,
      gpu,
      expected,
      mask,
      tolerance: 1,
      glError: gl.getError(),
    };
  },
  /** Blend at 0.5: (A + B) / 2 of the shown colours. */
  blend(): ScreenCase {
    const a = u8Image(16, 8, 3, 51);
    const b = pixelFormatImage(16, 8, PixelFormat.NV12, 16 * 12, 52);
    const ga = images.upload(a.desc);
    const gb = images.upload(b.desc);
    const gpu = renderPixels(16, 8, () =>
      compare.drawBlend(ga, gb, { viewFromImage: { x: 0, y: 0, scale: 1 }, amount: 0.5 }),
    );
    const ra = decodeImageToRgba8(a.desc.bytes, a.format);
    const rb = decodeImageToRgba8(b.desc.bytes, b.format);
    const expected = Array.from(ra, (v, i) => (i % 4 === 3 ? 255 : (v + rb[i]!) / 2));
    ga.destroy();
    gb.destroy();
    // ±1 for the 8-bit blend and ±1 more where the NV12 oracle truncates what the GPU rounds: ±1.5 on the mean.
    return {
      name: "blend 0.5",
      width: 16,
      height: 8,
      gpu,
      expected,
      mask: null,
      tolerance: 1.5,
      glError: gl.getError(),
    };
  },
  /** Side by side: A in the left half, B in the right half, same placement in each. */
  sideBySide(): ScreenCase {
    const a = u8Image(8, 8, 3, 61);
    const b = u8Image(8, 8, 1, 62);
    const [w, h, divider] = [34, 16, 2];
    const half = 16;
    const ga = images.upload(a.desc);
    const gb = images.upload(b.desc);
    const gpu = renderPixels(w, h, () =>
      compare.drawSideBySide(ga, gb, { viewFromImage: { x: 0, y: 0, scale: 2 }, dividerWidth: divider }),
    );
    const ra = decodeImageToRgba8(a.desc.bytes, a.format);
    const rb = decodeImageToRgba8(b.desc.bytes, b.format);
    const expected: number[] = [];
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const inB = x >= half + divider;
        const ix = Math.floor((inB ? x - half - divider : x) / 2);
        const p = Math.floor(y / 2) * 8 + ix;
        const src = inB ? rb : ra;
        if (x < half || inB) expected.push(src[4 * p]!, src[4 * p + 1]!, src[4 * p + 2]!, 255);
        else expected.push(255, 255, 255, 255);
      }
    ga.destroy();
    gb.destroy();
    return {
      name: "side by side",
      width: w,
      height: h,
      gpu,
      expected,
      mask: null,
      tolerance: 0,
      glError: gl.getError(),
    };
  },
  /** Refusals: sizes and value kinds, with their messages. */
  errors(): { kind: string | undefined; message: string }[] {
    const attempt = (a: TestImage, b: TestImage): { kind: string | undefined; message: string } => {
      const ga: GpuImage = images.upload(a.desc);
      const gb: GpuImage = images.upload(b.desc);
      try {
        compare.difference(ga, gb).destroy();
        return { kind: undefined, message: "no error" };
      } catch (error) {
        return {
          kind: error instanceof RendererError ? error.kind : "other",
          message: (error as Error).message,
        };
      } finally {
        ga.destroy();
        gb.destroy();
      }
    };
    return [
      attempt(u8Image(4, 3, 3, 1), u8Image(3, 4, 3, 2)),
      attempt(u16Image(4, 3, 3), u8Image(4, 3, 1, 4)),
    ];
  },
};

export type CompareTestApi = typeof api;

(window as unknown as { compareTests: CompareTestApi }).compareTests = api;
(window as unknown as { compareTestsReady: boolean }).compareTestsReady = true;
