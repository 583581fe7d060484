// Benchmark: the viewer's gRPC-web ReadMessages reader. `iris serve` (a separate process) holds N frames of
// 1920×1080 RGB8 sent uncompressed (6.2 MB each) in its history; each run opens ReadMessages over gRPC-web
// (HTTP/1.1, Node's fetch, as the viewer does in the browser) and takes the time and this process's CPU time until
// the N-th frame's ReadMessagesResponse is decoded. Readers: connect-web's gRPC-web transport (what the viewer
// used) against the viewer's own `readMessages` (GrpcFrameDecoder, one copy per message), interleaved.
// `npx tsx bench/web-reader.ts [--quick]` prints the markdown section; bench/run.ts appends it to BENCHMARKS.md.
import { fileURLToPath } from "node:url";
import { createClient } from "@connectrpc/connect";
import { createEnvelopeReadableStream } from "@connectrpc/connect/protocol";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { type GrpcFrame, GrpcFrameDecoder, logMsgPb, sdkCommsPb } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import { readMessages } from "../packages/viewer/src/grpc-web-read-messages.ts";
import { HEIGHT, WIDTH, makeFrames } from "./log-to-file.ts";
import { startServe } from "./serve-process.ts";
import { describeLoad } from "./machine.ts";
import {
  type Summary,
  type Timing,
  fmt,
  interleaveAsync,
  pairedRatio,
  range,
  summarizeTimings,
} from "./stats.ts";

/** A fixed port (set IRIS_BENCH_WEB_READER_PORT if it is taken). */
const SERVE_PORT = Number(process.env["IRIS_BENCH_WEB_READER_PORT"] ?? 47820);

export interface WebReaderResult {
  frames: number;
  frameBytes: number;
  repeats: number;
  connectWeb: Timing[];
  own: Timing[];
  /** Per-round CPU and wall ratios connect-web / own. */
  cpuRatio: Summary;
  wallRatio: Summary;
  loadBefore: string;
  loadAfter: string;
}

/** Fills the proxy's history with `frames` uncompressed frames of one recording. */
async function produce(proxyUrl: string, frames: number): Promise<void> {
  const pool = makeFrames();
  const rec = new RecordingStream({ applicationId: "bench_web_reader", batcher: { flushIntervalMs: 0 } });
  const sink = connect(proxyUrl, rec, { compression: "none", flushOnExit: false });
  for (let i = 0; i < frames; i++) {
    rec.setTimeSequence("frame", i);
    rec.log(
      "camera/image",
      new Image(pool[i % pool.length]!, { width: WIDTH, height: HEIGHT, colorModel: "RGB" }),
    );
  }
  rec.flush();
  await sink.flushed(120_000);
  await sink.closed();
}

/** True for a response carrying one of the frames (an ArrowMsg larger than a frame's pixels). */
function isFrame(response: sdkCommsPb.ReadMessagesResponse): boolean {
  const msg = response.logMsg?.msg;
  return msg?.case === "arrowMsg" && msg.value.payload.length >= WIDTH * HEIGHT * 3;
}

/** Reads until the `frames`-th frame with connect-web's gRPC-web transport (over globalThis.fetch). */
async function connectWebRun(baseUrl: string, frames: number): Promise<void> {
  const client = createClient(sdkCommsPb.MessageProxyService, createGrpcWebTransport({ baseUrl }));
  const abort = new AbortController();
  let received = 0;
  // Leaves the loop at the last frame (aborting inside it would leave the pending read of Node's fetch waiting).
  for await (const response of client.readMessages({}, { signal: abort.signal })) {
    if (isFrame(response) && ++received === frames) break;
  }
  abort.abort();
  if (received !== frames) throw new Error(`connect-web: ${received} of ${frames} frames`);
}

