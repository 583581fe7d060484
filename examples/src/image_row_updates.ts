// Rerun snippet archetypes/image_row_updates: 20 frames logged one by one on the sequence timeline `time`.
import { Image } from "@iris/sdk";
import { FRAME_COUNT, FRAME_HEIGHT, FRAME_WIDTH, movingRectangleFrame } from "./moving-rectangle.ts";
import { type Example, runIfMain } from "./run-example.ts";

export const imageRowUpdates: Example = {
  name: "image_row_updates",
  applicationId: "rerun_example_image_row_updates",
  run(rec) {
    for (let t = 0; t < FRAME_COUNT; t++) {
      rec.setTimeSequence("time", t);
      rec.log(
        "image",
        new Image(movingRectangleFrame(t), { width: FRAME_WIDTH, height: FRAME_HEIGHT, colorModel: "RGB" }),
      );
    }
  },
};

await runIfMain(import.meta.url, imageRowUpdates);
