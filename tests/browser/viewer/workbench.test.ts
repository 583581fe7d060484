import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelDatatype, ColorModel, DepthImage, Image, RecordingStream } from "@iris/sdk";
import { decodeImageToRgba8 } from "@iris/sdk/advanced";
import { FileSink } from "@iris/sdk/node";
import { IrisViewerHarness, type ViewSnapshot, shownPixel } from "./viewer-harness.ts";

// The viewer workbench: Rerun's view heuristics (never one image hidden under another), the recordings and
// entity panels, notifications, the range fields, the settings strip and the tooltip.

let harness: IrisViewerHarness;
const W = 8;
const H = 6;
/** The "depth" logged as a plain Image (U16, L): 500 … 6492 from left to right. */
const depthMm = (x: number): number => 500 + x * 856;
const rgbOf = (x: number, y: number): [number, number, number] => [x * 30, y * 40, 200];

function record(
  file: string,
  applicationId: string,
  log: (rec: RecordingStream) => void,
  recordingName?: string,
): void {
  const rec = new RecordingStream({
    applicationId,
    sink: new FileSink(join(harness.dataDir, file)),
    ...(recordingName === undefined ? {} : { recordingName }),
  });
  log(rec);
  rec.close();
}

const rgb = new Uint8Array(W * H * 3);
const mm = new Uint16Array(W * H);
for (let y = 0; y < H; y++)
  for (let x = 0; x < W; x++) {
    rgb.set(rgbOf(x, y), (y * W + x) * 3);
    mm[y * W + x] = depthMm(x);
  }

beforeAll(async () => {
  const rbl = join(process.cwd(), ".venv-rerun/bin/python");
  harness = await IrisViewerHarness.start({ width: 1000, height: 700 });
  // A blueprint-only file written by the real Rerun SDK.
  const writeRbl = promisify(execFile)(rbl, [
    "-c",
    "import sys, rerun.blueprint as rrb; rrb.Blueprint(rrb.Spatial2DView(origin='/camera')).save('workbench', sys.argv[1])",
    join(harness.dataDir, "layout.rbl"),
  ]);
  record("rgbd.rrd", "workbench-rgbd", (rec) => {
    rec.setTime("frame", { sequence: 0 });
    rec.log("camera/rgb", new Image(rgb, { width: W, height: H }));
    rec.log("camera/depth", new Image(mm, { width: W, height: H }));
    rec.log("overlay/rgb", new Image(rgb, { width: W, height: H }));
    rec.log("overlay/depth", new DepthImage(mm, { width: W, height: H, meter: 1000 }));
  });
  record("timeline.rrd", "workbench-timeline", (rec) => {
    for (let frame = 0; frame < 20; frame++) {
      rec.setTime("frame", { sequence: frame });
      rec.log("a/img", new Image(rgb, { width: W, height: H }));
      if (frame % 10 === 0) rec.log("b/img", new Image(rgb, { width: W, height: H }));
    }
  });
  record("density.rrd", "workbench-density", (rec) => {
    // One row at frame 2, four rows at frame 6, nothing in between; frame 10 ends the timeline.
    const log = (frame: number, times: number): void => {
      rec.setTime("frame", { sequence: frame });
      for (let i = 0; i < times; i++) rec.log("d/img", new Image(rgb, { width: W, height: H }));
    };
    log(0, 1);
    log(2, 1);
    log(6, 4);
    log(10, 1);
  });
  record(
    "second.rrd",
    "second-app",
    (rec) => {
      rec.log("image", new Image(rgb, { width: W, height: H }), { static: true });
    },
    "second run",
  );
  const whole = readFileSync(join(harness.dataDir, "rgbd.rrd"));
  writeFileSync(join(harness.dataDir, "truncated.rrd"), whole.subarray(0, whole.length - 100));
  writeFileSync(join(harness.dataDir, "notes.rrd"), "these are notes, not a Rerun recording\n");
  await writeRbl;
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

function viewOf(views: ViewSnapshot[], root: string): ViewSnapshot {
  const v = views.find((x) => x.root === root);
  if (!v) throw new Error(`no view ${root}: ${views.map((x) => x.root).join(", ")}`);
  return v;
}

/** Every image pixel's centre on the canvas equals the CPU reference (U8 exact, U16 ±1). */
function expectShows(
  view: ViewSnapshot,
  entityIndex: number,
  reference: Uint8ClampedArray,
  tol: number,
): void {
  const drawn = view.drawn[entityIndex]!;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const shown = shownPixel(view, drawn, x, y);
      const want = Array.from(reference.subarray((y * W + x) * 4, (y * W + x) * 4 + 3));
      want.forEach((w, c) =>
        expect(Math.abs(shown[c]! - w), `${drawn.entityPath} (${x}, ${y}) channel ${c}`).toBeLessThanOrEqual(
          tol,
        ),
      );
    }
}

type Box = { left: number; right: number; top: number; bottom: number; width: number; height: number };
async function box(selector: string): Promise<Box> {
  return harness.page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
  });
}

