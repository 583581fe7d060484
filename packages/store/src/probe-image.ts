/**
 * The values one image gives a probe: per channel, the value at a pixel (in the image's own datatype) or the
 * mean over a rectangle. Which channels, following what Rerun's hover shows (re_viewer_context `ImageInfo::get_xyc`):
 *
 * - colour-model images: their channels in stored order (L; R, G, B; R, G, B, A; B, G, R; B, G, R, A), raw values
 *   of the channel datatype (U8 … F64; F16 decoded to a number; U64/I64 as exact `bigint`);
 * - DepthImage: one channel `depth` (raw value, not metres); SegmentationImage: one channel `class_id`;
 * - pixel formats (NV12, YUY2, Y_U_V*, Y8): decoded R, G, B (U8), with Rerun's `rgb_from_yuv` as the CPU
 *   reference implements it (`yuvToRgb8`: limited/full range, BT.601/BT.709, truncation). Rerun's hover shows
 *   these decoded values (its `get_xyc` decodes pixel formats and labels them RGB, Y8 included), not the raw
 *   Y/U/V samples;
 * - Bayer PixelFormats: decoded R, G, B (U8): Rerun's demosaic (`demosaicClamped`) rounded like Rerun's
 *   `BayerPattern::demosaic_at` ((sum + count/2) / count);
 * - Iris extension layouts (`Image:iris_pixel_layout`): UYVY → decoded R, G, B (U8); Bayer → demosaiced R, G, B
 *   (rounded, in the carrier's U8/U16 units) over the shown size.
 *
 * A region mean is a float64 number per channel. Integer channels are summed exactly (bigint for 64-bit data,
 * per-row float sums below 2^53 otherwise) and divided once; float channels are summed in float64 with
 * Neumaier compensation; NaN and ±Infinity propagate as in IEEE arithmetic (any NaN pixel → NaN mean).
 */
import {
  ChannelDatatype as CD,
  type ChannelDatatype,
  ColorModel as CM,
  type ImageFormat,
  type IrisPixelLayout,
  bayerLayoutOfPixelFormat,
  channelDatatypeBytes,
  channelDatatypeName,
  colorModelChannels,
  dataViewOf,
  demosaicBilinear,
  demosaicClamped,
  effectiveChannelDatatype,
  effectiveColorModel,
  irisShownSize,
  isBayerLayout,
  isFloatDatatype,
  PixelFormat,
  readChannelValue,
  sampleYuv,
  validateImageBuffer,
  validateIrisPixelLayout,
  yuvToRgb8,
} from "@iris/types";

/** The archetype the probed image belongs to. */
export type ProbeImageKind = "Image" | "DepthImage" | "SegmentationImage" | "EncodedImage";

/** One probed image: its raw buffer and format (what the store holds at one time). */
export interface ProbeImage {
  readonly kind: ProbeImageKind;
  readonly bytes: Uint8Array;
  readonly format: ImageFormat;
  /** Iris extension layout of an Image (Bayer / UYVY); the probe then addresses the shown pixels. */
  readonly irisLayout?: IrisPixelLayout | undefined;
}

/** What a probe's values are: channel names, their datatype, and whether they were decoded first. */
export interface ProbeChannels {
  readonly names: readonly string[];
  /** Datatype name of a pixel's values ("U8" … "F64"). */
  readonly datatype: string;
  /**
   * "raw": the stored values; "decoded-rgb": R, G, B after YUV conversion or demosaicing; "decoded-file": the
   * R, G, B, A of an EncodedImage as the decoder that displays it produced them.
   */
  readonly source: "raw" | "decoded-rgb" | "decoded-file";
}

/** A probe value: a number, or a bigint for U64/I64 pixel values (exact beyond 2^53). */
export type ProbeValue = number | bigint;

