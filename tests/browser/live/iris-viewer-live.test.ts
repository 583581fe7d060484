/**
 * The Iris viewer, opened from `iris serve`'s page (`/?url=rerun+http://…/proxy`) in headless Chromium, follows
 * a Node producer that streams image_row_updates with `connect()`: half the frames before the page connects
 * (history), half while it is connected (live). The view must show the last frame (t = 19), checked by reading
 * the view's pixels, and the time cursor must follow the live edge.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import {
  FRAME_COUNT,
  FRAME_HEIGHT,
  FRAME_WIDTH,
  movingRectangleFrame,
} from "../../../examples/src/moving-rectangle.ts";
import { type ServeProcess, startServe } from "../../live/serve-process.ts";
import { type ChromiumSession, type ConsoleCollector, launchChromium } from "../chromium.ts";
import { readViews, shownPixelOf } from "./iris-view-pixels.ts";

let serve: ServeProcess;
let browser: ChromiumSession;
let page: Page;
let consoleLog: ConsoleCollector;

beforeAll(async () => {
  serve = await startServe(["--port", "0"]);
  browser = await launchChromium({ width: 1000, height: 700 });
  ({ page, console: consoleLog } = await browser.newPage());
});

afterAll(async () => {
  await browser?.close();
  await serve?.kill();
});

function logFrames(rec: RecordingStream, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    rec.setTimeSequence("time", t);
    rec.log(
      "image",
      new Image(movingRectangleFrame(t), { width: FRAME_WIDTH, height: FRAME_HEIGHT, colorModel: "RGB" }),
    );
  }
}

interface LiveState {
  recordings: number;
  chunks: number;
  timeline: string | undefined;
  time: string;
  max: string | undefined;
}

async function liveState(): Promise<LiveState> {
  return page.evaluate(() => {
    type Viewer = {
      recordings: { store: { stats(): { chunks: number } } }[];
      activeRecording?: { store: { stats(): { chunks: number } } };
      time: { timeline?: { name: string; max: bigint }; time: bigint };
    };
    const v = (globalThis as unknown as { irisViewer?: Viewer }).irisViewer;
    if (!v) return { recordings: 0, chunks: 0, timeline: undefined, time: "0", max: undefined };
    return {
      recordings: v.recordings.length,
      chunks: v.activeRecording?.store.stats().chunks ?? 0,
      timeline: v.time.timeline?.name,
      time: String(v.time.time),
      max: v.time.timeline ? String(v.time.timeline.max) : undefined,
    };
  });
}

test("the Iris viewer from iris serve's page shows the last frame streamed live by a Node producer", async () => {
  const rec = new RecordingStream({
    applicationId: "rerun_example_image_row_updates",
    recordingId: "live-iris",
  });
  const sink = connect(serve.proxyUrl, rec);
  const half = FRAME_COUNT / 2;
  logFrames(rec, 0, half);
  rec.flush();
  await sink.flushed(10_000);

  // iris serve's root redirects to the page that follows the proxy.
  await page.goto(`${serve.baseUrl}/`);
  expect(decodeURIComponent(page.url())).toContain(`?url=${serve.proxyUrl}`);
  await expect.poll(async () => (await liveState()).max, { timeout: 60_000 }).toBe(String(half - 1));

  logFrames(rec, half, FRAME_COUNT);
  rec.flush();
  await sink.flushed(10_000);
  await expect.poll(async () => (await liveState()).max, { timeout: 60_000 }).toBe(String(FRAME_COUNT - 1));
  const state = await liveState();
  // Following the live edge: the cursor is on the newest time, in the one live recording.
  expect(state).toMatchObject({ recordings: 1, timeline: "time", time: String(FRAME_COUNT - 1) });

  const last = movingRectangleFrame(FRAME_COUNT - 1);
  const expected = (x: number, y: number): number[] => [
    ...last.subarray((y * 300 + x) * 3, (y * 300 + x) * 3 + 3),
    255,
  ];
  let views = await readViews(page);
  await expect
    .poll(
      async () => {
        views = await readViews(page);
        const view = views[0];
        const drawn = view?.drawn[0];
        return view && drawn ? shownPixelOf(view, drawn, 185, 100).join() : "nothing drawn";
      },
      { timeout: 60_000 },
    )
    .toBe(expected(185, 100).join());
  const view = views[0]!;
  const drawn = view.drawn[0]!;
  expect(drawn).toMatchObject({ entityPath: "/image", width: 300, height: 200 });
  // Frame 19 is the only frame with blue at x = 185 and cyan at x = 195 and 289.
  for (const [x, y] of [
    [185, 100],
    [195, 100],
    [289, 100],
    [250, 40],
    [250, 60],
    [100, 100],
  ] as const) {
    expect(shownPixelOf(view, drawn, x, y), `pixel (${x}, ${y})`).toEqual(expected(x, y));
  }

  // Live recordings are named by RecordingInfo:name when logged, else by their application id; the recording id
  // is the tooltip. The first producer sent no name.
  const named = new RecordingStream({
    applicationId: "rerun_example_image_row_updates",
    recordingId: "live-iris-named",
    sendProperties: true,
    recordingName: "row updates",
  });
  const namedSink = connect(serve.proxyUrl, named);
  logFrames(named, 0, 1);
  named.flush();
  await namedSink.flushed(10_000);
  const options = async () =>
    page.$$eval("select[name=recording] option", (os) =>
      os.map((o) => [o.textContent, (o as HTMLOptionElement).title]),
    );
  await expect.poll(options, { timeout: 60_000 }).toEqual([
    ["rerun_example_image_row_updates", "recording id live-iris"],
    ["row updates (rerun_example_image_row_updates)", "recording id live-iris-named"],
  ]);
  const status = await page.$eval(".iris-progress", (e) => [e.textContent ?? "", (e as HTMLElement).title]);
  expect(status[0]).toMatch(/^rerun_example_image_row_updates: /);
  expect(status[1]).toBe("recording id live-iris");
  expect(consoleLog.problems(0).map((l) => l.text)).toEqual([]);
  await sink.closed();
  await namedSink.closed();
});

test("an open probe follows the live stream: frames logged after it was opened join its plot", async () => {
  const own = await startServe(["--port", "0"]);
  const { page: probePage } = await browser.newPage();
  try {
    const rec = new RecordingStream({ applicationId: "probe_live", recordingId: "probe-live" });
    const sink = connect(own.proxyUrl, rec);
    /** A 4×4 L image whose pixel (1, 2) holds 10·t. */
    const logUpTo = async (from: number, to: number): Promise<void> => {
      for (let t = from; t < to; t++) {
        rec.setTimeSequence("time", t);
        const pixels = new Uint8Array(16);
        pixels[2 * 4 + 1] = 10 * t;
        rec.log("probe", new Image(pixels, { width: 4, height: 4, colorModel: "L" }));
      }
      rec.flush();
      await sink.flushed(10_000);
    };
    const probed = (): Promise<number[][]> =>
      probePage.evaluate(() => {
        type Panel = {
          series?: { samples: readonly { time: bigint; values: readonly (number | bigint)[] | null }[] };
        };
        const v = (globalThis as unknown as { irisViewer: { probePanel: Panel } }).irisViewer;
        return (v.probePanel.series?.samples ?? []).map((s) => [
          Number(s.time),
          ...(s.values ?? []).map(Number),
        ]);
      });
    await logUpTo(0, 5);
    await probePage.goto(`${own.baseUrl}/`);
    await probePage.waitForFunction(
      () =>
        (globalThis as unknown as { irisViewer?: { time: { timeline?: { max: bigint } } } }).irisViewer?.time
          .timeline?.max === 4n,
      undefined,
      { timeout: 60_000 },
    );
    await probePage.evaluate(() =>
      (
        globalThis as unknown as {
          irisViewer: { probe(r: { entityPath: string; x: number; y: number }): Promise<unknown> };
        }
      ).irisViewer.probe({ entityPath: "/probe", x: 1, y: 2 }),
    );
    expect(await probed()).toEqual([0, 1, 2, 3, 4].map((t) => [t, 10 * t]));
    await logUpTo(5, 12);
    await expect
      .poll(probed, { timeout: 30_000 })
      .toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((t) => [t, 10 * t]));
    await sink.closed();
  } finally {
    await probePage.close();
    await own.kill();
  }
});