describe("view heuristics like Rerun's", () => {
  it("gives camera/rgb and camera/depth (both Image, same size) their own views and shows both images", async () => {
    await harness.open(["rgbd.rrd", "second.rrd"]);
    const views = await harness.snapshot(4);
    // Alphabetical, and the overlay case (DepthImage + Image of the same size) stays one view, as in Rerun.
    expect(views.map((v) => v.root)).toEqual(["/camera/depth", "/camera/rgb", "/overlay"]);
    expect(
      await harness.page.$$eval(".iris-layout > .iris-view", (els) =>
        els.map((e) => (e as HTMLElement).dataset["root"]),
      ),
    ).toEqual(["/camera/depth", "/camera/rgb", "/overlay"]);
    const depthView = viewOf(views, "/camera/depth");
    const rgbView = viewOf(views, "/camera/rgb");
    expect(depthView.drawn.map((d) => d.entityPath)).toEqual(["/camera/depth"]);
    expect(rgbView.drawn.map((d) => d.entityPath)).toEqual(["/camera/rgb"]);
    expectShows(
      rgbView,
      0,
      decodeImageToRgba8(rgb, {
        width: W,
        height: H,
        colorModel: ColorModel.RGB,
        channelDatatype: ChannelDatatype.U8,
      }),
      0,
    );
    const mmBytes = new Uint8Array(mm.buffer, mm.byteOffset, mm.byteLength);
    expectShows(
      depthView,
      0,
      decodeImageToRgba8(mmBytes, {
        width: W,
        height: H,
        colorModel: ColorModel.L,
        channelDatatype: ChannelDatatype.U16,
      }),
      1,
    );
    // The depth image really is visible: its left and right ends differ (a dark-to-bright ramp).
    const left = shownPixel(depthView, depthView.drawn[0]!, 0, 0)[0]!;
    const right = shownPixel(depthView, depthView.drawn[0]!, W - 1, 0)[0]!;
    expect(right - left).toBeGreaterThan(200);
    expect(viewOf(views, "/overlay").drawn.map((d) => d.entityPath)).toEqual([
      "/overlay/depth",
      "/overlay/rgb",
    ]);
  });

  it("opens the first recording given and lists every recording in the left panel", async () => {
    expect(await harness.page.$eval(".iris-progress", (e) => e.textContent)).toMatch(/^rgbd\.rrd: loaded/);
    const rows = await harness.page.$$eval(".iris-recording", (els) =>
      els.map((e) => ({
        app: e.querySelector(".iris-recording-app")?.textContent,
        name: e.querySelector(".iris-recording-name")?.textContent,
        start: e.querySelector(".iris-recording-start")?.textContent,
        source: e.querySelector(".iris-recording-source")?.textContent,
        active: e.classList.contains("iris-active"),
      })),
    );
    expect(rows).toEqual([
      {
        app: "workbench-rgbd",
        name: "rgbd.rrd",
        start: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
        source: "/data/rgbd.rrd",
        active: true,
      },
      {
        app: "second-app",
        name: "second run", // its RecordingInfo:name property (no name: the file name)
        start: expect.any(String),
        source: "/data/second.rrd",
        active: false,
      },
    ]);
    // The start time is the RecordingInfo:start_time property (the stream's creation), within this test run.
    const start = Date.parse(`${rows[0]!.start!.replace(" UTC", "Z").replace(" ", "T")}`);
    expect(Math.abs(Date.now() - start)).toBeLessThan(10 * 60_000);
  });

  it("switches recordings from the left panel; the status line names the recording shown", async () => {
    await harness.page.click(".iris-recording[data-index='1']");
    await harness.page.waitForFunction(() =>
      document.querySelector(".iris-progress")?.textContent?.startsWith("second.rrd"),
    );
    const views = await harness.snapshot(1);
    expect(views.map((v) => v.root)).toEqual(["/image"]);
    expect(
      await harness.page.$eval(".iris-recording.iris-active .iris-recording-app", (e) => e.textContent),
    ).toBe("second-app");
    await harness.page.click(".iris-recording[data-index='0']");
    await harness.page.waitForFunction(() =>
      document.querySelector(".iris-progress")?.textContent?.startsWith("rgbd.rrd"),
    );
    expect((await harness.snapshot(4)).map((v) => v.root)).toEqual([
      "/camera/depth",
      "/camera/rgb",
      "/overlay",
    ]);
  });

  it("hides a view and an entity inside a view with the toggles of the left panel", async () => {
    const trees = await harness.page.$$eval(".iris-view-tree .iris-eye", (els) =>
      els.map((e) => `${(e as HTMLElement).dataset["view"]}|${(e as HTMLElement).dataset["entity"] ?? ""}`),
    );
    expect(trees).toEqual([
      "/camera/depth|",
      "/camera/depth|/camera/depth",
      "/camera/rgb|",
      "/camera/rgb|/camera/rgb",
      "/overlay|",
      "/overlay|/overlay/depth",
      "/overlay|/overlay/rgb",
    ]);
    expect(
      await harness.page.$$eval(".iris-entity-tree .iris-stream", (els) =>
        els.map((e) => (e as HTMLElement).dataset["entity"]),
      ),
    ).toEqual([
      // The recording properties: listed in the Streams tree as in Rerun's (re_time_panel streams_tree_data.rs
      // lists reserved paths, only not expanded by default), never in a view.
      "/__properties",
      "/camera",
      "/camera/depth",
      "/camera/rgb",
      "/overlay",
      "/overlay/depth",
      "/overlay/rgb",
    ]);
    // Per view: /camera/rgb leaves the layout.
    await harness.page.click(".iris-view-tree .iris-eye[data-view='/camera/rgb']:not([data-entity])");
    expect(
      await harness.page.$$eval(".iris-layout > .iris-view", (els) =>
        els.map((e) => (e as HTMLElement).dataset["root"]),
      ),
    ).toEqual(["/camera/depth", "/overlay"]);
    // Per entity in a view: without its colour image, /overlay shows the depth image alone.
    await harness.page.click(".iris-view-tree .iris-eye[data-view='/overlay'][data-entity='/overlay/rgb']");
    await harness.page.waitForFunction(() => {
      const v = (
        globalThis as unknown as { irisViewer: { spatialViews: Map<string, { drawnImages: unknown[] }> } }
      ).irisViewer;
      return v.spatialViews.get("/overlay")!.drawnImages.length === 1;
    });
    expect(viewOf(await harness.snapshot(1), "/overlay").drawn.map((d) => d.entityPath)).toEqual([
      "/overlay/depth",
    ]);
    await harness.page.click(".iris-view-tree .iris-eye[data-view='/overlay'][data-entity='/overlay/rgb']");
    await harness.page.click(".iris-view-tree .iris-eye[data-view='/camera/rgb']:not([data-entity])");
    expect(await harness.page.$$eval(".iris-layout > .iris-view", (els) => els.length)).toBe(3);
  });
});

