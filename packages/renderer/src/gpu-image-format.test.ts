import { describe, expect, it } from "vitest";
import {
  ChannelDatatype,
  ColorModel,
  PixelFormat,
  YuvLayout,
  resolveGpuImageFormat,
} from "./gpu-image-format.ts";
import { RendererError } from "./renderer-error.ts";

function kindOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (error) {
    return error instanceof RendererError ? error.kind : "other";
  }
}

describe("resolveGpuImageFormat", () => {
  it("restates Rerun's enum numbers", () => {
    expect(ColorModel).toEqual({ L: 1, RGB: 2, RGBA: 3, BGR: 4, BGRA: 5 });
    expect(Object.values(ChannelDatatype)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 33, 34, 35]);
    expect(Object.values(PixelFormat).sort((a, b) => a - b)).toEqual([
      20, 26, 27, 30, 39, 40, 41, 44, 49, 50, 128, 129, 130, 131,
    ]);
  });

  it("describes colour-model images (defaults L, U8)", () => {
    const f = resolveGpuImageFormat({ width: 3, height: 2, bytes: new Uint8Array(6) });
    expect(f).toMatchObject({
      kind: "channels",
      channels: 1,
      bytesPerChannel: 1,
      colorModel: 1,
      channelDatatype: 6,
    });
    const bgr = resolveGpuImageFormat({
      width: 3,
      height: 2,
      colorModel: ColorModel.BGR,
      channelDatatype: ChannelDatatype.F64,
      bytes: new Uint8Array(3 * 2 * 3 * 8),
    });
    expect(bgr).toMatchObject({ channels: 3, bytesPerChannel: 8, swizzleBgr: true, isFloat: true });
  });

  it("uses the viewer's sizes for pixel formats (Y_U_V24 is 3·n, 4:2:0 is w·(h+⌊h/2⌋))", () => {
    const size = (pixelFormat: PixelFormat, width: number, height: number): number | undefined => {
      for (let n = 0; n < 4 * width * height + 4; n++) {
        if (
          kindOf(() => resolveGpuImageFormat({ width, height, pixelFormat, bytes: new Uint8Array(n) })) ===
          undefined
        )
          return n;
      }
      return undefined;
    };
    expect(size(PixelFormat.Y_U_V24_FullRange, 4, 3)).toBe(36);
    expect(size(PixelFormat.Y_U_V16_LimitedRange, 4, 3)).toBe(24);
    expect(size(PixelFormat.YUY2, 5, 3)).toBe(30);
    expect(size(PixelFormat.NV12, 4, 3)).toBe(16);
    expect(size(PixelFormat.Y_U_V12_FullRange, 3, 3)).toBe(12);
    expect(size(PixelFormat.Y8_LimitedRange, 3, 3)).toBe(9);
    const nv12 = resolveGpuImageFormat({
      width: 4,
      height: 4,
      pixelFormat: PixelFormat.NV12,
      bytes: new Uint8Array(24),
    });
    expect(nv12).toMatchObject({
      kind: "yuv",
      layout: YuvLayout.Y_UV420,
      limitedRange: true,
      matrix: "bt601",
    });
  });

  it("throws typed errors", () => {
    expect(kindOf(() => resolveGpuImageFormat({ width: 2, height: 2, bytes: new Uint8Array(5) }))).toBe(
      "size-mismatch",
    );
    expect(kindOf(() => resolveGpuImageFormat({ width: 1.5, height: 2, bytes: new Uint8Array(3) }))).toBe(
      "invalid-format",
    );
    expect(
      kindOf(() =>
        resolveGpuImageFormat({ width: 1, height: 1, colorModel: 9 as ColorModel, bytes: new Uint8Array(1) }),
      ),
    ).toBe("invalid-format");
    expect(
      kindOf(() =>
        resolveGpuImageFormat({
          width: 2,
          height: 2,
          pixelFormat: PixelFormat.NV12,
          channelDatatype: ChannelDatatype.U8,
          bytes: new Uint8Array(6),
        }),
      ),
    ).toBe("invalid-format");
  });
});
