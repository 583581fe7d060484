import { describe, expect, it } from "vitest";
import { colormapNames, colormapTable, sampleColormap } from "./colormap.ts";

function entry(name: (typeof colormapNames)[number], i: number): number[] {
  return Array.from(colormapTable(name).subarray(4 * i, 4 * i + 4));
}

function near(actual: number[], expected: number[], tolerance: number): void {
  for (let c = 0; c < 3; c++) expect(Math.abs(actual[c]! - expected[c]!)).toBeLessThanOrEqual(tolerance);
}

describe("colormap tables", () => {
  it("has 256 opaque RGBA entries per map", () => {
    for (const name of colormapNames) {
      const table = colormapTable(name);
      expect(table.length).toBe(1024);
      for (let i = 0; i < 256; i++) expect(table[4 * i + 3]).toBe(255);
    }
  });

  it("matches the published end colours (matplotlib #440154/#fde725 …, Turbo's official table)", () => {
    // Polynomial fits: within 6 8-bit steps of matplotlib's own table ends (measured worst: 5, plasma blue).
    near(entry("viridis", 0), [0x44, 0x01, 0x54], 6);
    near(entry("viridis", 255), [0xfd, 0xe7, 0x25], 6);
    near(entry("inferno", 0), [0x00, 0x00, 0x04], 6);
    near(entry("inferno", 255), [0xfc, 0xff, 0xa4], 6);
    near(entry("magma", 0), [0x00, 0x00, 0x04], 6);
    near(entry("magma", 255), [0xfc, 0xfd, 0xbf], 6);
    near(entry("plasma", 0), [0x0d, 0x08, 0x87], 6);
    near(entry("plasma", 255), [0xf0, 0xf9, 0x21], 6);
    // Turbo is the official table: exact.
    expect(entry("turbo", 0)).toEqual([48, 18, 59, 255]);
    expect(entry("turbo", 255)).toEqual([122, 4, 3, 255]);
    expect(entry("grey", 128)).toEqual([128, 128, 128, 255]);
  });

  it("interpolates linearly between entries", () => {
    const [r0] = sampleColormap("turbo", 127 / 255);
    const [r1] = sampleColormap("turbo", 128 / 255);
    const [rm] = sampleColormap("turbo", 127.5 / 255);
    expect(rm).toBeCloseTo((r0 + r1) / 2, 9);
    expect(sampleColormap("grey", 0.5)).toEqual([127.5, 127.5, 127.5]);
  });
});