describe("image settings, range fields and tooltip", () => {
  const panel = '.iris-view[data-root="/camera/depth"] .iris-image-panel';

  it("shows the range in use in the min/max fields in auto and percentile modes", async () => {
    await harness.snapshot(3);
    const fields = async (): Promise<[string, string]> =>
      harness.page.$eval(panel, (p) => [
        (p.querySelector("input[name=min]") as HTMLInputElement).value,
        (p.querySelector("input[name=max]") as HTMLInputElement).value,
      ]);
    // Rerun's auto range for U16 data outside [0, 255] is the data's own [min, max].
    expect(await fields()).toEqual(["500", "6492"]);
    await harness.page.selectOption(`${panel} select[name=range]`, "percentile");
    await harness.snapshot(3);
    const [lo, hi] = (await fields()).map(Number) as [number, number];
    expect(lo).toBeGreaterThanOrEqual(500);
    expect(hi).toBeLessThanOrEqual(6492);
    expect(hi).toBeGreaterThan(lo);
    // Switching to manual starts from the range in use; the histogram axis spans the data and is labelled.
    await harness.page.selectOption(`${panel} select[name=range]`, "manual");
    await harness.snapshot(3);
    expect(await fields()).toEqual([String(lo), String(hi)]);
    expect(
      await harness.page.$eval(`${panel} canvas.iris-histogram`, (c) => (c as HTMLElement).dataset["axis"]),
    ).toBe("500…6492");
    await harness.page.selectOption(`${panel} select[name=range]`, "auto");
    await harness.snapshot(3);
    expect(await fields()).toEqual(["500", "6492"]);
  });

  it("puts the settings beside the image (never over it), on one title line, collapsible", async () => {
    const canvas = await box('.iris-view[data-root="/camera/depth"] .iris-canvas');
    const strip = await box(panel);
    expect(strip.left).toBeGreaterThanOrEqual(canvas.right - 0.5);
    const title = await harness.page.$eval(`${panel} .iris-image-panel-title`, (t) => ({
      rects: t.getClientRects().length,
      height: t.getBoundingClientRect().height,
      whiteSpace: getComputedStyle(t).whiteSpace,
    }));
    expect(title.whiteSpace).toBe("nowrap");
    expect(title.rects).toBe(1);
    expect(title.height).toBeLessThan(20);
    await harness.page.click(`${panel} .iris-panel-toggle`);
    await harness.snapshot(3);
    const collapsed = await box(panel);
    const wider = await box('.iris-view[data-root="/camera/depth"] .iris-canvas');
    expect(collapsed.width).toBeLessThan(40);
    expect(wider.width).toBeGreaterThan(canvas.width + 120);
    expect(
      await harness.page.$eval(`${panel} .iris-image-panel-body`, (b) => getComputedStyle(b).display),
    ).toBe("none");
    await harness.page.click(`${panel} .iris-panel-toggle`);
    expect((await box(panel)).width).toBeGreaterThan(150);
  });

  it("keeps the hover tooltip with its magnifier inside the window at its right edge", async () => {
    const views = await harness.snapshot(3);
    const view = viewOf(views, "/camera/rgb");
    const d = view.drawn[0]!;
    const canvas = await box('.iris-view[data-root="/camera/rgb"] .iris-canvas');
    const x = canvas.left + d.x + (W - 0.5) * d.scale;
    const y = canvas.top + d.y + 0.5 * d.scale;
    await harness.page.mouse.move(x, y);
    const tip = '.iris-view[data-root="/camera/rgb"] .iris-tooltip';
    await harness.page.waitForFunction(
      (sel) => (document.querySelector(sel) as HTMLElement).style.display === "block",
      tip,
    );
    const text = await harness.page.$eval(tip, (e) => e.textContent);
    expect(text).toContain(`x ${W - 1}, y 0`);
    const r = await box(tip);
    const windowWidth = await harness.page.evaluate(() => window.innerWidth);
    // Unclamped it would start 14 px right of the pointer and run past the window's edge.
    expect(x + 14 + r.width).toBeGreaterThan(windowWidth);
    expect(r.right).toBeLessThanOrEqual(windowWidth);
    expect(r.left).toBeGreaterThanOrEqual(0);
    // The magnifier: the hovered pixel in the middle, as drawn, and the raw values around it (none past the edge).
    const magnifier = await harness.page.$eval(`${tip} .iris-magnifier`, (m) => {
      const c = m.querySelector("canvas")!;
      const centre = Array.from(c.getContext("2d")!.getImageData(c.width / 2, c.height / 2, 1, 1).data);
      const cells = [...m.querySelectorAll("td")].map((td) => td.textContent);
      return { centre, cells };
    });
    const value = (x: number, y: number): string => rgbOf(x, y).join(",");
    expect(magnifier.centre).toEqual([...rgbOf(W - 1, 0), 255]);
    expect(magnifier.cells).toEqual([
      "",
      "",
      "",
      value(W - 2, 0),
      value(W - 1, 0),
      "",
      value(W - 2, 1),
      value(W - 1, 1),
      "",
    ]);
    await harness.page.mouse.move(1, 1);
  });
});

