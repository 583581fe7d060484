// Rerun snippet archetypes/image_simple: a 300×200 red RGB image with a green square.
import { Image } from "@iris/sdk";
import { type Example, runIfMain } from "./run-example.ts";

export const imageSimple: Example = {
  name: "image_simple",
  applicationId: "rerun_example_image",
  run(rec) {
    const width = 300;
    const height = 200;
    const pixels = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const green = x >= 50 && x < 150 && y >= 50 && y < 150;
        pixels.set(green ? [0, 255, 0] : [255, 0, 0], (y * width + x) * 3);
      }
    }
    rec.log("image", new Image(pixels, { width, height, colorModel: "RGB" }));
  },
};

await runIfMain(import.meta.url, imageSimple);
