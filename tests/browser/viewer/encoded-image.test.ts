import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  encodedImage,
  encodedImageJpeg,
  encodedImagePixels,
  ENCODED_HEIGHT,
  ENCODED_WIDTH,
} from "../../../examples/src/encoded_image.ts";
import { writeExample } from "../../../examples/src/run-example.ts";
import { IrisViewerHarness } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  await writeExample(encodedImage, join(harness.dataDir, "png.rrd"));
  await writeExample(encodedImageJpeg, join(harness.dataDir, "jpeg.rrd"));
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

/**
 * Worst per-channel difference between what the view shows and the example's source pixels, sampled at the
 * centre of every 3rd image pixel.
 */
async function worstError(file: string, edgeMarginPx = 0): Promise<number> {
  await harness.open([file]);
  const view = (await harness.snapshot(1))[0]!;
  const drawn = view.drawn[0]!;
  expect([drawn.width, drawn.height]).toEqual([ENCODED_WIDTH, ENCODED_HEIGHT]);
  const source = encodedImagePixels();
  let worst = 0;
  for (let y = 1; y < ENCODED_HEIGHT; y += 3) {
    for (let x = 1; x < ENCODED_WIDTH; x += 3) {
      const nearEdge = (v: number): boolean =>
        Math.abs(v - 50) < edgeMarginPx || Math.abs(v - 150) < edgeMarginPx;
      if (nearEdge(x) || nearEdge(y)) continue;
      const cx = Math.floor((drawn.x + (x + 0.5) * drawn.scale) * view.scale);
      const cy = Math.floor((drawn.y + (y + 0.5) * drawn.scale) * view.scale);
      const j = (cy * view.width + cx) * 4;
      const i = (y * ENCODED_WIDTH + x) * 3;
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(view.rgba[j + c]! - source[i + c]!));
    }
  }
  return worst;
}

describe("EncodedImage decoded by the browser", () => {
  it("PNG is shown exactly", async () => {
    expect(await worstError("png.rrd")).toBe(0);
  });

  // JPEG (quality 95, 4:2:0 chroma) is lossy, and magenta next to yellow rings and smears chroma near the
  // square's edges. Stated tolerance: at most 8 per channel at every sampled pixel 8 px or more from an edge.
  it("JPEG is shown within the stated tolerance", async () => {
    const worst = await worstError("jpeg.rrd", 8);
    expect(worst).toBeLessThanOrEqual(8);
  });
});
