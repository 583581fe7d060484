import { describe, expect, it } from "vitest";
import { ChannelDatatype, ColorModel, PixelFormat } from "./enums.ts";
import { ImageFormatError, type ImageFormatErrorKind } from "./image-format-error.ts";
import {
  type ImageFormat,
  describeImageFormat,
  imageSizeBytes,
  validateImageBuffer,
  validateImageFormat,
} from "./image-format.ts";

function caught(fn: () => unknown): ImageFormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImageFormatError) return e;
    throw e;
  }
  throw new Error("expected an ImageFormatError");
}

function expectError(fn: () => unknown, kind: ImageFormatErrorKind): ImageFormatError {
  const e = caught(fn);
  expect(e.kind).toBe(kind);
  expect(e.name).toBe("ImageFormatError");
  return e;
}

describe("imageSizeBytes: colour models", () => {
  const channels: [ColorModel, number][] = [
    [ColorModel.L, 1],
    [ColorModel.RGB, 3],
    [ColorModel.RGBA, 4],
    [ColorModel.BGR, 3],
    [ColorModel.BGRA, 4],
  ];
  const bytes: [ChannelDatatype, number][] = [
    [ChannelDatatype.U8, 1],
    [ChannelDatatype.I8, 1],
    [ChannelDatatype.U16, 2],
    [ChannelDatatype.I16, 2],
    [ChannelDatatype.U32, 4],
    [ChannelDatatype.I32, 4],
    [ChannelDatatype.U64, 8],
    [ChannelDatatype.I64, 8],
    [ChannelDatatype.F16, 2],
    [ChannelDatatype.F32, 4],
    [ChannelDatatype.F64, 8],
  ];
  for (const [cm, c] of channels) {
    for (const [dt, b] of bytes) {
      it(`${cm}×${dt}: 3×5 → ${15 * c * b}`, () => {
        expect(imageSizeBytes({ width: 3, height: 5, colorModel: cm, channelDatatype: dt })).toBe(15 * c * b);
        expect(imageSizeBytes({ width: 300, height: 200, colorModel: cm, channelDatatype: dt })).toBe(
          60000 * c * b,
        );
      });
    }
  }

  it("defaults to L and U8", () => {
    expect(imageSizeBytes({ width: 7, height: 3 })).toBe(21);
    expect(imageSizeBytes({ width: 7, height: 3, channelDatatype: ChannelDatatype.F32 })).toBe(84);
    expect(imageSizeBytes({ width: 7, height: 3, colorModel: ColorModel.RGB })).toBe(63);
  });
});

describe("imageSizeBytes: pixel formats (viewer formula)", () => {
  // Sizes: 4×4, 3×5, 5×3, 1×1, 2×2, 1920×1080 — hand-computed from the table in image-format.ts.
  const sizes: [number, number][] = [
    [4, 4],
    [3, 5],
    [5, 3],
    [1, 1],
    [2, 2],
    [1920, 1080],
  ];
  const expected: [PixelFormat, number[]][] = [
    [PixelFormat.Y_U_V24_LimitedRange, [48, 45, 45, 3, 12, 6220800]],
    [PixelFormat.Y_U_V24_FullRange, [48, 45, 45, 3, 12, 6220800]],
    [PixelFormat.Y_U_V16_LimitedRange, [32, 30, 30, 2, 8, 4147200]],
    [PixelFormat.Y_U_V16_FullRange, [32, 30, 30, 2, 8, 4147200]],
    [PixelFormat.YUY2, [32, 30, 30, 2, 8, 4147200]],
    [PixelFormat.Y_U_V12_LimitedRange, [24, 21, 20, 1, 6, 3110400]],
    [PixelFormat.Y_U_V12_FullRange, [24, 21, 20, 1, 6, 3110400]],
    [PixelFormat.NV12, [24, 21, 20, 1, 6, 3110400]],
    [PixelFormat.Y8_LimitedRange, [16, 15, 15, 1, 4, 2073600]],
    [PixelFormat.Y8_FullRange, [16, 15, 15, 1, 4, 2073600]],
  ];
  for (const [pf, values] of expected) {
    it(`pixel format ${pf}`, () => {
      sizes.forEach(([w, h], i) =>
        expect(imageSizeBytes({ width: w, height: h, pixelFormat: pf })).toBe(values[i]),
      );
    });
  }

  it("rejects the SDK's 4·n size for Y_U_V24 and the SDK's ⌊1.5·n⌋ for odd-height 4:2:0", () => {
    const f444: ImageFormat = { width: 4, height: 4, pixelFormat: PixelFormat.Y_U_V24_FullRange };
    expectError(() => validateImageBuffer(new Uint8Array(64), f444), "size-mismatch");
    validateImageBuffer(new Uint8Array(48), f444);
    const f420: ImageFormat = { width: 4, height: 3, pixelFormat: PixelFormat.NV12 };
    expectError(() => validateImageBuffer(new Uint8Array(18), f420), "size-mismatch");
    validateImageBuffer(new Uint8Array(16), f420);
  });
});

