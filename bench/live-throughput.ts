// Benchmark: sustained live throughput of 1920×1080 RGB8 frames from a Node producer (`connect()`), through
// `iris serve` (a separate process, as in real use), to a connected gRPC ReadMessages reader; against the same
// pixel bytes sent through one bare loopback TCP socket in the same run.
import { type ChildProcess, spawn } from "node:child_process";
import { type Socket, createServer } from "node:net";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Image, RecordingStream } from "@iris/sdk";
import { GrpcSink } from "@iris/sdk/node";
import { InProcessReader, type LiveReader, ReaderProcess, type TcpReadStyle } from "./live-reader.ts";
import { HEIGHT, WIDTH, makeFrames } from "./log-to-file.ts";
import { type Summary, fmt, range, summarize } from "./stats.ts";
import { SERVE_NODE_FLAG, startServe } from "./serve-process.ts";
import { startRerunProxy } from "./rerun-proxy-process.ts";
export { SERVE_NODE_FLAG };

/** One way of reading: LZ4 on the producer or not, and whether the reader keeps each message. */
export interface LiveVariant {
  name: string;
  compression: "none" | "lz4";
  reuseMemory: boolean;
  /** The reader's HTTP/2 client (default: Iris's own). */
  http2Client?: "iris" | "node";
  /** The producer's (`GrpcSink`'s) HTTP/2 client (default: Iris's own). */
  producerClient?: "iris" | "node";
  /**
   * The proxy between them: `iris serve` (default: Iris's own HTTP/2 server for h2c), `iris serve --http2-server
   * node` (`node:http2`, the default until 2026-12-03), or the peer, Rerun 0.41's `rerun --serve-grpc`.
   */
  proxy?: "iris" | "iris-node-h2" | "rerun";
}

export const LIVE_VARIANTS: readonly LiveVariant[] = [
  { name: "Iris live, LZ4 off", compression: "none", reuseMemory: false },
  { name: "Iris live, LZ4 on (default)", compression: "lz4", reuseMemory: false },
  { name: "Iris live, LZ4 off, reader reusing memory", compression: "none", reuseMemory: true },
  { name: "Iris live, LZ4 on, reader reusing memory", compression: "lz4", reuseMemory: true },
  {
    name: "Iris live, LZ4 off, reader reusing memory, `iris serve --http2-server node`",
    compression: "none",
    reuseMemory: true,
    proxy: "iris-node-h2",
  },
  {
    name: "Iris live, LZ4 on (default), producer and reader on `node:http2`",
    compression: "lz4",
    reuseMemory: false,
    http2Client: "node",
    producerClient: "node",
  },
];

/**
 * Two of those readers through the peer proxy, Rerun 0.41's own (`rerun --serve-grpc`, native: Rust, tonic/h2),
 * with the same Iris producer and reader: what `iris serve` is measured against. Two, not four, to keep `--quick`
 * under 5 minutes: each run first reads the proxy's 512 MiB history, untimed but not free.
 */
export const PEER_VARIANTS: readonly LiveVariant[] = [LIVE_VARIANTS[1]!, LIVE_VARIANTS[2]!].map((v) => ({
  ...v,
  name: v.name.replace("Iris live", "Rerun 0.41 proxy"),
  proxy: "rerun",
}));

/** The producer's sinks, one per proxy, compression setting and HTTP/2 client, kept for the whole section. */
class Sinks {
  private readonly sinks = new Map<string, GrpcSink>();

  get(proxyUrl: string, variant: Pick<LiveVariant, "compression" | "producerClient">): GrpcSink {
    const { compression, producerClient = "iris" } = variant;
    const key = `${proxyUrl} ${compression}/${producerClient}`;
    let sink = this.sinks.get(key);
    if (sink === undefined) {
      sink = new GrpcSink(proxyUrl, { compression, http2Client: producerClient });
      this.sinks.set(key, sink);
    }
    return sink;
  }

  async close(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((s) => s.closed()));
  }
}

export interface LiveRunSummary {
  wall: Summary;
  /** CPU ms per frame of the producer + reader process (of the sender + receiver process for TCP). */
  cpuPerFrame: Summary;
  /** CPU ms per frame of the proxy (`iris serve` or the peer's) or of the relay (absent for bare TCP). */
  serverCpuPerFrame?: Summary;
  /** Per-round throughput ratios to the bare TCP run of the same round (absent for TCP). */
  ratio?: Summary;
  /** The same, to the bare TCP run whose receiver reads into one reused buffer (`onread`). */
  ratioOnread?: Summary;
}

