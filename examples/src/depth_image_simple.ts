// Rerun snippet archetypes/depth_image_simple: a 300×200 U16 depth image, 65535 everywhere, 20000 in the square
// x, y ∈ [50, 150), 45000 in the bar x ∈ [100, 280), y ∈ [130, 180); meter = 10000 (so 2 m and 4.5 m).
import { DepthImage } from "@iris/sdk";
import { type Example, runIfMain } from "./run-example.ts";

export const DEPTH_WIDTH = 300;
export const DEPTH_HEIGHT = 200;

/** The snippet's depth values, row-major. */
export function snippetDepth(): Uint16Array {
  const depth = new Uint16Array(DEPTH_WIDTH * DEPTH_HEIGHT).fill(65535);
  for (let y = 50; y < 150; y++) depth.fill(20000, y * DEPTH_WIDTH + 50, y * DEPTH_WIDTH + 150);
  for (let y = 130; y < 180; y++) depth.fill(45000, y * DEPTH_WIDTH + 100, y * DEPTH_WIDTH + 280);
  return depth;
}

export const depthImageSimple: Example = {
  name: "depth_image_simple",
  applicationId: "rerun_example_depth_image",
  run(rec) {
    rec.log(
      "depth",
      new DepthImage(snippetDepth(), { width: DEPTH_WIDTH, height: DEPTH_HEIGHT, meter: 10_000 }),
    );
  },
};

await runIfMain(import.meta.url, depthImageSimple);