describe("selection panel", () => {
  it("shows an entity's components, timelines and preview, and downloads its raw buffer and a PNG", async () => {
    await harness.page.click(".iris-entity-tree .iris-stream[data-entity='/camera/depth']");
    await harness.page.waitForSelector(".iris-selection .iris-selection-table");
    expect(await harness.page.$eval(".iris-selection-title", (e) => e.textContent)).toBe("/camera/depth");
    const rows = Object.fromEntries(
      await harness.page.$$eval(".iris-selection-table tr", (trs) =>
        trs.map((tr) => [
          (tr as HTMLTableRowElement).dataset["component"],
          (tr as HTMLTableRowElement).cells[1]?.textContent,
        ]),
      ),
    );
    expect(rows["Image:buffer"]).toBe(`${W * H * 2} bytes`);
    expect(rows["Image:format"]).toContain(`(${W}×${H})`);
    expect(rows["Image:format"]).toMatch(/U16/);
    expect(rows["Image:opacity"]).toMatch(/^1 \(default/);
    expect(rows["Image:draw_order"]).toBe("-10 (default)");
    expect(rows["Image:magnification_filter"]).toBe("nearest (default)");
    expect(rows["frame"]).toBe("1 time, #0 … #0");
    expect(
      await harness.page.$eval(".iris-selection-preview canvas", (c) => [
        (c as HTMLCanvasElement).width,
        (c as HTMLCanvasElement).height,
      ]),
    ).toEqual([W, H]);

    const [raw] = await Promise.all([
      harness.page.waitForEvent("download"),
      harness.page.click(".iris-download-raw"),
    ]);
    expect(raw.suggestedFilename()).toBe("camera_depth.raw");
    const rawBytes = readFileSync((await raw.path())!);
    expect(new Uint8Array(rawBytes)).toEqual(new Uint8Array(mm.buffer, mm.byteOffset, mm.byteLength));

    const [png] = await Promise.all([
      harness.page.waitForEvent("download"),
      harness.page.click(".iris-download-png"),
    ]);
    const decoded = await sharp((await png.path())!)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([decoded.info.width, decoded.info.height]).toEqual([W, H]);
    const mmBytes = new Uint8Array(mm.buffer, mm.byteOffset, mm.byteLength);
    const reference = decodeImageToRgba8(mmBytes, {
      width: W,
      height: H,
      colorModel: ColorModel.L,
      channelDatatype: ChannelDatatype.U16,
    });
    expect(new Uint8Array(decoded.data)).toEqual(new Uint8Array(reference));
  });

  it("shows the clicked pixel's values", async () => {
    const view = viewOf(await harness.snapshot(3), "/camera/rgb");
    const d = view.drawn[0]!;
    const canvas = await box('.iris-view[data-root="/camera/rgb"] .iris-canvas');
    await harness.page.mouse.click(canvas.left + d.x + 3.5 * d.scale, canvas.top + d.y + 2.5 * d.scale);
    await harness.page.waitForSelector(".iris-selection-pixel");
    const [r, g, b] = rgbOf(3, 2);
    expect(await harness.page.$eval(".iris-selection-pixel", (e) => e.textContent)).toBe(
      `pixel x 3, y 2: RGB [${r}, ${g}, ${b}]`,
    );
    expect(await harness.page.$eval(".iris-selection-title", (e) => e.textContent)).toBe("/camera/rgb");
    await harness.page.click(".iris-selection-head button");
    expect(await harness.page.$eval(".iris-selection", (e) => e.textContent)).toMatch(
      /^SelectionNothing selected/,
    );
  });
});

describe("time panel", () => {
  type Panel = {
    visibleRange(): { start: bigint; end: bigint } | undefined;
    xOf(t: bigint): number;
  };
  const range = async (): Promise<[number, number]> =>
    harness.page.evaluate(() => {
      const p = (globalThis as unknown as { irisViewer: { timePanel: Panel } }).irisViewer.timePanel;
      const r = p.visibleRange()!;
      return [Number(r.start), Number(r.end)] as [number, number];
    });
  const pointAt = async (time: number, row: number): Promise<[number, number]> => {
    const x = await harness.page.evaluate(
      (t) =>
        (globalThis as unknown as { irisViewer: { timePanel: Panel } }).irisViewer.timePanel.xOf(BigInt(t)),
      time,
    );
    const r = await box(".iris-scrubber");
    // Ruler 18 px, then one row per entity (sorted), each (height − 20) / rows high.
    const rowHeight = (r.height - 20) / 2;
    return [r.left + x, r.top + 19 + (row + 0.5) * rowHeight];
  };

  it("labels the ruler, shows one row per entity, reads out the time under the pointer", async () => {
    await harness.open(["timeline.rrd"]);
    await harness.snapshot(2);
    await harness.page.keyboard.press("Home");
    const ticks = async (): Promise<string[]> =>
      (await harness.page.$eval(".iris-scrubber", (c) => (c as HTMLElement).dataset["ticks"] ?? "")).split(
        "|",
      );
    const labels = await ticks();
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels.every((l) => /^\d+$/.test(l))).toBe(true);
    expect(labels.map(Number)).toEqual([...labels.map(Number)].sort((a, b) => a - b));
    expect(Number(labels[labels.length - 1])).toBeLessThanOrEqual(19);
    expect(await range()).toEqual([0, 19]);
    const [x, y] = await pointAt(10, 1);
    await harness.page.mouse.move(x, y);
    expect(await harness.page.$eval(".iris-time-hover", (e) => e.textContent)).toBe("#10 · /b/img");
    const [x0, y0] = await pointAt(4, 0);
    await harness.page.mouse.move(x0, y0);
    expect(await harness.page.$eval(".iris-time-hover", (e) => e.textContent)).toBe("#4 · /a/img");
  });

  it("zooms the time axis with the wheel and back with a double-click", async () => {
    const [x, y] = await pointAt(10, 0);
    await harness.page.mouse.move(x, y);
    await harness.page.mouse.wheel(0, -600);
    const [start, end] = await range();
    expect(end - start).toBeLessThan(10);
    expect(start).toBeLessThanOrEqual(10);
    expect(end).toBeGreaterThanOrEqual(10);
    await harness.page.mouse.dblclick(x, y);
    expect(await range()).toEqual([0, 19]);
  });

  it("moves the time cursor to a typed time", async () => {
    await harness.page.fill(".iris-time-input", "#7");
    await harness.page.press(".iris-time-input", "Enter");
    expect(await harness.page.$eval(".iris-time-label", (e) => e.textContent)).toBe("frame #7");
    await harness.page.fill(".iris-time-input", "seven");
    await harness.page.press(".iris-time-input", "Enter");
    expect(await harness.page.$eval(".iris-time-input", (e) => e.classList.contains("iris-invalid"))).toBe(
      true,
    );
    expect(await harness.page.$eval(".iris-time-label", (e) => e.textContent)).toBe("frame #7");
  });

  it("labels timestamp timelines as UTC times of day", async () => {
    await harness.page.selectOption(".iris-time-panel select[name=timeline]", "log_time");
    const labels = (
      await harness.page.$eval(".iris-scrubber", (c) => (c as HTMLElement).dataset["ticks"] ?? "")
    ).split("|");
    expect(labels.length).toBeGreaterThanOrEqual(1);
    for (const l of labels) expect(l).toMatch(/^\d\d:\d\d(:\d\d(\.\d+)?)?$|^\d{4}-\d\d-\d\d$/);
  });

  it("shades an entity row's marks by how many rows it has at each time", async () => {
    await harness.open(["density.rrd"]);
    await harness.snapshot(1);
    await harness.page.selectOption(".iris-time-panel select[name=timeline]", "frame");
    await harness.page.keyboard.press("End"); // time cursor at frame 10, away from the probed marks
    await harness.page.mouse.move(0, 0);
    await harness.page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    const alphas = await harness.page.evaluate(() => {
      const p = (globalThis as unknown as { irisViewer: { timePanel: Panel } }).irisViewer.timePanel;
      const c = document.querySelector<HTMLCanvasElement>(".iris-scrubber")!;
      const r = c.getBoundingClientRect();
      const dpr = c.width / r.width;
      const rowY = 19 + (r.height - 20) / 2;
      // A mark covers the 2 CSS px left of its rounded time position; probe the left one (tick lines sit on
      // the time position itself).
      const at = (t: number): number[] => {
        const x = Math.round(p.xOf(BigInt(t))) - 0.5;
        return Array.from(
          c.getContext("2d")!.getImageData(Math.floor(x * dpr), Math.floor(rowY * dpr), 1, 1).data,
        );
      };
      return { one: at(2), four: at(6), none: at(4) };
    });
    // #4c8bf5, opaque where the most rows are, alpha 0.3 + 0.7 · 1/4 where there is one row, nothing where none.
    expect(alphas.four).toEqual([0x4c, 0x8b, 0xf5, 255]);
    expect(Math.abs(alphas.one[3]! - 255 * (0.3 + 0.7 / 4))).toBeLessThanOrEqual(1.5);
    alphas.one
      .slice(0, 3)
      .forEach((v, i) => expect(Math.abs(v - [0x4c, 0x8b, 0xf5][i]!)).toBeLessThanOrEqual(2));
    expect(alphas.none[3]).toBe(0);
  });
});

