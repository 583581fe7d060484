// Rerun snippet archetypes/depth_image_3d: the depth_image_simple depth under a pinhole camera (focal length
// 200 px, 300×200) at world/camera, so the viewer back-projects it to a point cloud in 3D; meter = 10000.
import { DepthImage, Pinhole } from "@iris/sdk";
import { DEPTH_HEIGHT, DEPTH_WIDTH, snippetDepth } from "./depth_image_simple.ts";
import { type Example, runIfMain } from "./run-example.ts";

export const depthImage3d: Example = {
  name: "depth_image_3d",
  applicationId: "rerun_example_depth_image_3d",
  run(rec) {
    rec.log(
      "world/camera",
      Pinhole.fromFocalLength({ focalLength: 200, width: DEPTH_WIDTH, height: DEPTH_HEIGHT }),
    );
    rec.log(
      "world/camera/depth",
      new DepthImage(snippetDepth(), { width: DEPTH_WIDTH, height: DEPTH_HEIGHT, meter: 10_000 }),
    );
  },
};

await runIfMain(import.meta.url, depthImage3d);
