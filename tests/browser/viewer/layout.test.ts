import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageFormats } from "../../../examples/src/image_formats.ts";
import { writeExample } from "../../../examples/src/run-example.ts";
import { IrisViewerHarness } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  await writeExample(imageFormats, join(harness.dataDir, "formats.rrd"));
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

describe("view layout", () => {
  it("puts one view per root entity in a grid the user can resize by dragging the gutters", async () => {
    await harness.open(["formats.rrd"]);
    await harness.snapshot(4);
    const boxes = async (): Promise<Record<string, { x: number; y: number; w: number; h: number }>> =>
      harness.page.$$eval(".iris-view", (views) =>
        Object.fromEntries(
          views.map((v) => {
            const r = v.getBoundingClientRect();
            return [(v as HTMLElement).dataset["root"], { x: r.x, y: r.y, w: r.width, h: r.height }];
          }),
        ),
      );
    const before = await boxes();
    expect(Object.keys(before).sort()).toEqual([
      "/image_bgr",
      "/image_green_only",
      "/image_rgb",
      "/image_yuv422",
    ]);
    // A 2×2 grid: two distinct column positions and two distinct row positions.
    expect(new Set(Object.values(before).map((b) => Math.round(b.x))).size).toBe(2);
    expect(new Set(Object.values(before).map((b) => Math.round(b.y))).size).toBe(2);

    const gutter = (await harness.page.$(".iris-gutter-column"))!;
    const g = (await gutter.boundingBox())!;
    await harness.page.mouse.move(g.x + g.width / 2, g.y + 50);
    await harness.page.mouse.down();
    await harness.page.mouse.move(g.x + g.width / 2 + 120, g.y + 50, { steps: 5 });
    await harness.page.mouse.up();
    const after = await boxes();
    const left = Object.entries(before).find(
      ([, b]) => b.x === Math.min(...Object.values(before).map((v) => v.x)),
    )![0];
    expect(after[left]!.w - before[left]!.w).toBeGreaterThan(100);
    expect(after[left]!.w - before[left]!.w).toBeLessThan(140);
    // The views redraw at their new size.
    const views = await harness.snapshot(4);
    const resized = views.find((v) => v.root === left)!;
    expect(resized.width).toBeGreaterThan(before[left]!.w + 100);
  });
});