describe("layout", () => {
  const shown = async (): Promise<string[]> =>
    harness.page.$$eval(".iris-layout > .iris-view", (els) =>
      els.map((e) => (e as HTMLElement).dataset["root"]!),
    );
  const header = (root: string): string => `.iris-view[data-root="${root}"] .iris-view-header`;

  it("maximises, restores, closes, rearranges and adds views, persisted per application id and in the URL", async () => {
    await harness.open(["rgbd.rrd"]);
    await harness.snapshot(4);
    expect(await shown()).toEqual(["/camera/depth", "/camera/rgb", "/overlay"]);
    const layoutBox = await box(".iris-layout");
    await harness.page.click(`${header("/camera/rgb")} .iris-maximize`);
    await harness.page.waitForFunction(
      () => document.querySelectorAll(".iris-layout > .iris-view").length === 1,
    );
    expect(await shown()).toEqual(["/camera/rgb"]);
    const maximised = await box('.iris-view[data-root="/camera/rgb"]');
    expect(maximised.width).toBeGreaterThan(layoutBox.width - 20);
    expect(maximised.height).toBeGreaterThan(layoutBox.height - 20);
    await harness.page.click(`${header("/camera/rgb")} .iris-maximize`);
    await harness.page.waitForFunction(
      () => document.querySelectorAll(".iris-layout > .iris-view").length === 3,
    );

    await harness.page.click(`${header("/overlay")} .iris-close-view`);
    await harness.page.waitForFunction(
      () => document.querySelectorAll(".iris-layout > .iris-view").length === 2,
    );
    await harness.page.dragAndDrop(header("/camera/rgb"), header("/camera/depth"));
    await harness.page.waitForFunction(
      () =>
        (document.querySelector(".iris-layout > .iris-view") as HTMLElement).dataset["root"] ===
        "/camera/rgb",
    );
    expect(await shown()).toEqual(["/camera/rgb", "/camera/depth"]);
    const stored = await harness.page.evaluate(() => localStorage.getItem("iris-layout:workbench-rgbd"));
    expect(JSON.parse(stored!)).toMatchObject({
      order: ["/camera/rgb", "/camera/depth"],
      closed: ["/overlay"],
    });
    const sharedUrl = harness.page.url();
    expect(JSON.parse(new URL(sharedUrl).searchParams.get("layout")!)).toMatchObject({
      closed: ["/overlay"],
    });

    // A fresh page for the same application id restores the layout from local storage…
    await harness.open(["rgbd.rrd"]);
    await harness.snapshot(2);
    await harness.page.waitForFunction(
      () => document.querySelectorAll(".iris-layout > .iris-view").length === 2,
    );
    expect(await shown()).toEqual(["/camera/rgb", "/camera/depth"]);
    // …and "+" in the Streams tree adds a view for an entity.
    await harness.page.click(".iris-entity-tree .iris-stream[data-entity='/overlay/depth'] .iris-add-view");
    await harness.page.waitForFunction(
      () => document.querySelectorAll(".iris-layout > .iris-view").length === 3,
    );
    expect(await shown()).toEqual(["/camera/rgb", "/camera/depth", "/overlay/depth"]);
    const added = viewOf(await harness.snapshot(3), "/overlay/depth");
    expect(added.drawn.map((d) => d.entityPath)).toEqual(["/overlay/depth"]);

    // The shared URL alone (no local storage) gives the layout it was copied with.
    await harness.page.evaluate(() => localStorage.clear());
    await harness.page.goto(sharedUrl);
    await harness.page.waitForFunction(
      () => document.querySelectorAll(".iris-layout > .iris-view").length === 2,
    );
    expect(await shown()).toEqual(["/camera/rgb", "/camera/depth"]);
    await harness.page.evaluate(() => localStorage.clear());
  });
});

