import { ChannelDatatype, ColorModel, PixelFormat } from "@iris/types";
import { describe, expect, it } from "vitest";
import { formatPixelValues } from "./format-values.ts";

describe("formatPixelValues: the hover text", () => {
  it("shows a YUV pixel as the RGB Rerun's hover shows (its get_xyc converts), then the stored samples", () => {
    const nv12 = { width: 4, height: 2, pixelFormat: PixelFormat.NV12 };
    // Limited range, BT.601: Y 200 → (200 − 16) / 219 = 0.8402 → trunc(255 · 0.8402) = 214 on every channel.
    expect(formatPixelValues(nv12, [200, 128, 128])).toBe("RGB [214, 214, 214] (Y 200 U 128 V 128)");
    // Y 16, U 90, V 240: R = 1.402 · 0.5 = 0.701 → 178; G = 0.344 · 0.1696 − 0.714 · 0.5 < 0 → 0; B < 0 → 0.
    expect(formatPixelValues(nv12, [16, 90, 240])).toBe("RGB [178, 0, 0] (Y 16 U 90 V 240)");
    // Full range, BT.709: Y 128 with neutral chroma → 128 / 255 → 128.
    const yuv24 = { width: 1, height: 1, pixelFormat: PixelFormat.Y_U_V24_FullRange };
    expect(formatPixelValues(yuv24, [128, 128, 128])).toBe("RGB [128, 128, 128] (Y 128 U 128 V 128)");
  });

  it("shows a Y8 pixel as L, its luma (Rerun: the L colour model)", () => {
    const y8 = { width: 1, height: 1, pixelFormat: PixelFormat.Y8_LimitedRange };
    expect(formatPixelValues(y8, [77, 128, 128])).toBe("L 77");
  });

  it("leaves colour models as they were", () => {
    const rgb = { width: 1, height: 1, colorModel: ColorModel.RGB, channelDatatype: ChannelDatatype.U8 };
    expect(formatPixelValues(rgb, [1, 2, 3])).toBe("RGB [1, 2, 3]");
  });
});