export interface LiveThroughputResult {
  frames: number;
  frameBytes: number;
  /** The untimed-for-the-table first run that fills the proxy's history, and a TCP run of as many frames. */
  fill: { frames: number; irisMs: number; tcpMs: number; serverCpuPerFrame: number };
  tcp: LiveRunSummary;
  /** Bare TCP with the receiver reading into one reused buffer (`onread`). */
  tcpOnread: LiveRunSummary;
  /** The `onread` baseline through a bare byte relay process (bench/tcp-relay.ts). */
  tcpRelay: LiveRunSummary;
  variants: { variant: LiveVariant; summary: LiveRunSummary }[];
}

interface RunTiming {
  wallMs: number;
  cpuMs: number;
  serverCpuMs?: number;
}

/**
 * Fixed ports, so that runs are comparable (set IRIS_BENCH_PORT if they are taken): serve, bare TCP, the peer
 * proxy, the relay, serve on `node:http2`.
 */
const SERVE_PORT = Number(process.env["IRIS_BENCH_PORT"] ?? 47810);
const TCP_PORT = SERVE_PORT + 1;
const PEER_PORT = SERVE_PORT + 2;
const RELAY_PORT = SERVE_PORT + 3;
const NODE_H2_SERVE_PORT = SERVE_PORT + 4;
/** `iris serve --memory-limit`: the history it keeps for late readers. */
const MEMORY_LIMIT_MIB = 512;

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
  sinks: Sinks,
  reader: LiveReader,
  pool: readonly Uint8Array[],
  frames: number,
  variant: LiveVariant,
): Promise<RunTiming> {
  const { proxyUrl } = serve;
  const { compression, reuseMemory, http2Client = "iris" } = variant;
  const sink = sinks.get(proxyUrl, variant);
  const applicationId = `bench_live_${compression}_${Math.random().toString(36).slice(2)}`;
  // The first ArrowMsg of this recording is a 1×1 marker image: once the reader has it, it has also read
  // everything the proxy held from earlier runs (the history is sent first, in order), which is then not timed.
  const following = await reader.follow({ proxyUrl, applicationId, frames, reuseMemory, http2Client });
  // A new recording per run on the producer's one long-lived sink per compression setting (a real producer keeps
  // its connection, and with it the buffers it reuses for frame copies once they are acknowledged).
  const rec = new RecordingStream({ applicationId, batcher: { flushIntervalMs: 0 } });
  rec.setSink(sink);
  rec.log("marker", new Image(new Uint8Array(1), { width: 1, height: 1, colorModel: "L" }));
  rec.flush();
  await withDeadline(following.marker, () => `live bench: the reader did not get the marker within 300 s`);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const serverCpu = processCpuMs(serve.child.pid);
  const readerCpu = processCpuMs(reader.pid);
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
  await withDeadline(
    following.done,
    () => `live bench: the reader did not get all ${frames} frames within 300 s`,
  );
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const serverCpuMs = processCpuMs(serve.child.pid) - serverCpu;
  const readerCpuMs = reader.pid === undefined ? 0 : processCpuMs(reader.pid) - readerCpu;
  await following.stop();
  await sink.flushed();
  return { wallMs, cpuMs: (used.user + used.system) / 1000 + readerCpuMs, serverCpuMs };
}

/** `promise`, or an error with `message()` after 300 s. */
async function withDeadline(promise: Promise<void>, message: () => string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(message())), 300_000);
  });
  await Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The same pixel bytes through one bare loopback TCP socket, written as fast as the socket takes them; through
 * `relay` (the receiver connects to it, and it to the sender) if given.
 */
