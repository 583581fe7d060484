import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ChannelDatatype,
  ColorModel,
  DepthImage,
  Image,
  RecordingStream,
  SegmentationImage,
} from "@iris/sdk";
import { decodeImageToRgba8 } from "@iris/sdk/advanced";
import { FileSink } from "@iris/sdk/node";
import { IrisViewerHarness, shownPixel } from "./viewer-harness.ts";

// Workbench details the main workbench suite does not reach: duration ruler labels, the histogram's range
// markers and axis labels, the selection panel's preview pixels and its PNG of the view.

let harness: IrisViewerHarness;
const W = 8;
const H = 6;
/** U16 ramp 500 … 6492 from left to right. */
const mm = new Uint16Array(W * H);
for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) mm[y * W + x] = 500 + x * 856;
const mmBytes = new Uint8Array(mm.buffer, mm.byteOffset, mm.byteLength);

beforeAll(async () => {
  harness = await IrisViewerHarness.start({ width: 1000, height: 700 });
  const rec = new RecordingStream({
    applicationId: "workbench-details",
    sink: new FileSink(join(harness.dataDir, "elapsed.rrd")),
    defaultTimelines: false,
  });
  // Every 1.5 s for 30 s on a duration timeline.
  for (let i = 0; i <= 20; i++) {
    rec.setTime("elapsed", { duration: i * 1.5 });
    rec.log("ramp", new Image(mm, { width: W, height: H }));
  }
  rec.close();
  // An image with a segmentation image under it (one view, as Rerun overlays them).
  const nested = new RecordingStream({
    applicationId: "workbench-nested",
    sink: new FileSink(join(harness.dataDir, "nested.rrd")),
  });
  nested.log("nest/img", new Image(new Uint8Array(W * H * 3).fill(90), { width: W, height: H }), {
    static: true,
  });
  nested.log("nest/img/seg", new SegmentationImage(new Uint8Array(W * H).fill(1), { width: W, height: H }), {
    static: true,
  });
  nested.close();
  // One entity with both an Image (half as wide, a flat colour) and a DepthImage.
  const both = new RecordingStream({
    applicationId: "workbench-both",
    sink: new FileSink(join(harness.dataDir, "both.rrd")),
  });
  const half = new Uint8Array((W / 2) * H * 3);
  for (let i = 0; i < half.length; i += 3) half.set([200, 100, 50], i);
  // Opacity 1 logged: over a depth image Rerun (and Iris) would draw a colour image at 0.5 by default.
  both.log("both", new Image(half, { width: W / 2, height: H, opacity: 1 }), { static: true });
  both.log("both", new DepthImage(mm, { width: W, height: H, meter: 1000 }), { static: true });
  both.close();
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

describe("workbench details", () => {
  it("labels a duration timeline's ruler in clock units and moves to a typed duration", async () => {
    await harness.open(["elapsed.rrd"]);
    await harness.snapshot(1);
    await harness.page.keyboard.press("Home");
    const labels = (
      await harness.page.$eval(".iris-scrubber", (c) => (c as HTMLElement).dataset["ticks"] ?? "")
    ).split("|");
    writeFileSync(join(harness.dataDir, "duration-ruler.png"), await harness.page.screenshot());
    expect(labels.length).toBeGreaterThanOrEqual(3);
    for (const l of labels) expect(l).toMatch(/^\d+(\.\d+)? s$/);
    const seconds = labels.map((l) => Number.parseFloat(l));
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    expect(seconds[0]).toBeGreaterThanOrEqual(0);
    expect(seconds[seconds.length - 1]).toBeLessThanOrEqual(30);
    // Evenly spaced ticks.
    const steps = new Set(seconds.slice(1).map((s, i) => s - seconds[i]!));
    expect(steps.size).toBe(1);
    await harness.page.fill(".iris-time-input", "12 s");
    await harness.page.press(".iris-time-input", "Enter");
    expect(await harness.page.$eval(".iris-time-label", (e) => e.textContent)).toBe("elapsed 12.000 s");
  });

  it("marks the range in use on the histogram in yellow and labels the axis ends", async () => {
    const panel = '.iris-view[data-root="/ramp"] .iris-image-panel';
    await harness.page.waitForSelector(`${panel} canvas.iris-histogram`);
    await harness.page.fill(`${panel} input[name=min]`, "1000");
    await harness.page.press(`${panel} input[name=min]`, "Enter");
    await harness.page.fill(`${panel} input[name=max]`, "5000");
    await harness.page.press(`${panel} input[name=max]`, "Enter");
    await harness.page.click(".iris-time-label"); // leave the field, so that it shows the range in use again
    await harness.snapshot(1);
    const hist = await harness.page.$eval(`${panel} canvas.iris-histogram`, (c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      const at = (x: number, y: number): number[] =>
        Array.from(data.subarray((y * canvas.width + x) * 4, (y * canvas.width + x) * 4 + 4));
      const inked = (x0: number, x1: number, y0: number, y1: number): number => {
        let n = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (at(x, y)[3]! > 0) n++;
        return n;
      };
      return {
        width: canvas.width,
        height: canvas.height,
        axis: canvas.dataset["axis"],
        columns: Array.from({ length: canvas.width }, (_, x) => at(x, 2)),
        leftLabel: inked(0, 30, canvas.height - 12, canvas.height),
        rightLabel: inked(canvas.width - 30, canvas.width, canvas.height - 12, canvas.height),
        middleLabel: inked(canvas.width / 2 - 10, canvas.width / 2 + 10, canvas.height - 12, canvas.height),
      };
    });
    // The axis spans the data (500 … 6492); the markers sit at 1000 and 5000 on it.
    expect(hist.axis).toBe("500…6492");
    const xOf = (v: number): number => Math.round(((v - 500) / (6492 - 500)) * (hist.width - 1));
    const yellow = [0xf5, 0xc5, 0x42, 255];
    expect(hist.columns[xOf(1000)]).toEqual(yellow);
    expect(hist.columns[xOf(5000)]).toEqual(yellow);
    // Only the two marker columns are yellow at the top of the plot (the bars there are blue or empty).
    const yellowColumns = hist.columns.flatMap((c, x) => (c.every((v, i) => v === yellow[i]) ? [x] : []));
    expect(yellowColumns).toEqual([xOf(1000), xOf(5000)]);
    // Text at both ends of the axis, none in its middle.
    expect(hist.leftLabel).toBeGreaterThan(10);
    expect(hist.rightLabel).toBeGreaterThan(10);
    expect(hist.middleLabel).toBe(0);
  });

  it("previews the selected entity's image as the CPU reference decodes it", async () => {
    await harness.page.click(".iris-entity-tree .iris-stream[data-entity='/ramp']");
    await harness.page.waitForSelector(".iris-selection-preview canvas");
    const preview = await harness.page.$eval(".iris-selection-preview canvas", (c) => {
      const canvas = c as HTMLCanvasElement;
      return {
        size: [canvas.width, canvas.height],
        rgba: Array.from(canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data),
      };
    });
    expect(preview.size).toEqual([W, H]);
    const reference = decodeImageToRgba8(mmBytes, {
      width: W,
      height: H,
      colorModel: ColorModel.L,
      channelDatatype: ChannelDatatype.U16,
    });
    expect(preview.rgba).toEqual(Array.from(reference));
    writeFileSync(join(harness.dataDir, "selection-preview.png"), await harness.page.screenshot());
  });
  it("downloads a PNG of the view holding the selected entity, equal to the view's canvas", async () => {
    const canvas = await harness.page.evaluate(() => {
      const v = (
        globalThis as unknown as {
          irisViewer: {
            spatialViews: Map<
              string,
              { readCanvasPixels(): { width: number; height: number; rgba: Uint8Array } }
            >;
          };
        }
      ).irisViewer.spatialViews.get("/ramp")!;
      const px = v.readCanvasPixels();
      // Base64: a canvas's worth of numbers as a JSON array is slow to pass out of the page.
      let text = "";
      for (let i = 0; i < px.rgba.length; i += 0x8000)
        text += String.fromCharCode(...px.rgba.subarray(i, i + 0x8000));
      return { width: px.width, height: px.height, rgba: btoa(text) };
    });
    const [download] = await Promise.all([
      harness.page.waitForEvent("download"),
      harness.page.click(".iris-download-view"),
    ]);
    expect(download.suggestedFilename()).toBe("ramp-view.png");
    const png = await sharp(readFileSync((await download.path())!))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([png.info.width, png.info.height]).toEqual([canvas.width, canvas.height]);
    const shown = Uint8Array.from(atob(canvas.rgba), (c) => c.charCodeAt(0));
    expect(shown.length).toBe(png.data.length);
    expect(new Uint8Array(png.data).every((v, i) => v === shown[i])).toBe(true);
  });
  it("shows a failed download in a red banner across the whole viewer (screenshot)", async () => {
    await harness.open(["missing.rrd"]);
    await harness.page.waitForSelector(".iris-note-error");
    const banner = await harness.page.$eval(".iris-notifications", (e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width, height: r.height, text: e.textContent ?? "" };
    });
    expect(banner.text).toMatch(/missing\.rrd.*404/);
    const viewport = harness.page.viewportSize()!;
    expect(banner.width).toBeGreaterThanOrEqual(viewport.width - 2);
    expect(banner.top).toBeLessThan(60);
    const shot = await harness.page.screenshot();
    writeFileSync(join(harness.dataDir, "notification-banner.png"), shot);
    const { data, info } = await sharp(shot).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const colourAt = (x: number, y: number): number[] =>
      Array.from(data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 3));
    // Screenshot pixels: the banner's dark red background fills most of its box, its bottom edge is bright red.
    let background = 0;
    let total = 0;
    for (let y = Math.ceil(banner.top) + 1; y < Math.floor(banner.top + banner.height) - 3; y++)
      for (let x = 0; x < info.width; x += 4) {
        total++;
        if (colourAt(x, y).join() === "42,20,22") background++;
      }
    expect(background / total).toBeGreaterThan(0.6);
    const edge = Math.floor(banner.top + banner.height) - 1;
    expect(colourAt(Math.floor(info.width / 2), edge)).toEqual([0xe5, 0x48, 0x4d]);
  });
  it("an entity with an Image and a DepthImage shows both: the image over the depth (default draw orders -10, -20)", async () => {
    await harness.open(["both.rrd"]);
    const view = (await harness.snapshot(2)).find((v) => v.drawn.length > 0)!;
    // Bottom to top: the depth image (8 px wide), then the image (4 px wide).
    expect(view.drawn.map((d) => [d.entityPath, d.width])).toEqual([
      ["/both", W],
      ["/both", W / 2],
    ]);
    const [depth, image] = view.drawn;
    expect(shownPixel(view, image!, 1, 2)).toEqual([200, 100, 50, 255]);
    // Right of the image, the depth shows through: a colormap colour, not the image's and not the background.
    const right = shownPixel(view, depth!, W - 1, 2);
    expect(right).not.toEqual([200, 100, 50, 255]);
    expect(right.slice(0, 3)).not.toEqual(shownPixel(view, depth!, W - 2, 2).slice(0, 3));
  });
  it("hiding an entity in a 2D view hides the entities under it too, as Rerun's visible propagates", async () => {
    await harness.open(["nested.rrd"]);
    await harness.snapshot(2);
    const drawn = (): Promise<string[]> =>
      harness.page.evaluate(() => {
        const v = (
          globalThis as unknown as {
            irisViewer: { spatialViews: Map<string, { drawnImages: { entityPath: string }[] }> };
          }
        ).irisViewer;
        return [...v.spatialViews.values()]
          .flatMap((view) => view.drawnImages.map((d) => d.entityPath))
          .sort();
      });
    expect(await drawn()).toEqual(["/nest/img", "/nest/img/seg"]);
    const eye = (entity: string): string => `.iris-view-tree .iris-eye[data-entity='${entity}']`;
    await harness.page.click(eye("/nest/img"));
    await harness.page.waitForFunction(() => {
      const v = (
        globalThis as unknown as { irisViewer: { spatialViews: Map<string, { drawnImages: unknown[] }> } }
      ).irisViewer;
      return [...v.spatialViews.values()].every((view) => view.drawnImages.length === 0);
    });
    expect(await drawn()).toEqual([]);
    // Visibility is part of the layout, as of Rerun's blueprint: undone and redone with it, and stored with it.
    const checked = (entity: string): Promise<boolean> =>
      harness.page.$eval(eye(entity), (e) => (e as HTMLInputElement).checked);
    await harness.page.click(".iris-layout-undo");
    await harness.snapshot(2);
    expect(await drawn()).toEqual(["/nest/img", "/nest/img/seg"]);
    expect(await checked("/nest/img")).toBe(true);
    await harness.page.click(".iris-layout-redo");
    await harness.page.waitForFunction(() => {
      const v = (
        globalThis as unknown as { irisViewer: { spatialViews: Map<string, { drawnImages: unknown[] }> } }
      ).irisViewer;
      return [...v.spatialViews.values()].every((view) => view.drawnImages.length === 0);
    });
    expect(await checked("/nest/img")).toBe(false);
    await harness.page.click(eye("/nest/img/seg"));
    await harness.page.click(eye("/nest/img"));
    await harness.snapshot(1);
    expect(await drawn()).toEqual(["/nest/img"]);
    const stored = await harness.page.evaluate(() =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith("iris-layout:"))
        .map(
          (k) =>
            (JSON.parse(localStorage.getItem(k)!) as { hiddenEntities?: Record<string, string[]> })
              .hiddenEntities,
        ),
    );
    expect(stored.map((h) => Object.values(h ?? {}).flat())).toContainEqual(["/nest/img/seg"]);
  });
});
