// Benchmark: the Iris web viewer against the real Rerun web viewer (@rerun-io/web-viewer 0.33.0), on the same
// .rrd files, in the same headless Chromium session (SwiftShader software WebGL):
//   1. bundle size (raw and gzip),
//   2. time from navigation to the first image drawn (cold = first load in a fresh profile, warm = later loads),
//   3. scrub fps over 1080p RGB8, NV12 and F32 timelines,
//   4. memory with the same recording loaded,
//   5. cost growth with 10×/100× more frames and with a 4K frame (Rerun: one shared tab, per-row deadlines).
// `npx tsx bench/viewer-bench.ts [--quick]` prints the markdown section; bench/run.ts appends it to BENCHMARKS.md.
import {
  cpSync,
  mkdirSync,
  writeFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { buildViewer } from "../packages/viewer/build.ts";
import { type ChromiumSession, launchChromium } from "../tests/browser/chromium.ts";
import { startStaticServer, type StaticServer } from "../tests/browser/static-server.ts";
import { type Summary, fmt, summarize } from "./stats.ts";

const here = dirname(fileURLToPath(import.meta.url));
const VIEWPORT = { width: 1280, height: 720 };
const TIMEOUT_MS = 600_000;

// ---- data ------------------------------------------------------------------------------------------------

type Kind = "rgb8" | "nv12" | "f32";

/**
 * Camera-like RGB8 frame: gradients that move per frame plus 3 bits of noise, in a magenta range (R and B high,
 * G low) that neither viewer's dark UI ever shows, so a screenshot tells whether the image is on screen.
 */
function rgbFrame(w: number, h: number, f: number): Uint8Array {
  const px = new Uint8Array(w * h * 3);
  let s = (f * 2654435761 + 1) >>> 0;
  let i = 0;
  for (let y = 0; y < h; y++) {
    const g = 20 + (((((y * 64) / h) | 0) + f * 3) % 64);
    const b = 150 + (((((y * 64) / h) | 0) + f * 5) % 64);
    for (let x = 0; x < w; x++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const n = s >>> 29;
      px[i++] = 150 + (((((x * 64) / w) | 0) + f * 7) % 64) + n;
      px[i++] = g + n;
      px[i++] = b + (n ^ 5);
    }
  }
  return px;
}

/** NV12: a full-resolution Y plane and a half-resolution interleaved UV plane (magenta-ish chroma). */
function nv12Frame(w: number, h: number, f: number): Uint8Array {
  const px = new Uint8Array(w * h + w * (h / 2));
  let s = (f * 2654435761 + 7) >>> 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      px[y * w + x] = 60 + ((((x + y) * 96) / (w + h)) | 0) + ((f * 5) % 32) + (s >>> 29);
    }
  }
  for (let i = w * h; i < px.length; i += 2) {
    px[i] = 150 + (i % 17);
    px[i + 1] = 170 + (i % 13);
  }
  return px;
}

/** L F32: a smooth field in [0, 1) plus small noise. */
function f32Frame(w: number, h: number, f: number): Float32Array {
  const px = new Float32Array(w * h);
  let s = (f * 2654435761 + 3) >>> 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      px[y * w + x] = (((x / w + y / h) * 0.5 + f * 0.01) % 1) + (s >>> 24) / 25600;
    }
  }
  return px;
}

function writeRrd(file: string, kind: Kind, frames: number, w: number, h: number): number {
  const rec = new RecordingStream({ applicationId: `iris_viewer_bench_${kind}`, sink: new FileSink(file) });
  for (let f = 0; f < frames; f++) {
    rec.setTimeSequence("frame", f);
    const image =
      kind === "rgb8"
        ? new Image(rgbFrame(w, h, f), { width: w, height: h, colorModel: "RGB" })
        : kind === "nv12"
          ? new Image(nv12Frame(w, h, f), { width: w, height: h, pixelFormat: "NV12" })
          : new Image(f32Frame(w, h, f), { width: w, height: h });
    rec.log("camera", image);
  }
  rec.close();
  return statSync(file).size;
}

// ---- bundle size -----------------------------------------------------------------------------------------

export interface BundleSize {
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

function sizeOf(files: readonly string[]): BundleSize {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    rawBytes += bytes.byteLength;
    gzipBytes += gzipSync(bytes).byteLength; // zlib default level (6), what a typical server sends
  }
  return { files: files.map((f) => f.split("/").pop()!), rawBytes, gzipBytes };
}

/** Builds the minified Iris viewer and copies it to a private directory (others may rebuild dist meanwhile). */
async function buildIrisCopy(into: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const dist = await buildViewer({ minify: true });
    rmSync(into, { recursive: true, force: true });
    cpSync(dist, into, { recursive: true });
    const js = readFileSync(join(into, "iris-viewer.js"), "utf8");
    // A non-minified esbuild bundle (e.g. from a concurrent test run) has `// packages/...` module comments.
    if (!/^\/\/ packages\//m.test(js)) return into;
  }
  throw new Error("could not get a minified viewer build (dist keeps being rebuilt unminified)");
}

function rerunPackageDir(): string {
  return dirname(fileURLToPath(import.meta.resolve("@rerun-io/web-viewer")));
}

// ---- browser plumbing ------------------------------------------------------------------------------------

/**
 * Injected into every page before its scripts: records when Iris first drew an image and finished loading
 * (rAF polling, ms since navigation start), and keeps a reference to every WebAssembly memory instantiated so
 * the Rerun viewer's linear memory can be read.
 */
const probeScript = `(() => {
  const probe = { firstImageMs: null, loadedMs: null, wasmMemories: [] };
  window.__probe = probe;
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const orig = WebAssembly[name];
    if (typeof orig !== "function") continue;
    WebAssembly[name] = async function (...args) {
      const result = await orig.apply(this, args);
      const instance = result instanceof WebAssembly.Instance ? result : result && result.instance;
      const memory = instance && instance.exports && instance.exports.memory;
      if (memory instanceof WebAssembly.Memory) probe.wasmMemories.push(memory);
      return result;
    };
  }
  const tick = () => {
    const v = window.irisViewer;
    if (v) {
      if (probe.firstImageMs === null) {
        let n = 0;
        for (const view of v.spatialViews.values()) n += view.drawnImages.length;
        if (n > 0) probe.firstImageMs = performance.now();
      }
      if (probe.loadedMs === null && v.recordings.length > 0 && v.recordings.every((r) => r.done))
        probe.loadedMs = performance.now();
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const raf = () => new Promise((resolve) => requestAnimationFrame(resolve));
  // Iris scrub loop: set the time cursor, then two animation frames; a step is "missed" when the cursor did not
  // move or nothing was drawn.
  probe.irisScrub = async (times) => {
    const v = window.irisViewer;
    const per = [];
    let missed = 0;
    const t0 = performance.now();
    for (const t of times) {
      const s = performance.now();
      v.time.setTime(BigInt(t));
      if (v.time.time !== BigInt(t)) missed++;
      await raf();
      await raf();
      let drawn = 0;
      for (const view of v.spatialViews.values()) drawn += view.drawnImages.length;
      if (drawn === 0) missed++;
      per.push(performance.now() - s);
    }
    return { totalMs: performance.now() - t0, per, missed };
  };
})();`;

