import { describe, expect, it } from "vitest";
import { decodeImageToRgba8 } from "./cpu-decode.ts";
import {
  decodeIrisLayoutToRgba8,
  demosaicBilinear,
  mirrorIndex,
  readIrisLayoutPixelValues,
} from "./cpu-decode-iris.ts";
import { ImageFormatError } from "./image-format-error.ts";
import type { ImageFormat } from "./image-format.ts";
import { bayerColorAt, irisShownSize, validateIrisPixelLayout } from "./iris-pixel-layout.ts";

// A 4×4 mosaic with irregular values (so that a wrong neighbour gives a wrong answer):
//   x:   0    1    2    3
//   y0: 200   10  100   30
//   y1:  40  250   60    0
//   y2: 120   80   20   90
//   y3:  70    5  160  255
const MOSAIC = [200, 10, 100, 30, 40, 250, 60, 0, 120, 80, 20, 90, 70, 5, 160, 255];
const L_U8_4x4: ImageFormat = { width: 4, height: 4, colorModel: 1, channelDatatype: 6 };
const L_U16_4x4: ImageFormat = { width: 4, height: 4, colorModel: 1, channelDatatype: 8 };
const bytes8 = new Uint8Array(MOSAIC);
const bytes16 = new Uint8Array(new Uint16Array(MOSAIC.map((v) => v * 257)).buffer);

function rgbAt(rgba: Uint8ClampedArray, width: number, x: number, y: number): number[] {
  const i = 4 * (y * width + x);
  return Array.from(rgba.subarray(i, i + 4));
}

describe("mirror edge rule (reflect-101)", () => {
  it("maps −1 → 1 and n → n − 2, leaves inner indices alone", () => {
    expect([-1, 0, 1, 2, 3, 4].map((i) => mirrorIndex(i, 4))).toEqual([1, 0, 1, 2, 3, 2]);
    expect([-1, 2, 3].map((i) => mirrorIndex(i, 3))).toEqual([1, 2, 1]);
  });
});

describe("Bayer filter colours", () => {
  it("places R/G/B as the pattern names them (2×2 tile, row by row)", () => {
    const tile = (layout: Parameters<typeof bayerColorAt>[0]): string =>
      [
        bayerColorAt(layout, 0, 0),
        bayerColorAt(layout, 1, 0),
        bayerColorAt(layout, 0, 1),
        bayerColorAt(layout, 1, 1),
      ].join("");
    expect(tile("BayerRGGB")).toBe("RGGB");
    expect(tile("BayerBGGR")).toBe("BGGR");
    expect(tile("BayerGRBG")).toBe("GRBG");
    expect(tile("BayerGBRG")).toBe("GBRG");
    expect(bayerColorAt("BayerRGGB", 2, 2)).toBe("R");
    expect(bayerColorAt("BayerRGGB", 3, 3)).toBe("B");
  });
});

