// Rerun snippet archetypes/image_formats: one gradient in RGB, as a single channel (L), reversed to BGR, and a
// Y_U_V16 full-range image.
import { Image } from "@iris/sdk";
import { type Example, runIfMain } from "./run-example.ts";

export const imageFormats: Example = {
  name: "image_formats",
  applicationId: "rerun_example_image_formats",
  run(rec) {
    const size = 256;
    const rgb = new Uint8Array(size * size * 3);
    const green = new Uint8Array(size * size);
    const bgr = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const i = y * size + x;
        const g = Math.min(255, x + y);
        rgb.set([x, g, y], i * 3);
        bgr.set([y, g, x], i * 3);
        green[i] = g;
      }
    }
    rec.log("image_rgb", new Image(rgb, { width: size, height: size, colorModel: "RGB" }));
    rec.log("image_green_only", new Image(green, { width: size, height: size, colorModel: "L" }));
    rec.log("image_bgr", new Image(bgr, { width: size, height: size, colorModel: "BGR" }));

    // Y_U_V16 (I422): a full Y plane of 128, then U and V planes of half width: U = 2x, V = y.
    const yuv = new Uint8Array(size * size * 2);
    yuv.fill(128, 0, size * size);
    const half = size / 2;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < half; x++) {
        yuv[size * size + y * half + x] = 2 * x;
        yuv[size * size + half * size + y * half + x] = y;
      }
    }
    rec.log("image_yuv422", new Image(yuv, { width: size, height: size, pixelFormat: "Y_U_V16_FullRange" }));
  },
};

await runIfMain(import.meta.url, imageFormats);
