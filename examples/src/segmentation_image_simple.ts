// Rerun snippet archetypes/segmentation_image_simple: a 12×8 U8 class-id image (class 1 in the top-left 6×4,
// class 2 in the bottom-right 6×4, 0 elsewhere), coloured by a static AnnotationContext at the root:
// 1 = "red" (255, 0, 0), 2 = "green" (0, 255, 0).
import { AnnotationContext, SegmentationImage } from "@iris/sdk";
import { type Example, runIfMain } from "./run-example.ts";

export const segmentationImageSimple: Example = {
  name: "segmentation_image_simple",
  applicationId: "rerun_example_segmentation_image",
  run(rec) {
    const width = 12;
    const height = 8;
    const ids = new Uint8Array(width * height);
    for (let y = 0; y < 4; y++) ids.fill(1, y * width, y * width + 6);
    for (let y = 4; y < 8; y++) ids.fill(2, y * width + 6, y * width + 12);
    rec.log(
      "/",
      new AnnotationContext([
        [1, "red", [255, 0, 0]],
        [2, "green", [0, 255, 0]],
      ]),
      { static: true },
    );
    rec.log("image", new SegmentationImage(ids, { width, height }));
  },
};

await runIfMain(import.meta.url, segmentationImageSimple);
