// Benchmark: sustained live throughput of 1920×1080 RGB8 frames from a Node producer (`connect()`), through
// `iris serve` (a separate process, as in real use), to a connected gRPC ReadMessages reader; against the same
// pixel bytes sent through one bare loopback TCP socket in the same run.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, connect as tcpConnect, type Server } from "node:net";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Image, RecordingStream } from "@iris/sdk";
import { connect, readMessages } from "@iris/sdk/node";
import { HEIGHT, WIDTH, makeFrames } from "./log-to-file.ts";
import { type Summary, collectGarbage, fmt, range, summarize } from "./stats.ts";
import { startServe } from "./serve-process.ts";

/** One way of reading: LZ4 on the producer or not, and whether the reader keeps each message. */
export interface LiveVariant {
  name: string;
  compression: "none" | "lz4";
  reuseMemory: boolean;
}

export const LIVE_VARIANTS: readonly LiveVariant[] = [
  { name: "Iris live, LZ4 off", compression: "none", reuseMemory: false },
  { name: "Iris live, LZ4 on (default)", compression: "lz4", reuseMemory: false },
  { name: "Iris live, LZ4 off, reader reusing memory", compression: "none", reuseMemory: true },
  { name: "Iris live, LZ4 on, reader reusing memory", compression: "lz4", reuseMemory: true },
];

export interface LiveRunSummary {
  wall: Summary;
  /** CPU ms per frame of the producer + reader process (of the sender + receiver process for TCP). */
  cpuPerFrame: Summary;
  /** CPU ms per frame of `iris serve` (absent for TCP). */
  serverCpuPerFrame?: Summary;
  /** Per-round throughput ratios to the bare TCP run of the same round (absent for TCP). */
  ratio?: Summary;
}

export interface LiveThroughputResult {
  frames: number;
  frameBytes: number;
  tcp: LiveRunSummary;
  variants: { variant: LiveVariant; summary: LiveRunSummary }[];
}

interface RunTiming {
  wallMs: number;
  cpuMs: number;
  serverCpuMs?: number;
}

/** Fixed ports, so that runs are comparable (set IRIS_BENCH_PORT if they are taken): serve, then bare TCP. */
const SERVE_PORT = Number(process.env["IRIS_BENCH_PORT"] ?? 47810);
const TCP_PORT = SERVE_PORT + 1;