async function tcpRun(
  reader: LiveReader,
  pool: readonly Uint8Array[],
  frames: number,
  style: TcpReadStyle,
  relay?: ChildProcess,
): Promise<RunTiming> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(TCP_PORT, "127.0.0.1", () => r()));
  const accepted = new Promise<Socket>((r) => server.once("connection", r));
  const receiving = await reader.receiveTcp(relay ? RELAY_PORT : TCP_PORT, frames * pool[0]!.length, style);
  const socket = await accepted;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const readerCpu = processCpuMs(reader.pid);
  const relayCpu = processCpuMs(relay?.pid);
  for (let i = 0; i < frames; i++) {
    if (!socket.write(pool[i % pool.length]!)) await new Promise((r) => socket.once("drain", r));
  }
  await receiving.done;
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const readerCpuMs = reader.pid === undefined ? 0 : processCpuMs(reader.pid) - readerCpu;
  const relayCpuMs = processCpuMs(relay?.pid) - relayCpu;
  socket.destroy();
  await receiving.stop();
  await new Promise<void>((r) => server.close(() => r()));
  const cpuMs = (used.user + used.system) / 1000 + readerCpuMs;
  return relay ? { wallMs, cpuMs, serverCpuMs: relayCpuMs } : { wallMs, cpuMs };
}

/** bench/tcp-relay.ts as a process of its own, from RELAY_PORT to TCP_PORT, once it listens. */
async function startRelay(): Promise<ChildProcess> {
  const script = fileURLToPath(new URL("tcp-relay.ts", import.meta.url));
  const args = [...process.execArgv, script, "--listen", String(RELAY_PORT), "--upstream", String(TCP_PORT)];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`tcp-relay exited with ${code}`)));
  });
  return child;
}

/**
 * The variants measured with the reader in a process of its own: the defaults and the memory-reusing reader (the
 * `node:http2` comparisons are in the producer-process section).
 */
export const OWN_PROCESS_VARIANTS: readonly LiveVariant[] = LIVE_VARIANTS.slice(0, 4);