/** Reads until the `frames`-th frame with the viewer's readMessages. */
async function ownRun(baseUrl: string, frames: number): Promise<void> {
  const abort = new AbortController();
  let received = 0;
  try {
    await readMessages(
      baseUrl,
      (response) => {
        if (isFrame(response) && ++received === frames) abort.abort();
      },
      { signal: abort.signal },
    );
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  }
  if (received !== frames) throw new Error(`readMessages: ${received} of ${frames} frames`);
}

async function timed(run: () => Promise<void>): Promise<Timing> {
  // Garbage left by the previous run is collected before the clock starts (when --expose-gc is on).
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** The result of interleaved runs of both readers (the load is read again now, at their end). */
function webReaderResult(
  options: { frames: number; repeats: number },
  runs: { connectWeb: Timing[]; own: Timing[] },
  loadBefore: string,
): WebReaderResult {
  return {
    frames: options.frames,
    frameBytes: WIDTH * HEIGHT * 3,
    repeats: options.repeats,
    connectWeb: runs.connectWeb,
    own: runs.own,
    cpuRatio: pairedRatio(runs.connectWeb, runs.own, "cpuMs"),
    wallRatio: pairedRatio(runs.connectWeb, runs.own, "wallMs"),
    loadBefore,
    loadAfter: describeLoad(),
  };
}

export async function benchWebReader(options: { frames: number; repeats: number }): Promise<WebReaderResult> {
  const serve = await startServe(SERVE_PORT, ["--viewer-queue", "4GiB"]);
  try {
    await produce(serve.proxyUrl, options.frames);
    const loadBefore = describeLoad();
    const runs = await interleaveAsync(
      {
        connectWeb: () => timed(() => connectWebRun(serve.baseUrl, options.frames)),
        own: () => timed(() => ownRun(serve.baseUrl, options.frames)),
      },
      options.repeats,
    );
    return webReaderResult(options, runs, loadBefore);
  } finally {
    serve.child.kill("SIGTERM");
  }
}

function readerRows(r: WebReaderResult, cpuName: string): string {
  const cw = summarizeTimings(r.connectWeb);
  const own = summarizeTimings(r.own);
  return `| reader | wall ms | ${cpuName} ms | ${cpuName} ms / frame |
|---|---|---|---|
| connect-web gRPC-web transport (the viewer's reader before) | ${range(cw.wall)} | ${range(cw.cpu)} | ${fmt(cw.cpu.median / r.frames, 1)} |
| \`readMessages\` (packages/viewer, GrpcFrameDecoder) | ${range(own.wall)} | ${range(own.cpu)} | ${fmt(own.cpu.median / r.frames, 1)} |

connect-web / readMessages, run by run: ${cpuName} **${fmt(r.cpuRatio.median)}×** (${fmt(r.cpuRatio.min)}–${fmt(r.cpuRatio.max)}),
wall ${fmt(r.wallRatio.median)}× (${fmt(r.wallRatio.min)}–${fmt(r.wallRatio.max)}). Before: ${r.loadBefore}; after: ${r.loadAfter}.
`;
}

export function webReaderMarkdown(
  node: WebReaderResult,
  chromium: WebReaderResult,
  layers: Awaited<ReturnType<typeof benchReaderLayers>>,
): string {
  const lc = summarizeTimings(layers.connectWeb).cpu;
  const lo = summarizeTimings(layers.own).cpu;
  const mb = (node.frames * node.frameBytes) / 1e6;
  return `## Viewer live reader: ${node.frames} frames of 1920×1080 RGB8 over gRPC-web

\`iris serve\` (a separate process) holds ${node.frames} uncompressed frames (${fmt(mb, 0)} MB of pixels) in its
history; each run reads them with gRPC-web \`ReadMessages\` over HTTP/1.1 until the last frame's
\`ReadMessagesResponse\` is decoded. Median of ${node.repeats} interleaved runs after a warm-up, min–max.

Node's fetch (CPU = user + system of the reading process; the server's is not counted):

${readerRows(node, "CPU")}
Headless Chromium (the viewer's page; "main" = the renderer main thread's busy time, DevTools TaskDuration):

${readerRows(chromium, "main")}
The layers that differ, alone (in memory, no fetch: the same ${node.frames} frames cut into 64 KiB chunks, then
connect's envelope stream, as in connect-web, or GrpcFrameDecoder; fromBinary on each message), CPU ms:
connect-web ${range(lc)} (${fmt(lc.median / node.frames, 1)} / frame), readMessages ${range(lo)}
(${fmt(lo.median / node.frames, 1)} / frame), ratio **${fmt(layers.cpuRatio.median)}×**
(${fmt(layers.cpuRatio.min)}–${fmt(layers.cpuRatio.max)}). Both readers spend most of their time in fetch's
delivery of the body, so the saving there is within the noise of the end-to-end runs above.
`;
}

/**
 * The layers that differ, without fetch: `frames` gRPC frames of one 1080p RGB8 ArrowMsg, cut into `chunkBytes`
 * chunks beforehand, through connect's envelope stream (what connect-web's transport reads the body with) or
 * GrpcFrameDecoder, each message then decoded with fromBinary.
 */
export async function benchReaderLayers(options: {
  frames: number;
  repeats: number;
  chunkBytes: number;
}): Promise<{ connectWeb: Timing[]; own: Timing[]; cpuRatio: Summary }> {
  const payload = makeFrames(1)[0]!;
  const message = toBinary(
    sdkCommsPb.ReadMessagesResponseSchema,
    create(sdkCommsPb.ReadMessagesResponseSchema, {
      logMsg: { msg: { case: "arrowMsg", value: create(logMsgPb.ArrowMsgSchema, { payload }) } },
    }),
  );
  const frame = new Uint8Array(5 + message.length);
  new DataView(frame.buffer).setUint32(1, message.length);
  frame.set(message, 5);
  const chunks = (): Uint8Array[] => {
    const out: Uint8Array[] = [];
    for (let f = 0; f < options.frames; f++) {
      for (let at = 0; at < frame.length; at += options.chunkBytes)
        out.push(frame.slice(at, at + options.chunkBytes));
    }
    return out;
  };
  const check = (n: number): void => {
    if (n !== options.frames) throw new Error(`reader layers: ${n} of ${options.frames} messages`);
  };
  const connectWeb = async (cs: Uint8Array[]): Promise<void> => {
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull: (c) => (i < cs.length ? c.enqueue(cs[i++]!) : c.close()),
    });
    const reader = createEnvelopeReadableStream(body).getReader();
    let n = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      fromBinary(sdkCommsPb.ReadMessagesResponseSchema, r.value.data);
      n++;
    }
    check(n);
  };
  const own = async (cs: Uint8Array[]): Promise<void> => {
    const decoder = new GrpcFrameDecoder(2 ** 30, () => new Error("too large"));
    const out: GrpcFrame[] = [];
    let n = 0;
    for (const c of cs) {
      decoder.push(c, out);
      for (const f of out) {
        fromBinary(sdkCommsPb.ReadMessagesResponseSchema, f.bytes);
        n++;
      }
      out.length = 0;
    }
    check(n);
  };
  const runs = await interleaveAsync(
    {
      connectWeb: async () => {
        const cs = chunks();
        return timed(() => connectWeb(cs));
      },
      own: async () => {
        const cs = chunks();
        return timed(() => own(cs));
      },
    },
    options.repeats,
  );
  return { ...runs, cpuRatio: pairedRatio(runs.connectWeb, runs.own, "cpuMs") };
}