interface Bench {
  session: ChromiumSession;
  server: StaticServer;
  log: (line: string) => void;
  runId: number;
}

type Viewer = "iris" | "rerun";

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Serves `file` (not cached: Cache-Control no-store) at a fresh URL and returns the URL path. */
function serveData(bench: Bench, file: string): string {
  const urlPath = `/data/${++bench.runId}/${file.split("/").pop()}`;
  bench.server.putFile(urlPath, { body: readFileSync(file), contentType: "application/octet-stream" });
  return urlPath;
}

function viewerUrl(bench: Bench, viewer: Viewer, dataPath: string): string {
  return viewer === "iris"
    ? `${bench.server.url}/iris/index.html?url=${encodeURIComponent(dataPath)}`
    : `${bench.server.url}/pages/rerun.html?url=${encodeURIComponent(dataPath)}`;
}

/** Opens a new (single, visible) tab; the previous one must have been closed. */
async function newPage(bench: Bench): Promise<Page> {
  const { page } = await bench.session.newPage();
  return page;
}

/** Fraction of screenshot pixels in the magenta range of `rgbFrame` (the image is on screen when > 2 %). */
function magentaFraction(rgb: Uint8Array, channels: number): number {
  let n = 0;
  const total = rgb.length / channels;
  for (let i = 0; i < rgb.length; i += channels) {
    const r = rgb[i]!;
    const g = rgb[i + 1]!;
    const b = rgb[i + 2]!;
    if (r > 130 && b > 130 && g < 120 && r - g > 50) n++;
  }
  return n / total;
}

async function screenshotMagenta(page: Page): Promise<number> {
  const jpeg = await page.screenshot({
    type: "jpeg",
    quality: 70,
    animations: "allow",
    caret: "initial",
    timeout: TIMEOUT_MS,
  });
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return magentaFraction(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.channels);
}

interface FirstImage {
  /** Node wall clock from `page.goto` to the end of the first screenshot that shows the image. */
  screenshotMs: number;
  /** The previous screenshot (image not yet shown) ended this many ms after navigation (lower bound). */
  previousScreenshotMs: number;
  /** In-page: Iris `drawnImages.length > 0`, Rerun `recording_open` (ms since navigation start). */
  inPageMs: number | undefined;
}

/** Navigates and polls screenshots until the RGB8 image is visible. */
async function navigateToFirstImage(
  bench: Bench,
  page: Page,
  viewer: Viewer,
  dataPath: string,
): Promise<FirstImage> {
  const start = Date.now();
  await page.goto(`${viewerUrl(bench, viewer, dataPath)}`, { waitUntil: "commit", timeout: TIMEOUT_MS });
  let previous = 0;
  for (;;) {
    const fraction = await screenshotMagenta(page);
    const now = Date.now() - start;
    if (fraction > 0.02) {
      const inPageMs =
        viewer === "iris"
          ? await page.evaluate(
              () => (window as unknown as { __probe: { firstImageMs: number | null } }).__probe.firstImageMs,
            )
          : await page.evaluate(() => {
              const s = (window as unknown as { __rerun?: { events: { name: string; atMs: number }[] } })
                .__rerun;
              return s?.events.find((e) => e.name === "recording_open")?.atMs ?? null;
            });
      return { screenshotMs: now, previousScreenshotMs: previous, inPageMs: inPageMs ?? undefined };
    }
    previous = now;
    if (now > TIMEOUT_MS) throw new Error(`${viewer}: no image on screen after ${now} ms`);
    const error =
      viewer === "rerun"
        ? await page.evaluate(
            () => (window as unknown as { __rerun?: { error: string | null } }).__rerun?.error ?? null,
          )
        : null;
    if (error) throw new Error(`rerun viewer failed: ${error}`);
  }
}

// ---- memory ----------------------------------------------------------------------------------------------

export interface MemorySample {
  /** RSS of the largest renderer process (the viewer's tab), MB. */
  rendererRssMb: number;
  /** RSS of the GPU process (SwiftShader: textures live here, in CPU memory), MB. Shared by all tabs. */
  gpuRssMb: number;
  /** V8 JS heap used (CDP Performance.getMetrics JSHeapUsedSize), MB. */
  jsHeapMb: number;
  /** WebAssembly linear memory size (Rerun's wasm heap; 0 for Iris), MB. */
  wasmMb: number;
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

async function measureMemory(bench: Bench, page: Page): Promise<MemorySample> {
  const pageCdp = await bench.session.context.newCDPSession(page);
  await pageCdp.send("HeapProfiler.collectGarbage").catch(() => undefined);
  await pageCdp.send("Performance.enable");
  const metrics = (await pageCdp.send("Performance.getMetrics")) as {
    metrics: { name: string; value: number }[];
  };
  const jsHeap = metrics.metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0;
  await pageCdp.detach();
  const wasmBytes = await page.evaluate(() =>
    (window as unknown as { __probe: { wasmMemories: WebAssembly.Memory[] } }).__probe.wasmMemories.reduce(
      (n, m) => n + m.buffer.byteLength,
      0,
    ),
  );
  const browser = bench.session.context.browser();
  let rendererRssMb = 0;
  let gpuRssMb = 0;
  if (browser) {
    const cdp = await browser.newBrowserCDPSession();
    const info = (await cdp.send("SystemInfo.getProcessInfo")) as {
      processInfo: { type: string; id: number }[];
    };
    await cdp.detach();
    for (const p of info.processInfo) {
      if (p.type === "renderer") rendererRssMb = Math.max(rendererRssMb, rssMb(p.id));
      if (p.type === "GPU") gpuRssMb += rssMb(p.id);
    }
  }
  return { rendererRssMb, gpuRssMb, jsHeapMb: jsHeap / 2 ** 20, wasmMb: wasmBytes / 2 ** 20 };
}

// ---- scrubbing -------------------------------------------------------------------------------------------

export interface ScrubPass {
  steps: number;
  totalMs: number;
  perStep: Summary;
  /** Steps the viewer never acknowledged (Rerun: no time_update / get_current_time ≠ requested within 10 s). */
  missed: number;
}

async function irisWaitLoaded(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const p = (window as unknown as { __probe: { firstImageMs: number | null; loadedMs: number | null } })
        .__probe;
      return p.firstImageMs !== null && p.loadedMs !== null;
    },
    null,
    { timeout: TIMEOUT_MS, polling: 100 },
  );
}

async function irisScrub(page: Page, times: readonly number[]): Promise<ScrubPass> {
  // The loop lives in the probe script: functions defined inside page.evaluate get tsx's __name helper.
  const r = await page.evaluate(
    (times) =>
      (
        window as unknown as {
          __probe: {
            irisScrub(t: readonly number[]): Promise<{ totalMs: number; per: number[]; missed: number }>;
          };
        }
      ).__probe.irisScrub(times),
    times,
  );
  return { steps: times.length, totalMs: r.totalMs, perStep: summarize(r.per), missed: r.missed };
}