/** A pixel (width = height = 1 and `mean` false) or a rectangle. */
export interface ProbeRegion {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const MODEL_CHANNELS: Record<number, readonly string[]> = {
  [CM.L]: ["L"],
  [CM.RGB]: ["R", "G", "B"],
  [CM.RGBA]: ["R", "G", "B", "A"],
  [CM.BGR]: ["B", "G", "R"],
  [CM.BGRA]: ["B", "G", "R", "A"],
};
const RGB = ["R", "G", "B"] as const;

/** The size the probe addresses (the shown size for the extension layouts). */
export function probeImageSize(image: ProbeImage): { width: number; height: number } {
  return image.irisLayout ? irisShownSize(image.format, image.irisLayout) : image.format;
}

/** Validates the buffer (and extension layout) of `image`; throws `ImageFormatError`. */
export function validateProbeImage(image: ProbeImage): void {
  validateImageBuffer(image.bytes, image.format);
  if (image.irisLayout) validateIrisPixelLayout(image.format, image.irisLayout);
}

/** The channels a probe of `image` reports (see the file comment). */
export function probeChannels(image: ProbeImage): ProbeChannels {
  const f = image.format;
  if (image.irisLayout) {
    const dt = isBayerLayout(image.irisLayout) ? effectiveChannelDatatype(f) : CD.U8;
    return { names: RGB, datatype: channelDatatypeName(dt), source: "decoded-rgb" };
  }
  if (f.pixelFormat !== undefined) return { names: RGB, datatype: "U8", source: "decoded-rgb" };
  const dt = channelDatatypeName(effectiveChannelDatatype(f));
  if (image.kind === "EncodedImage")
    return { names: ["R", "G", "B", "A"], datatype: "U8", source: "decoded-file" };
  if (image.kind === "DepthImage") return { names: ["depth"], datatype: dt, source: "raw" };
  if (image.kind === "SegmentationImage") return { names: ["class_id"], datatype: dt, source: "raw" };
  return { names: MODEL_CHANNELS[effectiveColorModel(f)] ?? ["L"], datatype: dt, source: "raw" };
}

/** Reads the channel values of one pixel; `exact`: U64/I64 as bigint. No validation (callers checked). */
type PixelReader = (x: number, y: number) => ProbeValue[];

function pixelReader(image: ProbeImage, exact: boolean): PixelReader {
  const { bytes, format: f } = image;
  const { width: w, height: h } = f;
  const layout = image.irisLayout;
  if (layout) {
    if (isBayerLayout(layout)) {
      return (x, y) => demosaicBilinear(bytes, f, layout, x, y).map(Math.round);
    }
    return (x, y) => {
      // UYVY: pixel pair `U0 Y0 V0 Y1` in a row of 2·(shown width) bytes.
      const sw = w / 2;
      const base = 2 * (y * sw + x - (x & 1));
      return yuvToRgb8(bytes[2 * (y * sw + x) + 1]!, bytes[base]!, bytes[base + 2]!, PixelFormat.YUY2);
    };
  }
  const bayer = bayerLayoutOfPixelFormat(f.pixelFormat);
  if (bayer !== undefined) return (x, y) => demosaicClamped(bytes, f, bayer, x, y).map(Math.round);
  const pf = f.pixelFormat;
  if (pf !== undefined) {
    return (x, y) => {
      const [Y, U, V] = sampleYuv(bytes, w, h, pf, x, y);
      return yuvToRgb8(Y, U, V, pf);
    };
  }
  const dt = effectiveChannelDatatype(f);
  const channels =
    image.kind === "Image" || image.kind === "EncodedImage" ? colorModelChannels(effectiveColorModel(f)) : 1;
  const bpe = channelDatatypeBytes(dt);
  const view = dataViewOf(bytes);
  const wide = exact && (dt === CD.U64 || dt === CD.I64);
  return (x, y) => {
    const offset = (y * w + x) * channels * bpe;
    const out: ProbeValue[] = [];
    for (let c = 0; c < channels; c++) {
      const o = offset + c * bpe;
      if (wide) out.push(dt === CD.U64 ? view.getBigUint64(o, true) : view.getBigInt64(o, true));
      else out.push(readChannelValue(view, dt, o));
    }
    return out;
  };
}

/** The values of pixel (x, y) in the probe's datatype (U64/I64 as bigint). The caller checked the bounds. */
export function probePixel(image: ProbeImage, x: number, y: number): ProbeValue[] {
  return pixelReader(image, true)(x, y);
}

/** The datatype the probe sums in: 64-bit integers exactly as bigint, other integers exactly, floats compensated. */
function sumKind(image: ProbeImage): "bigint" | "integer" | "float" {
  const decoded = image.irisLayout !== undefined || image.format.pixelFormat !== undefined;
  if (decoded) return "integer";
  const dt: ChannelDatatype = effectiveChannelDatatype(image.format);
  if (dt === CD.U64 || dt === CD.I64) return "bigint";
  return isFloatDatatype(dt) ? "float" : "integer";
}

/**
 * The elements of a raw (colour-model / depth / segmentation) image — element i = (y·width + x)·channels + c —
 * as an indexable array of numbers: a typed array over the stored bytes when they are aligned, else a
 * DataView-backed reader (also for F16). No per-pixel arrays.
 */
function rawElements(image: ProbeImage): ArrayLike<number> | ((i: number) => number) {
  const { bytes } = image;
  const dt = effectiveChannelDatatype(image.format);
  const bpe = channelDatatypeBytes(dt);
  const length = Math.floor(bytes.byteLength / bpe);
  if (bytes.byteOffset % bpe === 0) {
    const b = bytes.buffer;
    const o = bytes.byteOffset;
    switch (dt) {
      case CD.U8:
        return bytes;
      case CD.I8:
        return new Int8Array(b, o, length);
      case CD.U16:
        return new Uint16Array(b, o, length);
      case CD.I16:
        return new Int16Array(b, o, length);
      case CD.U32:
        return new Uint32Array(b, o, length);
      case CD.I32:
        return new Int32Array(b, o, length);
      case CD.F32:
        return new Float32Array(b, o, length);
      case CD.F64:
        return new Float64Array(b, o, length);
      default:
        break;
    }
  }
  const view = dataViewOf(bytes);
  return (i) => readChannelValue(view, dt, i * bpe);
}

/** Element i of a U64/I64 image as an exact bigint. */
function rawBigIntReader(image: ProbeImage): (i: number) => bigint {
  const view = dataViewOf(image.bytes);
  return effectiveChannelDatatype(image.format) === CD.U64
    ? (i) => view.getBigUint64(8 * i, true)
    : (i) => view.getBigInt64(8 * i, true);
}

/** The mean per channel over `region` (float64). The caller checked the bounds; the region is not empty. */
export function probeRegionMean(image: ProbeImage, region: ProbeRegion): number[] {
  const count = region.width * region.height;
  const kind = sumKind(image);
  const n = probeChannels(image).names.length;
  const decoded = image.irisLayout !== undefined || image.format.pixelFormat !== undefined;
  const w = image.format.width;
  if (kind === "bigint") {
    const at = rawBigIntReader(image);
    const sums = new Array<bigint>(n).fill(0n);
    for (let y = region.y; y < region.y + region.height; y++) {
      for (let x = region.x; x < region.x + region.width; x++) {
        const base = (y * w + x) * n;
        for (let c = 0; c < n; c++) sums[c]! += at(base + c);
      }
    }
    return sums.map((s) => exactQuotient(s, BigInt(count)));
  }
  // Channel c of pixel (x, y) as a number: raw elements directly, decoded pixels through one array per pixel.
  let sample: (x: number, y: number, c: number) => number;
  const elements = decoded ? undefined : rawElements(image);
  if (elements !== undefined && typeof elements !== "function") {
    return rawArrayMean(elements, w, n, region, kind === "integer");
  }
  if (elements !== undefined) {
    const at = elements;
    sample = (x, y, c) => at((y * w + x) * n + c);
  } else {
    const read = pixelReader(image, false);
    let lastX = -1;
    let lastY = -1;
    let last: ProbeValue[] = [];
    sample = (x, y, c) => {
      if (x !== lastX || y !== lastY) {
        last = read(x, y);
        lastX = x;
        lastY = y;
      }
      return last[c] as number;
    };
  }
  if (kind === "integer") {
    // Each row sum stays below 2^53 (a row holds < 2^21 values of < 2^32), so it is exact; rows add as bigint.
    const sums = new Array<bigint>(n).fill(0n);
    const row = new Array<number>(n);
    for (let y = region.y; y < region.y + region.height; y++) {
      row.fill(0);
      for (let x = region.x; x < region.x + region.width; x++) {
        for (let c = 0; c < n; c++) row[c]! += sample(x, y, c);
      }
      for (let c = 0; c < n; c++) sums[c]! += BigInt(row[c]!);
    }
    return sums.map((s) => exactQuotient(s, BigInt(count)));
  }
  // Neumaier-compensated float64 sums.
  const sums = new Array<number>(n).fill(0);
  const comp = new Array<number>(n).fill(0);
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      for (let c = 0; c < n; c++) {
        const v = sample(x, y, c);
        const s = sums[c]!;
        const t = s + v;
        if (Number.isFinite(t)) comp[c]! += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
        sums[c] = t;
      }
    }
  }
  return sums.map((s, c) => (Number.isFinite(s) ? (s + comp[c]!) / count : s / count));
}

