/**
 * The format space of the differential suite: every ColorModel × ChannelDatatype with values spanning the
 * datatype's extremes, with values inside [0, 255] (Rerun's "looks like an ordinary image" heuristic) and, for
 * floats, inside [0, 1] and with NaN/±Inf; constant images at 64-bit extremes; every PixelFormat at even and odd
 * widths and heights; opacity. Each case is raw bytes + format, written little-endian by hand here (no SDK code),
 * so the case data does not come from the code under test.
 */
import {
  ChannelDatatype as CD,
  ColorModel as CM,
  PixelFormat as PF,
  type ImageFormat,
  float32ToFloat16,
} from "@iris/types";

export interface FormatCase {
  /** Human-readable, unique: "RGB U16 extremes", "NV12 7x5", … */
  readonly name: string;
  readonly format: ImageFormat;
  readonly bytes: Uint8Array;
  /** Logged Image:opacity (absent: the viewer's default). */
  readonly opacity?: number;
}

type Value = number | bigint;

const cmNames = { L: CM.L, RGB: CM.RGB, RGBA: CM.RGBA, BGR: CM.BGR, BGRA: CM.BGRA } as const;
const dtNames = {
  U8: CD.U8,
  I8: CD.I8,
  U16: CD.U16,
  I16: CD.I16,
  U32: CD.U32,
  I32: CD.I32,
  U64: CD.U64,
  I64: CD.I64,
  F16: CD.F16,
  F32: CD.F32,
  F64: CD.F64,
} as const;
type DtName = keyof typeof dtNames;

const bytesPer: Record<DtName, number> = {
  U8: 1,
  I8: 1,
  U16: 2,
  I16: 2,
  U32: 4,
  I32: 4,
  U64: 8,
  I64: 8,
  F16: 2,
  F32: 4,
  F64: 8,
};

/** Writes `values` (one per channel value) as little-endian `dt`. */
export function encodeValues(dt: DtName, values: readonly Value[]): Uint8Array {
  const size = bytesPer[dt];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    const o = i * size;
    switch (dt) {
      case "U8":
        view.setUint8(o, Number(v));
        break;
      case "I8":
        view.setInt8(o, Number(v));
        break;
      case "U16":
        view.setUint16(o, Number(v), true);
        break;
      case "I16":
        view.setInt16(o, Number(v), true);
        break;
      case "U32":
        view.setUint32(o, Number(v), true);
        break;
      case "I32":
        view.setInt32(o, Number(v), true);
        break;
      case "U64":
        view.setBigUint64(o, BigInt(v), true);
        break;
      case "I64":
        view.setBigInt64(o, BigInt(v), true);
        break;
      case "F16":
        view.setUint16(o, float32ToFloat16(Number(v)), true);
        break;
      case "F32":
        view.setFloat32(o, Number(v), true);
        break;
      case "F64":
        view.setFloat64(o, Number(v), true);
        break;
    }
  });
  return out;
}

const integerRange: Partial<Record<DtName, readonly [bigint, bigint]>> = {
  U8: [0n, 255n],
  I8: [-128n, 127n],
  U16: [0n, 65535n],
  I16: [-32768n, 32767n],
  U32: [0n, 4294967295n],
  I32: [-2147483648n, 2147483647n],
  U64: [0n, 2n ** 64n - 1n],
  I64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** `count` values from lo to hi inclusive, evenly spaced (integers exact, as bigint for 64-bit types). */
function spread(dt: DtName, lo: number | bigint, hi: number | bigint, count: number): Value[] {
  const out: Value[] = [];
  if (integerRange[dt] !== undefined) {
    const a = BigInt(lo);
    const b = BigInt(hi);
    for (let i = 0; i < count; i++) {
      const v = a + ((b - a) * BigInt(i)) / BigInt(count - 1);
      out.push(dt === "U64" || dt === "I64" ? v : Number(v));
    }
    return out;
  }
  const a = Number(lo);
  const b = Number(hi);
  for (let i = 0; i < count; i++) out.push(a + ((b - a) * i) / (count - 1));
  return out;
}

/** Shuffles channel values so that the channels of one pixel differ: channel c of pixel p takes v[(p + 17c) % n]. */
function interleave(
  values: readonly Value[],
  pixels: number,
  channels: number,
  opaque: Value | undefined,
): Value[] {
  const out: Value[] = [];
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) {
      if (opaque !== undefined && c === 3) out.push(opaque);
      else out.push(values[(p + 17 * c) % values.length]!);
    }
  }
  return out;
}