describe("bilinear demosaic, hand-computed on the 4×4 mosaic", () => {
  // Each expectation written out from the neighbours (mirrored coordinates in brackets).
  const cases: readonly [Parameters<typeof demosaicBilinear>[2], number, number, [number, number, number]][] =
    [
      // RGGB (0,0) R: G = (s(1,0)[−1]=10 + 10 + s(0,1)[−1]=40 + 40)/4 = 25; B = 4 × s(1,1)=250 /4 = 250.
      ["BayerRGGB", 0, 0, [200, 25, 250]],
      // RGGB (1,0) G in the red row: R = (200 + 100)/2; B = (s(1,1)[−1] + s(1,1))/2 = 250.
      ["BayerRGGB", 1, 0, [150, 10, 250]],
      // RGGB (0,1) G in the blue row: R = (200 + 120)/2 = 160; B = (s(1,1)[−1] + s(1,1))/2 = 250.
      ["BayerRGGB", 0, 1, [160, 40, 250]],
      // RGGB (1,1) B: G = (40 + 60 + 10 + 80)/4 = 47.5; R = (200 + 100 + 120 + 20)/4 = 110.
      ["BayerRGGB", 1, 1, [110, 47.5, 250]],
      // RGGB (2,2) R: G = (80 + 90 + 60 + 160)/4 = 97.5; B = (250 + 0 + 5 + 255)/4 = 127.5.
      ["BayerRGGB", 2, 2, [20, 97.5, 127.5]],
      // RGGB (3,0) G in the red row: R = (100 + s(2,0)[4])/2 = 100; B = (s(3,1)[−1] + s(3,1))/2 = 0.
      ["BayerRGGB", 3, 0, [100, 30, 0]],
      // RGGB (2,3) G in the blue row: B = (5 + 255)/2 = 130; R = (20 + s(2,2)[4])/2 = 20.
      ["BayerRGGB", 2, 3, [20, 160, 130]],
      // RGGB (3,3) B corner: G = (160 + 160[x=4] + 90 + 90[y=4])/4 = 125; R = 4 × s(2,2)=20 /4.
      ["BayerRGGB", 3, 3, [20, 125, 255]],
      // BGGR (1,1) R: G = 47.5 as above; B = diagonal mean 110.
      ["BayerBGGR", 1, 1, [250, 47.5, 110]],
      // BGGR (0,0) B: G = 25; R = 250.
      ["BayerBGGR", 0, 0, [250, 25, 200]],
      // GRBG (1,0) R: G = (200 + 100 + 250[y=−1] + 250)/4 = 200; B = (40[−1] + 60[−1] + 40 + 60)/4 = 50.
      ["BayerGRBG", 1, 0, [10, 200, 50]],
      // GRBG (0,0) G in the red row: R = (10[x=−1] + 10)/2 = 10; B = (40[y=−1] + 40)/2 = 40.
      ["BayerGRBG", 0, 0, [10, 200, 40]],
      // GBRG (0,1) R: G = (250[x=−1] + 250 + 200 + 120)/4 = 205; B = (10 + 10 + 80 + 80)/4 = 45.
      ["BayerGBRG", 0, 1, [40, 205, 45]],
      // GBRG (1,1) G in the red row: R = (40 + 60)/2 = 50; B = (10 + 80)/2 = 45.
      ["BayerGBRG", 1, 1, [50, 250, 45]],
    ];
  for (const [layout, x, y, rgb] of cases) {
    it(`${layout} (${x}, ${y}) = ${rgb.join(", ")}`, () => {
      expect(demosaicBilinear(bytes8, L_U8_4x4, layout, x, y)).toEqual(rgb);
      expect(demosaicBilinear(bytes16, L_U16_4x4, layout, x, y)).toEqual(rgb.map((v) => v * 257));
    });
  }

  it("BGGR is RGGB with red and blue swapped, at every pixel", () => {
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        const [r, g, b] = demosaicBilinear(bytes8, L_U8_4x4, "BayerRGGB", x, y);
        expect(demosaicBilinear(bytes8, L_U8_4x4, "BayerBGGR", x, y)).toEqual([b, g, r]);
      }
    }
  });

  it("reproduces a constant colour field exactly, borders included (odd size 5×3)", () => {
    // R = 200, G = 100, B = 30 under an RGGB filter.
    const w = 5;
    const h = 3;
    const mosaic = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const c = bayerColorAt("BayerRGGB", x, y);
        mosaic[y * w + x] = c === "R" ? 200 : c === "G" ? 100 : 30;
      }
    const rgba = decodeIrisLayoutToRgba8(
      mosaic,
      { width: w, height: h, colorModel: 1, channelDatatype: 6 },
      "BayerRGGB",
    );
    for (let p = 0; p < w * h; p++)
      expect(Array.from(rgba.subarray(4 * p, 4 * p + 4))).toEqual([200, 100, 30, 255]);
  });
});

