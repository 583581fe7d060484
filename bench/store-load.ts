// Benchmark: loading a large LZ4 recording into the ChunkStore, against reading the file, walking the framing
// and LZ4-decompressing every ArrowMsg payload in the same run (interleaved; the file's frames do compress, so
// the baseline really decompresses).
import { fromBinary } from "@bufbuild/protobuf";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Chunk, ChunkBuilder, chunkFromIpc } from "@iris/chunk";
import {
  MESSAGE_HEADER_BYTES,
  MessageKind,
  RrdDecoder,
  STREAM_HEADER_BYTES,
  commonPb,
  lz4,
  logMsgPb,
  parseMessageHeader,
} from "@iris/rrd";
import { ChunkStore } from "@iris/store";
import { Tuid, batch, float32Component } from "@iris/types";
import { HEIGHT, WIDTH, logFramesToFile } from "./log-to-file.ts";
import {
  type Summary,
  collectGarbage,
  type Timing,
  type TimingSummary,
  fmt,
  interleave,
  pairedRatio,
  range,
  summarize,
  summarizeTimings,
  timeSync,
} from "./stats.ts";

const ScalarType = float32Component("bench.components.Scalar");

export interface StoreLoadResult {
  frames: number;
  repeats: number;
  fileBytes: number;
  /** Sum of the decompressed ArrowMsg payloads (Arrow IPC bytes). */
  ipcBytes: number;
  /** ArrowMsgs stored LZ4-compressed, of all ArrowMsgs. */
  lz4Messages: number;
  arrowMessages: number;
  baseline: TimingSummary;
  /** The baseline keeping every decompressed payload until the end (diagnostic: the cost of holding them). */
  keeping: TimingSummary;
  load: TimingSummary;
  wallRatio: ReturnType<typeof pairedRatio>;
  cpuRatio: ReturnType<typeof pairedRatio>;
  keepingWallRatio: ReturnType<typeof pairedRatio>;
  keepingCpuRatio: ReturnType<typeof pairedRatio>;
  storeBytes: number;
  storeChunks: number;
}

/**
 * Screen-like frames that LZ4 compresses (to roughly a third): moving gradients with noise in one pixel of
 * every four, from a fixed seed.
 */
export function makeCompressibleFrames(count = 8): Uint8Array[] {
  let seed = 2024;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 24;
  };
  return Array.from({ length: count }, (_, f) => {
    const pixels = new Uint8Array(WIDTH * HEIGHT * 3);
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const i = (y * WIDTH + x) * 3;
        const noise = (x & 3) === 0 ? rand() & 15 : 0;
        pixels[i] = ((x + f * 7) >> 4) + noise;
        pixels[i + 1] = ((y + f * 5) >> 3) + noise;
        pixels[i + 2] = ((x + y) >> 5) + noise;
      }
    }
    return pixels;
  });
}

