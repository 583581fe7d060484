import {
  type ChannelDatatype,
  ChannelDatatype as CD,
  channelDatatypeBytes,
  channelDatatypeName,
} from "./enums.ts";
import { ImageFormatError } from "./image-format-error.ts";

/** Typed arrays an image's channel values may come in. F16 data comes as a `Uint16Array` of bit patterns. */
export type PixelArray =
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

function arrayName(a: unknown): string {
  if (typeof a === "object" && a !== null) return a.constructor?.name ?? "object";
  return typeof a;
}

function inferDatatype(a: unknown): ChannelDatatype | undefined {
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return CD.U8;
  if (a instanceof Int8Array) return CD.I8;
  if (a instanceof Uint16Array) return CD.U16;
  if (a instanceof Int16Array) return CD.I16;
  if (a instanceof Uint32Array) return CD.U32;
  if (a instanceof Int32Array) return CD.I32;
  if (a instanceof BigUint64Array) return CD.U64;
  if (a instanceof BigInt64Array) return CD.I64;
  if (a instanceof Float32Array) return CD.F32;
  if (a instanceof Float64Array) return CD.F64;
  return undefined;
}

const SUPPORTED =
  "Uint8Array, Uint8ClampedArray, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, " +
  "BigUint64Array, BigInt64Array, Float32Array, Float64Array";

/**
 * The channel datatype a typed array stands for (Uint16Array → U16, Float32Array → F32, …). F16 is never
 * inferred — pass it explicitly with a Uint16Array of bit patterns. Anything else → "unsupported-array".
 */
export function datatypeOfArray(a: PixelArray): ChannelDatatype {
  const dt = inferDatatype(a);
  if (dt === undefined) {
    throw new ImageFormatError(
      "unsupported-array",
      `Unsupported pixel array ${arrayName(a)}; expected one of ${SUPPORTED}`,
      {
        expected: SUPPORTED,
        actual: arrayName(a),
      },
    );
  }
  return dt;
}

/**
 * Throws unless `a` holds values of datatype `dt`: "float16-backing" when F16 is not backed by a Uint16Array,
 * "element-size" when the element sizes differ (Float32Array for U16), "datatype-mismatch" when they agree
 * but the interpretation does not (Int16Array for U16), "unsupported-array" for anything that is not a PixelArray.
 */
export function checkArrayMatchesDatatype(a: PixelArray, dt: ChannelDatatype): void {
  const actual = datatypeOfArray(a);
  const name = channelDatatypeName(dt);
  if (dt === CD.F16) {
    if (!(a instanceof Uint16Array)) {
      throw new ImageFormatError(
        "float16-backing",
        `F16 channel values must come as a Uint16Array of half-float bit patterns, got ${arrayName(a)}`,
        { expected: "Uint16Array", actual: arrayName(a) },
      );
    }
    return;
  }
  if (actual === dt) return;
  const wantBytes = channelDatatypeBytes(dt);
  const haveBytes = channelDatatypeBytes(actual);
  if (wantBytes !== haveBytes) {
    throw new ImageFormatError(
      "element-size",
      `${arrayName(a)} has ${haveBytes}-byte elements but datatype ${name} needs ${wantBytes}-byte elements`,
      { expected: `${name} (${wantBytes} bytes)`, actual: `${arrayName(a)} (${haveBytes} bytes)` },
    );
  }
  throw new ImageFormatError(
    "datatype-mismatch",
    `${arrayName(a)} holds ${channelDatatypeName(actual)} values, but datatype ${name} was given`,
    { expected: name, actual: `${arrayName(a)} (${channelDatatypeName(actual)})` },
  );
}

/** Zero-copy byte view of a typed array's elements (same buffer, offset and length). */
export function bytesOfArray(a: PixelArray): Uint8Array {
  datatypeOfArray(a);
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Zero-copy byte view of a whole ArrayBuffer; "element-size" unless its length is a multiple of `dt`'s size. */
export function bytesFromArrayBuffer(buf: ArrayBufferLike, dt: ChannelDatatype): Uint8Array {
  const size = channelDatatypeBytes(dt);
  if (buf.byteLength % size !== 0) {
    throw new ImageFormatError(
      "element-size",
      `Buffer of ${buf.byteLength} bytes is not a multiple of the ${size}-byte ${channelDatatypeName(dt)} element size`,
      { expected: `multiple of ${size}`, actual: buf.byteLength },
    );
  }
  return new Uint8Array(buf);
}
