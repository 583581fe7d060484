import { describe, expect, it } from "vitest";
import {
  ChannelDatatype,
  type ChannelImageFormat,
  ColorModel,
  resolveGpuImageFormat,
} from "./gpu-image-format.ts";
import { defaultValueRange, float16BitsToNumber, sourceDataOf } from "./source-data.ts";

function channelFormat(
  channelDatatype: ChannelDatatype,
  bytes: Uint8Array,
  width: number,
): ChannelImageFormat {
  const f = resolveGpuImageFormat({ width, height: 1, colorModel: ColorModel.L, channelDatatype, bytes });
  if (f.kind !== "channels") throw new Error("expected a channel format");
  return f;
}

describe("sourceDataOf", () => {
  it("decodes float16 bit patterns", () => {
    expect(float16BitsToNumber(0x3c00)).toBe(1);
    expect(float16BitsToNumber(0xc000)).toBe(-2);
    expect(float16BitsToNumber(0x7bff)).toBe(65504);
    expect(float16BitsToNumber(0x0001)).toBe(2 ** -24);
    expect(float16BitsToNumber(0x7c00)).toBe(Infinity);
    expect(float16BitsToNumber(0x7e00)).toBeNaN();
  });

  it("views aligned buffers without copying and copies unaligned ones", () => {
    const backing = new Uint8Array(9);
    const aligned = backing.subarray(0, 8);
    const unaligned = backing.subarray(1, 9);
    expect(sourceDataOf(aligned, channelFormat(ChannelDatatype.U16, aligned, 4)).data.buffer).toBe(
      backing.buffer,
    );
    expect(sourceDataOf(unaligned, channelFormat(ChannelDatatype.U16, unaligned, 4)).data.buffer).not.toBe(
      backing.buffer,
    );
  });

  it("ignores NaN/±Inf in the finite range and narrows 64-bit values relative to their minimum", () => {
    const f64 = new Float64Array([NaN, 1e12 + 3, Infinity, 1e12, -Infinity]);
    const bytes = new Uint8Array(f64.buffer);
    const source = sourceDataOf(bytes, channelFormat(ChannelDatatype.F64, bytes, 5));
    expect(source.finiteRange).toEqual([1e12, 1e12 + 3]);
    expect(source.valueOffset).toBe(1e12);
    expect(Array.from(source.data as Float32Array)).toEqual([NaN, 3, Infinity, 0, -Infinity]);
  });

  it("applies Rerun's range heuristic", () => {
    const make = (dt: ChannelDatatype, values: number[]): [number, number] => {
      const typed =
        dt === ChannelDatatype.F32
          ? new Float32Array(values)
          : dt === ChannelDatatype.I16
            ? new Int16Array(values)
            : new Uint16Array(values);
      const bytes = new Uint8Array(typed.buffer);
      const format = channelFormat(dt, bytes, values.length);
      return defaultValueRange(format, sourceDataOf(bytes, format).finiteRange);
    };
    expect(make(ChannelDatatype.F32, [0, 0.5, 1])).toEqual([0, 1]);
    expect(make(ChannelDatatype.F32, [0, 0.5, 2])).toEqual([0, 255]);
    expect(make(ChannelDatatype.U16, [7, 7])).toEqual([0, 255]);
    expect(make(ChannelDatatype.U16, [300, 300])).toEqual([299, 301]);
    expect(make(ChannelDatatype.I16, [-5, 1000])).toEqual([-5, 1000]);
    expect(make(ChannelDatatype.F32, [NaN, NaN])).toEqual([-3.4028234663852886e38, 3.4028234663852886e38]);
  });
});
