import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { launchChromium, type ChromiumSession, type ConsoleCollector, type ConsoleLine } from "./chromium.ts";
import { HarnessError } from "./harness-error.ts";
import { harnessPageHtml } from "./harness-page.ts";
import { startStaticServer, type StaticServer } from "./static-server.ts";

/** A screenshot as tightly packed 8-bit RGBA rows. */
export interface Screenshot {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

export interface HarnessStartOptions {
  /** Viewport (CSS px = device px) of the page the viewer fills; default 1280×720. */
  readonly width?: number;
  readonly height?: number;
  /**
   * Which Rerun web viewer build: the directory served at `/pkg/` and the page exposing `window.__iris` over it.
   * Default: the npm `@rerun-io/web-viewer` 0.33.0 with `harnessPageHtml`; see rerun-viewer-041.ts for 0.41.
   */
  readonly viewer?: { readonly packageDir: string; readonly pageHtml: string };
}

export interface ShowOptions {
  /** Name used for the served file and debug output; default `recording-<n>`. */
  readonly name?: string;
  /** Overall budget for start + open + render; default 150 s (SwiftShader on a loaded 2-core box is slow). */
  readonly timeoutMs?: number;
  /**
   * Extra condition on a stable screenshot (e.g. "the red image is visible"). `show` keeps polling until it
   * holds; use it to wait for expected content rather than for a fixed time.
   */
  readonly until?: (shot: Screenshot) => boolean;
  /**
   * Start a brand-new WebViewer (new canvas, new WebGL context) instead of adding the recording to the running
   * one. Slow under SwiftShader: every new context recompiles all shaders (tens of seconds on a loaded machine).
   * By default the viewer is reused; a newly opened recording becomes the active one. A recording whose
   * recording id is already loaded does not fire `recording_open` again, so use a fresh viewer for that.
   */
  readonly freshViewer?: boolean;
}

export interface ShowResult {
  /** The viewer's `recording_open` event (application_id, recording_id, source, version). */
  readonly recordingOpen: Readonly<Record<string, unknown>>;
  /** Console warnings/errors logged while loading (noise removed); empty for a clean load. */
  readonly problems: readonly string[];
  /** The stable screenshot the wait ended on. */
  readonly screenshot: Screenshot;
  /** Milliseconds from send_rrd to the stable screenshot. */
  readonly renderMs: number;
}

interface PageEvent {
  readonly name: string;
  /** When the page saw the event, in ms after send_rrd. */
  readonly atMs: number;
  readonly event: Readonly<Record<string, unknown>> | null;
}

/** Console lines that mean the data did not get in: the whole test must fail on them. */
const loadFailurePattern =
  /Failed to decode|Data source has left unexpectedly|Failed to add incoming msg|Codec error|missing chunk id|missing entity path|Rerun has crashed|panicked|WebViewer failure/i;

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where failure screenshots go (gitignored). */
export const outDir = path.join(here, "out");

/** The installed `@rerun-io/web-viewer` package directory (its `exports` hide package.json, so resolve the entry). */
function webViewerPackageDir(): string {
  return path.dirname(fileURLToPath(import.meta.resolve("@rerun-io/web-viewer")));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function sameImage(a: Screenshot, b: Screenshot): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  const x = a.rgba;
  const y = b.rgba;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Counts pixels whose RGB differs (all pixels if the sizes differ or there is no previous image). */
export function countDifferentPixels(a: Screenshot | undefined, b: Screenshot): number {
  if (a === undefined || a.width !== b.width || a.height !== b.height) return b.width * b.height;
  let n = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    if (a.rgba[i] !== b.rgba[i] || a.rgba[i + 1] !== b.rgba[i + 1] || a.rgba[i + 2] !== b.rgba[i + 2]) n++;
  }
  return n;
}

/** Progress lines on stderr when IRIS_BROWSER_DEBUG=1. */
function debugLog(message: string): void {
  if (process.env["IRIS_BROWSER_DEBUG"] === "1") process.stderr.write(`[rerun-harness] ${message}\n`);
}

function formatLines(lines: readonly ConsoleLine[]): string[] {
  return lines.map((line) => `[${line.type} +${line.atMs}ms] ${line.text}`);
}

/** Decodes a PNG to RGBA with sharp. */
export async function decodePng(png: Uint8Array): Promise<Screenshot> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

/** Writes a screenshot as PNG into tests/browser/out/ and returns the path. */
export async function saveScreenshot(shot: Screenshot, name: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}.png`);
  const png = await sharp(shot.rgba, { raw: { width: shot.width, height: shot.height, channels: 4 } })
    .png()
    .toBuffer();
  await writeFile(file, png);
  return file;
}

/**
 * Drives the real Rerun web viewer (@rerun-io/web-viewer 0.33.0, WebGL backend on SwiftShader) in headless
 * Debian Chromium. One browser, one page; every `show` starts a fresh WebViewer in that page.
 */
export class RerunWebViewerHarness {
  readonly #browser: ChromiumSession;
  readonly #server: StaticServer;
  readonly #page: Page;
  readonly #console: ConsoleCollector;
  #shown = 0;
  #closed = false;

  private constructor(
    browser: ChromiumSession,
    server: StaticServer,
    page: Page,
    consoleLog: ConsoleCollector,
  ) {
    this.#browser = browser;
    this.#server = server;
    this.#page = page;
    this.#console = consoleLog;
  }

  static async start(options: HarnessStartOptions = {}): Promise<RerunWebViewerHarness> {
    const server = await startStaticServer({
      roots: [{ prefix: "/pkg/", dir: options.viewer?.packageDir ?? webViewerPackageDir() }],
      files: new Map([
        [
          "/",
          {
            body: new TextEncoder().encode(options.viewer?.pageHtml ?? harnessPageHtml),
            contentType: "text/html",
          },
        ],
        ["/favicon.ico", { body: new Uint8Array(0), contentType: "image/x-icon" }],
      ]),
    });
    let browser: ChromiumSession | undefined;
    try {
      browser = await launchChromium({
        ...(options.width === undefined ? {} : { width: options.width }),
        ...(options.height === undefined ? {} : { height: options.height }),
      });
      const { page, console: consoleLog } = await browser.newPage();
      await page.goto(`${server.url}/`, { waitUntil: "load" });
      await page.waitForFunction(
        () => (window as unknown as { __irisLoaded?: boolean }).__irisLoaded === true,
        null,
        {
          timeout: 30_000,
        },
      );
      return new RerunWebViewerHarness(browser, server, page, consoleLog);
    } catch (cause) {
      await browser?.close();
      await server.close();
      if (cause instanceof HarnessError) throw cause;
      throw new HarnessError("viewer-start-failed", "could not open the harness page", { cause });
    }
  }

  /**
   * Overrides the state of the viewer's panels (`top`, `blueprint`, `selection`, `time`: "hidden", "collapsed" or
   * "expanded"), e.g. to give the views the whole page. Starts the WebViewer first if none is running.
   */
  async setPanels(
    states: Readonly<Partial<Record<"top" | "blueprint" | "selection" | "time", string>>>,
  ): Promise<void> {
    this.#assertOpen();
    await this.#startViewer("panels", true);
    await this.#page.evaluate(
      (s) => {
        const iris = (window as unknown as { __iris: { panels(s: Record<string, string>): void } }).__iris;
        iris.panels(s);
      },
      states as Record<string, string>,
    );
  }

  /**
   * Moves the time cursor of recording `recordingId` (from `ShowResult.recordingOpen`) to `time` on `timeline`
   * (paused). Follow with `settle` to wait for the new picture.
   */
  async setTime(recordingId: string, timeline: string, time: number): Promise<void> {
    this.#assertOpen();
    const before = (await this.#events()).filter((e) => e.name === "time_update").length;
    await this.#page.evaluate(
      ([id, name, t]) => {
        const iris = (window as unknown as { __iris: { setTime(i: string, n: string, t: number): void } })
          .__iris;
        iris.setTime(id, name, t);
      },
      [recordingId, timeline, time] as const,
    );
    // The viewer reports the change with a time_update event once its frame loop has applied it.
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
      const after = (await this.#events()).filter((e) => e.name === "time_update").length;
      if (after > before) return;
      await delay(50);
    }
  }

  /** Base URL of the harness's static server (the viewer package is under `/pkg/`). */
  get url(): string {
    return this.#server.url;
  }

  /** Every console line the page logged so far (for debugging). */
  consoleLines(): readonly ConsoleLine[] {
    return this.#console.all();
  }

  /**
   * Loads `rrd` (one complete .rrd stream) into a fresh WebViewer and waits until the recording is rendered:
   * first the `recording_open` event, then screenshots are polled until three consecutive ones are identical
   * (and `until`, if given, holds). Rejects with a `HarnessError` carrying the viewer's console warnings when the
   * viewer reports a decode failure, never opens the recording, or does not settle within the timeout.
   */
  async show(rrd: Uint8Array, options: ShowOptions = {}): Promise<ShowResult> {
    this.#assertOpen();
    const index = ++this.#shown;
    const name = options.name ?? `recording-${index}`;
    const timeoutMs = options.timeoutMs ?? 150_000;
    const deadline = Date.now() + timeoutMs;

    await this.#startViewer(name, options.freshViewer !== true);
    debugLog(`${name}: viewer started after ${Date.now() - (deadline - timeoutMs)} ms`);
    const mark = this.#console.mark;
    const dataPath = `/data/${index}-${encodeURIComponent(name)}.rrd`;
    this.#server.putFile(dataPath, { body: rrd, contentType: "application/octet-stream" });
    const sentAt = Date.now();
    try {
      await this.#page.evaluate(
        async ([url, channel]) => {
          const iris = (window as unknown as { __iris: { send(u: string, c: string): Promise<number> } })
            .__iris;
          return iris.send(url, channel);
        },
        [dataPath, "iris"] as const,
      );
      debugLog(`${name}: sent ${rrd.byteLength} bytes in ${Date.now() - sentAt} ms`);
      const recordingOpen = await this.#waitForRecordingOpen(name, mark, deadline);
      debugLog(`${name}: recording_open after ${Date.now() - sentAt} ms`);
      const screenshot = await this.#waitForStableFrames(name, mark, deadline, options.until);
      const problems = formatLines(this.#console.problems(mark));
      return { recordingOpen, problems, screenshot, renderMs: Date.now() - sentAt };
    } finally {
      this.#server.deleteFile(dataPath);
    }
  }

  /**
   * The page as it is now, as RGBA. Playwright waits for a fresh compositor frame, which can take tens of
   * seconds while the viewer's main thread is busy (first render after data arrives compiles shaders on
   * SwiftShader), hence the generous default timeout.
   */
  async screenshot(options: { timeoutMs?: number } = {}): Promise<Screenshot> {
    this.#assertOpen();
    const png = await this.#page.screenshot({
      type: "png",
      animations: "allow",
      caret: "initial",
      timeout: options.timeoutMs ?? 90_000,
    });
    return decodePng(png);
  }

  /**
   * Drags the mouse with the left button held from `from` to `to` (page px), in `steps` moves (default 20), and
   * releases it: e.g. orbits the camera of a 3D view. Then moves the pointer to `park` if given (a pointer left
   * over a view shows hover tooltips). Follow with `settle` to wait for the new picture.
   */
  async drag(
    from: readonly [number, number],
    to: readonly [number, number],
    options: { steps?: number; park?: readonly [number, number] } = {},
  ): Promise<void> {
    this.#assertOpen();
    const mouse = this.#page.mouse;
    await mouse.move(from[0], from[1]);
    await mouse.down();
    await mouse.move(to[0], to[1], { steps: options.steps ?? 20 });
    await mouse.up();
    if (options.park) await mouse.move(options.park[0], options.park[1]);
  }

  /** Turns the mouse wheel at `at` (page px) by `deltaY` (positive = scrolling down, which zooms a 3D view out). */
  async wheel(at: readonly [number, number], deltaY: number): Promise<void> {
    this.#assertOpen();
    await this.#page.mouse.move(at[0], at[1]);
    await this.#page.mouse.wheel(0, deltaY);
  }

  /**
   * Waits, after an interaction (`drag`), until the picture is stable again (three identical screenshots) and
   * `until` holds, as `show` does after loading; rejects with `render-timeout` otherwise.
   */
  async settle(
    options: { name?: string; timeoutMs?: number; until?: (shot: Screenshot) => boolean } = {},
  ): Promise<Screenshot> {
    this.#assertOpen();
    const name = options.name ?? "settle";
    const deadline = Date.now() + (options.timeoutMs ?? 150_000);
    return this.#waitForStableFrames(name, this.#console.mark, deadline, options.until);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#browser.close();
    } finally {
      await this.#server.close();
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new HarnessError("harness-closed", "the harness was closed");
  }

  async #startViewer(name: string, reuse: boolean): Promise<void> {
    const mark = this.#console.mark;
    try {
      const ready = await this.#page.evaluate(async (reuse) => {
        const iris = (window as unknown as { __iris: { start(reuse: boolean): Promise<boolean> } }).__iris;
        return iris.start(reuse);
      }, reuse);
      if (!ready) throw new Error("WebViewer.ready is false after start()");
    } catch (cause) {
      throw new HarnessError("viewer-start-failed", `${name}: the Rerun WebViewer did not start`, {
        cause,
        consoleLines: formatLines(this.#console.problems(mark)),
      });
    }
  }

  async #events(): Promise<readonly PageEvent[]> {
    return this.#page.evaluate(() => {
      const iris = (window as unknown as { __iris: { events(): PageEvent[] } }).__iris;
      return iris.events();
    });
  }

  #failIfLoadFailed(name: string, mark: number): void {
    const problems = this.#console.problems(mark);
    const fatal = problems.filter((line) => loadFailurePattern.test(line.text) || line.type === "crash");
    if (fatal.length > 0) {
      throw new HarnessError("rrd-decode-failed", `${name}: the viewer reported a load failure`, {
        consoleLines: formatLines(problems),
      });
    }
  }

  async #waitForRecordingOpen(
    name: string,
    mark: number,
    deadline: number,
  ): Promise<Readonly<Record<string, unknown>>> {
    for (;;) {
      this.#failIfLoadFailed(name, mark);
      const open = (await this.#events()).find((e) => e.name === "recording_open");
      if (open?.event) {
        debugLog(`${name}: in-page recording_open ${Math.round(open.atMs)} ms after send_rrd`);
        return open.event;
      }
      if (Date.now() > deadline) {
        const file = await this.screenshot({ timeoutMs: 10_000 }).then(
          (shot) => saveScreenshot(shot, `${name}-not-opened`),
          () => "none",
        );
        throw new HarnessError(
          "recording-not-opened",
          `${name}: no recording_open event (a recording id that is already loaded does not fire it again; ` +
            `use freshViewer) (screenshot: ${file})`,
          { consoleLines: formatLines(this.#console.problems(mark)) },
        );
      }
      await delay(100);
    }
  }

  async #waitForStableFrames(
    name: string,
    mark: number,
    deadline: number,
    until: ((shot: Screenshot) => boolean) | undefined,
  ): Promise<Screenshot> {
    const stableFramesNeeded = 3;
    let previous: Screenshot | undefined;
    let identical = 0;
    for (;;) {
      await delay(150);
      this.#failIfLoadFailed(name, mark);
      const shotStart = Date.now();
      let shot: Screenshot;
      try {
        shot = await this.screenshot({ timeoutMs: Math.max(1_000, deadline - Date.now()) });
      } catch (cause) {
        if (Date.now() < deadline) continue;
        throw new HarnessError(
          "render-timeout",
          `${name}: no screenshot could be taken before the deadline`,
          {
            cause,
            consoleLines: formatLines(this.#console.problems(mark)),
          },
        );
      }
      debugLog(
        `${name}: screenshot in ${Date.now() - shotStart} ms, ${countDifferentPixels(previous, shot)} px changed`,
      );
      identical = previous !== undefined && sameImage(previous, shot) ? identical + 1 : 0;
      previous = shot;
      if (identical >= stableFramesNeeded - 1 && (until === undefined || until(shot))) {
        // Decoding continues in the background (chunked tasks); make sure nothing failed in the meantime.
        this.#failIfLoadFailed(name, mark);
        return shot;
      }
      if (Date.now() > deadline) {
        const file = await saveScreenshot(shot, `${name}-timeout`);
        const reason =
          identical >= stableFramesNeeded - 1
            ? "the frame was stable but the expected content never appeared"
            : "the frame never became stable";
        throw new HarnessError("render-timeout", `${name}: ${reason} (last screenshot: ${file})`, {
          consoleLines: formatLines(this.#console.problems(mark)),
        });
      }
    }
  }
}
