import {
  type ChannelDatatype,
  ChannelDatatype as CD,
  channelDatatypeBytes,
  colorModelChannels,
  isFloatDatatype,
} from "./enums.ts";
import { dataViewOf, readChannelValue } from "./channel-reader.ts";
import {
  type ImageFormat,
  effectiveChannelDatatype,
  effectiveColorModel,
  validateImageBuffer,
} from "./image-format.ts";

const F32_MAX = 3.4028234663852886e38;

/** The [min, max] a datatype can represent (U64/I64 as the nearest Number). */
export function datatypeValueRange(dt: ChannelDatatype): [number, number] {
  switch (dt) {
    case CD.U8:
      return [0, 255];
    case CD.I8:
      return [-128, 127];
    case CD.U16:
      return [0, 65535];
    case CD.I16:
      return [-32768, 32767];
    case CD.U32:
      return [0, 4294967295];
    case CD.I32:
      return [-2147483648, 2147483647];
    case CD.U64:
      return [0, 2 ** 64 - 1];
    case CD.I64:
      return [-(2 ** 63), 2 ** 63 - 1];
    case CD.F16:
      return [-65504, 65504];
    case CD.F32:
      return [-F32_MAX, F32_MAX];
    case CD.F64:
      return [-Number.MAX_VALUE, Number.MAX_VALUE];
  }
}

/**
 * Min and max of all finite channel values of the image (alpha included; NaN and ±Infinity ignored), as Rerun's
 * `ImageStats::finite_range`: the datatype's range when there is no finite value, (0, 255) for pixel formats.
 */
export function finiteValueRange(bytes: Uint8Array, f: ImageFormat): [number, number] {
  validateImageBuffer(bytes, f);
  if (f.pixelFormat !== undefined) return [0, 255];
  const dt = effectiveChannelDatatype(f);
  const bpe = channelDatatypeBytes(dt);
  const count = f.width * f.height * colorModelChannels(effectiveColorModel(f));
  const view = dataViewOf(bytes);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = readChannelValue(view, dt, i * bpe);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Comparisons with NaN are false, so NaN never lands in min/max; ±Infinity needs filtering.
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = Infinity;
    max = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = readChannelValue(view, dt, i * bpe);
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? [min, max] : datatypeValueRange(dt);
}

/**
 * Rerun's `data_range_heuristic` on a finite [min, max]: float data within [0, 1] → [0, 1]; else data within
 * [0, 255] → [0, 255] (whatever the datatype); min = max → [min − 1, max + 1]; else [min, max].
 */
export function rangeHeuristic(min: number, max: number, isFloat: boolean): [number, number] {
  if (isFloat && min >= 0 && max <= 1) return [0, 1];
  if (min >= 0 && max <= 255) return [0, 255];
  if (min === max) return [min - 1, max + 1];
  return [min, max];
}

/** The value range the viewer normalises an image with (finite min/max + `rangeHeuristic`). */
export function dataRangeHeuristic(bytes: Uint8Array, f: ImageFormat): [number, number] {
  const [min, max] = finiteValueRange(bytes, f);
  const isFloat = f.pixelFormat === undefined && isFloatDatatype(effectiveChannelDatatype(f));
  return rangeHeuristic(min, max, isFloat);
}
