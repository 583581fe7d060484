/**
 * The documented differences of the scene cases (depth colormaps, segmentation, draw order) against the Rerun 0.41
 * web viewer: docs/rerun-differences.md, 5–8.
 */
import { expect } from "vitest";
import { overLinear } from "../browser/viewer/linear-blend.ts";
import { type Rgb, TOLERANCE, maxDifference } from "./sample-compare.ts";
import { type SceneCase, rgbImage, rgbaImage } from "./scene-cases.ts";

/** What both viewers showed for one scene case (RGB at the centre of every image pixel). */
export interface SceneShown {
  readonly c: SceneCase;
  readonly iris: readonly Rgb[];
  readonly rerun: readonly Rgb[];
  readonly irisBackground: Rgb;
  readonly rerunBackground: Rgb;
}

/**
 * Scene cases where Rerun 0.41 contradicts its own documentation (docs/rerun-differences.md, 5–8). Each check
 * pins what both viewers show; the pixels a difference does not concern must still match (±3).
 */
export function sceneDifferencesOf(
  label: string,
): Record<string, (s: SceneShown, all: readonly SceneShown[]) => void> {
  if (label !== "0.41") return {};
  const pixelsMatchExcept = (s: SceneShown, except: (p: number) => boolean): void => {
    s.iris.forEach((p, i) => {
      if (!except(i)) expect(maxDifference([p], [s.rerun[i]!]), `pixel ${i}`).toBeLessThanOrEqual(TOLERANCE);
    });
  };
  const near = (actual: Rgb, expected: readonly number[], tolerance = TOLERANCE): void => {
    expect(maxDifference([actual], [[expected[0]!, expected[1]!, expected[2]!]])).toBeLessThanOrEqual(
      tolerance,
    );
  };
  const rgbAt = (bytes: Uint8Array, p: number, channels: number): number[] =>
    Array.from(bytes.subarray(channels * p, channels * p + 3));
  return {
    // 5. Matplotlib's maps: Rerun evaluates its own polynomial fits, off by up to ~30 levels; Iris shows the
    // matplotlib data its docs name (ColorBrewer Spectral stops, matplotlib's twilight table).
    "depth Spectral [0, 10]": (s) => {
      expect(maxDifference(s.iris, s.rerun)).toBeGreaterThan(TOLERANCE);
      near(s.iris[0]!, [0x9e, 0x01, 0x42], 1);
      near(s.iris[47]!, [0x5e, 0x4f, 0xa2], 1);
      near(s.rerun[47]!, [110, 70, 143]);
    },
    "depth Twilight [0, 10]": (s) => {
      expect(maxDifference(s.iris, s.rerun)).toBeGreaterThan(TOLERANCE);
      near(s.iris[0]!, [226, 217, 226], 1);
      near(s.rerun[0]!, [254, 217, 240]);
    },
    // 6. Depth below depth_range: Rerun's shader raises a negative t to the gamma power (NaN) instead of clamping
    // as its docs say; Iris clamps (values 0…2.34 of the ramp, pixels 0…11, show the colormap's start).
    "depth Inferno [2.5, 7.5] clamped": (s) => {
      const below = (p: number): boolean => p <= 11;
      pixelsMatchExcept(s, below);
      for (let p = 0; p <= 11; p++) near(s.iris[p]!, s.iris[0]!, 0);
      near(s.iris[0]!, [0, 0, 4], 4); // inferno(0) = #000004
      expect(maxDifference([s.iris[0]!], [s.rerun[0]!])).toBeGreaterThan(TOLERANCE);
    },
    // 7. Transparency drawn without blending (4. for scenes): a cost map's free cell (value 0, pixel 0) shows
    // black in Rerun, hiding the Image below; Iris shows the Image.
    "depth RvizCostmap cells": (s) => costmapFreeCell(s),
    "depth Costmap cells": (s) => costmapFreeCell(s),
    // An RGBA image (opacity 1) over a depth image: Rerun shows colour × alpha over black, not over the depth.
    "draw order: RGBA image (alpha ramp) over depth over segmentation": (s, all) => {
      const rgba = rgbaImage(0);
      const depthShown = all.find((x) => x.c.name === "draw order: depth over image over segmentation")!;
      s.rerun.forEach((p, i) => near(p, overLinear(rgbAt(rgba, i, 4), rgba[4 * i + 3]! / 255, [0, 0, 0])));
      s.iris.forEach((p, i) =>
        near(p, overLinear(rgbAt(rgba, i, 4), rgba[4 * i + 3]! / 255, depthShown.iris[i]!)),
      );
      expect(maxDifference(s.iris, s.rerun)).toBeGreaterThan(TOLERANCE);
    },
    // 8. A translucent annotation colour (class 5: (255, 255, 0, 128), pixel 5): Rerun premultiplies it in sRGB
    // space before decoding, so it shows darker; Iris blends the straight colour in linear light.
    "segmentation over an Image, U8 ids 0..47, default opacity": (s) => translucentClass(s, 0.5),
    "segmentation over an Image, U16 ids 0..47, opacity 1": (s) => translucentClass(s, 1),
  };

  function costmapFreeCell(s: SceneShown): void {
    pixelsMatchExcept(s, (p) => p === 0);
    near(s.rerun[0]!, [0, 0, 0]);
    near(s.iris[0]!, rgbAt(rgbImage(200), 0, 3));
  }

  function translucentClass(s: SceneShown, opacity: number): void {
    pixelsMatchExcept(s, (p) => p === 5);
    const shown = overLinear([255, 255, 0], (128 / 255) * opacity, rgbAt(rgbImage(90), 5, 3));
    near(s.iris[5]!, shown);
    expect(s.rerun[5]![0]).toBeLessThan(shown[0]! - TOLERANCE);
  }
}