/** CPU milliseconds (user + system) that process `pid` has used so far (Linux `/proc`; 0 elsewhere). */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of stat (11 and 12 after "pid (comm) "), in clock ticks (100/s).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** Wall time from the first `log` until the reader has received all `frames` ArrowMsgs, and CPU times. */
async function irisRun(
  serve: { child: ChildProcess; proxyUrl: string },
  pool: readonly Uint8Array[],
  frames: number,
  variant: Pick<LiveVariant, "compression" | "reuseMemory">,
): Promise<RunTiming> {
  const { proxyUrl } = serve;
  const { compression, reuseMemory } = variant;
  const abort = new AbortController();
  const applicationId = `bench_live_${compression}_${Math.random().toString(36).slice(2)}`;
  let received = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((r) => (connected = r));
  const reading = (async () => {
    const messages = readMessages(proxyUrl, { signal: abort.signal, reuseMemory });
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
  const cpu = process.cpuUsage();
  const serverCpu = processCpuMs(serve.child.pid);
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
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const serverCpuMs = processCpuMs(serve.child.pid) - serverCpu;
  abort.abort();
  await reading;
  await sink.closed();
  return { wallMs, cpuMs: (used.user + used.system) / 1000, serverCpuMs };
}

async function tcpRun(pool: readonly Uint8Array[], frames: number): Promise<RunTiming> {
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
  const cpu = process.cpuUsage();
  for (let i = 0; i < frames; i++) {
    if (!socket.write(pool[i % pool.length]!)) await new Promise((r) => socket.once("drain", r));
  }
  await done;
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  socket.destroy();
  await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

export async function benchLiveThroughput(options: {
  frames: number;
  repeats: number;
}): Promise<LiveThroughputResult> {
  const pool = makeFrames();
  // The reader's queue holds a whole burst: a dropped frame would leave the run waiting for it.
  const serve = await startServe(SERVE_PORT, ["--memory-limit", "512MiB", "--viewer-queue", "4GiB"]);
  const tcp: RunTiming[] = [];
  const runs: RunTiming[][] = LIVE_VARIANTS.map(() => []);
  try {
    // Warm-up (JIT, connections), then rounds in a rotating order.
    await tcpRun(pool, Math.min(10, options.frames));
    for (const v of LIVE_VARIANTS) await irisRun(serve, pool, Math.min(10, options.frames), v);
    // A full collection before each timed run: otherwise the garbage of one variant (a fresh buffer per message
    // for the reader that keeps messages, LZ4 output) is collected inside the next variant's time.
    const variants = [
      async () => {
        collectGarbage();
        tcp.push(await tcpRun(pool, options.frames));
      },
      ...LIVE_VARIANTS.map((v, k) => async () => {
        collectGarbage();
        runs[k]!.push(await irisRun(serve, pool, options.frames, v));
      }),
    ];
    for (let r = 0; r < options.repeats; r++) {
      for (let k = 0; k < variants.length; k++) await variants[(r + k) % variants.length]!();
    }
  } finally {
    serve.child.kill("SIGTERM");
  }
  const perFrame = (ms: number): number => ms / options.frames;
  const summary = (timings: readonly RunTiming[], withRatio: boolean): LiveRunSummary => ({
    wall: summarize(timings.map((t) => t.wallMs)),
    cpuPerFrame: summarize(timings.map((t) => perFrame(t.cpuMs))),
    ...(withRatio
      ? {
          serverCpuPerFrame: summarize(timings.map((t) => perFrame(t.serverCpuMs ?? 0))),
          ratio: summarize(timings.map((t, i) => tcp[i]!.wallMs / t.wallMs)),
        }
      : {}),
  });
  return {
    frames: options.frames,
    frameBytes: pool[0]!.length,
    tcp: summary(tcp, false),
    variants: LIVE_VARIANTS.map((variant, k) => ({ variant, summary: summary(runs[k]!, true) })),
  };
}

export function liveThroughputMarkdown(r: LiveThroughputResult, repeats: number): string {
  const mb = (r.frames * r.frameBytes) / 1e6;
  const row = (name: string, s: LiveRunSummary): string =>
    `| ${name} | ${range(s.wall)} | ${fmt(r.frames / (s.wall.median / 1000), 1)} | ` +
    `${fmt(mb / (s.wall.median / 1000), 0)} | ${range(s.cpuPerFrame, 1)} | ` +
    `${s.serverCpuPerFrame ? range(s.serverCpuPerFrame, 1) : "–"} | ` +
    `${s.ratio ? `${fmt(s.ratio.median)} (${fmt(s.ratio.min)}–${fmt(s.ratio.max)})` : "1.00"} |`;
  return `## Live streaming: ${r.frames} frames of 1920×1080 RGB8 producer → \`iris serve\` → reader

A Node producer logs each frame with \`rec.log\` + \`rec.flush()\` into \`connect()\` (gRPC \`WriteMessages\` over h2c;
write streams ended every 100 ms or 64 MiB for their acknowledgement, pipelined; the producer holds back while more
than 128 MiB await acknowledgement, \`sink.queueBelow\`); \`iris serve\` runs as a separate
process (\`--no-viewer --viewer-queue 4GiB\`, so that the burst is never dropped for the reader) and checks every
message in full before forwarding it (LZ4 decompressed, Arrow IPC read as a chunk); a gRPC \`ReadMessages\`
reader in the producer's process counts the frames: Iris's own client, \`readMessages\` from \`@iris/sdk/node\` (32 MiB
HTTP/2 stream and connection windows; each message received into one buffer of its size and decoded to an
\`RrdMessage\`, LZ4 payloads decompressed). Two kinds of reader: one that may keep every message (fresh memory per
message, the default), and one that reuses memory (\`reuseMemory: true\`: a message is valid until the next is
asked for, as for a consumer that forwards or writes each message). Time: first \`log\` to the last frame received
by the reader. CPU: user + system time per frame of the producer + reader process, and of \`iris serve\`.
Baseline: the same ${fmt(mb, 0)} MB of raw pixels through one bare loopback TCP socket (sender and receiver in one
process), measured in the same round (fixed ports ${SERVE_PORT} and ${TCP_PORT}; a warm-up, then ${repeats} rounds in a
rotating order, with a full garbage collection before each; the section runs in a process of its own, so that the
garbage and heap of the other sections do not land in its time). Median (min–max); the ratio is the median of the
per-round ratios.

| path | ms | frames/s | MB/s of pixels | CPU ms/frame, producer + reader | CPU ms/frame, \`iris serve\` | throughput ratio to bare TCP |
|---|---|---|---|---|---|---|
${row("bare loopback TCP (baseline)", r.tcp)}
${r.variants.map((v) => row(v.variant.name, v.summary)).join("\n")}
`;
}
/**
 * Runs the section in a process of its own (this file, `--json`): in the process of the whole bench, the heap and
 * garbage that earlier sections leave (the store section holds GBs) halved the live throughput measured.
 */
export async function benchLiveThroughputInChild(options: { quick: boolean }): Promise<LiveThroughputResult> {
  const file = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    [...process.execArgv, file, "--json", ...(options.quick ? ["--quick"] : [])],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout!.on("data", (d: Uint8Array) => (out += new TextDecoder().decode(d)));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`live bench process exited with ${code}`);
  return JSON.parse(out) as LiveThroughputResult;
}

export const LIVE_REPEATS = 5;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes("--quick");
  const result = await benchLiveThroughput({ frames: quick ? 30 : 100, repeats: LIVE_REPEATS });
  process.stdout.write(
    process.argv.includes("--json") ? JSON.stringify(result) : liveThroughputMarkdown(result, LIVE_REPEATS),
  );
}