/** Waits for the `skip`-th (0-based) recording_open and until its `frame` timeline reaches `lastTime`. */
async function rerunWaitLoaded(page: Page, lastTime: number, skip = 0): Promise<string> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const state = await page.evaluate(
      ([lastTime, skip]) => {
        type S = {
          error: string | null;
          events: { name: string; event: { recording_id?: string } | null }[];
          viewer: {
            ready: boolean;
            get_time_range(rid: string, tl: string): { min: number; max: number } | null;
          };
        };
        const s = (window as unknown as { __rerun?: S }).__rerun;
        if (!s) return { error: null, rid: null, done: false };
        const rid = s.events.filter((e) => e.name === "recording_open")[skip]?.event?.recording_id ?? null;
        if (!rid || !s.viewer.ready) return { error: s.error, rid, done: false };
        const range = s.viewer.get_time_range(rid, "frame");
        return { error: s.error, rid, done: range !== null && range.max >= lastTime };
      },
      [lastTime, skip] as const,
    );
    if (state.error) throw new Error(`rerun viewer failed: ${state.error}`);
    if (state.done && state.rid) return state.rid;
    if (Date.now() > deadline) throw new Error("rerun: recording not fully loaded before the deadline");
    await delay(200);
  }
}

async function rerunScrub(page: Page, rid: string, times: readonly number[]): Promise<ScrubPass> {
  const r = await page.evaluate(
    async ([rid, times]) => {
      type S = {
        viewer: { set_active_timeline(r: string, t: string): void; set_playing(r: string, p: boolean): void };
        scrub(
          r: string,
          tl: string,
          times: readonly number[],
        ): Promise<{ totalMs: number; per: number[]; missed: number }>;
      };
      const s = (window as unknown as { __rerun: S }).__rerun;
      s.viewer.set_active_timeline(rid, "frame");
      s.viewer.set_playing(rid, false);
      return s.scrub(rid, "frame", times);
    },
    [rid, times] as const,
  );
  return { steps: times.length, totalMs: r.totalMs, perStep: summarize(r.per), missed: r.missed };
}

// ---- scenarios -------------------------------------------------------------------------------------------

export interface FirstImageRun {
  viewer: Viewer;
  cold: boolean;
  result: FirstImage;
}

export interface ScrubResult {
  kind: Kind;
  /** Frames in the recording (the pass visits `pass1.steps` of them). */
  frames: number;
  fileMb: number;
  viewer: Viewer;
  pass1: ScrubPass;
  pass2: ScrubPass;
  /** The image is visible after the pass (screenshot check; RGB8 only, undefined otherwise). */
  visibleAfter: boolean | undefined;
  memory: MemorySample;
  /** Rerun: measured in one tab that opened the recordings one after another (closing the previous one). */
  sharedTab: boolean;
}

export interface GrowthRow {
  label: string;
  frames: number;
  width: number;
  height: number;
  fileMb: number;
  loadedMs: number;
  firstImageMs: number;
  scrub: ScrubPass | undefined;
  memory: MemorySample;
}