describe("describeImageFormat", () => {
  it("formats colour-model and pixel-format images", () => {
    expect(
      describeImageFormat({ width: 300, height: 200, colorModel: ColorModel.RGB, channelDatatype: 6 }),
    ).toBe("300×200 RGB U8");
    expect(describeImageFormat({ width: 1920, height: 1080, pixelFormat: PixelFormat.NV12 })).toBe(
      "1920×1080 NV12",
    );
    expect(describeImageFormat({ width: 2, height: 3 })).toBe("2×3 L U8");
    expect(describeImageFormat({ width: 2, height: 3, channelDatatype: ChannelDatatype.F16 })).toBe(
      "2×3 L F16",
    );
  });
});

describe("errors", () => {
  it("size-mismatch states expected and actual", () => {
    const e = expectError(
      () =>
        validateImageBuffer(new Uint8Array(1000), {
          width: 300,
          height: 200,
          colorModel: ColorModel.RGB,
          channelDatatype: ChannelDatatype.U8,
        }),
      "size-mismatch",
    );
    expect(e.message).toBe("Image buffer has 1000 bytes, expected 180000 (300×200 RGB U8)");
    expect(e.expected).toBe(180000);
    expect(e.actual).toBe(1000);
  });

  it.each([0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 32])("invalid-dimension for width %s", (w) => {
    const e = expectError(() => validateImageFormat({ width: w, height: 1 }), "invalid-dimension");
    expect(e.message).toContain(String(w));
    expect(e.message).toContain("4294967295");
    expect(e.actual).toBe(w);
    expectError(() => imageSizeBytes({ width: 1, height: w }), "invalid-dimension");
  });

  it("accepts the largest dimension", () => {
    validateImageFormat({ width: 2 ** 32 - 1, height: 1 });
  });

  it("invalid-dimension when the size exceeds safe integers", () => {
    const e = expectError(
      () => imageSizeBytes({ width: 2 ** 32 - 1, height: 2 ** 32 - 1, colorModel: ColorModel.RGBA }),
      "invalid-dimension",
    );
    expect(e.message).toContain(String(Number.MAX_SAFE_INTEGER));
  });

  it("missing-format", () => {
    expectError(() => validateImageFormat({ height: 1 } as ImageFormat), "missing-format");
    expectError(() => validateImageFormat(null as unknown as ImageFormat), "missing-format");
  });

  it("conflicting-format names both sides", () => {
    const e = expectError(
      () =>
        validateImageFormat({
          width: 2,
          height: 2,
          pixelFormat: PixelFormat.NV12,
          colorModel: ColorModel.RGB,
        }),
      "conflicting-format",
    );
    expect(e.message).toContain("pixelFormat");
    expect(e.message).toContain("colorModel");
    expect(e.expected).toBe("pixelFormat alone");
    expect(e.actual).toBe("pixelFormat + colorModel");
    expectError(
      () => validateImageFormat({ width: 2, height: 2, pixelFormat: PixelFormat.NV12, channelDatatype: 6 }),
      "conflicting-format",
    );
  });

  it("unknown-enum inside a format", () => {
    expectError(
      () => validateImageFormat({ width: 2, height: 2, colorModel: 9 as ColorModel }),
      "unknown-enum",
    );
    expectError(
      () => validateImageFormat({ width: 2, height: 2, channelDatatype: 32 as ChannelDatatype }),
      "unknown-enum",
    );
    const e = expectError(
      () => validateImageFormat({ width: 2, height: 2, pixelFormat: 21 as PixelFormat }),
      "unknown-enum",
    );
    expect(e.message).toContain("NV12 (26)");
    expect(e.actual).toBe(21);
  });
});
