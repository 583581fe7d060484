/**
 * One undrawable image never blanks the other views: constant images at U64 max / I64 min / F64 1e300 (whose
 * heuristic range [v − 1, v + 1] collapses in float64 and used to throw `valueRange must be two different finite
 * numbers` in the draw loop, blanking every view) are drawn at the middle grey, and an image the renderer cannot
 * upload (a buffer of the wrong size) gets an error badge with the reason in its own view while the others draw.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { IrisViewerHarness, type ViewSnapshot, shownPixel } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

function viewOf(views: ViewSnapshot[], root: string): ViewSnapshot {
  const v = views.find((x) => x.root === root);
  if (!v) throw new Error(`no view ${root}: ${views.map((x) => x.root).join(", ")}`);
  return v;
}

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  const rec = new RecordingStream({
    applicationId: "error_isolation",
    sink: new FileSink(join(harness.dataDir, "isolation.rrd")),
  });
  const red = new Uint8Array(4 * 4 * 3);
  for (let i = 0; i < 16; i++) red.set([255, 0, 0], i * 3);
  rec.log("good", new Image(red, { width: 4, height: 4, colorModel: "RGB" }));
  rec.log("u64max", new Image(new BigUint64Array(16).fill(2n ** 64n - 1n), { width: 4, height: 4 }));
  rec.log("f64big", new Image(new Float64Array(16).fill(1e300), { width: 4, height: 4 }));
  // Format and buffer logged separately (each valid alone): together 10 bytes for a 4×4 RGB U8 image.
  rec.log("bad", Image.fromFields({ format: { width: 4, height: 4, colorModel: 2, channelDatatype: 6 } }));
  rec.log("bad", Image.fromFields({ buffer: new Uint8Array(10) }));
  rec.close();
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

describe("error isolation", () => {
  it("draws constant 64-bit extremes at the middle and badges only the broken image", async () => {
    await harness.open(["isolation.rrd"]);
    const views = await harness.snapshot(3);
    const good = viewOf(views, "/good");
    expect(shownPixel(good, good.drawn[0]!, 1, 1).slice(0, 3)).toEqual([255, 0, 0]);
    for (const root of ["/u64max", "/f64big"]) {
      const view = viewOf(views, root);
      const [r, g, b] = shownPixel(view, view.drawn[0]!, 2, 2);
      // t = 0.5 → 127.5 ± 1 (the CPU reference rounds to 128).
      for (const c of [r!, g!, b!]) expect(Math.abs(c - 127.5), `${root}: ${c}`).toBeLessThanOrEqual(1);
    }
    const badges = await harness.page.evaluate(() => {
      const v = (
        globalThis as unknown as {
          irisViewer: { spatialViews: Map<string, { root: string; errorBadge: { messages: string[] } }> };
        }
      ).irisViewer;
      return Object.fromEntries(
        [...v.spatialViews.values()].map((x) => [x.root, [...x.errorBadge.messages]]),
      );
    });
    expect(badges["/good"]).toEqual([]);
    expect(badges["/u64max"]).toEqual([]);
    expect(badges["/f64big"]).toEqual([]);
    expect(badges["/bad"]).toHaveLength(1);
    expect(badges["/bad"]![0]).toMatch(/^\/bad: .*needs exactly 48 bytes, got 10 bytes/);
    // The badge is visible in the page, with the reason.
    const text = await harness.page.locator('.iris-view[data-root="/bad"] .iris-view-error').innerText();
    expect(text).toContain("48 bytes");
    expect(await harness.page.locator('.iris-view[data-root="/good"] .iris-view-error').isVisible()).toBe(
      false,
    );
  });

  it("shows the raw U64 max exactly on hover (not 18446744073709552000)", async () => {
    const text = await harness.page.evaluate(() => {
      type View = {
        root: string;
        drawnImages: { x: number; y: number; scale: number }[];
        pixelAt(x: number, y: number): { text: string } | undefined;
      };
      const v = (globalThis as unknown as { irisViewer: { spatialViews: Map<string, View> } }).irisViewer;
      const view = [...v.spatialViews.values()].find((x) => x.root === "/u64max")!;
      const d = view.drawnImages[0]!;
      return view.pixelAt(d.x + 2.5 * d.scale, d.y + 2.5 * d.scale)?.text;
    });
    expect(text).toBe("L 18446744073709551615");
  });
});
