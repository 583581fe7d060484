import { type ChannelDatatype, ChannelDatatype as CD } from "./enums.ts";
import { float16ToFloat32 } from "./float16.ts";

/** A little-endian DataView over exactly the given bytes. */
export function dataViewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads one channel value of datatype `dt` at `byteOffset`, little-endian, as a number: U64/I64 via `Number`
 * (precision loss above 2^53), F16 decoded from its bit pattern.
 */
export function readChannelValue(view: DataView, dt: ChannelDatatype, byteOffset: number): number {
  switch (dt) {
    case CD.U8:
      return view.getUint8(byteOffset);
    case CD.I8:
      return view.getInt8(byteOffset);
    case CD.U16:
      return view.getUint16(byteOffset, true);
    case CD.I16:
      return view.getInt16(byteOffset, true);
    case CD.U32:
      return view.getUint32(byteOffset, true);
    case CD.I32:
      return view.getInt32(byteOffset, true);
    case CD.U64:
      return Number(view.getBigUint64(byteOffset, true));
    case CD.I64:
      return Number(view.getBigInt64(byteOffset, true));
    case CD.F16:
      return float16ToFloat32(view.getUint16(byteOffset, true));
    case CD.F32:
      return view.getFloat32(byteOffset, true);
    case CD.F64:
      return view.getFloat64(byteOffset, true);
  }
}
