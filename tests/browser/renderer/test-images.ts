/**
 * Deterministic test images for the renderer conformance suite (run inside the browser page).
 * Values cover each datatype's whole range (including its extremes), floats include NaN and ±Infinity.
 */
import {
  ChannelDatatype as CD,
  ColorModel as CM,
  PixelFormat,
  float32ToFloat16,
  imageSizeBytes,
} from "@iris/types";
import type { ImageFormat } from "@iris/types";

/** A small integer hash (xorshift-multiply), deterministic across runs. */
export function hash(i: number, seed: number): number {
  let x = Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(seed + 7, 0x85ebca6b);
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39);
  x ^= x >>> 15;
  return x >>> 0;
}

export const colorModels = [CM.L, CM.RGB, CM.RGBA, CM.BGR, CM.BGRA] as const;
export const datatypes = [
  CD.U8,
  CD.I8,
  CD.U16,
  CD.I16,
  CD.U32,
  CD.I32,
  CD.U64,
  CD.I64,
  CD.F16,
  CD.F32,
  CD.F64,
] as const;
export const pixelFormats = Object.values(PixelFormat);

const floatSpecials = [NaN, Infinity, -Infinity];

/** Channel values for `count` channels; `variant` "wide" spans the type, "narrow" stays inside [0, 1]/[0, 255]. */
export function channelBytes(
  dt: number,
  count: number,
  seed: number,
  variant: "wide" | "narrow",
): Uint8Array {
  const view = (bytesPer: number): { bytes: Uint8Array; dv: DataView } => {
    const bytes = new Uint8Array(count * bytesPer);
    return { bytes, dv: new DataView(bytes.buffer) };
  };
  const h = (i: number): number => hash(i, seed);
  const narrow = variant === "narrow";
  switch (dt) {
    case CD.U8:
    case CD.I8: {
      const { bytes } = view(1);
      for (let i = 0; i < count; i++) bytes[i] = i === 0 ? 0 : i === 1 ? 255 : h(i) & 0xff;
      if (narrow && dt === CD.I8) for (let i = 0; i < count; i++) bytes[i] = bytes[i]! & 0x7f;
      return bytes;
    }
    case CD.U16:
    case CD.I16: {
      const { bytes, dv } = view(2);
      for (let i = 0; i < count; i++) {
        let v = i === 0 ? 0 : i === 1 ? 0xffff : i === 2 ? 0x7fff : i === 3 ? 0x8000 : h(i) & 0xffff;
        if (narrow) v &= 0xff;
        dv.setUint16(2 * i, v, true);
      }
      return bytes;
    }
    case CD.U32:
    case CD.I32: {
      const { bytes, dv } = view(4);
      for (let i = 0; i < count; i++) {
        let v = i === 0 ? 0 : i === 1 ? 0xffffffff : i === 2 ? 0x7fffffff : i === 3 ? 0x80000000 : h(i);
        if (narrow) v &= 0xff;
        dv.setUint32(4 * i, v >>> 0, true);
      }
      return bytes;
    }
    case CD.U64:
    case CD.I64: {
      const { bytes, dv } = view(8);
      for (let i = 0; i < count; i++) {
        let v =
          i === 0
            ? 0n
            : i === 1
              ? 0xffffffffffffffffn
              : i === 2
                ? 0x7fffffffffffffffn
                : i === 3
                  ? 0x8000000000000000n
                  : (BigInt(h(i)) << 32n) | BigInt(h(i + 1000));
        if (narrow) v &= 0xffn;
        dv.setBigUint64(8 * i, v, true);
      }
      return bytes;
    }
    case CD.F16:
    case CD.F32:
    case CD.F64: {
      const bytesPer = dt === CD.F16 ? 2 : dt === CD.F32 ? 4 : 8;
      const { bytes, dv } = view(bytesPer);
      for (let i = 0; i < count; i++) {
        // Wide: −3.5 … 12.5 in steps of 1/8 (exact in F16), specials at indices 5, 9, 13. Narrow: 0 … 1.
        let v = narrow ? (h(i) % 257) / 256 : ((h(i) % 129) - 28) / 8;
        if (!narrow && i >= 5 && (i - 5) % 4 === 0 && i <= 13) v = floatSpecials[(i - 5) / 4]!;
        if (dt === CD.F16) dv.setUint16(2 * i, float32ToFloat16(v), true);
        else if (dt === CD.F32) dv.setFloat32(4 * i, v, true);
        else dv.setFloat64(8 * i, v, true);
      }
      return bytes;
    }
    default:
      throw new Error(`unknown datatype ${dt}`);
  }
}

export interface TestImage {
  readonly name: string;
  readonly format: ImageFormat;
  readonly bytes: Uint8Array;
}

export function colorModelImage(
  width: number,
  height: number,
  colorModel: number,
  channelDatatype: number,
  variant: "wide" | "narrow" = "wide",
): TestImage {
  const format = { width, height, colorModel, channelDatatype } as ImageFormat;
  const channels = colorModel === CM.L ? 1 : colorModel === CM.RGB || colorModel === CM.BGR ? 3 : 4;
  return {
    name: `${width}x${height} cm${colorModel} dt${channelDatatype} ${variant}`,
    format,
    bytes: channelBytes(
      channelDatatype,
      width * height * channels,
      colorModel * 100 + channelDatatype,
      variant,
    ),
  };
}

export function pixelFormatImage(width: number, height: number, pixelFormat: number): TestImage {
  const format = { width, height, pixelFormat } as ImageFormat;
  const bytes = new Uint8Array(imageSizeBytes(format));
  for (let i = 0; i < bytes.length; i++) bytes[i] = hash(i, pixelFormat) & 0xff;
  return { name: `${width}x${height} pf${pixelFormat}`, format, bytes };
}
