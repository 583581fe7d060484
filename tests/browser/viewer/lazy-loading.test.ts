// The viewer opens a recording of several hundred MB over HTTP with Range requests (served by the same
// ViewerServer `iris view` uses): the full time range shows at once, scrubbing reads only the frame's chunks, the
// status line shows the resident bytes against the budget, and the views show the frame scrubbed to, pixel for
// pixel against the logged values.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ViewerServer } from "@iris/server";
import { STRIPE_ROWS, frameValue, writeLargeRecording } from "../../lazy/large-recording.ts";
import { IrisViewerHarness, type ViewSnapshot, readViewSnapshots, shownPixel } from "./viewer-harness.ts";

const WIDTH = 2048;
const HEIGHT = 2048;
const FRAMES = 160; // 640 MiB
const BUDGET_MIB = 48;

type Viewer = {
  irisViewer: {
    visibility: { setEntityVisible(view: string, entityPath: string, visible: boolean): void };
    layoutStore: { close(id: string): void; undo(): void };
    recordings: { done: boolean; store: { stats(): { bytes: number } } }[];
    time: { timeline?: { name: string; min: bigint; max: bigint }; time: bigint; setTime(t: bigint): void };
  };
};

let harness: IrisViewerHarness;
let server: ViewerServer;
let recordingPath = "";
const dir = mkdtempSync(join(tmpdir(), "iris-lazy-browser-"));
const rrdRequests: { range: string | undefined }[] = [];

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  writeLargeRecording(join(dir, "large.rrd"), { frames: FRAMES, width: WIDTH, height: HEIGHT });
  server = new ViewerServer({ viewerDir: inject("viewerDist"), port: 0 });
  recordingPath = server.addFile(join(dir, "large.rrd"));
  await server.listen();
  harness.page.on("request", (request: Request) => {
    if (request.url().includes(recordingPath)) rrdRequests.push({ range: request.headers()["range"] });
  });
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls the views until "/camera/image" and "/frame/id" (or only the latter) show frame `frame`. */
async function waitForFrame(frame: number, only?: "/frame/id"): Promise<ViewSnapshot[]> {
  const deadline = Date.now() + 60_000;
  let last: ViewSnapshot[] = [];
  for (;;) {
    last = await readViewSnapshots(harness.page);
    if (only ? showsId(last, frame) && !find(last, "/camera/image") : showsFrame(last, frame)) return last;
    if (Date.now() > deadline) throw new Error(`frame ${frame} not shown; views: ${describeViews(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function find(views: ViewSnapshot[], entityPath: string) {
  for (const view of views) {
    const drawn = view.drawn.find((d) => d.entityPath === entityPath);
    if (drawn) return { view, drawn };
  }
  return undefined;
}

function showsFrame(views: ViewSnapshot[], frame: number): boolean {
  const id = find(views, "/frame/id");
  const image = find(views, "/camera/image");
  if (!id || !image) return false;
  const v = frameValue(frame);
  const grey = (p: number[]) => p[0] === p[1] && p[1] === p[2] && p[3] === 255;
  const idPixel = shownPixel(id.view, id.drawn, 2, 2);
  // The large image: its top stripe holds the frame's value, the rows below are 0.
  const stripe = shownPixel(image.view, image.drawn, WIDTH / 2, Math.floor(STRIPE_ROWS / 2));
  const below = shownPixel(image.view, image.drawn, WIDTH / 2, HEIGHT / 2);
  return (
    grey(idPixel) && idPixel[0] === v && grey(stripe) && stripe[0] === v && grey(below) && below[0] === 0
  );
}

function showsId(views: ViewSnapshot[], frame: number): boolean {
  const id = find(views, "/frame/id");
  if (!id) return false;
  const p = shownPixel(id.view, id.drawn, 2, 2);
  return p[0] === frameValue(frame) && p[1] === p[0] && p[2] === p[0] && p[3] === 255;
}

/** Bytes asked for by the Range requests from index `from` on. */
function rangeBytes(from: number): number {
  return rrdRequests.slice(from).reduce((sum, r) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(r.range ?? "");
    return sum + (m ? Number(m[2]) - Number(m[1]) + 1 : Number.POSITIVE_INFINITY);
  }, 0);
}

function setTime(frame: number): Promise<void> {
  return harness.page.evaluate(
    (t) => (globalThis as unknown as Viewer).irisViewer.time.setTime(BigInt(t)),
    frame,
  );
}

function describeViews(views: ViewSnapshot[]): string {
  return JSON.stringify(views.map((v) => ({ root: v.root, drawn: v.drawn.map((d) => d.entityPath) })));
}

describe("the viewer reading a large recording on demand", () => {
  it("opens it from its footer, shows the full time range, scrubs with one Range request per frame", async () => {
    await harness.page.goto(
      `${server.url}/?url=${encodeURIComponent(recordingPath)}&memoryBudgetMB=${BUDGET_MIB}`,
    );
    await harness.page.waitForFunction(
      () => (globalThis as unknown as Viewer).irisViewer?.recordings[0]?.done,
    );
    const timeline = await harness.page.evaluate(() => {
      const t = (globalThis as unknown as Viewer).irisViewer.time.timeline;
      return t && { name: t.name, min: String(t.min), max: String(t.max) };
    });
    expect(timeline).toEqual({ name: "frame", min: "0", max: String(FRAMES - 1) });
    // The cursor starts on the last frame, like a fully loaded recording.
    await waitForFrame(FRAMES - 1);
    // Head + tail (footer), the static chunk, the last frame's chunks: a handful, all single ranges.
    expect(rrdRequests.length).toBeLessThanOrEqual(5);
    expect(rrdRequests.every((r) => r.range !== undefined && /^bytes=\d+-\d+$/.test(r.range))).toBe(true);
    const progress = await harness.page.$eval(".iris-progress", (e) => e.textContent ?? "");
    expect(progress).toMatch(/on demand · resident: [\d.]+ MB \/ 50\.3 MB budget/);

    for (const frame of [7, 123, 64, 1]) {
      const before = rrdRequests.length;
      await harness.page.evaluate(
        (t) => (globalThis as unknown as Viewer).irisViewer.time.setTime(BigInt(t)),
        frame,
      );
      await waitForFrame(frame);
      expect(rrdRequests.length - before, `frame ${frame}`).toBe(1);
      const resident = await harness.page.evaluate(
        () => (globalThis as unknown as Viewer).irisViewer.recordings[0]!.store.stats().bytes,
      );
      expect(resident).toBeLessThanOrEqual(BUDGET_MIB * 1024 * 1024);
    }
    expect(harness.console.problems()).toEqual([]);
  }, 240_000);

  it("reads only the entities of the views on screen: a hidden image is not read, shown again it is", async () => {
    const views = await waitForFrame(1);
    const cameraView = find(views, "/camera/image")!.view.root;
    const setVisible = (visible: boolean) =>
      harness.page.evaluate(
        ([view, on]) =>
          (globalThis as unknown as Viewer).irisViewer.visibility.setEntityVisible(
            view as string,
            "/camera/image",
            on as boolean,
          ),
        [cameraView, visible] as const,
      );
    const imageBytes = WIDTH * HEIGHT;
    await setVisible(false);
    const hiddenFrom = rrdRequests.length;
    for (const frame of [40, 97, 150]) {
      const before = rrdRequests.length;
      await setTime(frame);
      await waitForFrame(frame, "/frame/id");
      // One request, for "/frame/id"'s chunk only: far less than one large image.
      expect(rrdRequests.length - before, `frame ${frame}`).toBe(1);
      expect(rangeBytes(before), `frame ${frame}`).toBeLessThan(64 * 1024);
    }
    expect(rangeBytes(hiddenFrom)).toBeLessThan(imageBytes / 16);
    // Shown again: the current frame's large image is read and drawn.
    const shownFrom = rrdRequests.length;
    await setVisible(true);
    await waitForFrame(150);
    expect(rrdRequests.length - shownFrom).toBe(1);
    expect(rangeBytes(shownFrom)).toBeGreaterThanOrEqual(imageBytes);
    expect(harness.console.problems()).toEqual([]);
  }, 240_000);

  it("does not read the image of a closed view; undoing the close reads its frame and draws it", async () => {
    const views = await waitForFrame(150);
    const cameraView = find(views, "/camera/image")!.view.root;
    await harness.page.evaluate(
      (id) => (globalThis as unknown as Viewer).irisViewer.layoutStore.close(id),
      cameraView,
    );
    for (const frame of [20, 77]) {
      const before = rrdRequests.length;
      await setTime(frame);
      await waitForFrame(frame, "/frame/id");
      expect(rrdRequests.length - before, `frame ${frame}`).toBe(1);
      expect(rangeBytes(before), `frame ${frame}`).toBeLessThan(64 * 1024);
    }
    const reopenedFrom = rrdRequests.length;
    await harness.page.evaluate(() => (globalThis as unknown as Viewer).irisViewer.layoutStore.undo());
    await waitForFrame(77);
    expect(rrdRequests.length - reopenedFrom).toBe(1);
    expect(rangeBytes(reopenedFrom)).toBeGreaterThanOrEqual(WIDTH * HEIGHT);
    expect(harness.console.problems()).toEqual([]);
  }, 240_000);

  it("lists every frame in the dataframe table, reading the cells of the rows in view within the budget", async () => {
    await harness.page.click(".iris-tabs button[data-mode=dataframe]");
    // Every chunk has one row: the index gives every row's time, nothing is read for the row count.
    await harness.page.waitForFunction(
      (n) =>
        (globalThis as unknown as { irisViewer: { dataframe: { rowCount: number } } }).irisViewer.dataframe
          .rowCount === n,
      FRAMES,
    );
    // The first row's cells are read (thumbnails and format summaries), not placeholders.
    await harness.page.waitForFunction(() => {
      const row = document.querySelector(".iris-df-row[data-time='0']");
      return row !== null && row.querySelector(".iris-df-pending") === null;
    });
    const cells = await harness.page.$$eval(".iris-df-row[data-time='0'] .iris-df-cell", (c) =>
      c.map((x) => x.textContent),
    );
    expect(cells).toEqual(["#0", "2048×2048 L U8", "2048×2048 L U8", "4×4 L U8", "4×4 L U8"]);
    // The rows in view hold more large images than half the budget: the later ones stay "…", and the line
    // above the table says why.
    const notice = await harness.page.$eval(".iris-df-notice", (e) =>
      (e as HTMLElement).hidden ? "" : e.textContent,
    );
    expect(notice).toMatch(
      /^the cells marked … are not read: the chunks of the rows in view exceed half the memory budget \(\d+ chunks left out\)$/,
    );
    const resident = await harness.page.evaluate(
      () => (globalThis as unknown as Viewer).irisViewer.recordings[0]!.store.stats().bytes,
    );
    expect(resident).toBeLessThanOrEqual(BUDGET_MIB * 1024 * 1024);
    await harness.page.click(".iris-tabs button[data-mode=views]");
    expect(harness.console.problems()).toEqual([]);
  }, 120_000);

  it("probes every frame of an entity that fits the budget; beyond it, says the series covers the chunks in memory", async () => {
    type Probe = { samples: { time: string; values: number[] | null }[] };
    const probe = (entityPath: string, x: number, y: number): Promise<Probe> =>
      harness.page.evaluate(
        async ([path, px, py]) => {
          const v = (
            globalThis as unknown as {
              irisViewer: {
                probe(r: object): Promise<{ samples: { time: bigint; values: number[] | null }[] }>;
              };
            }
          ).irisViewer;
          const series = await v.probe({ entityPath: path, x: px, y: py });
          return { samples: series.samples.map((s) => ({ time: String(s.time), values: s.values })) };
        },
        [entityPath, x, y] as const,
      );
    const notice = (): Promise<string | null | undefined> =>
      harness.page.$eval(".iris-probe-notice", (e) =>
        (e as HTMLElement).hidden ? undefined : e.textContent,
      );

    // "/frame/id" (16 bytes a frame) is read whole for the probe: every frame, the logged values.
    const id = await probe("/frame/id", 1, 1);
    expect(id.samples.map((s) => s.time)).toEqual(Array.from({ length: FRAMES }, (_, f) => String(f)));
    expect(id.samples.map((s) => s.values?.[0])).toEqual(
      Array.from({ length: FRAMES }, (_, f) => frameValue(f)),
    );
    expect(await notice()).toBeUndefined();

    // "/camera/image" (640 MiB) is beyond the 48 MiB budget: the chunks in memory, and the panel says so.
    const camera = await probe("/camera/image", WIDTH / 2, 1);
    expect(camera.samples.length).toBeGreaterThan(0);
    expect(camera.samples.length).toBeLessThan(FRAMES);
    expect(await notice()).toMatch(
      /^Read on demand: the entity's data \([\d.]+ MB\) is larger than the memory budget \(50\.3 MB\), so the series covers the times whose chunks are in memory now \(\d+ of the \d+ chunks in the file\)\. For every time, load the file whole \(\?lazy=off\) or run iris probe on it\.$/,
    );
    expect(harness.console.problems()).toEqual([]);
  }, 120_000);
});