/** The region mean over a typed array of raw elements: exact row sums for integers, Neumaier for floats. */
function rawArrayMean(
  a: ArrayLike<number>,
  width: number,
  n: number,
  region: ProbeRegion,
  integer: boolean,
): number[] {
  const count = region.width * region.height;
  if (integer) {
    const sums = new Array<bigint>(n).fill(0n);
    const row = new Float64Array(n);
    for (let y = region.y; y < region.y + region.height; y++) {
      row.fill(0);
      const start = (y * width + region.x) * n;
      const end = start + region.width * n;
      for (let c = 0; c < n; c++) {
        let s = 0;
        for (let i = start + c; i < end; i += n) s += a[i]!;
        row[c] = s;
      }
      for (let c = 0; c < n; c++) sums[c]! += BigInt(row[c]!);
    }
    return sums.map((s) => exactQuotient(s, BigInt(count)));
  }
  const sums = new Float64Array(n);
  const comp = new Float64Array(n);
  for (let y = region.y; y < region.y + region.height; y++) {
    const start = (y * width + region.x) * n;
    const end = start + region.width * n;
    for (let c = 0; c < n; c++) {
      let s = sums[c]!;
      let k = comp[c]!;
      for (let i = start + c; i < end; i += n) {
        const v = a[i]!;
        const t = s + v;
        if (Number.isFinite(t)) k += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
        s = t;
      }
      sums[c] = s;
      comp[c] = k;
    }
  }
  return Array.from(sums, (s, c) => (Number.isFinite(s) ? (s + comp[c]!) / count : s / count));
}

/** sum / count as a float64, with one rounding of the integer part and the fraction added. */
function exactQuotient(sum: bigint, count: bigint): number {
  const q = sum / count;
  const r = sum % count;
  return Number(q) + Number(r) / Number(count);
}
