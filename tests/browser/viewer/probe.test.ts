// The probe panel in the Iris viewer: Alt+click a pixel / Alt+drag a rectangle over 100 logged frames, the plot
// and the CSV download hold the values logged, clicking the plot moves the time cursor (and the view shows that
// frame), the keyboard route (Shift+P form, arrow keys on the plot) and the embedding API (`IrisViewer.probe`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { EncodedImage, Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { IrisViewerHarness, shownPixel } from "./viewer-harness.ts";

const W = 8;
const H = 6;
const FRAMES = 100;
/** The logged values: formulas of frame, pixel and channel (the test's reference). */
const rgb = (f: number, x: number, y: number, c: number): number => (f * 7 + x * 19 + y * 37 + c * 71) % 256;
const f32 = (f: number, x: number, y: number): number => Math.fround(f / 8 - x * 0.5 + y * 3);
/** Byte i of the RGB pixels of PNG frame f (20 frames of EncodedImage). */
const png = (f: number, i: number): number => (f * 11 + i * 23) % 256;
const PNG_FRAMES = 20;

// Geometry of the plot's SVG viewBox (probe-plot.ts PLOT_GEOMETRY): data area from x 56 to 640 − 12.
const PLOT = { width: 640, left: 56, right: 12 };

let harness: IrisViewerHarness;
const frames = Array.from({ length: FRAMES }, (_, f) => f);

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  const rec = new RecordingStream({
    applicationId: "probe_viewer",
    defaultTimelines: false,
    sink: new FileSink(join(harness.dataDir, "probe.rrd")),
  });
  const pngs = await Promise.all(
    frames.slice(0, PNG_FRAMES).map((f) => {
      const raw = new Uint8Array(W * H * 3);
      for (let i = 0; i < W * H * 3; i++) raw[i] = png(f, i);
      return sharp(raw, { raw: { width: W, height: H, channels: 3 } })
        .png()
        .toBuffer();
    }),
  );
  for (let f = 0; f < FRAMES; f++) {
    rec.setTimeSequence("frame", f);
    if (f < PNG_FRAMES)
      rec.log("png", new EncodedImage(new Uint8Array(pngs[f]!), { mediaType: "image/png" }));
    const pixels = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) pixels[(y * W + x) * 3 + c] = rgb(f, x, y, c);
    rec.log("cam", new Image(pixels, { width: W, height: H, colorModel: "RGB" }));
    const floats = new Float32Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) floats[y * W + x] = f32(f, x, y);
    rec.log("f32", new Image(floats, { width: W, height: H }));
  }
  rec.close();
  await harness.open(["probe.rrd"]);
  await harness.snapshot(3);
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

/** Page coordinates of the centre of image pixel (x, y) in the view for `root`. */
async function pagePoint(root: string, x: number, y: number): Promise<[number, number]> {
  return harness.page.evaluate(
    ({ root, x, y }) => {
      type View = { canvas: HTMLCanvasElement; drawnImages: { x: number; y: number; scale: number }[] };
      const v = (globalThis as unknown as { irisViewer: { spatialViews: Map<string, View> } }).irisViewer;
      const view = v.spatialViews.get(root)!;
      const r = view.canvas.getBoundingClientRect();
      const d = view.drawnImages[view.drawnImages.length - 1]!;
      return [r.left + d.x + (x + 0.5) * d.scale, r.top + d.y + (y + 0.5) * d.scale] as [number, number];
    },
    { root, x, y },
  );
}

interface SeriesJson {
  entityPath: string;
  mean: boolean;
  region: { x: number; y: number; width: number; height: number };
  channels: { names: string[]; datatype: string };
  samples: { time: string; values: number[] | null; status: string }[];
}

async function shownSeries(): Promise<SeriesJson> {
  return harness.page.evaluate(() => {
    const v = (globalThis as unknown as { irisViewer: { probePanel: { series: unknown } } }).irisViewer;
    return JSON.parse(
      JSON.stringify(v.probePanel.series, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)),
    ) as SeriesJson;
  });
}

async function cursor(): Promise<string> {
  return harness.page.evaluate(() =>
    String((globalThis as unknown as { irisViewer: { time: { time: bigint } } }).irisViewer.time.time),
  );
}

