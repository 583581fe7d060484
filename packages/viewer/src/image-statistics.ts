import {
  type ImageFormat,
  channelDatatypeBytes,
  colorModelChannels,
  dataViewOf,
  effectiveChannelDatatype,
  effectiveColorModel,
  readChannelValue,
} from "@iris/types";

/** Finite values of channel 0 of an image (all of them, or an even sample of at most `maxSamples`). */
export function sampleChannelValues(
  bytes: Uint8Array,
  format: ImageFormat,
  maxSamples = 1 << 20,
): Float64Array {
  const dt = effectiveChannelDatatype(format);
  const channels = colorModelChannels(effectiveColorModel(format));
  const size = channelDatatypeBytes(dt);
  const pixels = format.width * format.height;
  const stride = Math.max(1, Math.floor(pixels / maxSamples));
  const view = dataViewOf(bytes);
  const out = new Float64Array(Math.ceil(pixels / stride));
  let n = 0;
  for (let p = 0; p < pixels; p += stride) {
    const v = readChannelValue(view, dt, p * channels * size);
    if (Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** The `lo` and `hi` percentiles (0–100) of the values: Iris's auto-contrast. */
export function percentileRange(values: Float64Array, lo = 1, hi = 99): [number, number] {
  if (values.length === 0) return [0, 1];
  const sorted = Float64Array.from(values).sort();
  const at = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))]!;
  const a = at(lo);
  const b = at(hi);
  return a === b ? [a - 1, b + 1] : [a, b];
}

/** A histogram of the values over [min, max] in `bins` bins. */
export function histogram(values: Float64Array, range: readonly [number, number], bins = 64): Uint32Array {
  const counts = new Uint32Array(bins);
  const [min, max] = range;
  const scale = max > min ? bins / (max - min) : 0;
  for (const v of values) {
    const b = Math.floor((v - min) * scale);
    counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]! += 1;
  }
  return counts;
}
