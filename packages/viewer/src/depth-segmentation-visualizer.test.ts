import { describe, expect, it } from "vitest";
import { ChannelDatatype, ColorModel, type ImageFormat } from "@iris/types";
import {
  autoClassColor,
  cachedFiniteMax,
  classColor,
  colormapName,
  finiteMax,
  formatClass,
  formatDepth,
  segmentationRgba,
} from "./depth-segmentation-visualizer.ts";

describe("depth helpers", () => {
  it("formats depth like Rerun's tooltip", () => {
    expect(formatDepth(400, 1000)).toBe("400.0 mm");
    expect(formatDepth(2400, 1000)).toBe("2.400 m");
    expect(formatDepth(0.25, 1)).toBe("250.0 mm");
  });

  it("maps the Colormap enum and finds the finite max", () => {
    expect(colormapName(undefined)).toBe("turbo");
    expect(colormapName(1)).toBe("grey");
    expect(colormapName(6)).toBe("viridis");
    const f32 = new Float32Array([1, NaN, 7, Infinity, 3]);
    const bytes = new Uint8Array(f32.buffer);
    expect(finiteMax(bytes, { width: 5, height: 1, colorModel: 1, channelDatatype: 34 })).toBe(7);
  });

  it("remembers the max per image, also for images that share one stored buffer", () => {
    // Two 2×1 U16 depth images in one buffer (as in a chunk's value buffer).
    const shared = new Uint16Array([100, 900, 50, 60]);
    const format: ImageFormat = {
      width: 2,
      height: 1,
      colorModel: ColorModel.L,
      channelDatatype: ChannelDatatype.U16,
    };
    const first = new Uint8Array(shared.buffer, 0, 4);
    const second = new Uint8Array(shared.buffer, 4, 4);
    expect(cachedFiniteMax(first, format)).toBe(900);
    expect(cachedFiniteMax(second, format)).toBe(60);
    expect(cachedFiniteMax(new Uint8Array(shared.buffer, 0, 4), format)).toBe(900);
  });
});

describe("segmentation colours", () => {
  const classes = new Map([
    [1, { label: "car", color: 0xff000080 }],
    [2, { label: "road" }],
  ]);

  it("uses the annotation colour, else the automatic colour, for id 0 too (as Rerun 0.41 shows it)", () => {
    expect(classColor(1, classes)).toEqual([255, 0, 0, 128]);
    expect(classColor(2, classes)).toEqual(autoClassColor(2));
    // auto_color_egui(0): hue 0, HSV (0, 0.85, 0.5) in linear space → sRGB (188, 77, 77), measured in Rerun 0.41.
    expect(classColor(0, classes)).toEqual([188, 77, 77, 255]);
    // id 1: hue 0.618 → HSV(0.618, 0.85, 0.5) linear = (0.075, 0.199, 0.5) → sRGB ≈ (77, 123, 188).
    const [r, g, b, a] = autoClassColor(1);
    expect(Math.abs(r - 77)).toBeLessThanOrEqual(1);
    expect(Math.abs(g - 123)).toBeLessThanOrEqual(1);
    expect(Math.abs(b - 188)).toBeLessThanOrEqual(1);
    expect(a).toBe(255);
  });

  it("colours a U16 id image and labels ids", () => {
    const ids = new Uint16Array([1, 0, 2]);
    const rgba = segmentationRgba(
      new Uint8Array(ids.buffer),
      { width: 3, height: 1, colorModel: 1, channelDatatype: 8 },
      classes,
    );
    expect(Array.from(rgba)).toEqual([255, 0, 0, 128, 188, 77, 77, 255, ...autoClassColor(2)]);
    expect(formatClass(1, classes)).toBe("Label: car  Val: 1");
    expect(formatClass(9, classes)).toBe("Label: 9  Val: 9");
  });
});
