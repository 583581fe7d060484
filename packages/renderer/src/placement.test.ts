import { describe, expect, it } from "vitest";
import { clipFromImageMatrix } from "./placement.ts";

function apply(m: Float32Array, x: number, y: number): [number, number] {
  const cx = m[0]! * x + m[4]! * y + m[12]!;
  const cy = m[1]! * x + m[5]! * y + m[13]!;
  const w = m[3]! * x + m[7]! * y + m[15]!;
  return [cx / w, cy / w];
}

describe("clipFromImageMatrix", () => {
  it("maps a placement in view pixels (top-left origin) to clip space", () => {
    const m = clipFromImageMatrix({ x: 10, y: 20, scale: 2 }, 100, 50);
    const [x0, y0] = apply(m, 0, 0);
    expect(x0).toBeCloseTo(-0.8, 6);
    expect(y0).toBeCloseTo(0.2, 6);
    const [x, y] = apply(m, 45, 15);
    expect(x).toBeCloseTo(1, 6);
    expect(y).toBeCloseTo(-1, 6);
  });

  it("accepts 3×3 and 4×4 column-major matrices", () => {
    const m3 = clipFromImageMatrix([2, 0, 0, 0, 2, 0, 10, 20, 1], 100, 50);
    const m4 = clipFromImageMatrix([2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 10, 20, 0, 1], 100, 50);
    const placed = clipFromImageMatrix({ x: 10, y: 20, scale: 2 }, 100, 50);
    expect(Array.from(m3)).toEqual(Array.from(placed));
    expect(Array.from(m4)).toEqual(Array.from(placed));
    expect(m3[2]).toBe(0);
  });

  it("rejects other shapes and non-finite numbers", () => {
    expect(() => clipFromImageMatrix([1, 2, 3], 10, 10)).toThrow(/9 or 16/);
    expect(() => clipFromImageMatrix({ x: NaN, y: 0, scale: 1 }, 10, 10)).toThrow(/non-finite/);
  });
});
