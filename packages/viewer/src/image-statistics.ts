import {
  ChannelDatatype,
  type ImageFormat,
  channelDatatypeBytes,
  colorModelChannels,
  dataViewOf,
  effectiveChannelDatatype,
  effectiveColorModel,
  readChannelValue,
} from "@iris/types";

/** Default number of channel values the statistics look at (an even sample of larger images). */
export const DEFAULT_MAX_SAMPLES = 1 << 20;

/** Sorted or unsorted channel values: float32 when the datatype's values are exact in it, else float64. */
export type ChannelValues = Float32Array | Float64Array;

/**
 * Calls `visit` with each finite value of channel 0 of an image (every pixel, or every `stride`-th pixel so that
 * about `maxSamples` are visited), read in place from the image's bytes: nothing is copied.
 */
export function forEachChannelValue(
  bytes: Uint8Array,
  format: ImageFormat,
  visit: (value: number) => void,
  maxSamples = DEFAULT_MAX_SAMPLES,
): void {
  const dt = effectiveChannelDatatype(format);
  const channels = colorModelChannels(effectiveColorModel(format));
  const pixelBytes = channels * channelDatatypeBytes(dt);
  const pixels = format.width * format.height;
  const stride = sampleStride(pixels, maxSamples);
  const view = dataViewOf(bytes);
  for (let p = 0; p < pixels; p += stride) {
    const v = readChannelValue(view, dt, p * pixelBytes);
    if (Number.isFinite(v)) visit(v);
  }
}

/**
 * Finite values of channel 0 of an image (all of them, or an even sample of about `maxSamples`), as float32 when
 * that holds the datatype's values exactly (8/16-bit integers, F16, F32), else as float64.
 */
export function sampleChannelValues(
  bytes: Uint8Array,
  format: ImageFormat,
  maxSamples = DEFAULT_MAX_SAMPLES,
): ChannelValues {
  const pixels = format.width * format.height;
  const count = Math.ceil(pixels / sampleStride(pixels, maxSamples));
  const out = exactInFloat32(effectiveChannelDatatype(format))
    ? new Float32Array(count)
    : new Float64Array(count);
  let n = 0;
  forEachChannelValue(bytes, format, (v) => (out[n++] = v), maxSamples);
  return out.subarray(0, n);
}

/** The `lo` and `hi` percentiles (0–100) of the values: Iris's auto-contrast. Leaves `values` as it is. */
export function percentileRange(values: ChannelValues, lo = 1, hi = 99): [number, number] {
  return sortedPercentileRange(values.slice().sort(), lo, hi);
}

/**
 * `percentileRange` of an image's channel 0 sample (`sampleChannelValues`), read from its bytes. The sample is a
 * temporary: keep the two numbers, not the values.
 */
export function channelPercentileRange(
  bytes: Uint8Array,
  format: ImageFormat,
  lo = 1,
  hi = 99,
  maxSamples = DEFAULT_MAX_SAMPLES,
): [number, number] {
  return sortedPercentileRange(sampleChannelValues(bytes, format, maxSamples).sort(), lo, hi);
}

function sortedPercentileRange(sorted: ChannelValues, lo: number, hi: number): [number, number] {
  if (sorted.length === 0) return [0, 1];
  const at = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))]!;
  const a = at(lo);
  const b = at(hi);
  return a === b ? [a - 1, b + 1] : [a, b];
}

/** A histogram of the values over [min, max] in `bins` bins (values outside go to the first / last bin). */
export function histogram(
  values: ArrayLike<number>,
  range: readonly [number, number],
  bins = 64,
): Uint32Array {
  const h = histogramCounter(range, bins);
  for (let i = 0; i < values.length; i++) h.add(values[i]!);
  return h.counts;
}

/** `histogram` of an image's channel 0 sample, counted while reading its bytes (no copy of the values). */
export function channelHistogram(
  bytes: Uint8Array,
  format: ImageFormat,
  range: readonly [number, number],
  bins = 64,
  maxSamples = DEFAULT_MAX_SAMPLES,
): Uint32Array {
  const h = histogramCounter(range, bins);
  forEachChannelValue(bytes, format, h.add, maxSamples);
  return h.counts;
}

function histogramCounter(
  range: readonly [number, number],
  bins: number,
): { counts: Uint32Array; add: (v: number) => void } {
  const counts = new Uint32Array(bins);
  const [min, max] = range;
  const scale = max > min ? bins / (max - min) : 0;
  return {
    counts,
    add: (v) => {
      const b = Math.floor((v - min) * scale);
      counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]! += 1;
    },
  };
}

/** Every pixel up to `maxSamples` pixels, else every `stride`-th (as many as ⌈pixels / stride⌉ samples). */
function sampleStride(pixels: number, maxSamples: number): number {
  return Math.max(1, Math.floor(pixels / maxSamples));
}

function exactInFloat32(dt: ChannelDatatype): boolean {
  return channelDatatypeBytes(dt) <= 2 || dt === ChannelDatatype.F32;
}
