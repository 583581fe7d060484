/**
 * PROOF that Iris speaks Rerun's live protocol: the real `@rerun-io/web-viewer@0.33.0`, started on
 * `rerun+http://127.0.0.1:<port>/proxy` of an Iris `ProxyServer`, calls ReadMessages over gRPC-web (with a CORS
 * preflight from its own origin) and shows the image that a Node producer streams with `connect()`. Half of
 * image_row_updates is logged before the viewer connects (history), the rest while it is connected (live);
 * the viewer must end up showing the last frame (t = 19), checked by pixels.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { connect, type GrpcSink } from "@iris/sdk/node";
import { ProxyServer } from "@iris/server";
import {
  FRAME_COUNT,
  FRAME_HEIGHT,
  FRAME_WIDTH,
  movingRectangleFrame,
} from "../../../examples/src/moving-rectangle.ts";
import { type ChromiumSession, type ConsoleCollector, launchChromium } from "../chromium.ts";
import { checkMovingRectangle } from "../example-checks.ts";
import { countPixels, near } from "../pixels.ts";
import { decodePng, saveScreenshot, type Screenshot } from "../rerun-viewer.ts";
import { type StaticServer, startStaticServer } from "../static-server.ts";
import { rerunLivePageHtml } from "./rerun-live-page.ts";

let staticServer: StaticServer;
let proxy: ProxyServer;
let browser: ChromiumSession;
let page: Page;
let consoleLog: ConsoleCollector;

beforeAll(async () => {
  staticServer = await startStaticServer({
    roots: [
      { prefix: "/pkg/", dir: path.dirname(fileURLToPath(import.meta.resolve("@rerun-io/web-viewer"))) },
    ],
    files: new Map([
      ["/", { body: new TextEncoder().encode(rerunLivePageHtml), contentType: "text/html" }],
      ["/favicon.ico", { body: new Uint8Array(0), contentType: "image/x-icon" }],
    ]),
  });
  // Only the page's origin may call the proxy from a browser.
  proxy = new ProxyServer({ port: 0, allowedOrigins: [staticServer.url] });
  await proxy.listen();
  browser = await launchChromium({ width: 1280, height: 720 });
  ({ page, console: consoleLog } = await browser.newPage());
  await page.goto(`${staticServer.url}/`);
  await page.waitForFunction(() => (window as unknown as { __liveLoaded?: boolean }).__liveLoaded === true);
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await staticServer?.close();
});

async function screenshot(): Promise<Screenshot> {
  return decodePng(await page.screenshot({ type: "png", timeout: 90_000 }));
}

function logFrames(rec: RecordingStream, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    rec.setTimeSequence("time", t);
    rec.log(
      "image",
      new Image(movingRectangleFrame(t), { width: FRAME_WIDTH, height: FRAME_HEIGHT, colorModel: "RGB" }),
    );
  }
}

test("the real Rerun web viewer follows an Iris proxy live and shows the last streamed frame", async () => {
  const rec = new RecordingStream({
    applicationId: "rerun_example_image_row_updates",
    recordingId: "live-rerun",
  });
  const sink: GrpcSink = connect(proxy.proxyUrl, rec);
  const half = FRAME_COUNT / 2;
  logFrames(rec, 0, half);
  rec.flush();
  await sink.flushed(10_000);

  const ready = await page.evaluate(
    (url) => (window as unknown as { __live: { start(u: string): Promise<boolean> } }).__live.start(url),
    proxy.proxyUrl,
  );
  expect(ready).toBe(true);
  await expect
    .poll(() => proxy.hub.viewerCount, { timeout: 60_000, message: "the viewer never called ReadMessages" })
    .toBe(1);
  await page.waitForFunction(
    () =>
      (window as unknown as { __live: { events(): { name: string }[] } }).__live
        .events()
        .some((e) => e.name === "recording_open"),
    null,
    { timeout: 120_000 },
  );

  // The rest arrives while the viewer is connected.
  logFrames(rec, half, FRAME_COUNT);
  rec.flush();
  await sink.flushed(10_000);

  const deadline = Date.now() + 150_000;
  let shot = await screenshot();
  let failures: readonly string[] = ["not checked"];
  let found = {};
  while (Date.now() < deadline) {
    shot = await screenshot();
    if (countPixels(shot, near([0, 255, 255], 40)) >= 2000) {
      ({ failures, found } = checkMovingRectangle(shot, FRAME_COUNT - 1));
      if (failures.length === 0) break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (failures.length > 0) {
    const file = await saveScreenshot(shot, "rerun-live-failed");
    console.error(
      `screenshot: ${file}\n${consoleLog
        .problems(0)
        .map((l) => l.text)
        .join("\n")}`,
    );
  }
  const fatal = consoleLog
    .problems(0)
    .filter((l) => /Failed to decode|Data source has left|Codec error|CORS|panicked/i.test(l.text));
  expect(fatal.map((l) => l.text)).toEqual([]);
  expect(failures, `pixel checks (found ${JSON.stringify(found)})`).toEqual([]);
  expect(proxy.rejectedMessages).toBe(0);
  await sink.closed();
});
