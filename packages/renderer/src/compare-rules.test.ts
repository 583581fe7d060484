import { describe, expect, it } from "vitest";
import { type ComparableImage, planDifference } from "./compare-rules.ts";
import { ChannelDatatype, ColorModel, PixelFormat, resolveGpuImageFormat } from "./gpu-image-format.ts";
import { RendererError } from "./renderer-error.ts";

function image(
  desc: Parameters<typeof resolveGpuImageFormat>[0],
  finiteRange?: readonly [number, number],
): ComparableImage {
  const format = resolveGpuImageFormat(desc);
  return { width: format.width, height: format.height, format, finiteRange };
}

const rgb = (w: number, h: number): ComparableImage =>
  image({ width: w, height: h, colorModel: ColorModel.RGB, bytes: new Uint8Array(w * h * 3) });
const l = (
  w: number,
  h: number,
  dt: ChannelDatatype,
  bytesPer: number,
  range?: [number, number],
): ComparableImage =>
  image({ width: w, height: h, channelDatatype: dt, bytes: new Uint8Array(w * h * bytesPer) }, range);

describe("planDifference", () => {
  it("8-bit images of any layout compare as 8-bit (peak 255): RGB, YUV, L", () => {
    const nv12 = image({ width: 4, height: 2, pixelFormat: PixelFormat.NV12, bytes: new Uint8Array(12) });
    expect(planDifference(rgb(4, 2), nv12)).toMatchObject({ channels: 3, domain: "8-bit", peak: 255 });
    expect(planDifference(l(4, 2, ChannelDatatype.U8, 1), l(4, 2, ChannelDatatype.U8, 1))).toMatchObject({
      channels: 1,
    });
    expect(planDifference(l(4, 2, ChannelDatatype.U8, 1), rgb(4, 2)).channels).toBe(3);
  });

  it("alpha against no alpha compares 4 channels (the missing alpha is opaque)", () => {
    const rgba = image({ width: 2, height: 2, colorModel: ColorModel.RGBA, bytes: new Uint8Array(16) });
    expect(planDifference(rgba, rgb(2, 2))).toMatchObject({
      channels: 4,
      opaqueValueA: 255,
      opaqueValueB: 255,
    });
  });

  it("integer peaks are the datatype's range; float peaks the data range of both images", () => {
    expect(planDifference(l(2, 2, ChannelDatatype.U16, 2), l(2, 2, ChannelDatatype.U16, 2)).peak).toBe(65535);
    expect(planDifference(l(2, 2, ChannelDatatype.I16, 2), l(2, 2, ChannelDatatype.I16, 2)).peak).toBe(65535);
    const f = planDifference(
      l(2, 2, ChannelDatatype.F32, 4, [-1, 3]),
      l(2, 2, ChannelDatatype.F16, 2, [0.5, 7]),
    );
    expect(f).toMatchObject({ domain: "float", peak: 8 });
    expect(
      planDifference(l(2, 2, ChannelDatatype.F32, 4, [2, 2]), l(2, 2, ChannelDatatype.F32, 4)).peak,
    ).toBe(undefined);
  });

  it("refuses different sizes and different value kinds with a typed error", () => {
    const size = (): unknown => planDifference(rgb(4, 2), rgb(2, 4));
    expect(size).toThrow(RendererError);
    expect(size).toThrow("A is 4×2, B is 2×4");
    try {
      planDifference(l(2, 2, ChannelDatatype.F32, 4), l(2, 2, ChannelDatatype.U16, 2));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({
        kind: "incompatible-images",
        expected: "float values",
        actual: "U16 values",
      });
    }
  });
});
