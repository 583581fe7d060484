// Rerun snippet archetypes/image_advanced: a PNG file logged as an EncodedImage, and the same file decoded (with
// sharp, where Python uses PIL / OpenCV) as RGBA, as RGB (alpha dropped) and as BGR.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { EncodedImage, Image } from "@iris/sdk";
import { type Example, runIfMain } from "./run-example.ts";

export const ADVANCED_WIDTH = 300;
export const ADVANCED_HEIGHT = 200;

/**
 * The snippet's picture, drawn as PIL would: transparent 300×200, a red outline 6 px wide around the edge, and a
 * green rounded rectangle (radius 20) covering (50,50)–(150,150) inclusive.
 */
export function advancedPixels(): Uint8Array {
  const w = ADVANCED_WIDTH;
  const h = ADVANCED_HEIGHT;
  const rgba = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      if (inRoundedRect(x, y, 50, 50, 150, 150, 20)) rgba.set([0, 255, 0, 255], i);
      if (x < 6 || y < 6 || x >= w - 5 || y >= h - 5) rgba.set([255, 0, 0, 255], i);
    }
  }
  return rgba;
}

function inRoundedRect(
  x: number,
  y: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = x < x0 + r ? x0 + r : x > x1 - r ? x1 - r : x;
  const cy = y < y0 + r ? y0 + r : y > y1 - r ? y1 - r : y;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

export const imageAdvanced: Example = {
  name: "image_advanced",
  applicationId: "rerun_example_image_advanced",
  async run(rec) {
    const dir = mkdtempSync(join(tmpdir(), "iris-image-advanced-"));
    try {
      const filePath = join(dir, "image.png");
      await sharp(advancedPixels(), { raw: { width: ADVANCED_WIDTH, height: ADVANCED_HEIGHT, channels: 4 } })
        .png()
        .toFile(filePath);

      // From the file: the viewer decodes the PNG itself.
      rec.log("from_file", new EncodedImage(new Uint8Array(readFileSync(filePath))));

      // Decoded RGBA (PIL's np.array(Image.open(path))).
      const rgba = await sharp(filePath).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      rec.log(
        "from_pillow_rgba",
        new Image(new Uint8Array(rgba.data), { width: rgba.info.width, height: rgba.info.height }),
      );

      // RGB: alpha dropped, so transparent pixels show their (black) colour.
      const rgb = await sharp(filePath).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const rgbBytes = new Uint8Array(rgb.data);
      rec.log(
        "from_pillow_rgb",
        new Image(rgbBytes, { width: rgb.info.width, height: rgb.info.height, colorModel: "RGB" }),
      );

      // BGR, as OpenCV's imread returns it.
      const bgr = new Uint8Array(rgbBytes.length);
      for (let i = 0; i < rgbBytes.length; i += 3) {
        bgr[i] = rgbBytes[i + 2]!;
        bgr[i + 1] = rgbBytes[i + 1]!;
        bgr[i + 2] = rgbBytes[i]!;
      }
      rec.log(
        "from_opencv",
        new Image(bgr, { width: rgb.info.width, height: rgb.info.height, colorModel: "BGR" }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

await runIfMain(import.meta.url, imageAdvanced);
