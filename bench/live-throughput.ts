// Benchmark: sustained live throughput of 1920×1080 RGB8 frames from a Node producer (`connect()`), through
// `iris serve` (a separate process, as in real use), to a connected gRPC ReadMessages reader; against the same
// pixel bytes sent through one bare loopback TCP socket in the same run.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, connect as tcpConnect, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Image, RecordingStream } from "@iris/sdk";
import { connect, readMessages } from "@iris/sdk/node";
import { HEIGHT, WIDTH, makeFrames } from "./log-to-file.ts";
import { type Summary, fmt, summarize } from "./stats.ts";

const irisBin = join(fileURLToPath(new URL("..", import.meta.url)), "packages/cli/bin/iris.js");

export interface LiveThroughputResult {
  frames: number;
  frameBytes: number;
  tcp: Summary;
  none: Summary;
  lz4: Summary;
  /** Per-round throughput ratios to the bare TCP run of the same round. */
  noneRatio: Summary;
  lz4Ratio: Summary;
}

/** Fixed ports, so that runs are comparable (set IRIS_BENCH_PORT if they are taken): serve, then bare TCP. */
const SERVE_PORT = Number(process.env["IRIS_BENCH_PORT"] ?? 47810);
const TCP_PORT = SERVE_PORT + 1;

async function startServe(): Promise<{ child: ChildProcess; proxyUrl: string; baseUrl: string }> {
  const child = spawn(
    process.execPath,
    // The reader's queue holds a whole burst: a dropped frame would leave the run waiting for it.
    [
      irisBin,
      "serve",
      "--port",
      String(SERVE_PORT),
      "--no-viewer",
      "--memory-limit",
      "512MiB",
      "--viewer-queue",
      "4GiB",
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let out = "";
  child.stdout!.on("data", (d: Uint8Array) => (out += new TextDecoder().decode(d)));
  for (let i = 0; i < 1200 && !out.includes("Ctrl-C"); i++) await new Promise((r) => setTimeout(r, 50));
  const proxyUrl = /Iris proxy: (\S+)/.exec(out)?.[1];
  if (!proxyUrl) throw new Error(`iris serve did not start: ${out}`);
  return { child, proxyUrl, baseUrl: proxyUrl.replace(/^rerun\+/, "").replace(/\/proxy$/, "") };
}

/** Milliseconds from the first `log` until the reader has received all `frames` ArrowMsgs. */
async function irisRun(
  proxyUrl: string,
  pool: readonly Uint8Array[],
  frames: number,
  compression: "none" | "lz4",
): Promise<number> {
  const abort = new AbortController();
  const applicationId = `bench_live_${compression}_${Math.random().toString(36).slice(2)}`;
  let received = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((r) => (connected = r));
  const reading = (async () => {
    const messages = readMessages(proxyUrl, { signal: abort.signal });
    connected();
    for await (const msg of messages) {
      if (msg.kind === "arrowMsg" && msg.storeId.applicationId === applicationId) {
        if (++received === frames) resolveDone();
      }
    }
  })();
  await ready;
  await new Promise((r) => setTimeout(r, 200)); // the ReadMessages call is registered on the server
  const rec = new RecordingStream({ applicationId, batcher: { flushIntervalMs: 0 } });
  const sink = connect(proxyUrl, rec, { compression, flushOnExit: false });
  const start = performance.now();
  for (let i = 0; i < frames; i++) {
    rec.setTimeSequence("frame", i);
    rec.log(
      "camera/image",
      new Image(pool[i % pool.length]!, { width: WIDTH, height: HEIGHT, colorModel: "RGB" }),
    );
    rec.flush();
    // Give the pump a turn now and then, as a real producer loop (camera callback) would, and hold back while
    // more than 128 MiB await acknowledgement (waiting for all of it, `flushed()`, would drain the pipeline).
    if (sink.stats.queuedBytes > 128 * 1024 ** 2) await sink.queueBelow(128 * 1024 ** 2);
    else await new Promise((r) => setImmediate(r));
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new Error(`live bench: the reader got ${received} of ${frames} frames within 300 s`)),
      300_000,
    );
  });
  await Promise.race([done, deadline]).finally(() => clearTimeout(timer));
  const ms = performance.now() - start;
  abort.abort();
  await reading;
  await sink.closed();
  return ms;
}