/** In the page: connect-web's transport and readMessages, each reading until the `frames`-th frame. */
const PAGE_READERS = `
import { createClient } from "@connectrpc/connect";
import { createEnvelopeReadableStream } from "@connectrpc/connect/protocol";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { type GrpcFrame, GrpcFrameDecoder, logMsgPb, sdkCommsPb } from "@iris/rrd";
import { readMessages } from "./packages/viewer/src/grpc-web-read-messages.ts";
const isFrame = (r) => r.logMsg?.msg.case === "arrowMsg" && r.logMsg.msg.value.payload.length >= ${WIDTH * HEIGHT * 3};
globalThis.benchReaders = {
  async connectWeb(baseUrl, frames) {
    const client = createClient(sdkCommsPb.MessageProxyService, createGrpcWebTransport({ baseUrl }));
    const abort = new AbortController();
    let received = 0;
    for await (const r of client.readMessages({}, { signal: abort.signal })) if (isFrame(r) && ++received === frames) break;
    abort.abort();
    return received;
  },
  async own(baseUrl, frames) {
    const abort = new AbortController();
    let received = 0;
    await readMessages(baseUrl, (r) => { if (isFrame(r) && ++received === frames) abort.abort(); }, { signal: abort.signal })
      .catch((e) => { if (!abort.signal.aborted) throw e; });
    return received;
  },
};
`;