export async function benchLiveThroughput(options: {
  frames: number;
  repeats: number;
  /** Where the reader (and the TCP baseline's receiver) runs; default the producer's process. */
  readerProcess?: "producer" | "own";
  /** Also the peer proxy's rows (`PEER_VARIANTS`). */
  peers?: boolean;
}): Promise<LiveThroughputResult> {
  const pool = makeFrames();
  const readerProcess = options.readerProcess ?? "producer";
  const variantList = [
    ...(readerProcess === "own" ? OWN_PROCESS_VARIANTS : LIVE_VARIANTS),
    ...(options.peers ? PEER_VARIANTS : []),
  ];
  // In their own processes, the reader and the baseline's receiver each have one, so that neither's garbage lands
  // in the other's time.
  const reader: LiveReader = readerProcess === "own" ? await ReaderProcess.start() : new InProcessReader();
  const tcpReader: LiveReader = readerProcess === "own" ? await ReaderProcess.start() : reader;
  // The reader's queue holds a whole burst: a dropped frame would leave the run waiting for it.
  const serve = await startServe(SERVE_PORT, [
    "--memory-limit",
    `${MEMORY_LIMIT_MIB}MiB`,
    "--viewer-queue",
    "4GiB",
  ]);
  // The same proxy on `node:http2` (its h2c server until 2026-12-03), for the row that compares the two.
  const serveNodeH2 = variantList.some((v) => v.proxy === "iris-node-h2")
    ? await startServe(NODE_H2_SERVE_PORT, [
        "--memory-limit",
        `${MEMORY_LIMIT_MIB}MiB`,
        "--viewer-queue",
        "4GiB",
        "--http2-server",
        "node",
      ])
    : undefined;
  // The peer keeps the same history for late readers as `iris serve` (its default would be 25 % of the RAM).
  const peer = options.peers
    ? await startRerunProxy(PEER_PORT, ["--server-memory-limit", `${MEMORY_LIMIT_MIB}MiB`])
    : undefined;
  const relay = await startRelay();
  const proxyOf = (v: LiveVariant): { child: ChildProcess; proxyUrl: string } =>
    v.proxy === "rerun" ? peer! : v.proxy === "iris-node-h2" ? serveNodeH2! : serve;
  const sinks = new Sinks();
  const tcp: RunTiming[] = [];
  const tcpOnread: RunTiming[] = [];
  const tcpRelay: RunTiming[] = [];
  let fill: LiveThroughputResult["fill"] = { frames: 0, irisMs: 0, tcpMs: 0, serverCpuPerFrame: 0 };
  const runs: RunTiming[][] = variantList.map(() => []);
  try {
    // Warm-up: first the proxy's history is filled to its memory limit (and a little past it), so that the timed
    // runs measure the sustained state, in which each new frame evicts the oldest and reuses its memory; until then
    // every frame needs fresh memory (page faults), which this first run reports on its own. Then each path once.
    const fillFrames = Math.ceil((MEMORY_LIMIT_MIB * 1024 ** 2) / pool[0]!.length) + 16;
    const fillTcp = await tcpRun(tcpReader, pool, fillFrames, "data");
    const fillIris = await irisRun(serve, sinks, reader, pool, fillFrames, variantList[0]!);
    if (peer) await irisRun(peer, sinks, reader, pool, fillFrames, PEER_VARIANTS[0]!);
    if (serveNodeH2) await irisRun(serveNodeH2, sinks, reader, pool, fillFrames, LIVE_VARIANTS[4]!);
    fill = {
      frames: fillFrames,
      irisMs: fillIris.wallMs,
      tcpMs: fillTcp.wallMs,
      serverCpuPerFrame: (fillIris.serverCpuMs ?? 0) / fillFrames,
    };
    await tcpRun(tcpReader, pool, Math.min(10, options.frames), "data");
    await tcpRun(tcpReader, pool, Math.min(10, options.frames), "onread");
    await tcpRun(tcpReader, pool, Math.min(10, options.frames), "onread", relay);
    for (const v of variantList) {
      await irisRun(proxyOf(v), sinks, reader, pool, Math.min(10, options.frames), v);
    }
    // No forced collection between runs: after one (\`gc()\`), V8 shrinks its heap and external-memory limits and
    // collects far more often for a while; it raised the producer + reader CPU per frame from ~11 to ~18 ms in the
    // sustained state. The rotating order spreads the garbage each path leaves for the next alike.
    const variants = [
      async () => {
        tcp.push(await tcpRun(tcpReader, pool, options.frames, "data"));
      },
      async () => {
        tcpOnread.push(await tcpRun(tcpReader, pool, options.frames, "onread"));
      },
      async () => {
        tcpRelay.push(await tcpRun(tcpReader, pool, options.frames, "onread", relay));
      },
      ...variantList.map((v, k) => async () => {
        runs[k]!.push(await irisRun(proxyOf(v), sinks, reader, pool, options.frames, v));
      }),
    ];
    for (let r = 0; r < options.repeats; r++) {
      for (let k = 0; k < variants.length; k++) await variants[(r + k) % variants.length]!();
    }
  } finally {
    await sinks.close();
    await reader.close();
    if (tcpReader !== reader) await tcpReader.close();
    serve.child.kill("SIGTERM");
    serveNodeH2?.child.kill("SIGTERM");
    peer?.child.kill("SIGTERM");
    relay.kill("SIGTERM");
  }
  const perFrame = (ms: number): number => ms / options.frames;
  const summary = (timings: readonly RunTiming[], withServer: boolean): LiveRunSummary => ({
    wall: summarize(timings.map((t) => t.wallMs)),
    cpuPerFrame: summarize(timings.map((t) => perFrame(t.cpuMs))),
    ...(withServer ? { serverCpuPerFrame: summarize(timings.map((t) => perFrame(t.serverCpuMs ?? 0))) } : {}),
    ratio: summarize(timings.map((t, i) => tcp[i]!.wallMs / t.wallMs)),
    ratioOnread: summarize(timings.map((t, i) => tcpOnread[i]!.wallMs / t.wallMs)),
  });
  return {
    frames: options.frames,
    frameBytes: pool[0]!.length,
    fill,
    tcp: summary(tcp, false),
    tcpOnread: summary(tcpOnread, false),
    tcpRelay: summary(tcpRelay, true),
    variants: variantList.map((variant, k) => ({ variant, summary: summary(runs[k]!, true) })),
  };
}

const TABLE_HEAD = `| path | ms | frames/s | MB/s of pixels | CPU ms/frame, producer + reader | CPU ms/frame, proxy or relay | throughput ratio to bare TCP, \`data\` events | throughput ratio to bare TCP, one read buffer |
|---|---|---|---|---|---|---|---|`;

/** The table's rows: the two TCP baselines, then each variant. */
function liveRows(r: LiveThroughputResult): string {
  const mb = (r.frames * r.frameBytes) / 1e6;
  const ratio = (x: Summary | undefined): string =>
    x ? `${fmt(x.median)} (${fmt(x.min)}–${fmt(x.max)})` : "–";
  const row = (name: string, s: LiveRunSummary): string =>
    `| ${name} | ${range(s.wall)} | ${fmt(r.frames / (s.wall.median / 1000), 1)} | ` +
    `${fmt(mb / (s.wall.median / 1000), 0)} | ${range(s.cpuPerFrame, 1)} | ` +
    `${s.serverCpuPerFrame ? range(s.serverCpuPerFrame, 1) : "–"} | ${ratio(s.ratio)} | ${ratio(s.ratioOnread)} |`;
  return [
    row("bare loopback TCP, `data` events (baseline)", r.tcp),
    row("bare loopback TCP, one reused read buffer (baseline)", r.tcpOnread),
    row("the same through a bare byte relay process (no protocol)", r.tcpRelay),
    ...r.variants.map((v) => row(v.variant.name, v.summary)),
  ].join("\n");
}

