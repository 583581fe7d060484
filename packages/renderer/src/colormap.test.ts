import { describe, expect, it } from "vitest";
import { colormapNames, colormapTable, sampleColormap, sampleColormapRgba } from "./colormap.ts";

function entry(name: (typeof colormapNames)[number], i: number): number[] {
  return Array.from(colormapTable(name).subarray(4 * i, 4 * i + 4));
}

function near(actual: number[], expected: number[], tolerance: number): void {
  for (let c = 0; c < 3; c++) expect(Math.abs(actual[c]! - expected[c]!)).toBeLessThanOrEqual(tolerance);
}

describe("colormap tables", () => {
  it("has 256 RGBA entries per map, opaque except the cost maps' free cell (value 0)", () => {
    for (const name of colormapNames) {
      const table = colormapTable(name);
      expect(table.length).toBe(1024);
      const costmap = name === "rviz-costmap" || name === "costmap";
      for (let i = 0; i < 256; i++) expect(table[4 * i + 3]).toBe(costmap && i === 0 ? 0 : 255);
    }
  });

  it("matches the published end colours (matplotlib #440154/#fde725 …, Turbo's approximation)", () => {
    // Polynomial fits: within 6 8-bit steps of matplotlib's own table ends (measured worst: 5, plasma blue).
    near(entry("viridis", 0), [0x44, 0x01, 0x54], 6);
    near(entry("viridis", 255), [0xfd, 0xe7, 0x25], 6);
    near(entry("inferno", 0), [0x00, 0x00, 0x04], 6);
    near(entry("inferno", 255), [0xfc, 0xff, 0xa4], 6);
    near(entry("magma", 0), [0x00, 0x00, 0x04], 6);
    near(entry("magma", 255), [0xfc, 0xfd, 0xbf], 6);
    near(entry("plasma", 0), [0x0d, 0x08, 0x87], 6);
    near(entry("plasma", 255), [0xf0, 0xf9, 0x21], 6);
    // Turbo is Google's polynomial approximation, as in Rerun: 255 × its constant term at t = 0, and 255 × the sum
    // of its coefficients at t = 1 (what the Rerun 0.41 web viewer shows: (35, 23, 27) and (144, 13, 0)).
    expect(entry("turbo", 0)).toEqual([35, 23, 27, 255]);
    expect(entry("turbo", 255)).toEqual([144, 13, 0, 255]);
    // Matplotlib's Spectral (ColorBrewer #9e0142 … #5e4fa2) and twilight (first listed entry) ends, exact.
    expect(entry("spectral", 0)).toEqual([0x9e, 0x01, 0x42, 255]);
    expect(entry("spectral", 255)).toEqual([0x5e, 0x4f, 0xa2, 255]);
    expect(entry("twilight", 0)).toEqual([226, 217, 226, 255]);
    // Rasmusgo's cyan-to-yellow: cyan at 0, yellow at 1.
    expect(entry("cyan-to-yellow", 0)).toEqual([0, 255, 255, 255]);
    expect(entry("cyan-to-yellow", 255)).toEqual([255, 255, 0, 255]);
    expect(entry("grey", 128)).toEqual([128, 128, 128, 255]);
  });

  it("gives the grid-map palettes' categories (RViz map / costmap, Rerun's costmap)", () => {
    expect(entry("rviz-map", 0)).toEqual([255, 255, 255, 255]); // free
    expect(entry("rviz-map", 100)).toEqual([0, 0, 0, 255]); // occupied
    expect(entry("rviz-map", 101)).toEqual([0, 255, 0, 255]); // illegal positive
    expect(entry("rviz-map", 128)).toEqual([255, 0, 0, 255]); // illegal negative: red …
    expect(entry("rviz-map", 254)).toEqual([255, 255, 0, 255]); // … to yellow
    expect(entry("rviz-map", 255)).toEqual([112, 137, 134, 255]); // −1: unknown
    expect(entry("rviz-costmap", 0)).toEqual([0, 0, 0, 0]); // free: transparent
    expect(entry("rviz-costmap", 99)).toEqual([0, 255, 255, 255]); // inscribed
    expect(entry("rviz-costmap", 100)).toEqual([255, 0, 255, 255]); // lethal
    expect(entry("costmap", 99)).toEqual([0xd7, 0x2f, 0x21, 255]);
    expect(entry("costmap", 100)).toEqual([0x18, 0x6a, 0xdd, 255]);
    // Categories are looked up at the nearest entry, never interpolated.
    expect(sampleColormapRgba("rviz-costmap", 0.4 / 255)).toEqual([0, 0, 0, 0]);
    expect(sampleColormapRgba("rviz-costmap", 98.6 / 255)).toEqual([0, 255, 255, 255]);
  });

  it("interpolates linearly between entries", () => {
    const [r0] = sampleColormap("turbo", 127 / 255);
    const [r1] = sampleColormap("turbo", 128 / 255);
    const [rm] = sampleColormap("turbo", 127.5 / 255);
    expect(rm).toBeCloseTo((r0 + r1) / 2, 9);
    expect(sampleColormap("grey", 0.5)).toEqual([127.5, 127.5, 127.5]);
  });
});
