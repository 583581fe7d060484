import { describe, expect, it } from "vitest";
import { ChannelDatatype as CD, ColorModel as CM, PixelFormat as PF } from "./enums.ts";
import { dataRangeHeuristic, finiteValueRange, rangeHeuristic } from "./value-range.ts";

const bytes = (a: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function range(values: number[], dt: CD, cm: CM = CM.L): [number, number] {
  const arr =
    dt === CD.F32
      ? new Float32Array(values)
      : dt === CD.F64
        ? new Float64Array(values)
        : dt === CD.U16
          ? new Uint16Array(values)
          : dt === CD.I16
            ? new Int16Array(values)
            : dt === CD.I8
              ? new Int8Array(values)
              : new Uint8Array(values);
  const channels = cm === CM.L ? 1 : cm === CM.RGB || cm === CM.BGR ? 3 : 4;
  return dataRangeHeuristic(bytes(arr), {
    width: values.length / channels,
    height: 1,
    colorModel: cm,
    channelDatatype: dt,
  });
}

describe("dataRangeHeuristic", () => {
  it("U8 is always [0, 255]", () => {
    expect(range([10, 20], CD.U8)).toEqual([0, 255]);
    expect(range([7, 7], CD.U8)).toEqual([0, 255]);
  });

  it("integers within [0, 255] look like U8, whatever the datatype", () => {
    expect(range([5, 200], CD.U16)).toEqual([0, 255]);
    expect(range([0, 255], CD.I16)).toEqual([0, 255]);
  });

  it("otherwise the data min/max (auto-contrast)", () => {
    expect(range([0, 1000], CD.U16)).toEqual([0, 1000]);
    expect(range([300, 65535], CD.U16)).toEqual([300, 65535]);
    expect(range([-5, 5], CD.I16)).toEqual([-5, 5]);
    expect(range([-1, 0.5], CD.F32)).toEqual([-1, 0.5]);
  });

  it("min = max outside [0, 255] widens by one", () => {
    expect(range([300, 300], CD.U16)).toEqual([299, 301]);
    expect(range([-3], CD.I8)).toEqual([-4, -2]);
  });

  it("floats: [0, 1], then [0, 255]", () => {
    expect(range([0.2, 0.8], CD.F32)).toEqual([0, 1]);
    expect(range([0.5, 0.5], CD.F64)).toEqual([0, 1]);
    expect(range([0.5, 2], CD.F32)).toEqual([0, 255]);
    expect(range([1.5], CD.F32)).toEqual([0, 255]);
    expect(range([-0.5, 0.5], CD.F32)).toEqual([-0.5, 0.5]);
  });

  it("ignores NaN and ±Infinity, alpha included in the statistics", () => {
    expect(range([NaN, 0.1, Infinity, 0.9, -Infinity], CD.F32)).toEqual([0, 1]);
    expect(range([NaN, -Infinity, 1000, 2000], CD.F64)).toEqual([1000, 2000]);
    expect(range([0.1, 0.2, 0.3, 5], CD.F32, CM.RGBA)).toEqual([0, 255]);
  });

  it("no finite value: the datatype's range", () => {
    const f32max = 3.4028234663852886e38;
    expect(range([NaN, Infinity], CD.F32)).toEqual([-f32max, f32max]);
    expect(
      finiteValueRange(bytes(new Float32Array([NaN])), { width: 1, height: 1, channelDatatype: CD.F32 }),
    ).toEqual([-f32max, f32max]);
  });

  it("F16 values are decoded", () => {
    const f16 = new Uint16Array([0x3c00, 0x5640]); // 1, 100
    expect(dataRangeHeuristic(bytes(f16), { width: 2, height: 1, channelDatatype: CD.F16 })).toEqual([
      0, 255,
    ]);
    const big = new Uint16Array([0x3c00, 0x7bff]); // 1, 65504
    expect(dataRangeHeuristic(bytes(big), { width: 2, height: 1, channelDatatype: CD.F16 })).toEqual([
      1, 65504,
    ]);
  });

  it("pixel formats are [0, 255]", () => {
    expect(dataRangeHeuristic(new Uint8Array(6), { width: 2, height: 2, pixelFormat: PF.NV12 })).toEqual([
      0, 255,
    ]);
  });

  it("rangeHeuristic on its own", () => {
    expect(rangeHeuristic(0, 1, true)).toEqual([0, 1]);
    expect(rangeHeuristic(0, 1, false)).toEqual([0, 255]);
    expect(rangeHeuristic(-1, -1, false)).toEqual([-2, 0]);
    expect(rangeHeuristic(256, 256, true)).toEqual([255, 257]);
  });
});