/**
 * The same section, with the producer + reader process started with `SERVE_NODE_FLAG` (the node flag `iris serve`
 * starts its server with).
 */
export function liveTuningMarkdown(r: LiveThroughputResult, repeats: number): string {
  return `## Live streaming, producer + reader process started with \`node ${SERVE_NODE_FLAG}\`

The section above once more, in a process started with the V8 flag that \`iris serve\` gives its own server process
(see docs/live-streaming.md): V8 sizes the old generation's limit from the JavaScript heap, small in these processes
(~20 MB), and counts the external memory allocated since the last full collection (socket buffers, messages) against
it, so that a process receiving multi-MB messages at full rate falls into a full collection every few frames. A
flag for users' own processes, not a default Iris can set for them. ${repeats} rounds, as above.

${TABLE_HEAD}
${liveRows(r)}
`;
}

/** The section with the reader, and the baseline's receiver, in a process of their own. */
export function liveOwnProcessMarkdown(r: LiveThroughputResult, repeats: number): string {
  return `## Live streaming, reader in a process of its own

The section above with the receiving end moved out of the producer's process, as a viewer or a recorder is in real
use: one long-running reader process for the whole section (started once, like a viewer; each run opens a new
\`ReadMessages\` call in it, which first reads the proxy's history, untimed, as above), and the bare TCP baseline's
receiver out of it too, so that both paths have their sending and receiving ends in separate processes. The clock
stops when the reader process's message that it has the last frame reaches the producer (a local IPC message).
The baseline's receiver runs in a second process of its own, so that neither receiver's garbage lands in the other's
time.
CPU: the producer's and the reader's processes together. Three processes (producer, \`iris serve\`, reader) share
the machine's cores against the baseline's two. ${repeats} rounds in a rotating order, as above.

${TABLE_HEAD}
${liveRows(r)}
`;
}