describe("the probe panel", () => {
  it("Alt+click on a pixel plots the logged values of every frame; the CSV download holds them", async () => {
    const [px, py] = await pagePoint("/cam", 5, 3);
    await harness.page.keyboard.down("Alt");
    await harness.page.mouse.click(px, py);
    await harness.page.keyboard.up("Alt");
    await harness.page.waitForSelector(".iris-probe polyline");
    const series = await shownSeries();
    expect(series.entityPath).toBe("/cam");
    expect(series.mean).toBe(false);
    expect(series.channels).toMatchObject({ names: ["R", "G", "B"], datatype: "U8" });
    expect(series.samples.map((s) => s.time)).toEqual(frames.map(String));
    expect(series.samples.map((s) => s.values)).toEqual(
      frames.map((f) => [0, 1, 2].map((c) => rgb(f, 5, 3, c))),
    );
    // One line per channel; the legend shows the values at the cursor (the last frame after loading).
    expect(
      await harness.page.$$eval(".iris-probe polyline", (l) => l.map((e) => e.getAttribute("data-channel"))),
    ).toEqual(["R", "G", "B"]);
    expect(await harness.page.$eval(".iris-probe-legend [data-channel=G]", (e) => e.textContent)).toBe(
      `G ${rgb(99, 5, 3, 1)}`,
    );
    // No selection happened: an Alt gesture is the probe's.
    expect(await harness.page.$eval(".iris-probe-title", (e) => e.textContent)).toBe(
      "/cam pixel 5, 3 on frame",
    );

    const [download] = await Promise.all([
      harness.page.waitForEvent("download"),
      harness.page.click(".iris-probe-csv"),
    ]);
    expect(download.suggestedFilename()).toBe("probe_cam_5_3.csv");
    const lines = readFileSync((await download.path())!, "utf8")
      .trimEnd()
      .split("\n");
    expect(lines[0]).toBe("frame,R,G,B,status");
    expect(lines.slice(1)).toEqual(
      frames.map((f) => `${f},${rgb(f, 5, 3, 0)},${rgb(f, 5, 3, 1)},${rgb(f, 5, 3, 2)},ok`),
    );
  });

  it("clicking the plot moves the time cursor and the view shows that frame; arrow keys step through samples", async () => {
    const box = (await (await harness.page.$(".iris-probe-plot"))!.boundingBox())!;
    const xOf = (f: number): number =>
      box.x + ((PLOT.left + (f / 99) * (PLOT.width - PLOT.left - PLOT.right)) * box.width) / PLOT.width;
    await harness.page.mouse.click(xOf(40), box.y + box.height / 2);
    expect(await cursor()).toBe("40");
    expect(await harness.page.$eval(".iris-time-label", (e) => e.textContent)).toBe("frame #40");
    const views = await harness.snapshot(2);
    const cam = views.find((v) => v.root === "/cam")!;
    expect(shownPixel(cam, cam.drawn[0]!, 5, 3)).toEqual([
      rgb(40, 5, 3, 0),
      rgb(40, 5, 3, 1),
      rgb(40, 5, 3, 2),
      255,
    ]);
    expect(await harness.page.$eval(".iris-probe-legend [data-channel=R]", (e) => e.textContent)).toBe(
      `R ${rgb(40, 5, 3, 0)}`,
    );
    // The cursor line sits at frame 40.
    const line = await harness.page.$eval(".iris-probe-cursor", (e) => Number(e.getAttribute("x1")));
    expect(line).toBeCloseTo(PLOT.left + (40 / 99) * (PLOT.width - PLOT.left - PLOT.right), 6);
    // The plot has the keyboard focus after a click: one sample per arrow key (not two: the time panel's keys
    // must not step again).
    await harness.page.focus(".iris-probe-plot");
    await harness.page.keyboard.press("ArrowRight");
    expect(await cursor()).toBe("41");
    await harness.page.keyboard.press("ArrowLeft");
    await harness.page.keyboard.press("ArrowLeft");
    expect(await cursor()).toBe("39");
    await harness.page.keyboard.press("Home");
    expect(await cursor()).toBe("0");
  });

  it("Alt+drag over a rectangle plots the mean per channel, equal to the exact mean of the logged values", async () => {
    const [ax, ay] = await pagePoint("/cam", 1, 1);
    const [bx, by] = await pagePoint("/cam", 4, 3);
    await harness.page.keyboard.down("Alt");
    await harness.page.mouse.move(ax, ay);
    await harness.page.mouse.down();
    await harness.page.mouse.move((ax + bx) / 2, (ay + by) / 2, { steps: 3 });
    await harness.page.mouse.move(bx, by, { steps: 3 });
    await harness.page.mouse.up();
    await harness.page.keyboard.up("Alt");
    await harness.page.waitForFunction(() =>
      document.querySelector(".iris-probe-title")?.textContent?.includes("mean"),
    );
    const series = await shownSeries();
    expect(series.mean).toBe(true);
    expect(series.region).toEqual({ x: 1, y: 1, width: 4, height: 3 });
    for (const f of frames) {
      const expected = [0, 1, 2].map((c) => {
        let sum = 0;
        for (let y = 1; y <= 3; y++) for (let x = 1; x <= 4; x++) sum += rgb(f, x, y, c);
        return sum / 12;
      });
      expect(series.samples[f]!.values).toEqual(expected);
    }
    // The drag did not pan the view.
    const [ax2, ay2] = await pagePoint("/cam", 1, 1);
    expect([ax2, ay2]).toEqual([ax, ay]);
  });

  it("is reachable from the keyboard: Shift+P opens the form, Enter probes", async () => {
    await harness.page.click(".iris-probe-close");
    expect(await harness.page.$eval(".iris-probe", (e) => (e as HTMLElement).style.display)).toBe("none");
    await harness.page.focus(".iris-viewer");
    await harness.page.keyboard.press("Shift+P");
    expect(await harness.page.evaluate(() => document.activeElement?.className)).toBe("iris-probe-entity");
    await harness.page.selectOption(".iris-probe-entity", "/f32");
    for (const [name, value] of [
      ["x", "2"],
      ["y", "1"],
      ["w", "1"],
      ["h", "1"],
    ] as const) {
      await harness.page.fill(`.iris-probe-${name}`, value);
    }
    await harness.page.focus(".iris-probe-y");
    await harness.page.keyboard.press("Enter");
    await harness.page.waitForFunction(
      () => document.activeElement?.getAttribute("class") === "iris-probe-plot",
    );
    const series = await shownSeries();
    expect(series.entityPath).toBe("/f32");
    expect(series.channels).toMatchObject({ names: ["L"], datatype: "F32" });
    expect(series.samples.map((s) => s.values![0])).toEqual(frames.map((f) => f32(f, 2, 1)));
  });

  it("is reachable from the embedding API, with typed errors shown in the panel", async () => {
    const result = await harness.page.evaluate(async () => {
      type Viewer = { probe(r: object): Promise<{ samples: { values: number[] | null }[] }> };
      const v = (globalThis as unknown as { irisViewer: Viewer }).irisViewer;
      const ok = (await v.probe({ entityPath: "/cam", x: 7, y: 5 })).samples.map((s) => s.values);
      const errors: string[] = [];
      for (const request of [
        { entityPath: "/cam", x: 8, y: 0 },
        { entityPath: "/nope", x: 0, y: 0 },
        { entityPath: "/cam", x: 0, y: 0, timeline: "time" },
      ]) {
        try {
          await v.probe(request);
        } catch (error) {
          errors.push(`${(error as Error).name} ${(error as { kind: string }).kind}`);
        }
      }
      return { ok, errors, shown: document.querySelector(".iris-probe-error")?.textContent };
    });
    expect(result.ok).toEqual(frames.map((f) => [0, 1, 2].map((c) => rgb(f, 7, 5, c))));
    expect(result.errors).toEqual([
      "ProbeError out-of-bounds",
      "ProbeError unknown-entity",
      "ProbeError unknown-timeline",
    ]);
    expect(result.shown).toMatch(/^no timeline "time" in the recording; timelines: frame$/);
    expect(harness.console.problems()).toEqual([]);
  });

  it("decodes EncodedImage frames with the browser's decoder and probes their R, G, B, A", async () => {
    const result = await harness.page.evaluate(async () => {
      type Series = {
        kind: string;
        channels: { names: string[]; source: string };
        samples: { time: bigint; values: number[] }[];
      };
      const v = (globalThis as unknown as { irisViewer: { probe(r: object): Promise<Series> } }).irisViewer;
      const s = await v.probe({ entityPath: "/png", x: 7, y: 5 });
      const mean = await v.probe({ entityPath: "/png", x: 0, y: 0, width: 2, height: 1 });
      return {
        kind: s.kind,
        channels: s.channels,
        times: s.samples.map((x) => Number(x.time)),
        values: s.samples.map((x) => x.values),
        mean: mean.samples.map((x) => x.values),
      };
    });
    expect(result.kind).toBe("EncodedImage");
    expect(result.channels).toEqual({ names: ["R", "G", "B", "A"], datatype: "U8", source: "decoded-file" });
    expect(result.times).toEqual(frames.slice(0, PNG_FRAMES));
    const i = (5 * W + 7) * 3;
    expect(result.values).toEqual(
      frames.slice(0, PNG_FRAMES).map((f) => [png(f, i), png(f, i + 1), png(f, i + 2), 255]),
    );
    expect(result.mean).toEqual(
      frames
        .slice(0, PNG_FRAMES)
        .map((f) => [0, 1, 2].map((c) => (png(f, c) + png(f, 3 + c)) / 2).concat(255)),
    );
  });
});
