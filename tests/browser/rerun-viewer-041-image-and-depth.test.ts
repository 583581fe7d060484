/**
 * One entity with both an Image and a DepthImage, in the real Rerun 0.41 web viewer: it runs both visualizers and
 * stacks them by draw order (DepthImage −20 under Image −10), so the image (opacity 1 logged) covers the depth
 * where both are and the depth shows beside it. The Iris viewer does the same (workbench-details.test.ts).
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { BytesSink, DepthImage, Image, RecordingStream } from "@iris/sdk";
import { countPixels, near, saturated } from "./pixels.ts";
import { RerunWebViewerHarness, type Screenshot, saveScreenshot } from "./rerun-viewer.ts";
import { rerun041Viewer } from "./rerun-viewer-041.ts";

const W = 64;
const H = 48;
const COLOR = [200, 100, 50] as const;

let harness: RerunWebViewerHarness | undefined;

beforeAll(async () => {
  harness = await RerunWebViewerHarness.start({ width: 1000, height: 700, viewer: rerun041Viewer() });
});

afterAll(async () => {
  await harness?.close();
});

function recording(): Uint8Array {
  const sink = new BytesSink();
  const rec = new RecordingStream({ applicationId: "iris_image_and_depth", sink, sendProperties: false });
  const half = new Uint8Array((W / 2) * H * 3);
  for (let i = 0; i < half.length; i += 3) half.set(COLOR, i);
  const depth = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) depth[y * W + x] = 500 + x * 100;
  rec.log("both", new Image(half, { width: W / 2, height: H, opacity: 1 }), { static: true });
  rec.log("both", new DepthImage(depth, { width: W, height: H, meter: 1000 }), { static: true });
  rec.close();
  return sink.toBytes();
}

/** The box of the pixels near the image's colour. */
function boxOf(shot: Screenshot): { x0: number; y0: number; x1: number; y1: number } {
  let [x0, y0, x1, y1] = [shot.width, shot.height, 0, 0];
  const is = near(COLOR, 6);
  for (let y = 0; y < shot.height; y++) {
    for (let x = 0; x < shot.width; x++) {
      const i = 4 * (y * shot.width + x);
      if (is(shot.rgba[i]!, shot.rgba[i + 1]!, shot.rgba[i + 2]!)) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
    }
  }
  return { x0, y0, x1, y1 };
}

test("Rerun 0.41 shows both images of one entity: the image over the depth, the depth beside it", async () => {
  const result = await harness!.show(recording(), {
    name: "041-image-and-depth",
    until: (s) => countPixels(s, near(COLOR, 6)) >= 2000,
  });
  const shot = result.screenshot;
  const image = boxOf(shot);
  const width = image.x1 - image.x0;
  const height = image.y1 - image.y0;
  const beside = { x0: image.x1 + 2, y0: image.y0 + 2, x1: image.x1 + width - 2, y1: image.y1 - 2 };
  const depthPixels = countPixels(shot, saturated(60), beside);
  const besideArea = (beside.x1 - beside.x0) * (beside.y1 - beside.y0);
  if (depthPixels < besideArea * 0.9) await saveScreenshot(shot, "041-image-and-depth-failed");
  expect(result.problems).toEqual([]);
  // The image is solid where it is: no depth colour bleeds through an opaque image drawn on top.
  expect(countPixels(shot, near(COLOR, 6), image)).toBeGreaterThan(width * height * 0.95);
  // As tall as it is wide ×1.5 (32×48): the image keeps its own size, the depth image is twice as wide.
  expect(height / width).toBeCloseTo(1.5, 1);
  // Beside it, the depth image in colour (its colormap), as wide again.
  expect(depthPixels).toBeGreaterThan(besideArea * 0.9);
});