/** The file's bytes as a Uint8Array view of the Buffer `readFileSync` returns (no second copy). */
function readBytes(path: string): Uint8Array {
  const buffer = readFileSync(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Writes `frames` 1920×1080 RGB8 compressible frames with LZ4 (once; reused when the file exists). */
export function ensureRecording(path: string, frames: number): void {
  if (existsSync(path) && statSync(path).size > frames * WIDTH * HEIGHT * 3 * 0.1) return;
  const pool = makeCompressibleFrames();
  logFramesToFile(path, pool, frames, { applicationId: "iris_bench_store", compression: "lz4" });
}

/**
 * Baseline: read the file, walk the MessageHeaders, decode each ArrowMsg's protobuf and LZ4-decompress it.
 * `keep`: the decompressed payloads are kept until the end (as a store must keep them), not dropped one by one.
 */
function rawDecompress(
  path: string,
  keep = false,
): { ipcBytes: number; lz4Messages: number; arrowMessages: number } {
  const bytes = readBytes(path);
  const kept: Uint8Array[] = [];
  let offset = STREAM_HEADER_BYTES;
  let ipcBytes = 0;
  let lz4Messages = 0;
  let arrowMessages = 0;
  while (offset + MESSAGE_HEADER_BYTES <= bytes.length) {
    const { kind, lengthBytes } = parseMessageHeader(bytes, offset);
    const length = Number(lengthBytes);
    const payload = bytes.subarray(offset + MESSAGE_HEADER_BYTES, offset + MESSAGE_HEADER_BYTES + length);
    offset += MESSAGE_HEADER_BYTES + length;
    if (kind !== BigInt(MessageKind.ArrowMsg)) continue;
    const msg = fromBinary(logMsgPb.ArrowMsgSchema, payload);
    const size = Number(msg.uncompressedSize);
    const compressed = msg.compression === commonPb.Compression.LZ4;
    const ipc = compressed ? lz4.decompressBlock(msg.payload, size) : msg.payload;
    ipcBytes += ipc.length;
    if (keep) kept.push(ipc);
    arrowMessages++;
    if (compressed) lz4Messages++;
  }
  return { ipcBytes, lz4Messages, arrowMessages };
}

function loadStore(path: string): ChunkStore {
  const decoder = new RrdDecoder();
  decoder.push(readBytes(path));
  const store = new ChunkStore();
  for (const event of decoder.end()) {
    if (event.type === "message" && event.message.kind === "arrowMsg")
      store.insert(chunkFromIpc(event.message.ipc));
  }
  return store;
}

export function benchStoreLoad(options: { frames: number; repeats: number; dir: string }): StoreLoadResult {
  const { frames, repeats, dir } = options;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `store-load-${frames}.rrd`);
  ensureRecording(path, frames);
  let counts = { ipcBytes: 0, lz4Messages: 0, arrowMessages: 0 };
  let storeBytes = 0;
  let storeChunks = 0;
  // Each variant starts after a full collection (untimed): the previous one's gigabytes of payloads or store are
  // freed only when V8 collects them, which otherwise lands in whichever variant runs next.
  const timings = interleave<"baseline" | "keeping" | "load">(
    {
      baseline: (): Timing => {
        collectGarbage();
        return timeSync(() => (counts = rawDecompress(path)));
      },
      keeping: (): Timing => {
        collectGarbage();
        return timeSync(() => rawDecompress(path, true));
      },
      load: (): Timing => {
        collectGarbage();
        let store: ChunkStore | undefined;
        const t = timeSync(() => (store = loadStore(path)));
        const stats = store!.stats();
        storeBytes = stats.bytes;
        storeChunks = stats.temporal.chunks + stats.static.chunks;
        return t;
      },
    },
    repeats,
  );
  return {
    frames,
    repeats,
    fileBytes: statSync(path).size,
    ...counts,
    baseline: summarizeTimings(timings.baseline),
    keeping: summarizeTimings(timings.keeping),
    load: summarizeTimings(timings.load),
    wallRatio: pairedRatio(timings.load, timings.baseline, "wallMs"),
    cpuRatio: pairedRatio(timings.load, timings.baseline, "cpuMs"),
    keepingWallRatio: pairedRatio(timings.keeping, timings.baseline, "wallMs"),
    keepingCpuRatio: pairedRatio(timings.keeping, timings.baseline, "cpuMs"),
    storeBytes,
    storeChunks,
  };
}

export function storeLoadMarkdown(result: StoreLoadResult, quick: boolean): string {
  const { baseline, keeping, load, wallRatio, cpuRatio, keepingWallRatio, keepingCpuRatio } = result;
  const gib = result.fileBytes / 1024 ** 3;
  const size = gib >= 1 ? `${fmt(gib, 2)} GiB` : `${fmt(result.fileBytes / 1e6, 0)} MB`;
  return `## Loading a ${size} recording into the ChunkStore

${result.frames} frames of 1920×1080 RGB8 (screen-like gradients with sparse noise, which LZ4 compresses to
${fmt(result.fileBytes / result.ipcBytes)}× of the Arrow IPC; ${result.lz4Messages} of ${result.arrowMessages} ArrowMsgs are
LZ4-compressed), written once with the SDK into \`bench/out/\`.${
    quick ? " **Quick mode: a small recording; run `npm run bench` for the ≥ 1 GiB one.**" : ""
  }
Load = read the file, \`RrdDecoder\` (LZ4), \`chunkFromIpc\`, \`ChunkStore.insert\` (compaction on).
Baseline: read the file, walk the MessageHeaders, decode each ArrowMsg protobuf and \`lz4.decompressBlock\` its
payload (the least any loader must do; the file is read into one Buffer and viewed, not copied, in all three).
The middle row (not a target, a diagnosis) is the baseline keeping every decompressed payload until the end, as
a store must: fresh memory for each, page-faulted in, where the baseline's dropped payloads are reused.
Warm-up, then ${result.repeats} interleaved rounds, each variant after an untimed full garbage collection (else
freeing the previous variant's gigabytes lands in the next one); the ratio is the median of the per-round ratios
(min–max).

| path | wall ms | CPU ms | wall ratio to baseline | CPU ratio |
|---|---|---|---|---|
| read + framing + LZ4 decompress (baseline) | ${range(baseline.wall)} | ${range(baseline.cpu)} | 1.00× | 1.00× |
| the same, keeping the decompressed payloads | ${range(keeping.wall)} | ${range(keeping.cpu)} | ${fmt(keepingWallRatio.median)}× (${fmt(keepingWallRatio.min)}–${fmt(keepingWallRatio.max)}) | ${fmt(keepingCpuRatio.median)}× |
| load into the ChunkStore | ${range(load.wall)} | ${range(load.cpu)} | ${fmt(wallRatio.median)}× (${fmt(wallRatio.min)}–${fmt(wallRatio.max)}) | ${fmt(cpuRatio.median)}× |

Store memory: \`stats().bytes\` = ${fmt(result.storeBytes / 1e6, 1)} MB in ${result.storeChunks} chunk(s), ${fmt(
    result.storeBytes / result.ipcBytes,
  )}× the ${fmt(result.ipcBytes / 1e6, 1)} MB of decompressed Arrow IPC payloads (${fmt(
    result.storeBytes / (result.frames * WIDTH * HEIGHT * 3),
  )}× the raw pixel bytes).
`;
}

export interface InsertGrowthResult {
  chunks: number;
  window: number;
  repeats: number;
  /** Per repeat: wall and CPU µs per chunk over the first `window` inserts and over the last `window`. */
  early: Summary;
  late: Summary;
  earlyCpu: Summary;
  lateCpu: Summary;
  ratio: Summary;
  cpuRatio: Summary;
  /** Chunks in the store at the end (compaction merged the one-row chunks). */
  storeChunks: number;
}

/** One-row chunks of a scalar on 4 entities (compaction merges them), built outside the timed inserts. */
function oneRowChunks(from: number, count: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let i = from; i < from + count; i++) {
    const builder = new ChunkBuilder(`/sensor/${i % 4}`);
    builder.addRow(
      new Tuid(1_000n, BigInt(i)),
      new Map([["frame", { type: "sequence", value: BigInt(i) }]]),
      [batch({ component: "Scalar:value" }, ScalarType, [i])],
    );
    chunks.push(builder.build(new Tuid(2_000n, BigInt(i))));
  }
  return chunks;
}

