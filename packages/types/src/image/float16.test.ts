import { describe, expect, it } from "vitest";
import { float16ToFloat32, float32ToFloat16 } from "./float16.ts";

describe("float16", () => {
  it.each([
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0xfbff, -65504],
    [0x0400, 2 ** -14],
    [0x03ff, 1023 * 2 ** -24],
    [0x0001, 2 ** -24],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])("0x%s ⇄ %d", (bits, value) => {
    expect(float16ToFloat32(bits)).toBe(value);
    expect(float32ToFloat16(value)).toBe(bits);
  });

  it("negative zero and NaN", () => {
    expect(Object.is(float16ToFloat32(0x8000), -0)).toBe(true);
    expect(float32ToFloat16(-0)).toBe(0x8000);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
    expect(float16ToFloat32(0xfc01)).toBeNaN();
    expect(float32ToFloat16(NaN)).toBe(0x7e00);
  });

  it("rounds to nearest, ties to even", () => {
    // 1 + 2^-11 is halfway between 1 (0x3c00, even) and 1 + 2^-10 (0x3c01): ties to even.
    expect(float32ToFloat16(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3·2^-11 is halfway between 0x3c01 (odd) and 0x3c02 (even).
    expect(float32ToFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToFloat16(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(float32ToFloat16(0.1)).toBe(0x2e66);
    // Overflow: 65519.99 rounds down to 65504, 65520 (halfway, 65504 has an odd mantissa) to infinity.
    expect(float32ToFloat16(65519)).toBe(0x7bff);
    expect(float32ToFloat16(65520)).toBe(0x7c00);
    expect(float32ToFloat16(1e10)).toBe(0x7c00);
    expect(float32ToFloat16(-1e10)).toBe(0xfc00);
  });

  it("subnormals and underflow", () => {
    expect(float32ToFloat16(2 ** -25)).toBe(0x0000); // halfway to the smallest subnormal: ties to even 0
    expect(float32ToFloat16(2 ** -25 * 1.5)).toBe(0x0001);
    expect(float32ToFloat16(3 * 2 ** -25)).toBe(0x0002); // 1.5 units: ties to even 2
    expect(float32ToFloat16(-(2 ** -24))).toBe(0x8001);
    expect(float32ToFloat16(1e-10)).toBe(0x0000);
    // Just below the smallest normal rounds up into it.
    expect(float32ToFloat16(2 ** -14 - 2 ** -30)).toBe(0x0400);
  });

  it("every half value round-trips", () => {
    const failures: number[] = [];
    for (let bits = 0; bits <= 0xffff; bits++) {
      const exponent = (bits >> 10) & 0x1f;
      if (exponent === 0x1f && (bits & 0x3ff) !== 0) continue; // NaN payloads collapse to 0x7e00
      if (float32ToFloat16(float16ToFloat32(bits)) !== bits) failures.push(bits);
    }
    expect(failures).toEqual([]);
  });
});
