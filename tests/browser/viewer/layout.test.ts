import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageFormats } from "../../../examples/src/image_formats.ts";
import { writeExample } from "../../../examples/src/run-example.ts";
import { writeFileSync } from "node:fs";
import { IrisViewerHarness, shownPixel } from "./viewer-harness.ts";

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
  it("undoes and redoes closing a view (buttons and Ctrl+Z / Ctrl+Shift+Z) and resets to the default views", async () => {
    await harness.open(["formats.rrd"]);
    const all = ["/image_bgr", "/image_green_only", "/image_rgb", "/image_yuv422"];
    const shown = async (n: number): Promise<string[]> => {
      await harness.page.waitForFunction(
        (n) => document.querySelectorAll(".iris-layout > .iris-view").length === n,
        n,
      );
      return harness.page.$$eval(".iris-layout > .iris-view", (els) =>
        els.map((e) => (e as HTMLElement).dataset["root"]!),
      );
    };
    const centre = async (): Promise<number[]> => {
      const view = (await harness.snapshot(4)).find((v) => v.root === "/image_rgb")!;
      const drawn = view.drawn[0]!;
      expect(drawn.entityPath).toBe("/image_rgb");
      return shownPixel(view, drawn, Math.floor(drawn.width / 2), Math.floor(drawn.height / 2));
    };
    const disabled = (b: string): Promise<boolean> =>
      harness.page.$eval(`.iris-layout-${b}`, (e) => (e as HTMLButtonElement).disabled);
    const header = (root: string): string => `.iris-view[data-root="${root}"] .iris-view-header`;
    expect(await shown(4)).toEqual(all);
    const before = await centre();
    expect(await disabled("undo")).toBe(true);

    await harness.page.click(`${header("/image_rgb")} .iris-close-view`);
    expect(await shown(3)).toEqual(all.filter((r) => r !== "/image_rgb"));
    expect(await disabled("undo")).toBe(false);
    await harness.page.click(".iris-layout-undo");
    expect(await shown(4)).toEqual(all);
    // The view came back and draws its image again.
    expect(await centre()).toEqual(before);
    expect(await disabled("redo")).toBe(false);

    // The keys work while the viewer has the focus (a click anywhere in it, e.g. a view's title).
    await harness.page.click(`${header("/image_yuv422")} .iris-view-title`);
    await harness.page.keyboard.press("Control+Shift+Z");
    expect(await shown(3)).toEqual(all.filter((r) => r !== "/image_rgb"));
    await harness.page.keyboard.press("Control+Z");
    expect(await shown(4)).toEqual(all);

    // Several changes, then "Reset": every default view, none maximised, nothing stored; Reset is undoable.
    await harness.page.click(`${header("/image_bgr")} .iris-close-view`);
    await harness.page.click(`${header("/image_rgb")} .iris-maximize`);
    expect(await shown(1)).toEqual(["/image_rgb"]);
    await harness.page.click(".iris-layout-reset");
    expect(await shown(4)).toEqual(all);
    writeFileSync(join(harness.dataDir, "layout-reset.png"), await harness.page.screenshot());
    const stored = await harness.page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith("iris-layout:"))
        .map((k) => JSON.parse(localStorage.getItem(k)!) as unknown),
    );
    expect(stored).toEqual([{ order: [], closed: [], added: [] }]);
    await harness.page.click(".iris-layout-undo");
    expect(await shown(1)).toEqual(["/image_rgb"]);
    await harness.page.click(".iris-layout-reset");
    expect(await shown(4)).toEqual(all);
    expect(await centre()).toEqual(before);
  });
});