describe("decodeIrisLayoutToRgba8", () => {
  it("normalises 8-bit demosaiced values with [0, 255]", () => {
    const rgba = decodeIrisLayoutToRgba8(bytes8, L_U8_4x4, "BayerRGGB");
    expect(rgbAt(rgba, 4, 0, 0)).toEqual([200, 25, 250, 255]);
    expect(rgbAt(rgba, 4, 3, 3)).toEqual([20, 125, 255, 255]);
    expect(rgbAt(rgba, 4, 2, 3)).toEqual([20, 160, 130, 255]);
  });

  it("16-bit: the L U16 heuristic range (here min 0, max 65535 → [0, 65535]) and explicit ranges", () => {
    const rgba = decodeIrisLayoutToRgba8(bytes16, L_U16_4x4, "BayerRGGB");
    expect(rgbAt(rgba, 4, 0, 0)).toEqual([200, 25, 250, 255]);
    const ranged = decodeIrisLayoutToRgba8(bytes16, L_U16_4x4, "BayerRGGB", { valueRange: [0, 32767.5] });
    // 200·257 / 32767.5 · 255 = 400 → clamped 255; 25·257/32767.5·255 = 50.
    expect(rgbAt(ranged, 4, 0, 0)).toEqual([255, 50, 255, 255]);
    // Values in 0…255 of a U16 mosaic get [0, 255] (Rerun's heuristic), as L U16 would.
    const small = new Uint8Array(new Uint16Array(MOSAIC).buffer);
    expect(rgbAt(decodeIrisLayoutToRgba8(small, L_U16_4x4, "BayerRGGB"), 4, 0, 0)).toEqual([
      200, 25, 250, 255,
    ]);
  });

  it("UYVY: U0 Y0 V0 Y1, BT.601 limited range, truncating (hand-computed)", () => {
    // Y=81: y = 65/219 = 0.29680, u = −38/224 = −0.16964, v = 112/224 = 0.5
    //   r = y + 0.701 = 0.99780 → trunc(254.44) = 254; g = y + 0.05836 − 0.357 < 0 → 0; b = y − 0.30061 < 0 → 0.
    // Y=145: y = 129/219 = 0.58904 → r ≥ 1 → 255; g = 0.29040 → trunc(74.05) = 74; b = 0.28843 → trunc(73.55) = 73.
    const rgba = decodeIrisLayoutToRgba8(
      new Uint8Array([90, 81, 240, 145]),
      { width: 4, height: 1, colorModel: 1, channelDatatype: 6 },
      "UYVY",
    );
    expect(Array.from(rgba)).toEqual([254, 0, 0, 255, 255, 74, 73, 255]);
  });

  it("UYVY equals YUY2 with the bytes of every pair reordered", () => {
    const w = 6;
    const h = 3;
    const uyvy = new Uint8Array(2 * w * h).map((_, i) => (i * 37 + 11) % 256);
    const yuy2 = new Uint8Array(uyvy.length);
    for (let i = 0; i < uyvy.length; i += 4)
      yuy2.set([uyvy[i + 1]!, uyvy[i]!, uyvy[i + 3]!, uyvy[i + 2]!], i);
    expect(
      decodeIrisLayoutToRgba8(uyvy, { width: 2 * w, height: h, colorModel: 1, channelDatatype: 6 }, "UYVY"),
    ).toEqual(decodeImageToRgba8(yuy2, { width: w, height: h, pixelFormat: 27 }));
  });

  it("rejects carriers that do not fit the layout", () => {
    const kind = (f: () => unknown): string | undefined => {
      try {
        f();
        return undefined;
      } catch (e) {
        return e instanceof ImageFormatError ? e.kind : String(e);
      }
    };
    expect(
      kind(() =>
        validateIrisPixelLayout({ width: 4, height: 4, colorModel: 2, channelDatatype: 6 }, "BayerRGGB"),
      ),
    ).toBe("conflicting-format");
    expect(
      kind(() =>
        validateIrisPixelLayout({ width: 4, height: 4, colorModel: 1, channelDatatype: 34 }, "BayerRGGB"),
      ),
    ).toBe("conflicting-format");
    expect(
      kind(() =>
        validateIrisPixelLayout({ width: 1, height: 4, colorModel: 1, channelDatatype: 6 }, "BayerRGGB"),
      ),
    ).toBe("invalid-dimension");
    expect(
      kind(() => validateIrisPixelLayout({ width: 6, height: 1, colorModel: 1, channelDatatype: 6 }, "UYVY")),
    ).toBe("invalid-dimension");
    expect(
      kind(() => validateIrisPixelLayout({ width: 8, height: 1, colorModel: 1, channelDatatype: 8 }, "UYVY")),
    ).toBe("conflicting-format");
    expect(kind(() => validateIrisPixelLayout({ width: 8, height: 1, pixelFormat: 27 }, "UYVY"))).toBe(
      "conflicting-format",
    );
    expect(
      kind(() =>
        validateIrisPixelLayout({ width: 8, height: 1, colorModel: 1, channelDatatype: 6 }, "Foo" as "UYVY"),
      ),
    ).toBe("unknown-enum");
    expect(kind(() => decodeIrisLayoutToRgba8(new Uint8Array(15), L_U8_4x4, "BayerRGGB"))).toBe(
      "size-mismatch",
    );
    expect(irisShownSize({ width: 8, height: 3 }, "UYVY")).toEqual({ width: 4, height: 3 });
  });
});

describe("readIrisLayoutPixelValues (hover)", () => {
  it("Bayer: the raw sample and its filter colour", () => {
    expect(readIrisLayoutPixelValues(bytes16, L_U16_4x4, "BayerRGGB", 1, 1)).toEqual({
      values: [250 * 257],
      channels: ["B"],
      text: `BayerRGGB B ${250 * 257}`,
    });
    expect(readIrisLayoutPixelValues(bytes8, L_U8_4x4, "BayerGRBG", 1, 0).text).toBe("BayerGRBG R 10");
  });

  it("UYVY: Y, U, V of the pixel (shown coordinates)", () => {
    const f: ImageFormat = { width: 4, height: 1, colorModel: 1, channelDatatype: 6 };
    const b = new Uint8Array([90, 81, 240, 145]);
    expect(readIrisLayoutPixelValues(b, f, "UYVY", 1, 0)).toEqual({
      values: [145, 90, 240],
      channels: ["Y", "U", "V"],
      text: "UYVY Y 145 U 90 V 240",
    });
    expect(() => readIrisLayoutPixelValues(b, f, "UYVY", 2, 0)).toThrow(/outside 0…1/);
  });
});
