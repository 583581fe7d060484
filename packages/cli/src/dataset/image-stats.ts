import {
  ChannelDatatype,
  type ImageFormat,
  channelDatatypeBytes,
  colorModelChannels,
  dataViewOf,
  effectiveChannelDatatype,
  effectiveColorModel,
  imageSizeBytes,
  readChannelValue,
} from "@iris/types";

/** Per-channel statistics of one image, channels in the order they are stored (B, G, R for BGR). */
export interface ImageStats {
  readonly min: number[];
  readonly max: number[];
  readonly mean: number[];
}

/**
 * Min, max and mean of every channel of an uncompressed image (colour model + channel datatype). NaN and ±∞
 * float values are left out (a channel with no finite value has min/max/mean NaN). Returns undefined for
 * pixel-format images (YUV, Bayer: no per-channel layout) and when the buffer size does not match the format.
 */
export function imageStats(bytes: Uint8Array, format: ImageFormat): ImageStats | undefined {
  if (format.pixelFormat !== undefined) return undefined;
  let expected: number;
  try {
    expected = imageSizeBytes(format);
  } catch {
    return undefined;
  }
  if (bytes.length !== expected) return undefined;
  const channels = colorModelChannels(effectiveColorModel(format));
  const datatype = effectiveChannelDatatype(format);
  const min = new Array<number>(channels).fill(Infinity);
  const max = new Array<number>(channels).fill(-Infinity);
  const sum = new Array<number>(channels).fill(0);
  const count = new Array<number>(channels).fill(0);
  if (datatype === ChannelDatatype.U8) {
    // The common case, without a DataView call per value.
    const n = bytes.length;
    for (let c = 0; c < channels; c++) {
      let lo = 255;
      let hi = 0;
      let s = 0;
      for (let i = c; i < n; i += channels) {
        const v = bytes[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        s += v;
      }
      min[c] = lo;
      max[c] = hi;
      sum[c] = s;
      count[c] = n / channels;
    }
  } else {
    const view = dataViewOf(bytes);
    const step = channelDatatypeBytes(datatype);
    const values = bytes.length / step;
    for (let i = 0; i < values; i++) {
      const v = readChannelValue(view, datatype, i * step);
      if (!Number.isFinite(v)) continue;
      const c = i % channels;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
      sum[c]! += v;
      count[c]!++;
    }
  }
  const mean = sum.map((s, c) => (count[c]! > 0 ? s / count[c]! : NaN));
  return {
    min: min.map((v, c) => (count[c]! > 0 ? v : NaN)),
    max: max.map((v, c) => (count[c]! > 0 ? v : NaN)),
    mean,
  };
}
