// The five seed examples and the pixel checks every real-Rerun-viewer suite runs on them (0.33 and 0.41).
import {
  checkImageAdvanced,
  checkImageFormats,
  checkImageSimple,
  checkMovingRectangle,
  type CheckResult,
} from "./example-checks.ts";
import { countPixels, near, saturated } from "./pixels.ts";
import type { Screenshot } from "./rerun-viewer.ts";

export interface ExampleCase {
  readonly name: string;
  /** Cheap "the picture has arrived" test the harness waits for (the strict check runs afterwards). */
  readonly arrived: (shot: Screenshot) => boolean;
  readonly check: (shot: Screenshot) => CheckResult;
}

export const hasColor =
  (color: readonly [number, number, number], minPixels: number) =>
  (shot: Screenshot): boolean =>
    countPixels(shot, near(color, 40)) >= minPixels;

export const exampleCases: readonly ExampleCase[] = [
  { name: "image_simple", arrived: hasColor([0, 255, 0], 2000), check: checkImageSimple },
  // Loaded via send_rrd the viewer follows the end of the timeline: it shows the last frame, t = 19.
  {
    name: "image_row_updates",
    arrived: hasColor([0, 255, 255], 2000),
    check: (s) => checkMovingRectangle(s, 19),
  },
  {
    name: "image_column_updates",
    arrived: hasColor([0, 255, 255], 2000),
    check: (s) => checkMovingRectangle(s, 19),
  },
  {
    name: "image_formats",
    arrived: (s) => countPixels(s, saturated(60)) >= 20_000,
    check: checkImageFormats,
  },
  { name: "image_advanced", arrived: hasColor([0, 255, 0], 4 * 2000), check: checkImageAdvanced },
];
