/**
 * Typed views of an image buffer for `texImage2D`, plus the finite value range of the data.
 *
 * Views are zero-copy when the buffer is aligned for the datatype; otherwise the bytes are copied once.
 * Multi-byte values are read in the host's byte order, which is little-endian in every browser Iris targets
 * (the Rerun buffer convention).
 */
import { ChannelDatatype, type ChannelImageFormat } from "./gpu-image-format.ts";

export interface SourceData {
  /** What `texImage2D` receives (its element type matches the texture's `type`). */
  readonly data: ArrayBufferView;
  /**
   * Stored value = raw value − `valueOffset`. Zero except for U64/I64/F64, which are stored as float32 relative
   * to the data minimum to keep as much precision as possible for narrow ranges at large magnitudes.
   */
  readonly valueOffset: number;
  /** Min and max of all finite channel values (alpha included); undefined when there is none. */
  readonly finiteRange: readonly [number, number] | undefined;
}

/** IEEE 754 binary16 bit pattern → number. */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function aligned(bytes: Uint8Array, bytesPerElement: number): ArrayBuffer {
  if (bytes.byteOffset % bytesPerElement === 0 && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer;
}

function view<T>(
  bytes: Uint8Array,
  bytesPerElement: number,
  make: (buffer: ArrayBuffer, byteOffset: number, length: number) => T,
): T {
  const buffer = aligned(bytes, bytesPerElement);
  const offset = buffer === bytes.buffer ? bytes.byteOffset : 0;
  return make(buffer, offset, bytes.byteLength / bytesPerElement);
}

interface NumberList {
  readonly length: number;
  readonly [index: number]: number;
}

function finiteMinMax(
  values: NumberList,
  map?: (x: number) => number,
): readonly [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = map === undefined ? values[i]! : map(values[i]!);
    if (v < min && v !== -Infinity) min = v;
    if (v > max && v !== Infinity) max = v;
  }
  return min <= max ? [min, max] : undefined;
}

/**
 * Typed view and value statistics of `bytes` (whose size `format` already validated).
 * U64/I64/F64 are converted here, once, to float32 (`value − valueOffset`): integers above 2^24 and doubles
 * lose precision (float32 has a 24-bit significand), values beyond ±3.4e38 become ±Infinity.
 */
export function sourceDataOf(bytes: Uint8Array, format: ChannelImageFormat): SourceData {
  const skipRange = format.channelDatatype === ChannelDatatype.U8;
  const result = (data: ArrayBufferView & NumberList, map?: (x: number) => number): SourceData => ({
    data,
    valueOffset: 0,
    finiteRange: skipRange ? undefined : finiteMinMax(data, map),
  });
  switch (format.channelDatatype) {
    case ChannelDatatype.U8:
      return result(bytes);
    case ChannelDatatype.I8:
      return result(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    case ChannelDatatype.U16:
      return result(view(bytes, 2, (b, o, n) => new Uint16Array(b, o, n)));
    case ChannelDatatype.I16:
      return result(view(bytes, 2, (b, o, n) => new Int16Array(b, o, n)));
    case ChannelDatatype.U32:
      return result(view(bytes, 4, (b, o, n) => new Uint32Array(b, o, n)));
    case ChannelDatatype.I32:
      return result(view(bytes, 4, (b, o, n) => new Int32Array(b, o, n)));
    case ChannelDatatype.F16:
      return result(
        view(bytes, 2, (b, o, n) => new Uint16Array(b, o, n)),
        float16BitsToNumber,
      );
    case ChannelDatatype.F32:
      return result(view(bytes, 4, (b, o, n) => new Float32Array(b, o, n)));
    case ChannelDatatype.U64:
    case ChannelDatatype.I64:
    case ChannelDatatype.F64:
      return narrow64(bytes, format.channelDatatype);
  }
}

function narrow64(bytes: Uint8Array, dt: ChannelDatatype): SourceData {
  const count = bytes.byteLength / 8;
  const dataView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read =
    dt === ChannelDatatype.U64
      ? (i: number) => Number(dataView.getBigUint64(8 * i, true))
      : dt === ChannelDatatype.I64
        ? (i: number) => Number(dataView.getBigInt64(8 * i, true))
        : (i: number) => dataView.getFloat64(8 * i, true);
  // Two passes over the bytes rather than a float64 copy of the whole image (twice the float32 result's size).
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = read(i);
    if (v < min && v !== -Infinity) min = v;
    if (v > max && v !== Infinity) max = v;
  }
  const finiteRange: readonly [number, number] | undefined = min <= max ? [min, max] : undefined;
  const valueOffset = finiteRange === undefined ? 0 : finiteRange[0];
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = read(i) - valueOffset;
  return { data, valueOffset, finiteRange };
}

/**
 * Rerun's `data_range_heuristic`, restated: float data within [0, 1] → [0, 1]; data within [0, 255] →
 * [0, 255] (any datatype); min = max → [min − 1, max + 1]; else [min, max]. Without finite data: the
 * datatype's range (as Rerun's `ImageStats::finite_range`). U8 is always [0, 255].
 */
export function defaultValueRange(
  format: ChannelImageFormat,
  finiteRange: readonly [number, number] | undefined,
): [number, number] {
  if (format.channelDatatype === ChannelDatatype.U8) return [0, 255];
  if (finiteRange === undefined) return datatypeRange(format.channelDatatype);
  const [min, max] = finiteRange;
  if (format.isFloat && min >= 0 && max <= 1) return [0, 1];
  if (min >= 0 && max <= 255) return [0, 255];
  if (min === max) return [min - 1, max + 1];
  return [min, max];
}

/**
 * Rerun's `image_decode_srgb_gamma_heuristic` for colour (3/4-channel) images: when the finite values (the
 * datatype's range when there are none) are not all within [0, 255], the normalised colour is treated as
 * linear and shown sRGB-encoded. U8 and single-channel images: false.
 */
export function colorValuesAreLinear(
  format: ChannelImageFormat,
  finiteRange: readonly [number, number] | undefined,
): boolean {
  if (format.channels === 1 || format.channelDatatype === ChannelDatatype.U8) return false;
  const [min, max] = finiteRange ?? datatypeRange(format.channelDatatype);
  return !(min >= 0 && max <= 255);
}

function datatypeRange(dt: ChannelDatatype): [number, number] {
  switch (dt) {
    case ChannelDatatype.U8:
      return [0, 255];
    case ChannelDatatype.I8:
      return [-128, 127];
    case ChannelDatatype.U16:
      return [0, 65535];
    case ChannelDatatype.I16:
      return [-32768, 32767];
    case ChannelDatatype.U32:
      return [0, 4294967295];
    case ChannelDatatype.I32:
      return [-2147483648, 2147483647];
    case ChannelDatatype.U64:
      return [0, 2 ** 64 - 1];
    case ChannelDatatype.I64:
      return [-(2 ** 63), 2 ** 63 - 1];
    case ChannelDatatype.F16:
      return [-65504, 65504];
    case ChannelDatatype.F32:
      return [-3.4028234663852886e38, 3.4028234663852886e38];
    case ChannelDatatype.F64:
      return [-Number.MAX_VALUE, Number.MAX_VALUE];
  }
}
