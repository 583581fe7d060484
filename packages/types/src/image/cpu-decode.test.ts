// Every expected colour here is computed by hand from the formulas in the spec (shown in the comments), never
// produced by the code under test.
import { describe, expect, it } from "vitest";
import { decodeImageToRgba8, yuvToRgb8 } from "./cpu-decode.ts";
import { ChannelDatatype as CD, ColorModel as CM, PixelFormat as PF } from "./enums.ts";
import { ImageFormatError } from "./image-format-error.ts";

const u8 = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());
const bytesOf = (a: { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const fill = (n: number, v: number): number[] => new Array<number>(n).fill(v);

function pixel(rgba: Uint8ClampedArray, width: number, x: number, y: number): number[] {
  const o = 4 * (y * width + x);
  return Array.from(rgba.subarray(o, o + 4));
}

describe("pixel formats", () => {
  it("NV12 limited range: Y=16 is black, Y=235 is white", () => {
    // y = (16−16)/219 = 0, u = v = 0 → (0, 0, 0); y = (235−16)/219 = 1 → (255, 255, 255).
    const f = { width: 2, height: 2, pixelFormat: PF.NV12 };
    const black = decodeImageToRgba8(u8(fill(4, 16), [128, 128]), f);
    expect(Array.from(black)).toEqual([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    const white = decodeImageToRgba8(u8(fill(4, 235), [128, 128]), f);
    expect(Array.from(white)).toEqual(fill(16, 255));
  });

  it("NV12 BT.601 red (Y=81, U=90, V=240)", () => {
    // y = 65/219 = 0.296804, u = −38/224 = −0.169643, v = 112/224 = 0.5
    // r = 0.296804 + 1.402·0.5 = 0.997804 → 254.44 → 254
    // g = 0.296804 + 0.344·0.169643 − 0.714·0.5 = −0.001839 → 0
    // b = 0.296804 − 1.772·0.169643 = −0.003803 → 0
    const rgba = decodeImageToRgba8(u8(fill(4, 81), [90, 240]), {
      width: 2,
      height: 2,
      pixelFormat: PF.NV12,
    });
    for (let i = 0; i < 4; i++) expect(pixel(rgba, 2, i % 2, i >> 1)).toEqual([254, 0, 0, 255]);
  });

  it("YUY2 BT.601 limited (Y=100, U=200, V=50)", () => {
    // y = 84/219 = 0.383562, u = 72/224 = 0.321429, v = −78/224 = −0.348214
    // r = 0.383562 − 1.402·0.348214 = −0.104634 → 0
    // g = 0.383562 − 0.344·0.321429 + 0.714·0.348214 = 0.521616 → 133.01 → 133
    // b = 0.383562 + 1.772·0.321429 = 0.953134 → 243.05 → 243
    const rgba = decodeImageToRgba8(u8([100, 200, 100, 50]), { width: 2, height: 1, pixelFormat: PF.YUY2 });
    expect(Array.from(rgba)).toEqual([0, 133, 243, 255, 0, 133, 243, 255]);
  });

  it("Y_U_V16_FullRange BT.709 (Y=128, U=254, V=0)", () => {
    // y = 128/255 = 0.501961, u = 126/255 = 0.494118, v = −128/255 = −0.501961
    // r = 0.501961 − 1.575·0.501961 = −0.288628 → 0
    // g = 0.501961 − 0.187·0.494118 + 0.468·0.501961 = 0.644479 → 164.34 → 164
    // b = 0.501961 + 1.856·0.494118 = 1.419044 → clamp 1 → 255
    const rgba = decodeImageToRgba8(u8([128, 128], [254], [0]), {
      width: 2,
      height: 1,
      pixelFormat: PF.Y_U_V16_FullRange,
    });
    expect(Array.from(rgba)).toEqual([0, 164, 255, 255, 0, 164, 255, 255]);
    expect(yuvToRgb8(128, 254, 0, PF.Y_U_V16_FullRange)).toEqual([0, 164, 255]);
  });

  it("image_formats seed: Y_U_V16_FullRange gradient Y=128, U=2x, V=y", () => {
    const w = 256;
    const h = 256;
    const yPlane = fill(w * h, 128);
    const uPlane: number[] = [];
    const vPlane: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let cx = 0; cx < w / 2; cx++) {
        uPlane.push(2 * cx);
        vPlane.push(y);
      }
    }
    const buffer = u8(yPlane, uPlane, vPlane);
    expect(buffer.length).toBe(131072);
    const rgba = decodeImageToRgba8(buffer, { width: w, height: h, pixelFormat: PF.Y_U_V16_FullRange });
    // (0, 0): U=0, V=0: y = 128/255, u = v = −128/255.
    //   r = (128 − 1.575·128)/255 < 0 → 0; g = 128·(1 + 0.187 + 0.468)/255 = 211.84/255 → 211; b < 0 → 0.
    expect(pixel(rgba, w, 0, 0)).toEqual([0, 211, 0, 255]);
    // (255, 255): U = 254, V = 255: u = 126/255, v = 127/255.
    //   r = (128 + 1.575·127)/255 > 1 → 255; g = (128 − 0.187·126 − 0.468·127)/255 = 45.002/255 → 45;
    //   b = (128 + 1.856·126)/255 > 1 → 255.
    expect(pixel(rgba, w, 255, 255)).toEqual([255, 45, 255, 255]);
    // (128, 64) and (129, 64) share chroma U = 128, V = 64: u = 0, v = −64/255.
    //   r = (128 − 1.575·64)/255 = 27.2/255 → 27; g = (128 + 0.468·64)/255 = 157.952/255 → 157; b = 128/255 → 128.
    expect(pixel(rgba, w, 128, 64)).toEqual([27, 157, 128, 255]);
    expect(pixel(rgba, w, 129, 64)).toEqual([27, 157, 128, 255]);
  });

  it("BT.709 limited grey and Y8", () => {
    // Y_U_V24_LimitedRange Y=126, U=V=128: y = 110/219 = 0.502283 → 128.08 → 128.
    const f444 = { width: 1, height: 1, pixelFormat: PF.Y_U_V24_LimitedRange };
    expect(Array.from(decodeImageToRgba8(u8([126, 128, 128]), f444))).toEqual([128, 128, 128, 255]);
    // Y8_LimitedRange Y=100: y = 84/219 = 0.383562 → 97.81 → 97.
    const fY8 = { width: 1, height: 1, pixelFormat: PF.Y8_LimitedRange };
    expect(Array.from(decodeImageToRgba8(u8([100]), fY8))).toEqual([97, 97, 97, 255]);
    // Y8_FullRange: Y=0 → y = 0 → black; Y=255 → y = 1 → white.
    const fY8full = { width: 1, height: 1, pixelFormat: PF.Y8_FullRange };
    expect(Array.from(decodeImageToRgba8(u8([0]), fY8full))).toEqual([0, 0, 0, 255]);
    expect(Array.from(decodeImageToRgba8(u8([255]), fY8full))).toEqual([255, 255, 255, 255]);
  });

  it("Y_U_V12 limited uses BT.709 and the right planes", () => {
    // 2×2, Y=81, U=90, V=240 (the BT.601 red above) through BT.709:
    // y = 0.296804, u = −0.169643, v = 0.5
    // r = 0.296804 + 1.575·0.5 = 1.084 → 255
    // g = 0.296804 + 0.187·0.169643 − 0.468·0.5 = 0.094527 → 24.10 → 24
    // b = 0.296804 − 1.856·0.169643 = −0.018053 → 0
    const rgba = decodeImageToRgba8(u8(fill(4, 81), [90], [240]), {
      width: 2,
      height: 2,
      pixelFormat: PF.Y_U_V12_LimitedRange,
    });
    expect(pixel(rgba, 2, 1, 1)).toEqual([255, 24, 0, 255]);
  });
});

describe("colour models", () => {
  it("U8 L and RGB pass through", () => {
    expect(Array.from(decodeImageToRgba8(u8([0, 128, 255]), { width: 3, height: 1 }))).toEqual([
      0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255,
    ]);
    const f = { width: 1, height: 1, colorModel: CM.RGB, channelDatatype: CD.U8 };
    expect(Array.from(decodeImageToRgba8(u8([10, 20, 30]), f))).toEqual([10, 20, 30, 255]);
  });

  it("BGR and BGRA are swizzled, alpha kept", () => {
    expect(
      Array.from(decodeImageToRgba8(u8([10, 20, 30]), { width: 1, height: 1, colorModel: CM.BGR })),
    ).toEqual([30, 20, 10, 255]);
    expect(
      Array.from(decodeImageToRgba8(u8([10, 20, 30, 40]), { width: 1, height: 1, colorModel: CM.BGRA })),
    ).toEqual([30, 20, 10, 40]);
    expect(
      Array.from(decodeImageToRgba8(u8([10, 20, 30, 40]), { width: 1, height: 1, colorModel: CM.RGBA })),
    ).toEqual([10, 20, 30, 40]);
  });

  it("image_formats seed: the BGR copy shows the same colours as the RGB gradient", () => {
    const w = 4;
    const rgb: number[] = [];
    const bgr: number[] = [];
    for (let y = 0; y < w; y++) {
      for (let x = 0; x < w; x++) {
        const px = [10 * x, Math.min(255, 10 * x + 100 * y), 10 * y];
        rgb.push(...px);
        bgr.push(...[...px].reverse());
      }
    }
    const a = decodeImageToRgba8(u8(rgb), { width: w, height: w, colorModel: CM.RGB });
    const b = decodeImageToRgba8(u8(bgr), { width: w, height: w, colorModel: CM.BGR });
    expect(pixel(a, w, 3, 2)).toEqual([30, 230, 20, 255]);
    expect(pixel(b, w, 3, 2)).toEqual([30, 230, 20, 255]);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it("U16 L 0…65535 → grey 0…255", () => {
    // range [0, 65535]: 32768·255/65535 = 127.5019 → 128; 256·255/65535 = 0.996 → 1.
    const data = new Uint16Array([0, 256, 32768, 65535]);
    const rgba = decodeImageToRgba8(bytesOf(data), { width: 4, height: 1, channelDatatype: CD.U16 });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 1, 1, 1, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it("U16 within [0, 255] is shown like U8", () => {
    const data = new Uint16Array([0, 100, 255]);
    const rgba = decodeImageToRgba8(bytesOf(data), { width: 3, height: 1, channelDatatype: CD.U16 });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 100, 100, 100, 255, 255, 255, 255, 255]);
  });

  it("F32 in [0, 1]", () => {
    // 0.25·255 = 63.75 → 64; 0.5·255 = 127.5 → 128.
    const data = new Float32Array([0, 0.25, 0.5, 1]);
    const rgba = decodeImageToRgba8(bytesOf(data), { width: 4, height: 1, channelDatatype: CD.F32 });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 64, 64, 64, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it("F32 RGBA in [0, 1]: alpha normalised the same way; a NaN colour channel shows Rerun's error magenta", () => {
    const data = new Float32Array([1, 0.5, 0, 0.25, NaN, 0, 0, 1]);
    const rgba = decodeImageToRgba8(bytesOf(data), {
      width: 2,
      height: 1,
      colorModel: CM.RGBA,
      channelDatatype: CD.F32,
    });
    expect(Array.from(rgba)).toEqual([255, 128, 0, 64, 255, 0, 255, 255]);
  });

  it("non-finite values: t = 1 in L and in linear colour images", () => {
    // L F32 [0, 0.5, NaN, +Inf, −Inf]: finite range [0, 0.5] → heuristic [0, 1]; non-finite → 255 (Rerun: white).
    const l = new Float32Array([0, 0.5, NaN, Infinity, -Infinity]);
    const grey = decodeImageToRgba8(bytesOf(l), { width: 5, height: 1, channelDatatype: CD.F32 });
    expect(Array.from(grey).filter((_, i) => i % 4 === 0)).toEqual([0, 128, 255, 255, 255]);
    // RGB F32 beyond [0, 255] (linear): (−500, NaN, 500) → r = 0, g = 255 (non-finite), b = 255.
    const rgb = new Float32Array([-500, NaN, 500]);
    const shown = decodeImageToRgba8(bytesOf(rgb), {
      width: 1,
      height: 1,
      colorModel: CM.RGB,
      channelDatatype: CD.F32,
    });
    expect(Array.from(shown)).toEqual([0, 255, 255, 255]);
  });

  it("I16 with negatives stretches min…max", () => {
    // range [−100, 100]: 0 → 0.5 → 127.5 → 128.
    const data = new Int16Array([-100, 0, 100]);
    const rgba = decodeImageToRgba8(bytesOf(data), { width: 3, height: 1, channelDatatype: CD.I16 });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });

  it("explicit valueRange overrides the heuristic and clamps", () => {
    // [0, 2]: 1 → 127.5 → 128; 0.5 → 63.75 → 64; 3 → clamp → 255.
    const data = new Float32Array([1, 0.5, 3]);
    const f = { width: 1, height: 1, colorModel: CM.RGB, channelDatatype: CD.F32 };
    expect(Array.from(decodeImageToRgba8(bytesOf(data), f, { valueRange: [0, 2] }))).toEqual([
      128, 64, 255, 255,
    ]);
    // Also for U8: [100, 200] maps 150 → 127.5 → 128, 50 → 0.
    expect(
      Array.from(decodeImageToRgba8(u8([150, 50]), { width: 2, height: 1 }, { valueRange: [100, 200] })),
    ).toEqual([128, 128, 128, 255, 0, 0, 0, 255]);
  });

  it("rejects an unusable valueRange and a wrong buffer", () => {
    for (const valueRange of [
      [0, NaN],
      [-Infinity, 1],
    ] as [number, number][]) {
      try {
        decodeImageToRgba8(u8([1]), { width: 1, height: 1 }, { valueRange });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ImageFormatError);
        expect((e as ImageFormatError).kind).toBe("invalid-range");
      }
    }
    expect(() => decodeImageToRgba8(u8([1, 2]), { width: 1, height: 1 })).toThrow(
      "Image buffer has 2 bytes, expected 1 (1×1 L U8)",
    );
  });
});

describe("Rerun's sRGB heuristic for colour images (image_decode_srgb_gamma_heuristic)", () => {
  // srgb(x) = 12.92·x for x ≤ 0.0031308, else 1.055·x^(1/2.4) − 0.055.
  it("RGB U16 beyond [0, 255]: the normalised value is linear and shown sRGB-encoded", () => {
    // Range [0, 65535]. 16384 → t = 0.250004 → 1.055·0.250004^(1/2.4) − 0.055 = 0.537102 → 136.96 → 137
    // (was round(255·t) = 64). 100 → t = 0.0015259 → 12.92·t = 0.019715 → 5.03 → 5. 65535 → 255; 0 → 0.
    const data = new Uint16Array([16384, 100, 65535, 0, 0, 0]);
    const rgba = decodeImageToRgba8(bytesOf(data), {
      width: 2,
      height: 1,
      colorModel: CM.RGB,
      channelDatatype: CD.U16,
    });
    expect(Array.from(rgba)).toEqual([137, 5, 255, 255, 0, 0, 0, 255]);
  });

  it("BGRA I16: colour sRGB-encoded, alpha stays linear", () => {
    // Range [−32768, 32767] (span 65535). Stored B, G, R, A = −32768, 0, 32767, 0:
    // r = 1 → 255; g: t = 32768/65535 = 0.500008 → 1.055·0.500008^(1/2.4) − 0.055 = 0.735362 → 187.52 → 188;
    // b = 0 → 0; a: t = 0.500008 → round(127.502) = 128.
    const data = new Int16Array([-32768, 0, 32767, 0]);
    const rgba = decodeImageToRgba8(bytesOf(data), {
      width: 1,
      height: 1,
      colorModel: CM.BGRA,
      channelDatatype: CD.I16,
    });
    expect(Array.from(rgba)).toEqual([255, 188, 0, 128]);
  });

  it("RGB U16 within [0, 255] and L U16 beyond it are not encoded", () => {
    const rgb = decodeImageToRgba8(bytesOf(new Uint16Array([51, 102, 204])), {
      width: 1,
      height: 1,
      colorModel: CM.RGB,
      channelDatatype: CD.U16,
    });
    expect(Array.from(rgb)).toEqual([51, 102, 204, 255]);
    // L: range [0, 65535], 16384 → round(255·0.250004) = 64 (Rerun's grey colormap is an sRGB gradient).
    const l = decodeImageToRgba8(bytesOf(new Uint16Array([0, 16384, 65535])), {
      width: 3,
      height: 1,
      channelDatatype: CD.U16,
    });
    expect(Array.from(l)).toEqual([0, 0, 0, 255, 64, 64, 64, 255, 255, 255, 255, 255]);
  });
});

describe("constant images with a degenerate range", () => {
  it("U64 max, I64 min and F64 1e300 constants map to the middle (128) instead of throwing", () => {
    // Heuristic [v − 1, v + 1] collapses to [v, v] in float64; widened by |v|·2⁻¹⁶ → t = 0.5 → round(127.5) = 128.
    const u64 = new BigUint64Array([2n ** 64n - 1n, 2n ** 64n - 1n]);
    const i64 = new BigInt64Array([-(2n ** 63n), -(2n ** 63n)]);
    const f64 = new Float64Array([1e300, 1e300]);
    for (const [data, dt] of [
      [u64, CD.U64],
      [i64, CD.I64],
      [f64, CD.F64],
    ] as const) {
      const rgba = decodeImageToRgba8(bytesOf(data), { width: 2, height: 1, channelDatatype: dt });
      expect(Array.from(rgba)).toEqual([128, 128, 128, 255, 128, 128, 128, 255]);
    }
  });

  it("a manual range of one value is a step at that value", () => {
    // [100, 100] → widened to [99, 101]: 99 → 0, 100 → 0.5 → 128, 101 → 1 → 255.
    const rgba = decodeImageToRgba8(u8([99, 100, 101]), { width: 3, height: 1 }, { valueRange: [100, 100] });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  });
});