export interface ViewerBenchResult {
  quick: boolean;
  iris: BundleSize;
  rerun: BundleSize;
  firstImageFrames: number;
  firstImageFileMb: number;
  firstImage: FirstImageRun[];
  scrubTimes: number[];
  scrub: ScrubResult[];
  growth: GrowthRow[];
  rerunGrowth: RerunGrowth;
  chromium: string;
  notes: string[];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** `count` times spread evenly over 0..frames-1 (all of them when frames ≤ count). */
function sampledTimes(frames: number, count: number): number[] {
  if (frames <= count) return range(frames);
  return range(count).map((i) => Math.round((i * (frames - 1)) / (count - 1)));
}

async function scrubScenario(
  bench: Bench,
  viewer: Viewer,
  kind: Kind,
  file: string,
  frames: number,
  times: readonly number[],
  rerunShared?: RerunShared,
): Promise<ScrubResult> {
  const page = rerunShared?.page ?? (await newPage(bench));
  const fileMb = statSync(file).size / 1e6;
  try {
    const dataPath = serveData(bench, file);
    if (rerunShared && rerunShared.opened > 0) {
      // Same tab and WebViewer (a new one recompiles every shader): close the previous recording, open this one.
      await page.evaluate(
        ([prev, next]) => {
          const s = (
            window as unknown as { __rerun: { viewer: { close(u: string): void; open(u: string): void } } }
          ).__rerun;
          s.viewer.close(new URL(prev, location.href).href);
          s.viewer.open(new URL(next, location.href).href);
        },
        [rerunShared.lastPath, dataPath] as const,
      );
    } else {
      await page.goto(viewerUrl(bench, viewer, dataPath), { waitUntil: "load", timeout: TIMEOUT_MS });
    }
    let pass1: ScrubPass;
    let pass2: ScrubPass;
    if (viewer === "iris") {
      await irisWaitLoaded(page);
      pass1 = await irisScrub(page, times);
      pass2 = await irisScrub(page, times);
    } else {
      const rid = await rerunWaitLoaded(page, frames - 1, rerunShared?.opened ?? 0);
      if (rerunShared) {
        rerunShared.opened += 1;
        rerunShared.lastPath = dataPath;
      }
      // Let the first frame settle (the first draw after loading compiles shaders).
      await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
      pass1 = await rerunScrub(page, rid, times);
      pass2 = await rerunScrub(page, rid, times);
    }
    bench.server.deleteFile(dataPath);
    const visibleAfter = kind === "rgb8" ? (await screenshotMagenta(page)) > 0.02 : undefined;
    const memory = await measureMemory(bench, page);
    bench.log(
      `scrub ${viewer} ${kind}: pass1 ${fmt(pass1.totalMs, 0)} ms, pass2 ${fmt(pass2.totalMs, 0)} ms, missed ${pass1.missed}/${pass2.missed}`,
    );
    return {
      kind,
      frames,
      fileMb,
      viewer,
      pass1,
      pass2,
      visibleAfter,
      memory,
      sharedTab: rerunShared !== undefined,
    };
  } finally {
    if (!rerunShared) {
      await page.close();
      await delay(500);
    }
  }
}

interface RerunShared {
  page: Page;
  opened: number;
  lastPath: string;
}

async function growthScenario(
  bench: Bench,
  label: string,
  file: string,
  frames: number,
  w: number,
  h: number,
): Promise<GrowthRow> {
  const page = await newPage(bench);
  try {
    const dataPath = serveData(bench, file);
    await page.goto(viewerUrl(bench, "iris", dataPath), { waitUntil: "load", timeout: TIMEOUT_MS });
    await irisWaitLoaded(page);
    const probe = await page.evaluate(
      () => (window as unknown as { __probe: { firstImageMs: number; loadedMs: number } }).__probe,
    );
    bench.server.deleteFile(dataPath);
    const scrub = frames > 1 ? await irisScrub(page, sampledTimes(frames, 100)) : undefined;
    const memory = await measureMemory(bench, page);
    bench.log(
      `growth ${label}: first image ${fmt(probe.firstImageMs, 0)} ms, loaded ${fmt(probe.loadedMs, 0)} ms`,
    );
    return {
      label,
      frames,
      width: w,
      height: h,
      fileMb: statSync(file).size / 1e6,
      loadedMs: probe.loadedMs,
      firstImageMs: probe.firstImageMs,
      scrub,
      memory,
    };
  } finally {
    await page.close();
    await delay(500);
  }
}

async function tryGrowth(
  bench: Bench,
  growth: GrowthRow[],
  notes: string[],
  label: string,
  file: string,
  frames: number,
  w: number,
  h: number,
): Promise<void> {
  try {
    growth.push(await growthScenario(bench, label, file, frames, w, h));
  } catch (error) {
    bench.log(`growth ${label} failed: ${(error as Error).message}`);
    notes.push(`Growth run "${label}" failed: ${(error as Error).message.split("\n")[0]}`);
  }
}

// ---- Rerun growth ----------------------------------------------------------------------------------------

/** Whole Rerun growth part (tab start + warm-up + every row) and one row, in ms; rows get min(row, what is left). */
const RERUN_GROWTH_BUDGET_MS = 330_000;
const RERUN_GROWTH_ROW_MS = 150_000;
/** Start of the Rerun tab (downloads, compiles the wasm and the shaders: 40–120 s here). */
const RERUN_WARMUP_MS = 150_000;
const RERUN_GROWTH_SCRUB_STEPS = 4;

export interface RerunGrowthRow {
  label: string;
  frames: number;
  fileMb: number;
  /** Node wall clock from `open()` to the end of the first screenshot showing the image (upper bound). */
  firstImageMs: number | undefined;
  /** The screenshot before it ended this long after `open()` (lower bound). */
  previousScreenshotMs: number | undefined;
  /** In-page, from `open()` until the `frame` timeline reached the last frame (setTimeout polling, 20 ms). */
  loadedMs: number | undefined;
  /** Highest `frame` time the viewer reported when the row ended (how far a timed-out load got). */
  maxFrameSeen: number | undefined;
  /** What the row was doing when it ended (for timeouts), e.g. "waiting for the image and the last frame". */
  stage: string;
  /** Magenta fraction of the last screenshot (diagnostics). */
  lastMagenta: number | undefined;
  /** The recording_open event of this recording arrived, ms after `open()` (in-page). */
  recordingOpenMs: number | undefined;
  scrub: ScrubPass | undefined;
  memory: MemorySample | undefined;
  /** The row's deadline in s, when it was hit. */
  timedOutS: number | undefined;
  /** Other failure, or "not run" when the budget was used up. */
  error: string | undefined;
  /** Wall time of the whole row (close previous, open, first image, load, scrub, memory), ms. */
  wallMs: number;
}

export interface RerunGrowth {
  budgetS: number;
  rowDeadlineS: number;
  scrubSteps: number;
  /** Tab start to the warm-up recording (1 frame of 128×72) on screen, ms (undefined: failed). */
  warmupMs: number | undefined;
  warmupMemory: MemorySample | undefined;
  /** The order the rows were run in (labels). */
  order: string[];
  rows: RerunGrowthRow[];
  /** Wall time of the whole Rerun growth part, ms. */
  totalMs: number;
  error: string | undefined;
}

class Deadline extends Error {}

/** Rejects with Deadline after `ms` (the losing promise's rejection is swallowed so it cannot go unhandled). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Deadline(`deadline ${ms} ms`)), Math.max(0, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Tracked {
  openMs: number;
  rid: string | null;
  recordingOpenMs: number | null;
  loadedMs: number | null;
  maxTime: number | null;
}

async function rerunTracked(page: Page): Promise<{ tracked: Tracked | null; error: string | null }> {
  return page.evaluate(() => {
    const s = (window as unknown as { __rerun?: { tracked?: Tracked; error: string | null } }).__rerun;
    return { tracked: s?.tracked ? { ...s.tracked } : null, error: s?.error ?? null };
  });
}

/**
 * One growth recording in the shared Rerun tab: close the previous recording (and wait until its image is gone),
 * open this one, poll screenshots until the image shows and the page until the timeline reaches the last frame,
 * scrub a few sampled frames, measure memory. Everything before `deadline` (Date.now() ms); partial results on
 * timeout.
 */
async function rerunGrowthRow(
  bench: Bench,
  page: Page,
  label: string,
  file: string,
  frames: number,
  previousUrl: string,
  rowMs: number,
): Promise<{ row: RerunGrowthRow; url: string }> {
  const t0 = Date.now();
  const deadline = t0 + rowMs;
  const left = (): number => deadline - Date.now();
  const row: RerunGrowthRow = {
    label,
    frames,
    fileMb: statSync(file).size / 1e6,
    firstImageMs: undefined,
    previousScreenshotMs: undefined,
    loadedMs: undefined,
    maxFrameSeen: undefined,
    stage: "closing the previous recording",
    lastMagenta: undefined,
    recordingOpenMs: undefined,
    scrub: undefined,
    memory: undefined,
    timedOutS: undefined,
    error: undefined,
    wallMs: 0,
  };
  const dataPath = serveData(bench, file);
  const shot = async (): Promise<number> => {
    row.lastMagenta = await withDeadline(screenshotMagenta(page), left());
    return row.lastMagenta;
  };
  const run = async (): Promise<void> => {
    await page.evaluate(
      (prev) =>
        (window as unknown as { __rerun: { viewer: { close(u: string): void } } }).__rerun.viewer.close(
          new URL(prev, location.href).href,
        ),
      previousUrl,
    );
    // The previous image must be off screen before the clock starts (else it would count as this one's).
    row.stage = "waiting for the previous image to leave the screen";
    for (let i = 0; (await shot()) > 0.02; i++) {
      if (i >= 20) throw new Error("the previous recording's image stayed on screen after close()");
      await delay(250);
    }
    const start = Date.now();
    await page.evaluate(
      ([url, last]) =>
        (window as unknown as { __rerun: { openTracked(u: string, l: number): number } }).__rerun.openTracked(
          url,
          last,
        ),
      [dataPath, frames - 1] as const,
    );
    // open() only queues the URL: an idle viewer (egui repaints on input or incoming data) would not pick it up
    // until something woke it, so move the mouse in the top-left corner until the recording is open, and
    // again whenever loading seems to stall for a second.
    let nudges = 0;
    const nudge = (): Promise<void> => page.mouse.move(3 + (++nudges % 2), 3);
    await nudge();
    let lastProgress = { maxTime: -1, at: Date.now() };
    let previous = 0;
    for (;;) {
      row.stage =
        row.firstImageMs === undefined
          ? row.loadedMs === undefined
            ? "waiting for the image and the last frame"
            : "waiting for the image"
          : "waiting for the last frame";
      if (row.firstImageMs === undefined) {
        const fraction = await shot();
        const now = Date.now() - start;
        if (fraction > 0.02) {
          row.firstImageMs = now;
          row.previousScreenshotMs = previous;
        } else previous = now;
      }
      const { tracked, error } = await withDeadline(rerunTracked(page), left());
      if (error) throw new Error(`rerun viewer failed: ${error}`);
      if (tracked) {
        if (tracked.rid === null) await nudge();
        else if ((tracked.maxTime ?? -1) !== lastProgress.maxTime)
          lastProgress = { maxTime: tracked.maxTime ?? -1, at: Date.now() };
        else if (tracked.loadedMs === null && Date.now() - lastProgress.at > 1000) {
          await nudge();
          lastProgress.at = Date.now();
        }
        row.maxFrameSeen = tracked.maxTime ?? undefined;
        if (tracked.recordingOpenMs !== null) row.recordingOpenMs = tracked.recordingOpenMs - tracked.openMs;
        if (tracked.loadedMs !== null) row.loadedMs = tracked.loadedMs - tracked.openMs;
      }
      if (row.firstImageMs !== undefined && row.loadedMs !== undefined) {
        if (frames > 1) {
          row.stage = "scrubbing";
          const times = sampledTimes(frames, RERUN_GROWTH_SCRUB_STEPS);
          row.scrub = await withDeadline(rerunScrub(page, tracked!.rid!, times), left());
        }
        row.stage = "measuring memory";
        row.memory = await withDeadline(measureMemory(bench, page), left());
        row.stage = "done";
        return;
      }
      if (left() <= 0) throw new Deadline("deadline");
      if (row.firstImageMs !== undefined) await delay(100);
    }
  };
  try {
    // The extra second lets the loop's own deadline checks report first.
    await withDeadline(run(), rowMs + 1000);
  } catch (error) {
    if (error instanceof Deadline) row.timedOutS = Math.round(rowMs / 1000);
    else row.error = (error as Error).message.split("\n")[0];
  } finally {
    bench.server.deleteFile(dataPath);
    row.wallMs = Date.now() - t0;
  }
  bench.log(
    `growth rerun ${label}: first image ${ms(row.firstImageMs)} ms, loaded ${ms(row.loadedMs)} ms, ` +
      `scrub ${row.scrub ? ms(row.scrub.perStep.median) : "–"} ms/step, row ${row.wallMs} ms` +
      (row.timedOutS
        ? `, timed out after ${row.timedOutS} s ${row.stage} (recording_open after ${ms(row.recordingOpenMs)} ms, ` +
          `frames 0–${row.maxFrameSeen ?? "?"} seen, last screenshot ${fmt((row.lastMagenta ?? 0) * 100, 1)} % magenta)`
        : "") +
      (row.error ? `, failed: ${row.error}` : ""),
  );
  return { row, url: dataPath };
}

/**
 * The growth recordings in one Rerun tab: start it on a 1-frame warm-up recording (a new WebViewer compiles every
 * shader, 40–120 s here), then close/open each recording in turn, smallest first (the one most likely to time out
 * last; the wasm heap never shrinks, so a larger earlier recording would inflate later memory figures).
 */
async function rerunGrowthScenario(
  bench: Bench,
  work: string,
  cases: readonly { label: string; file: string; frames: number }[],
): Promise<RerunGrowth> {
  const t0 = Date.now();
  const left = (): number => RERUN_GROWTH_BUDGET_MS - (Date.now() - t0);
  const order = [...cases].sort((a, b) => statSync(a.file).size - statSync(b.file).size);
  const result: RerunGrowth = {
    budgetS: RERUN_GROWTH_BUDGET_MS / 1000,
    rowDeadlineS: RERUN_GROWTH_ROW_MS / 1000,
    scrubSteps: RERUN_GROWTH_SCRUB_STEPS,
    warmupMs: undefined,
    warmupMemory: undefined,
    order: order.map((c) => c.label),
    rows: [],
    totalMs: 0,
    error: undefined,
  };
  const warmFile = join(work, "rerun-warmup.rrd");
  writeRrd(warmFile, "rgb8", 1, 128, 72);
  const page = await newPage(bench);
  try {
    let previousUrl = serveData(bench, warmFile);
    try {
      const start = Date.now();
      await withDeadline(
        (async () => {
          await page.goto(viewerUrl(bench, "rerun", previousUrl), {
            waitUntil: "commit",
            timeout: TIMEOUT_MS,
          });
          while ((await screenshotMagenta(page)) <= 0.02) await delay(200);
        })(),
        Math.min(RERUN_WARMUP_MS, left()),
      );
      result.warmupMs = Date.now() - start;
      result.warmupMemory = await withDeadline(measureMemory(bench, page), 30_000);
      bench.log(`growth rerun warm-up: ${result.warmupMs} ms`);
    } catch (error) {
      result.error =
        error instanceof Deadline
          ? `the Rerun tab did not show the warm-up recording within ${Math.round(Math.min(RERUN_WARMUP_MS, left()) / 1000)} s`
          : (error as Error).message.split("\n")[0];
      return result;
    } finally {
      bench.server.deleteFile(previousUrl);
    }
    for (const c of order) {
      const rowMs = Math.min(RERUN_GROWTH_ROW_MS, left());
      if (rowMs < 10_000) {
        result.rows.push({
          label: c.label,
          frames: c.frames,
          fileMb: statSync(c.file).size / 1e6,
          firstImageMs: undefined,
          previousScreenshotMs: undefined,
          loadedMs: undefined,
          maxFrameSeen: undefined,
          stage: "not run",
          lastMagenta: undefined,
          recordingOpenMs: undefined,
          scrub: undefined,
          memory: undefined,
          timedOutS: undefined,
          error: `not run: the ${RERUN_GROWTH_BUDGET_MS / 1000} s budget was used up`,
          wallMs: 0,
        });
        continue;
      }
      const { row, url } = await rerunGrowthRow(bench, page, c.label, c.file, c.frames, previousUrl, rowMs);
      result.rows.push(row);
      previousUrl = url;
    }
    return result;
  } finally {
    result.totalMs = Date.now() - t0;
    rmSync(warmFile, { force: true });
    // A page stuck in a long wasm call may not close promptly; do not let that hang the bench.
    await withDeadline(page.close(), 30_000).catch(() => undefined);
    await delay(500);
  }
}

export async function benchViewer(options: {
  quick: boolean;
  dir: string;
  log?: (line: string) => void;
  /** Run only the growth part (both viewers), e.g. from a driver; the other sections come back empty. */
  only?: "growth";
}): Promise<ViewerBenchResult> {
  const { quick } = options;
  const growthOnly = options.only === "growth";
  const log = options.log ?? ((line: string) => process.stderr.write(`[viewer-bench] ${line}\n`));
  mkdirSync(options.dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "iris-viewer-bench-"));
  const notes: string[] = [];
  try {
    // 1. bundle sizes
    const irisDir = await buildIrisCopy(join(work, "iris"));
    const iris = sizeOf(
      readdirSync(irisDir)
        .filter((f) => f.endsWith(".js") || f.endsWith(".html"))
        .sort()
        .map((f) => join(irisDir, f)),
    );
    const rerunDir = rerunPackageDir();
    const rerun = sizeOf(["index.js", "re_viewer.js", "re_viewer_bg.wasm"].map((f) => join(rerunDir, f)));
    log(`bundle: iris ${iris.gzipBytes} B gzip, rerun ${rerun.gzipBytes} B gzip`);

    // data
    const scrubFrames = quick ? 5 : 30;
    const files: Record<Kind, string> = {
      rgb8: join(work, "rgb8-1080p.rrd"),
      nv12: join(work, "nv12-1080p.rrd"),
      f32: join(work, "f32-1080p.rrd"),
    };
    const fileMb: Record<Kind, number> = { rgb8: 0, nv12: 0, f32: 0 };
    if (!growthOnly) {
      for (const kind of ["rgb8", "nv12", "f32"] as const)
        fileMb[kind] = writeRrd(files[kind], kind, scrubFrames, 1920, 1080) / 1e6;
      log(`wrote ${scrubFrames}-frame 1080p recordings`);
    }

    const server = await startStaticServer({
      roots: [
        { prefix: "/iris/", dir: irisDir },
        { prefix: "/pkg/", dir: rerunDir },
        { prefix: "/pages/", dir: join(here, "viewer-pages") },
      ],
    });
    const session = await launchChromium(VIEWPORT);
    await session.context.addInitScript({ content: probeScript });
    const chromium = session.context.browser()?.version() ?? "unknown";
    const bench: Bench = { session, server, log, runId: 0 };
    try {
      // 2. first image: cold (first load of each viewer in this fresh profile), then warm runs, alternating.
      const firstImage: FirstImageRun[] = [];
      const warmRuns = growthOnly ? { iris: -1, rerun: -1 } : { iris: 3, rerun: quick ? 0 : 1 };
      for (let run = 0; run <= Math.max(warmRuns.iris, warmRuns.rerun); run++) {
        for (const viewer of ["iris", "rerun"] as const) {
          if (run > warmRuns[viewer]) continue;
          const page = await newPage(bench);
          const dataPath = serveData(bench, files.rgb8);
          try {
            const result = await navigateToFirstImage(bench, page, viewer, dataPath);
            firstImage.push({ viewer, cold: run === 0, result });
            log(`first image ${viewer} ${run === 0 ? "cold" : "warm"}: ${result.screenshotMs} ms`);
          } finally {
            bench.server.deleteFile(dataPath);
            await page.close();
            await delay(500);
          }
        }
      }

      // 3 + 4. scrub and memory
      // Both viewers visit the same times; a Rerun frame costs seconds on SwiftShader, so the steps are sampled.
      const scrub: ScrubResult[] = [];
      const scrubTimes = sampledTimes(scrubFrames, quick ? 3 : 4);
      const kinds = quick ? (["rgb8"] as const) : (["rgb8", "nv12", "f32"] as const);
      for (const viewer of growthOnly ? [] : (["iris", "rerun"] as const)) {
        const shared: RerunShared | undefined =
          viewer === "rerun" ? { page: await newPage(bench), opened: 0, lastPath: "" } : undefined;
        try {
          for (const kind of kinds) {
            try {
              scrub.push(
                await scrubScenario(bench, viewer, kind, files[kind], scrubFrames, scrubTimes, shared),
              );
            } catch (error) {
              log(`scrub ${viewer} ${kind} failed: ${(error as Error).message}`);
              notes.push(
                `Scrubbing ${kind} in the ${viewer} viewer failed: ${(error as Error).message.split("\n")[0]}`,
              );
              if (shared) break;
            }
          }
        } finally {
          if (shared) {
            await shared.page.close();
            await delay(500);
          }
        }
      }
      for (const kind of ["rgb8", "nv12", "f32"] as const) rmSync(files[kind], { force: true });

      // 5. growth: Iris (a fresh tab per recording), then Rerun (one tab for all, see rerunGrowthScenario), in a
      // fresh browser: after the scrub and memory tabs above, SwiftShader's GPU process could no longer take
      // screenshots ("Unable to capture screenshot"), which the Rerun rows need.
      await bench.session.close();
      bench.session = await launchChromium(VIEWPORT);
      await bench.session.context.addInitScript({ content: probeScript });
      const growth: GrowthRow[] = [];
      const growthCases: { label: string; file: string; frames: number; w: number; h: number }[] = [];
      const base = quick ? 10 : 100;
      for (const [factor, label] of [
        [1, "1×"],
        [10, "10×"],
        [100, "100×"],
      ] as const) {
        const frames = base * factor;
        const file = join(work, `small-${frames}.rrd`);
        writeRrd(file, "rgb8", frames, 128, 72);
        growthCases.push({ label: `${frames} × 128×72 (${label})`, file, frames, w: 128, h: 72 });
      }
      for (const [w, h, label] of [
        [1920, 1080, "1 × 1080p"],
        [3840, 2160, "1 × 4K"],
      ] as const) {
        const file = join(work, `single-${w}x${h}.rrd`);
        writeRrd(file, "rgb8", 1, w, h);
        growthCases.push({ label, file, frames: 1, w, h });
      }
      for (const c of growthCases) await tryGrowth(bench, growth, notes, c.label, c.file, c.frames, c.w, c.h);
      const rerunGrowth = await rerunGrowthScenario(bench, work, growthCases);
      log(`growth rerun: ${rerunGrowth.totalMs} ms in all`);
      if (rerunGrowth.error) notes.push(`Rerun growth: ${rerunGrowth.error}`);
      for (const c of growthCases) rmSync(c.file, { force: true });

      return {
        quick,
        iris,
        rerun,
        firstImageFrames: scrubFrames,
        firstImageFileMb: fileMb.rgb8,
        firstImage,
        scrubTimes,
        scrub,
        growth,
        rerunGrowth,
        chromium,
        notes,
      };
    } finally {
      await bench.session.close();
      await server.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ---- markdown --------------------------------------------------------------------------------------------

const mb = (bytes: number): string => fmt(bytes / 1e6, bytes < 1e6 ? 3 : 1);
const ms = (n: number | undefined): string => (n === undefined ? "–" : fmt(n, 0));
const span = (s: Summary, digits = 0): string =>
  s.min === s.max
    ? fmt(s.median, digits)
    : `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
const fps = (p: ScrubPass): number => (p.steps / p.totalMs) * 1000;

/** The "Web viewer" section of BENCHMARKS.md. */
export function viewerBenchMarkdown(r: ViewerBenchResult): string {
  const out: string[] = [];
  out.push(`## Web viewer: Iris vs the Rerun web viewer (@rerun-io/web-viewer 0.33.0)

Both viewers run in the same headless Chromium ${r.chromium} session (one visible tab at a time, ${VIEWPORT.width}×${VIEWPORT.height}
viewport), served by the same local HTTP server, on the same .rrd files written by the Iris SDK. **WebGL is
SwiftShader (software rendering on the CPU)**, on a small shared VM: absolute numbers say little about a real
GPU; compare the ratios. The Rerun viewer is driven through its JS API (\`WebViewer.start(url)\`,
\`set_current_time\`, \`get_time_range\`), the Iris viewer through \`window.irisViewer\`. Recordings are served
with \`Cache-Control: no-store\`; the viewers' own files are cacheable.${r.quick ? " **--quick run: small counts.**" : ""}
`);

  // 1. bundle
  out.push(`### Download size

| viewer | files | raw MB | gzip MB |
|---|---|---|---|
| Iris (minified esbuild build) | ${r.iris.files.join(" + ")} | ${mb(r.iris.rawBytes)} | ${mb(r.iris.gzipBytes)} |
| Rerun web viewer | ${r.rerun.files.join(" + ")} | ${mb(r.rerun.rawBytes)} | ${mb(r.rerun.gzipBytes)} |

The Rerun viewer's download is **${fmt(r.rerun.gzipBytes / r.iris.gzipBytes, 0)}×** Iris's gzip size
(${fmt(r.rerun.rawBytes / r.iris.rawBytes, 0)}× raw). gzip = node:zlib at its default level 6; source maps excluded.
`);

  // 2. first image
  const fi = (viewer: Viewer, cold: boolean): FirstImageRun[] =>
    r.firstImage.filter((x) => x.viewer === viewer && x.cold === cold);
  const row = (viewer: Viewer, cold: boolean): string => {
    const runs = fi(viewer, cold);
    if (runs.length === 0)
      return `| ${viewer === "iris" ? "Iris" : "Rerun"} | ${cold ? "cold" : "warm"} | 0 | not measured | – | – |`;
    const shot = summarize(runs.map((x) => x.result.screenshotMs));
    const prev = summarize(runs.map((x) => x.result.previousScreenshotMs));
    const inPage = runs.every((x) => x.result.inPageMs !== undefined)
      ? span(summarize(runs.map((x) => x.result.inPageMs!)))
      : "–";
    return `| ${viewer === "iris" ? "Iris" : "Rerun"} | ${cold ? "cold" : "warm"} | ${runs.length} | ${span(shot)} | ${span(prev)} | ${inPage} |`;
  };
  const ratio = (cold: boolean): string => {
    const a = fi("iris", cold);
    const b = fi("rerun", cold);
    if (a.length === 0 || b.length === 0) return "not measured";
    const med = (x: FirstImageRun[]): number => summarize(x.map((y) => y.result.screenshotMs)).median;
    return `${fmt(med(b) / med(a), 1)}×`;
  };
  out.push(`### Time from navigation to the first image

${r.firstImageFrames} frames of 1920×1080 RGB8 (${fmt(r.firstImageFileMb, 0)} MB .rrd), opened by URL at page start
(Iris \`?url=\`, Rerun \`WebViewer.start(url)\` in bench/viewer-pages/rerun.html). Measured from \`page.goto\` in Node to the
end of the first full-page screenshot in which > 2 % of the pixels have the image's magenta colours; screenshots are
taken back to back, so the true moment lies between the previous screenshot and this one (both columns given).
*Cold* = first load of that viewer in the fresh browser profile (the Rerun viewer downloads and compiles its 47 MB wasm
and compiles its shaders); *warm* = later loads in new tabs (HTTP cache, Chromium's wasm code cache). In-page
column: ms since navigation start until Iris's \`drawnImages.length > 0\` (rAF polling) / the Rerun viewer's
\`recording_open\` event (its data has started to arrive; the image comes later). Median (min–max).

| viewer | run | n | first screenshot with the image, ms | previous screenshot, ms | in-page, ms |
|---|---|---|---|---|---|
${row("iris", true)}
${row("rerun", true)}
${row("iris", false)}
${row("rerun", false)}

Rerun / Iris time to first image: cold ${ratio(true)}, warm ${ratio(false)}.
`);

  // 3. scrub
  const scrubRows = r.scrub.map(
    (x) =>
      `| ${x.kind.toUpperCase()} (${x.frames} frames, ${fmt(x.fileMb, 0)} MB) | ${x.viewer === "iris" ? "Iris" : "Rerun"} | ${x.pass1.steps} | ` +
      `${span(x.pass1.perStep)} | ${fmt(fps(x.pass1), 2)} | ${span(x.pass2.perStep)} | ${fmt(fps(x.pass2), 2)} | ${x.pass1.missed + x.pass2.missed} |`,
  );
  const scrubRatios = (["rgb8", "nv12", "f32"] as const)
    .map((kind) => {
      const a = r.scrub.find((x) => x.kind === kind && x.viewer === "iris");
      const b = r.scrub.find((x) => x.kind === kind && x.viewer === "rerun");
      if (!a || !b) return undefined;
      return `${kind.toUpperCase()} ${fmt(fps(a.pass1) / fps(b.pass1), 1)}× (first visit) / ${fmt(fps(a.pass2) / fps(b.pass2), 1)}× (second)`;
    })
    .filter((x) => x !== undefined);
  out.push(`### Scrubbing 1920×1080 timelines

Each viewer loads the recording completely, then the time cursor visits frames ${r.scrubTimes.join(", ")} of the
\`frame\` timeline twice (pass 1 = first visit, textures uploaded; pass 2 = again). One step = set the time (Iris
\`irisViewer.time.setTime(BigInt(t))\`; Rerun \`set_current_time(recording_id, "frame", t)\`, then wait until the viewer
reports that time via its \`time_update\` event or \`get_current_time\`), then two \`requestAnimationFrame\`s, timed in
the page. Steps are sampled because one Rerun frame takes seconds on SwiftShader. "missed" = steps the viewer did
not acknowledge (or, for Iris, drew nothing). ms per step: median (min–max); fps = steps / total time.

| recording | viewer | steps | pass 1 ms/step | pass 1 fps | pass 2 ms/step | pass 2 fps | missed |
|---|---|---|---|---|---|---|---|
${scrubRows.join("\n")}

Iris / Rerun scrub fps: ${scrubRatios.length ? scrubRatios.join("; ") : "not measured"}.
`);

  // 4. memory
  const memRows = r.scrub.map(
    (x) =>
      `| ${x.kind.toUpperCase()} (${fmt(x.fileMb, 0)} MB) | ${x.viewer === "iris" ? "Iris" : "Rerun"} | ${fmt(x.memory.rendererRssMb, 0)} | ` +
      `${fmt(x.memory.gpuRssMb, 0)} | ${fmt(x.memory.jsHeapMb, 0)} | ${fmt(x.memory.wasmMb, 0)} |`,
  );
  out.push(`### Memory with the recording loaded

Taken right after the two scrub passes above (whole recording loaded, the visited frames shown), after a forced GC.
Renderer RSS = VmRSS of the largest renderer process (the viewer's tab; the previous tab was closed); GPU RSS = VmRSS
of Chromium's GPU process, which under SwiftShader holds the textures in CPU memory and is shared by all tabs;
JS heap = V8 \`JSHeapUsedSize\` (CDP Performance.getMetrics; ArrayBuffer contents such as Iris's stored pixels are
outside it, so renderer RSS is the figure to compare); wasm = size of the WebAssembly linear memories the page
instantiated (the Rerun viewer's heap; it only grows). All in MiB. The Iris rows each come from a fresh tab; the Rerun
rows come from one tab that opened the recordings one after another, closing the previous one (a new WebViewer
recompiles every shader, minutes on SwiftShader), so its later rows include whatever the earlier ones left behind.

| recording | viewer | renderer RSS | GPU process RSS | JS heap | wasm memory |
|---|---|---|---|---|---|
${memRows.join("\n")}
`);

  // 5. growth
  const irisBase = r.growth[0];
  const rg = r.rerunGrowth;
  const rerunBase = rg.rows.find((x) => x.label === irisBase?.label);
  const memCols = (m: MemorySample | undefined): string =>
    m ? `${fmt(m.jsHeapMb, 0)} | ${fmt(m.wasmMb, 0)} | ${fmt(m.rendererRssMb, 0)}` : "– | – | –";
  const scrubCell = (s: ScrubPass | undefined, frames: number, why = "–"): string =>
    s
      ? `${span(s.perStep, 1)} (${s.steps} steps${s.missed ? `, ${s.missed} missed` : ""})`
      : frames > 1
        ? why
        : "– (one frame)";
  const irisRow = (g: GrowthRow): string =>
    `| ${g.label} | ${fmt(g.fileMb, 1)} | Iris | ${ms(g.firstImageMs)} | ${ms(g.loadedMs)} | ` +
    `${irisBase && g.frames > 1 ? `${fmt(g.loadedMs / irisBase.loadedMs, 1)}×` : "–"} | ` +
    `${scrubCell(g.scrub, g.frames)} | ${memCols(g.memory)} |`;
  const rerunRow = (x: RerunGrowthRow): string => {
    const stopped = x.timedOutS
      ? `timed out after ${x.timedOutS} s`
      : x.error
        ? x.error.startsWith("not run")
          ? x.error
          : `failed: ${x.error}`
        : "–";
    const first =
      x.firstImageMs !== undefined ? `${ms(x.previousScreenshotMs)}–${ms(x.firstImageMs)}` : stopped;
    const loaded =
      x.loadedMs !== undefined
        ? ms(x.loadedMs)
        : `${stopped}${x.maxFrameSeen !== undefined && x.frames > 1 ? ` (had frames 0–${x.maxFrameSeen} of 0–${x.frames - 1})` : ""}`;
    const vsBase =
      rerunBase?.loadedMs !== undefined && x.loadedMs !== undefined && x.frames > 1
        ? `${fmt(x.loadedMs / rerunBase.loadedMs, 1)}×`
        : "–";
    return (
      `| ${x.label} | ${fmt(x.fileMb, 1)} | Rerun | ${first} | ${loaded} | ${vsBase} | ` +
      `${scrubCell(x.scrub, x.frames, x.loadedMs === undefined ? "not run" : stopped)} | ${memCols(x.memory)} |`
    );
  };
  const growthRows = r.growth.flatMap((g) => {
    const x = rg.rows.find((y) => y.label === g.label);
    return x ? [irisRow(g), rerunRow(x)] : [irisRow(g)];
  });
  const over = (a: number | undefined, b: number | undefined, digits = 1): string =>
    a !== undefined && b !== undefined && b > 0 ? `${fmt(a / b, digits)}×` : "–";
  const ratioRows = r.growth.flatMap((g) => {
    const x = rg.rows.find((y) => y.label === g.label);
    if (!x) return [];
    return [
      `| ${g.label} | ${over(x.firstImageMs, g.firstImageMs)} | ${over(x.loadedMs, g.loadedMs)} | ` +
        `${over(x.scrub?.perStep.median, g.scrub?.perStep.median, 0)} | ${over(x.memory?.rendererRssMb, g.memory.rendererRssMb)} |`,
    ];
  });
  const warm = rg.warmupMemory;
  out.push(`### Cost growth with more frames and with 4K

Small frames (128×72 RGB8, the magenta-range frames used above) at 1×, 10× and 100× the frame count, plus a single
1080p and a single 3840×2160 RGB8 frame; each file is opened by both viewers in the same run.

*Iris*: a fresh tab per recording, opened with \`?url=\`. First image / loaded = ms since navigation start (in-page,
rAF polling) until \`drawnImages.length > 0\` / every recording \`done\`; scrub = ms per step over at most 100 evenly
spaced times, one pass (same step as above).

*Rerun*: one tab for all recordings, as for the Rerun rows of the scrub section: a new \`WebViewer\` recompiles every
shader on SwiftShader, so the tab is started once on a 1-frame 128×72 warm-up recording (on screen after
${rg.warmupMs !== undefined ? `${fmt(rg.warmupMs / 1000, 0)} s` : "– (failed)"}), and each growth recording is then opened with \`open(url)\` after \`close()\`-ing the previous
one and waiting until its image has left the screen; \`open()\` only queues the URL, so the mouse is then moved in the
viewer's top-left corner until the recording opens (an idle Rerun viewer does not repaint, so would not pick it up),
and again if loading stalls for a second. Times count from the \`open()\` call, so they leave out the
viewer's start, while Iris's include navigation and loading its bundle: the ratios below favour Rerun. First image =
from \`open()\` to the end of the first screenshot with > 2 % magenta pixels, given as *previous screenshot–that
screenshot* (the image appeared in between; a screenshot of a busy SwiftShader page takes seconds, so the first one
after \`open()\` often shows the image already and the lower bound is 0; loaded can then come before it). Loaded = in-page,
from \`open()\` until \`get_time_range(rid, "frame").max\` reached the last frame (setTimeout polling every 20 ms).
Scrub = ${rg.scrubSteps} evenly spaced times, one pass, same step as in the scrub section. Memory is taken after the
scrub, after a forced GC, as in the memory section. The Rerun rows ran in order of file size (${rg.order.join(", ")}):
the recording most likely to time out comes last, and as the wasm heap never shrinks, a row's memory includes at
most the peak of the smaller recordings before it${warm ? ` (after the warm-up: renderer RSS ${fmt(warm.rendererRssMb, 0)} MB, wasm ${fmt(warm.wasmMb, 0)} MiB)` : ""}.
Each Rerun row has a ${rg.rowDeadlineS} s deadline and the whole Rerun part a ${rg.budgetS} s budget; a row that
hits it is reported as timed out with how far the load got. This run's Rerun part took ${fmt(rg.totalMs / 1000, 0)} s in all.

| recording | file MB | viewer | first image ms | loaded ms | loaded vs 1× | scrub ms/step | JS heap MiB | wasm MiB | renderer RSS MB |
|---|---|---|---|---|---|---|---|---|---|
${growthRows.join("\n")}

Rerun / Iris (first image: the Rerun screenshot, an upper bound, against Iris's in-page time):

| recording | first image | loaded | scrub ms/step | renderer RSS |
|---|---|---|---|---|
${ratioRows.join("\n")}
`);
  if (r.notes.length) out.push(`Problems in this run:\n\n${r.notes.map((n) => `- ${n}`).join("\n")}\n`);
  return out.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes("--quick");
  const result = await benchViewer({ quick, dir: join(here, "out") });
  writeFileSync(
    join(here, "out", `viewer-bench${quick ? "-quick" : ""}.json`),
    JSON.stringify(result, null, 1),
  );
  process.stdout.write(viewerBenchMarkdown(result));
}