/**
 * A full garbage collection, then `window` inserts into a throwaway store. Without the collection, collecting the
 * previous run's store (200 000 chunk ids, 50 chunks) lands at a random moment, often in the next run's first
 * window; with it alone, V8 restarts with a small young generation and the first 2 000 inserts cost 2–3× the
 * next ones. The throwaway inserts absorb that.
 */
function settleHeap(window: number): void {
  collectGarbage();
  const throwaway = new ChunkStore();
  for (const chunk of oneRowChunks(0, window)) throwaway.insert(chunk);
}

/**
 * Insert cost as the store grows: `chunks` one-row chunks inserted one by one into an empty store (compaction on);
 * the µs per chunk (wall and CPU) of the first `window` inserts against the last `window`. Chunks are built in
 * batches of `window` outside the timing. A warm-up run of `window` × 2 inserts into a throwaway store comes first
 * (so the first window is not the JIT's warm-up), then `repeats` runs, each with a new store after `settleHeap`.
 */
export function benchStoreInsertGrowth(options: {
  chunks: number;
  window: number;
  repeats: number;
}): InsertGrowthResult {
  const { chunks, window, repeats } = options;
  const warmUp = new ChunkStore();
  for (const chunk of oneRowChunks(0, window * 2)) warmUp.insert(chunk);
  const early: number[] = [];
  const late: number[] = [];
  const earlyCpu: number[] = [];
  const lateCpu: number[] = [];
  let storeChunks = 0;
  for (let r = 0; r < repeats; r++) {
    settleHeap(window);
    const store = new ChunkStore();
    for (let start = 0; start < chunks; start += window) {
      const batchOf = oneRowChunks(start, Math.min(window, chunks - start));
      const t = timeSync(() => {
        for (const chunk of batchOf) store.insert(chunk);
      });
      const us = (t.wallMs * 1000) / batchOf.length;
      const cpuUs = (t.cpuMs * 1000) / batchOf.length;
      if (start === 0) {
        early.push(us);
        earlyCpu.push(cpuUs);
      }
      if (start + window >= chunks) {
        late.push(us);
        lateCpu.push(cpuUs);
      }
    }
    storeChunks = store.stats().temporal.chunks;
  }
  return {
    chunks,
    window,
    repeats,
    early: summarize(early),
    late: summarize(late),
    earlyCpu: summarize(earlyCpu),
    lateCpu: summarize(lateCpu),
    ratio: summarize(late.map((us, i) => us / early[i]!)),
    cpuRatio: summarize(lateCpu.map((us, i) => us / earlyCpu[i]!)),
    storeChunks,
  };
}

export function insertGrowthMarkdown(r: InsertGrowthResult): string {
  return `### Insert cost as the store grows

${r.chunks} one-row scalar chunks on 4 entities inserted one by one into an empty \`ChunkStore\` (compaction on: they
merge into ${r.storeChunks} chunks of up to 4096 rows, each merge appending to the growing chunk's buffers); µs per
chunk over the first ${r.window} inserts (the store holds 0 → ${r.window} rows) and over the last ${r.window} (it
holds ${r.chunks - r.window} → ${r.chunks} rows). Chunks are built outside the timing; one warm-up run of ${
    r.window * 2
  } inserts, then ${r.repeats} runs, each with a new store after a forced full garbage collection and ${
    r.window
  } inserts into a throwaway store (so that neither collecting the previous run's store nor the small young
generation V8 restarts with after a forced collection land in the first window); median (min–max) over the runs, the ratio taken run by run.

| inserts | wall µs per chunk | CPU µs per chunk |
|---|---|---|
| first ${r.window} | ${range(r.early, 1)} | ${range(r.earlyCpu, 1)} |
| last ${r.window} (of ${r.chunks}) | ${range(r.late, 1)} | ${range(r.lateCpu, 1)} |
| ratio last / first | ${range(r.ratio, 2)} | ${range(r.cpuRatio, 2)} |
`;
}
