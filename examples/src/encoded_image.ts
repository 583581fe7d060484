// Rerun snippet archetypes/encoded_image: an image file logged as it is (the viewer decodes it). Rerun logs its
// ferris.png; here a 300×200 PNG (magenta with a yellow square at x, y ∈ [50, 150)) is written with sharp and
// read back with EncodedImage.fromFile. The JPEG variant compresses the same pixels with compressImage.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Image } from "@iris/sdk";
import { EncodedImage, type SharpLike, compressImage, sharpJpegEncoder } from "@iris/sdk/node";
import sharp from "sharp";
import { type Example, runIfMain } from "./run-example.ts";

export const ENCODED_WIDTH = 300;
export const ENCODED_HEIGHT = 200;

export function encodedImagePixels(): Uint8Array {
  const pixels = new Uint8Array(ENCODED_WIDTH * ENCODED_HEIGHT * 3);
  for (let y = 0; y < ENCODED_HEIGHT; y++) {
    for (let x = 0; x < ENCODED_WIDTH; x++) {
      const inside = x >= 50 && x < 150 && y >= 50 && y < 150;
      pixels.set(inside ? [255, 255, 0] : [255, 0, 255], (y * ENCODED_WIDTH + x) * 3);
    }
  }
  return pixels;
}

export const encodedImage: Example = {
  name: "encoded_image",
  applicationId: "rerun_example_encoded_image",
  async run(rec) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "iris-encoded-image-"));
    try {
      const file = path.join(dir, "picture.png");
      await sharp(encodedImagePixels(), {
        raw: { width: ENCODED_WIDTH, height: ENCODED_HEIGHT, channels: 3 },
      })
        .png()
        .toFile(file);
      rec.log("image", await EncodedImage.fromFile(file));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export const encodedImageJpeg: Example = {
  name: "encoded_image_jpeg",
  applicationId: "rerun_example_encoded_image",
  async run(rec) {
    const image = new Image(encodedImagePixels(), { width: ENCODED_WIDTH, height: ENCODED_HEIGHT });
    const jpeg = await compressImage(image, {
      quality: 90,
      encoder: sharpJpegEncoder(sharp as unknown as SharpLike),
    });
    rec.log("image", jpeg);
  },
};

await runIfMain(import.meta.url, encodedImage);