/**
 * The same comparison in headless Chromium (the viewer's real environment): wall time in the page, and the
 * renderer main thread's busy time (DevTools `Performance.getMetrics` TaskDuration) in place of CPU time.
 */
export async function benchWebReaderChromium(options: {
  frames: number;
  repeats: number;
}): Promise<WebReaderResult> {
  const { build } = await import("esbuild");
  const { launchChromium } = await import("../tests/browser/chromium.ts");
  const repoRoot = fileURLToPath(new URL("..", import.meta.url));
  const bundle = await build({
    stdin: { contents: PAGE_READERS, resolveDir: repoRoot, loader: "ts" },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  const serve = await startServe(SERVE_PORT, ["--viewer-queue", "4GiB"]);
  const browser = await launchChromium();
  try {
    await produce(serve.proxyUrl, options.frames);
    const { page } = await browser.newPage();
    await page.goto(`${serve.baseUrl}/bench-page`); // same origin as the proxy; the 404 page is enough
    await page.addScriptTag({ content: script, type: "module" });
    await page.waitForFunction(() => "benchReaders" in globalThis);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const taskSeconds = async (): Promise<number> => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      return metrics.find((m) => m.name === "TaskDuration")?.value ?? NaN;
    };
    const pageRun = (reader: "connectWeb" | "own") => async (): Promise<Timing> => {
      await cdp.send("HeapProfiler.collectGarbage");
      const task = await taskSeconds();
      const { wallMs, received } = await page.evaluate(
        async ({ reader, baseUrl, frames }) => {
          const readers = (
            globalThis as unknown as {
              benchReaders: Record<string, (url: string, n: number) => Promise<number>>;
            }
          ).benchReaders;
          const start = performance.now();
          const received = await readers[reader]!(baseUrl, frames);
          return { wallMs: performance.now() - start, received };
        },
        { reader, baseUrl: serve.baseUrl, frames: options.frames },
      );
      const cpuMs = ((await taskSeconds()) - task) * 1000;
      if (received !== options.frames) throw new Error(`${reader}: ${received} of ${options.frames} frames`);
      return { wallMs, cpuMs };
    };
    const loadBefore = describeLoad();
    const runs = await interleaveAsync(
      { connectWeb: pageRun("connectWeb"), own: pageRun("own") },
      options.repeats,
    );
    return webReaderResult(options, runs, loadBefore);
  } finally {
    await browser.close();
    serve.child.kill("SIGTERM");
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const repeats = process.argv.includes("--quick") ? 5 : 7;
  const node = await benchWebReader({ frames: 30, repeats });
  const chromium = await benchWebReaderChromium({ frames: 30, repeats });
  const layers = await benchReaderLayers({ frames: 30, repeats, chunkBytes: 64 * 1024 });
  process.stdout.write(webReaderMarkdown(node, chromium, layers));
}