async function tcpRun(pool: readonly Uint8Array[], frames: number): Promise<number> {
  const total = frames * pool[0]!.length;
  let server: Server | undefined;
  let got = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  server = createServer((socket) =>
    socket.on("data", (d: Uint8Array) => {
      got += d.length;
      if (got >= total) resolveDone();
    }),
  );
  await new Promise<void>((r) => server!.listen(TCP_PORT, "127.0.0.1", () => r()));
  const socket = tcpConnect(TCP_PORT, "127.0.0.1");
  await new Promise<void>((r) => socket.once("connect", () => r()));
  const start = performance.now();
  for (let i = 0; i < frames; i++) {
    if (!socket.write(pool[i % pool.length]!)) await new Promise((r) => socket.once("drain", r));
  }
  await done;
  const ms = performance.now() - start;
  socket.destroy();
  await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
  return ms;
}

export async function benchLiveThroughput(options: {
  frames: number;
  repeats: number;
}): Promise<LiveThroughputResult> {
  const pool = makeFrames();
  const serve = await startServe();
  const tcp: number[] = [];
  const none: number[] = [];
  const lz4: number[] = [];
  try {
    // Warm-up (JIT, connections), then rounds in a rotating order.
    await tcpRun(pool, Math.min(10, options.frames));
    await irisRun(serve.proxyUrl, pool, Math.min(10, options.frames), "none");
    const variants = [
      async () => tcp.push(await tcpRun(pool, options.frames)),
      async () => none.push(await irisRun(serve.proxyUrl, pool, options.frames, "none")),
      async () => lz4.push(await irisRun(serve.proxyUrl, pool, options.frames, "lz4")),
    ];
    for (let r = 0; r < options.repeats; r++) {
      for (let k = 0; k < variants.length; k++) await variants[(r + k) % variants.length]!();
    }
  } finally {
    serve.child.kill("SIGTERM");
  }
  return {
    frames: options.frames,
    frameBytes: pool[0]!.length,
    tcp: summarize(tcp),
    none: summarize(none),
    lz4: summarize(lz4),
    noneRatio: summarize(none.map((ms, i) => tcp[i]! / ms)),
    lz4Ratio: summarize(lz4.map((ms, i) => tcp[i]! / ms)),
  };
}

export function liveThroughputMarkdown(r: LiveThroughputResult, repeats: number): string {
  const mb = (r.frames * r.frameBytes) / 1e6;
  const row = (name: string, s: Summary, ratio?: Summary): string =>
    `| ${name} | ${fmt(s.median, 0)} (${fmt(s.min, 0)}–${fmt(s.max, 0)}) | ${fmt(r.frames / (s.median / 1000), 1)} | ` +
    `${fmt(mb / (s.median / 1000), 0)} | ${ratio ? `${fmt(ratio.median)} (${fmt(ratio.min)}–${fmt(ratio.max)})` : "1.00"} |`;
  return `## Live streaming: ${r.frames} frames of 1920×1080 RGB8 producer → \`iris serve\` → reader

A Node producer logs each frame with \`rec.log\` + \`rec.flush()\` into \`connect()\` (gRPC \`WriteMessages\` over h2c;
write streams ended every 100 ms or 64 MiB for their acknowledgement, pipelined; the producer holds back while more
than 128 MiB await acknowledgement, \`sink.queueBelow\`); \`iris serve\` runs as a separate
process (\`--no-viewer --viewer-queue 4GiB\`, so that the burst is never dropped for the reader); a gRPC
\`ReadMessages\` reader in the producer's process counts the frames: Iris's own client, \`readMessages\` from \`@iris/sdk/node\`
(32 MiB HTTP/2 stream and connection windows; each message received into one buffer of its size and decoded to an
\`RrdMessage\`, LZ4 payloads decompressed). Time: first \`log\` to the last frame received by the reader.
Baseline: the same ${fmt(mb, 0)} MB of raw pixels through one bare loopback TCP socket (sender and receiver in one
process), measured in the same round (fixed ports ${SERVE_PORT} and ${TCP_PORT}; a warm-up, then ${repeats} rounds in a
rotating order). Median (min–max); the ratio is the median of the per-round ratios.

| path | ms | frames/s | MB/s of pixels | throughput ratio to bare TCP |
|---|---|---|---|---|
${row("bare loopback TCP (baseline)", r.tcp)}
${row("Iris live, LZ4 off", r.none, r.noneRatio)}
${row("Iris live, LZ4 on (default)", r.lz4, r.lz4Ratio)}
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes("--quick");
  const repeats = 5;
  const result = await benchLiveThroughput({ frames: quick ? 30 : 100, repeats });
  process.stdout.write(liveThroughputMarkdown(result, repeats));
}
