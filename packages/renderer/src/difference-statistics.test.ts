import { describe, expect, it } from "vitest";
import { differenceStatistics } from "./difference-statistics.ts";

describe("differenceStatistics (hand-computed)", () => {
  it("max, mean, MSE and PSNR of the compared channels only", () => {
    // Two pixels, RGB compared; alpha (4th value) ignored: |d| = 1, 2, 3, 0, 4, 6.
    const d = [1, 2, 3, 99, 0, 4, 6, 99];
    const s = differenceStatistics(d, 3, 255);
    expect(s.maxAbs).toBe(6);
    expect(s.meanAbs).toBe(16 / 6);
    expect(s.mse).toBe((1 + 4 + 9 + 0 + 16 + 36) / 6);
    expect(s.psnr).toBeCloseTo(10 * Math.log10((255 * 255) / (66 / 6)), 12);
    expect(s.count).toBe(6);
    expect(s.nonFinite).toBe(0);
  });

  it("identical images: 0, and PSNR +∞ even without a peak", () => {
    const s = differenceStatistics(new Float32Array(8), 4, undefined);
    expect(s).toMatchObject({ maxAbs: 0, meanAbs: 0, mse: 0, psnr: Infinity, count: 8 });
  });

  it("non-finite differences are counted and left out; no peak → no PSNR", () => {
    const s = differenceStatistics(
      [Number.NaN, 0, 0, 0, 2, 0, 0, 0, Infinity, 0, 0, 0, 0, 9, 9, 9],
      1,
      undefined,
    );
    expect(s).toMatchObject({ maxAbs: 2, meanAbs: 1, mse: 2, psnr: undefined, count: 2, nonFinite: 2 });
  });

  it("a single-channel 16-bit pair: PSNR with peak 65535", () => {
    const s = differenceStatistics([65535, 0, 0, 0], 1, 65535);
    expect(s.psnr).toBe(0);
  });
});
