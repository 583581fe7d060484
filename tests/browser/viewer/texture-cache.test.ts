// The 2D view's texture cache: visiting every frame of a large recording keeps at most 64 MiB of textures of
// images not on screen (plus those shown), and going back to an evicted frame uploads it again correctly.
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { IrisViewerHarness, shownPixel } from "./viewer-harness.ts";

const FRAMES = 24;
const SIDE = 1024; // RGBA8: 4 MiB of texture per frame, 96 MiB for the whole recording
const MIB = 1024 * 1024;

/** Frame t's colour (a solid RGBA frame); distinct for every t. */
function colourOf(t: number): number[] {
  return [(t * 10) % 256, 255 - t * 10, (t * 37) % 256, 255];
}

let harness: IrisViewerHarness;

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  const rec = new RecordingStream({
    applicationId: "texture-cache",
    sink: new FileSink(join(harness.dataDir, "big.rrd")),
  });
  for (let t = 0; t < FRAMES; t++) {
    rec.setTimeSequence("frame", t);
    const px = new Uint8Array(SIDE * SIDE * 4);
    const c = colourOf(t);
    for (let i = 0; i < px.length; i += 4) px.set(c, i);
    rec.log("image", new Image(px, { width: SIDE, height: SIDE, colorModel: "RGBA" }));
  }
  rec.close();
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

type Viewer = {
  irisViewer: {
    time: { setTime(t: bigint): void };
    spatialViews: Map<string, { textureCacheBytes: number }>;
  };
};

async function showFrame(t: number): Promise<{ colour: number[]; cacheBytes: number }> {
  await harness.page.evaluate((time) => {
    (globalThis as unknown as Viewer).irisViewer.time.setTime(BigInt(time));
  }, t);
  const [view] = await harness.snapshot(1);
  const drawn = view!.drawn[0]!;
  const cacheBytes = await harness.page.evaluate(() => {
    let bytes = 0;
    for (const v of (globalThis as unknown as Viewer).irisViewer.spatialViews.values()) {
      bytes += v.textureCacheBytes;
    }
    return bytes;
  });
  return { colour: shownPixel(view!, drawn, SIDE / 2, SIDE / 2), cacheBytes };
}

it("bounds the cached textures while scrubbing, and redraws evicted frames correctly", async () => {
  await harness.open(["big.rrd"]);
  let largest = 0;
  for (let t = 0; t < FRAMES; t++) {
    const { colour, cacheBytes } = await showFrame(t);
    expect(colour, `frame ${t}`).toEqual(colourOf(t));
    largest = Math.max(largest, cacheBytes);
  }
  // Without the budget every visited frame stays uploaded (96 MiB); with it, 64 MiB + the frame on screen.
  expect(largest).toBeLessThanOrEqual(64 * MIB + 4 * MIB);
  expect(largest).toBeGreaterThan(16 * MIB); // recently seen frames are kept for going back
  // Frame 0 was evicted long ago: it is uploaded again and shown with its own colour; so are the others.
  for (const t of [0, 5, FRAMES - 1, 1]) {
    expect((await showFrame(t)).colour, `back to frame ${t}`).toEqual(colourOf(t));
  }
}, 180_000);