describe("notifications and the empty viewer", () => {
  it("disables play and step in an empty viewer", async () => {
    await harness.page.goto(`${harness.server.url}/`);
    await harness.page.waitForSelector(".iris-play");
    for (const sel of [".iris-play", ".iris-step-back", ".iris-step-forward"])
      expect(await harness.page.$eval(sel, (b) => (b as HTMLButtonElement).disabled), sel).toBe(true);
    expect(await harness.page.$eval(".iris-empty", (e) => getComputedStyle(e).display)).not.toBe("none");
    expect(await harness.page.$eval(".iris-notifications", (e) => getComputedStyle(e).display)).toBe("none");
  });

  it("reports a damaged file with its byte offset, a 404, a non-rrd file and a blueprint-only file", async () => {
    const whole = readFileSync(join(harness.dataDir, "rgbd.rrd"));
    const cut = whole.length - 100;
    // The message the cut falls in starts at (stream header 12 bytes, then 16-byte message headers).
    let start = 12;
    for (;;) {
      const length = Number(whole.readBigUInt64LE(start + 8));
      if (start + 16 + length > cut) break;
      start += 16 + length;
    }
    await harness.open(["truncated.rrd", "missing.rrd", "notes.rrd", "layout.rbl"]);
    await harness.page.waitForFunction(() => document.querySelectorAll(".iris-note").length >= 5);
    const panel = await box(".iris-notifications");
    expect(panel.height).toBeGreaterThan(60);
    expect(panel.top).toBeLessThan(60); // right under the top bar
    const notes = await harness.page.$$eval(".iris-note", (els) =>
      els.map((e) => ({ level: (e as HTMLElement).dataset["level"], text: e.textContent ?? "" })),
    );
    const find = (re: RegExp): { level: string | undefined; text: string } => {
      const n = notes.find((x) => re.test(x.text));
      if (!n) throw new Error(`no notification ${re}: ${JSON.stringify(notes)}`);
      return n;
    };
    expect(find(/truncated\.rrd.*truncated at byte (\d+)/).text).toContain(`truncated at byte ${start}`);
    expect(find(/truncated\.rrd.*truncated at byte/).level).toBe("error");
    expect(find(/missing\.rrd.*404/).level).toBe("error");
    expect(find(/notes\.rrd.*not an RRD stream/).level).toBe("error");
    expect(find(/layout\.rbl.*only a blueprint/).level).toBe("warning");
    // Rerun 0.41 wrote the .rbl: decoded anyway, with a warning.
    expect(find(/layout\.rbl.*newer-version/).level).toBe("warning");
    expect(await harness.page.$eval(".iris-notification-badge", (b) => b.textContent)).toBe(
      "3 errors · 2 warnings",
    );
    // The truncated file still shows every complete message.
    expect((await harness.snapshot(1)).length).toBeGreaterThan(0);
  });
});