export const caseWidth = 8;
export const caseHeight = 6;

function colorCase(
  cm: keyof typeof cmNames,
  dt: DtName,
  label: string,
  values: readonly Value[],
): FormatCase {
  const channels = cm === "L" ? 1 : cm === "RGB" || cm === "BGR" ? 3 : 4;
  const pixels = caseWidth * caseHeight;
  // Alpha is the largest value of the set, so the images are opaque (opacity has its own cases).
  const opaque = channels === 4 ? maxOf(values) : undefined;
  return {
    name: `${cm} ${dt} ${label}`,
    format: { width: caseWidth, height: caseHeight, colorModel: cmNames[cm], channelDatatype: dtNames[dt] },
    bytes: encodeValues(dt, interleave(values, pixels, channels, opaque)),
  };
}

function maxOf(values: readonly Value[]): Value {
  let best: Value | undefined;
  for (const v of values) {
    if (typeof v === "number" && !Number.isFinite(v)) continue;
    if (best === undefined || v > best) best = v;
  }
  return best!;
}

/** Every ColorModel × ChannelDatatype: extremes, values in [0, 255], floats in [0, 1], floats with NaN/±Inf. */
export function colorModelCases(): FormatCase[] {
  const cases: FormatCase[] = [];
  const n = caseWidth * caseHeight;
  for (const cm of Object.keys(cmNames) as (keyof typeof cmNames)[]) {
    for (const dt of Object.keys(dtNames) as DtName[]) {
      const ints = integerRange[dt];
      if (ints !== undefined) {
        cases.push(colorCase(cm, dt, "extremes", spread(dt, ints[0], ints[1], n)));
        // Values inside [0, 255] (I8 reaches only 127): Rerun's "ordinary sRGB image" heuristic.
        if (dt !== "U8") {
          const top = dt === "I8" ? 127 : 255;
          cases.push(colorCase(cm, dt, `0..${top}`, spread(dt, 0, top, n)));
        }
      } else {
        const big = dt === "F16" ? 60000 : 1e6;
        cases.push(colorCase(cm, dt, "extremes", spread(dt, -big, big, n)));
        cases.push(colorCase(cm, dt, "0..255", spread(dt, 0, 255, n)));
        cases.push(colorCase(cm, dt, "0..1", spread(dt, 0, 1, n)));
      }
    }
  }
  return cases;
}

/** Floats with NaN, +Inf and −Inf among finite values (in [0, 1] and beyond [0, 255]). */
export function nonFiniteCases(): FormatCase[] {
  const cases: FormatCase[] = [];
  const n = caseWidth * caseHeight;
  for (const dt of ["F16", "F32", "F64"] as const) {
    for (const [label, lo, hi] of [
      ["0..1", 0, 1],
      ["-500..500", -500, 500],
    ] as const) {
      const values = spread(dt, lo, hi, n).map((v, i) =>
        i % 8 === 3 ? NaN : i % 8 === 5 ? Infinity : i % 8 === 7 ? -Infinity : v,
      );
      cases.push(colorCase("L", dt, `${label} NaN/Inf`, values));
      cases.push(colorCase("RGB", dt, `${label} NaN/Inf`, values));
    }
  }
  return cases;
}

