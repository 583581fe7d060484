import { describe, expect, it } from "vitest";
import { RendererError } from "./renderer-error.ts";
import { tileSpans } from "./tile-grid.ts";

describe("tileSpans", () => {
  it("uses one tile when the axis fits", () => {
    expect(tileSpans(8192, 8192)).toEqual([{ start: 0, end: 8192, textureStart: 0, textureEnd: 8192 }]);
  });

  it("covers the axis with disjoint drawn spans and one-texel aprons within the max size", () => {
    for (const [size, max] of [
      [10, 4],
      [7, 4],
      [9000, 8192],
      [100, 3],
    ] as const) {
      const spans = tileSpans(size, max);
      let next = 0;
      for (const s of spans) {
        expect(s.start).toBe(next);
        next = s.end;
        expect(s.textureStart).toBe(Math.max(0, s.start - 1));
        expect(s.textureEnd).toBe(Math.min(size, s.end + 1));
        expect(s.textureEnd - s.textureStart).toBeLessThanOrEqual(max);
      }
      expect(next).toBe(size);
    }
    expect(tileSpans(10, 4).map((s) => [s.start, s.end])).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 8],
      [8, 10],
    ]);
  });

  it("refuses to tile with textures under 3 texels", () => {
    expect(() => tileSpans(5, 2)).toThrow(RendererError);
  });
});
