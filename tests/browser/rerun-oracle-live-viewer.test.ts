/**
 * Live, Rerun → Iris viewer: the real Rerun 0.41 Python SDK streams with `connect_grpc()` to `iris serve`
 * (scripts/rerun-oracle/log_live.py), and the Iris viewer opened from iris serve's page follows it: the time cursor
 * reaches the last frame and the RGB image shown equals the numpy frame the script saved, pixel for pixel.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type ServeProcess, startServe } from "../live/serve-process.ts";
import { python } from "../rerun-oracle/rerun-venv.ts";
import { type ChromiumSession, type ConsoleCollector, launchChromium } from "./chromium.ts";
import { readViews, shownPixelOf } from "./live/iris-view-pixels.ts";

const FRAMES = 8;
const WIDTH = 48;
const HEIGHT = 32;
let serve: ServeProcess;
let browser: ChromiumSession;
let page: Page;
let consoleLog: ConsoleCollector;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "iris-rerun-live-viewer-"));
  serve = await startServe(["--port", "0"]);
  browser = await launchChromium({ width: 1000, height: 700 });
  ({ page, console: consoleLog } = await browser.newPage());
});

afterAll(async () => {
  await browser?.close();
  await serve?.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function maxFrame(): Promise<string | undefined> {
  return page.evaluate(() => {
    type Viewer = { time: { timeline?: { name: string; max: bigint } } };
    const v = (globalThis as unknown as { irisViewer?: Viewer }).irisViewer;
    return v?.time.timeline?.name === "frame" ? String(v.time.timeline.max) : undefined;
  });
}

test("the Iris viewer follows frames streamed by Rerun's Python SDK through iris serve", async () => {
  await page.goto(`${serve.baseUrl}/`);
  await python("log_live.py", [serve.proxyUrl, dir, String(FRAMES)]);
  await expect.poll(maxFrame, { timeout: 60_000 }).toBe(String(FRAMES - 1));
  const last = new Uint8Array(await readFile(path.join(dir, `live_rgb_${FRAMES - 1}.bin`)));
  const find = async (): Promise<{ ok: boolean; mismatch: string }> => {
    for (const view of await readViews(page)) {
      const drawn = view.drawn.find((d) => d.entityPath === "/camera/rgb");
      if (!drawn) continue;
      expect([drawn.width, drawn.height]).toEqual([WIDTH, HEIGHT]);
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) {
          const i = (y * WIDTH + x) * 3;
          const want = [last[i]!, last[i + 1]!, last[i + 2]!, 255].join();
          const shown = shownPixelOf(view, drawn, x, y).join();
          if (shown !== want) return { ok: false, mismatch: `(${x}, ${y}): shown ${shown}, logged ${want}` };
        }
      }
      return { ok: true, mismatch: "" };
    }
    return { ok: false, mismatch: "/camera/rgb not drawn" };
  };
  // The view redraws after the last chunk arrives; poll until it shows the last frame, then report any mismatch.
  await expect.poll(async () => (await find()).ok, { timeout: 60_000 }).toBe(true);
  expect((await find()).mismatch).toBe("");
  expect(consoleLog.problems(0).map((l) => l.text)).toEqual([]);
});