/** Constant images at 64-bit extremes and 1e300 (the range heuristic's [v − 1, v + 1] is degenerate in float64). */
export function constantCases(): FormatCase[] {
  const n = caseWidth * caseHeight;
  const constant = (cm: "L" | "RGB", dt: DtName, label: string, v: Value): FormatCase =>
    colorCase(
      cm,
      dt,
      `constant ${label}`,
      Array.from({ length: n }, () => v),
    );
  return [
    constant("L", "U64", "max", 2n ** 64n - 1n),
    constant("L", "I64", "min", -(2n ** 63n)),
    constant("L", "I64", "max", 2n ** 63n - 1n),
    constant("L", "F64", "1e300", 1e300),
    constant("RGB", "U64", "max", 2n ** 64n - 1n),
    constant("L", "U16", "1000", 1000),
    constant("L", "F32", "-7.5", -7.5),
  ];
}

/** RGB U8 at opacity 0.5 and RGBA U8 with an alpha ramp (blending over the view background). */
export function opacityCases(): FormatCase[] {
  const n = caseWidth * caseHeight;
  const rgb: number[] = [];
  const rgba: number[] = [];
  for (let p = 0; p < n; p++) {
    const r = (p * 53) % 256;
    const g = (p * 97 + 40) % 256;
    const b = 255 - ((p * 29) % 256);
    rgb.push(r, g, b);
    rgba.push(r, g, b, Math.round((255 * p) / (n - 1)));
  }
  return [
    {
      name: "RGB U8 opacity 0.5",
      format: { width: caseWidth, height: caseHeight, colorModel: CM.RGB, channelDatatype: CD.U8 },
      bytes: Uint8Array.from(rgb),
      opacity: 0.5,
    },
    {
      name: "RGBA U8 alpha ramp",
      format: { width: caseWidth, height: caseHeight, colorModel: CM.RGBA, channelDatatype: CD.U8 },
      bytes: Uint8Array.from(rgba),
    },
  ];
}

// The Bayer formats (128…131) are new in Rerun 0.41: the 0.33.0 web viewer cannot show them.
const pfNames = Object.entries(PF) as [string, (typeof PF)[keyof typeof PF]][];

/** Bytes Rerun's viewer requires for a pixel format (its data texture; image-archetype-detail.md §2.3). */
export function pixelFormatBytes(pf: number, w: number, h: number): number {
  switch (pf) {
    case PF.Y_U_V24_FullRange:
    case PF.Y_U_V24_LimitedRange:
      return 3 * w * h;
    case PF.Y_U_V16_FullRange:
    case PF.Y_U_V16_LimitedRange:
    case PF.YUY2:
      return 2 * w * h;
    case PF.Y_U_V12_FullRange:
    case PF.Y_U_V12_LimitedRange:
    case PF.NV12:
      return w * (h + Math.floor(h / 2));
    default:
      return w * h;
  }
}

/**
 * Every PixelFormat at `w` × `h` (the Bayer ones only when `bayer`): a Y ramp and chroma bytes that vary with
 * their index (so a chroma sample read at a wrong offset shows), all in 16…240.
 */
export function pixelFormatCases(w: number, h: number, bayer = true): FormatCase[] {
  return pfNames
    .filter(([, pf]) => bayer || pf < 128)
    .map(([name, pf]) => {
      const size = pixelFormatBytes(pf, w, h);
      const bytes = new Uint8Array(size);
      for (let i = 0; i < size; i++)
        bytes[i] = i < w * h && pf !== PF.YUY2 ? 40 + ((i * 7) % 180) : 16 + ((i * 37) % 225);
      return { name: `${name} ${w}x${h}`, format: { width: w, height: h, pixelFormat: pf }, bytes };
    });
}

/**
 * The four Bayer PixelFormats (Rerun 0.41: 128…131) as uniform mosaics of `value`, `w`×`h` each. Demosaicing a
 * uniform mosaic is trivially known without the code under test: every colour of every pixel is `value` (each
 * pixel's 3×3 neighbourhood holds at least one sample of each colour when w, h ≥ 2).
 */
export function bayerUniformCases(w: number, h: number, value: number): FormatCase[] {
  return pfNames
    .filter(([, pf]) => pf >= 128)
    .map(([name, pf]) => ({
      name: `${name} ${w}x${h} uniform ${value}`,
      format: { width: w, height: h, pixelFormat: pf },
      bytes: new Uint8Array(pixelFormatBytes(pf, w, h)).fill(value),
    }));
}
