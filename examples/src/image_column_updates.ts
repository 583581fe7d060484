// Rerun snippet archetypes/image_column_updates: the format logged once as static data, then all 20 buffers in
// one sendColumns call on the sequence timeline `step`.
import { ColorModel, ChannelDatatype, Image, TimeColumn } from "@iris/sdk";
import { FRAME_COUNT, FRAME_HEIGHT, FRAME_WIDTH, movingRectangleFrame } from "./moving-rectangle.ts";
import { type Example, runIfMain } from "./run-example.ts";

export const imageColumnUpdates: Example = {
  name: "image_column_updates",
  applicationId: "rerun_example_image_column_updates",
  run(rec) {
    const times = Array.from({ length: FRAME_COUNT }, (_, t) => t);
    const format = {
      width: FRAME_WIDTH,
      height: FRAME_HEIGHT,
      colorModel: ColorModel.RGB,
      channelDatatype: ChannelDatatype.U8,
    };
    rec.log("images", Image.fromFields({ format }), { static: true });
    rec.sendColumns(
      "images",
      [new TimeColumn("step", { sequence: times })],
      Image.columns({ buffer: times.map(movingRectangleFrame) }),
    );
  },
};

await runIfMain(import.meta.url, imageColumnUpdates);