export function liveThroughputMarkdown(r: LiveThroughputResult, repeats: number): string {
  const mb = (r.frames * r.frameBytes) / 1e6;
  return `## Live streaming: ${r.frames} frames of 1920×1080 RGB8 producer → \`iris serve\` → reader

A Node producer logs each frame with \`rec.log\` + \`rec.flush()\` into a \`GrpcSink\` (what \`connect()\` sets up; one per
compression setting and HTTP/2 client for the whole section, as a producer keeps its connection; a new recording per
run; gRPC \`WriteMessages\` over h2c, since 2026-12-03 over Iris's own HTTP/2 client, which sends DATA frames of up
to 1 MiB, with a row on \`node:http2\` (16 KiB frames) for comparison;
write streams ended every 100 ms or 64 MiB for their acknowledgement, pipelined; the producer holds back while more
than 128 MiB await acknowledgement, \`sink.queueBelow\`); \`iris serve\` runs as a separate
process (\`--no-viewer --viewer-queue 4GiB\`, so that the burst is never dropped for the reader; since 2026-12-03 its
h2c connections are served by Iris's own HTTP/2 server, which reads each socket into one reused buffer, with one row
through \`iris serve --http2-server node\`, \`node:http2\`, for comparison) and checks every
message in full before forwarding it (LZ4 decompressed, Arrow IPC read as a chunk); a gRPC \`ReadMessages\`
reader in the producer's process counts the frames: Iris's own client, \`readMessages\` from \`@iris/sdk/node\` (32 MiB
HTTP/2 stream and connection windows; since 2026-12-03 over Iris's own HTTP/2 client, which reads the socket into one
reused buffer, with the last row on \`node:http2\` for comparison; each message received into one buffer of its size and
decoded to an \`RrdMessage\`, LZ4 payloads decompressed). Two kinds of reader: one that may keep every message (fresh memory per
message, the default), and one that reuses memory (\`reuseMemory: true\`: a message is valid until the next is
asked for, as for a consumer that forwards or writes each message). Each run connects a new reader, which first
gets what the proxy holds from earlier runs; the producer then logs a 1×1 marker image and the clock starts once the
reader has it, so that replaying the history is not timed. Time: first frame's \`log\` to the last frame received
by the reader. CPU: user + system time per frame of the producer + reader process, and of the proxy or relay.
Baselines: the same ${fmt(mb, 0)} MB of raw pixels through one bare loopback TCP socket (sender and receiver in one
process), the receiver reading with Node's \`data\` events (a fresh 64 KiB buffer per read), and once more with the
receiver reading into one reused 256 KiB buffer (\`onread\`, as Iris's own HTTP/2 client reads its socket: the
stronger baseline). A third row, not a baseline of the ratios but the ceiling of any proxy written in Node on this
machine: the \`onread\` path through a bare byte relay process (bench/tcp-relay.ts: no protocol, each read written
on as it is; the fastest of the Node relays tried), so with a process in the middle as \`iris serve\` is. Peer: the
same producer and readers through Rerun 0.41's own message proxy (\`rerun --serve-grpc --server-memory-limit
${MEMORY_LIMIT_MIB}MiB\`, the native binary of the rerun-sdk wheel: Rust, tonic/h2), its history filled alike first.
All measured in the same rounds (fixed ports ${SERVE_PORT}–${NODE_H2_SERVE_PORT}; a warm-up that fills the proxy's
history to its limit (\`--memory-limit ${MEMORY_LIMIT_MIB}MiB\`, see below), then ${repeats} rounds in a rotating order,
with no forced garbage collection in between; the section runs in a process of its own, so that the garbage and
heap of the other sections do not land in its time). Median (min–max); the ratio is the median of the
per-round ratios.

${TABLE_HEAD}
${liveRows(r)}

The timed runs measure the sustained state, in which the history is full: each new frame evicts the oldest and
\`iris serve\` receives it into the evicted frame's memory. Until the history is full every frame needs fresh memory
(page faults, and garbage collection for the external memory): the first ${r.fill.frames} frames after \`iris serve\`
started (LZ4 off, one run) took ${fmt(r.fill.irisMs, 0)} ms, ${fmt(r.fill.frames / (r.fill.irisMs / 1000), 1)} frames/s, with
${fmt(r.fill.serverCpuPerFrame, 1)} CPU ms/frame in \`iris serve\`: **${fmt(r.fill.tcpMs / r.fill.irisMs)}×** bare TCP
(${fmt(r.fill.tcpMs, 0)} ms for the same frames, measured just before).
`;
}
/**
 * Runs the section in a process of its own (this file, `--json`): in the process of the whole bench, the heap and
 * garbage that earlier sections leave (the store section holds GBs) halved the live throughput measured.
 */
export async function benchLiveThroughputInChild(options: {
  quick: boolean;
  /** Node flags for that process, after the bench's own. */
  nodeArgs?: readonly string[];
  readerProcess?: "producer" | "own";
  peers?: boolean;
}): Promise<LiveThroughputResult> {
  const file = fileURLToPath(import.meta.url);
  const args = [file, "--json", ...(options.quick ? ["--quick"] : [])];
  if (options.readerProcess === "own") args.push("--reader-process");
  if (options.peers) args.push("--peers");
  const child = spawn(process.execPath, [...process.execArgv, ...(options.nodeArgs ?? []), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d: Uint8Array) => (out += new TextDecoder().decode(d)));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`live bench process exited with ${code}`);
  return JSON.parse(out) as LiveThroughputResult;
}

/**
 * Rounds per variant: per-round ratios spread widely on a 2-core machine (the two processes' garbage collectors
 * switch between modes), and with 5 rounds a variant's median moved by up to ±0.1 from one run to the next.
 */
export const LIVE_REPEATS = 9;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes("--quick");
  const readerProcess = process.argv.includes("--reader-process") ? "own" : "producer";
  const result = await benchLiveThroughput({
    frames: quick ? 60 : 120,
    repeats: LIVE_REPEATS,
    readerProcess,
    peers: process.argv.includes("--peers"),
  });
  const markdown = readerProcess === "own" ? liveOwnProcessMarkdown : liveThroughputMarkdown;
  process.stdout.write(
    process.argv.includes("--json") ? JSON.stringify(result) : markdown(result, LIVE_REPEATS),
  );
}
