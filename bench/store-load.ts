// Benchmark: loading a large LZ4 recording into the ChunkStore, against reading the file, walking the framing
// and LZ4-decompressing every ArrowMsg payload in the same run.
import { fromBinary } from "@bufbuild/protobuf";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { chunkFromIpc } from "@iris/chunk";
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
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { ChunkStore } from "@iris/store";
import { HEIGHT, WIDTH, makeFrames } from "./log-to-file.ts";
import { type Summary, fmt, summarize } from "./stats.ts";

export interface StoreLoadResult {
  frames: number;
  fileBytes: number;
  /** Sum of the decompressed ArrowMsg payloads (Arrow IPC bytes). */
  ipcBytes: number;
  baseline: Summary;
  load: Summary;
  storeBytes: number;
  storeChunks: number;
}

/** Writes `frames` 1920×1080 RGB8 camera-like frames with LZ4 (once; reused when the file exists). */
export function ensureRecording(path: string, frames: number): void {
  if (existsSync(path) && statSync(path).size > frames * WIDTH * HEIGHT * 3 * 0.3) return;
  const pool = makeFrames();
  const rec = new RecordingStream({
    applicationId: "iris_bench_store",
    sink: new FileSink(path, { compression: "lz4" }),
  });
  for (let i = 0; i < frames; i++) {
    rec.setTimeSequence("frame", i);
    rec.log(
      "camera/image",
      new Image(pool[i % pool.length]!, { width: WIDTH, height: HEIGHT, colorModel: "RGB" }),
    );
  }
  rec.close();
}

/** Baseline: read the file, walk the MessageHeaders, decode each ArrowMsg's protobuf and LZ4-decompress it. */
function rawDecompress(path: string): number {
  const bytes = new Uint8Array(readFileSync(path));
  let offset = STREAM_HEADER_BYTES;
  let ipcBytes = 0;
  while (offset + MESSAGE_HEADER_BYTES <= bytes.length) {
    const { kind, lengthBytes } = parseMessageHeader(bytes, offset);
    const length = Number(lengthBytes);
    const payload = bytes.subarray(offset + MESSAGE_HEADER_BYTES, offset + MESSAGE_HEADER_BYTES + length);
    offset += MESSAGE_HEADER_BYTES + length;
    if (kind !== BigInt(MessageKind.ArrowMsg)) continue;
    const msg = fromBinary(logMsgPb.ArrowMsgSchema, payload);
    const size = Number(msg.uncompressedSize);
    const ipc =
      msg.compression === commonPb.Compression.LZ4 ? lz4.decompressBlock(msg.payload, size) : msg.payload;
    ipcBytes += ipc.length;
  }
  return ipcBytes;
}

function loadStore(path: string): ChunkStore {
  const decoder = new RrdDecoder();
  decoder.push(new Uint8Array(readFileSync(path)));
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
  const baseline: number[] = [];
  const load: number[] = [];
  let ipcBytes = 0;
  let storeBytes = 0;
  let storeChunks = 0;
  for (let r = 0; r < repeats; r++) {
    let start = performance.now();
    ipcBytes = rawDecompress(path);
    baseline.push(performance.now() - start);
    start = performance.now();
    const store = loadStore(path);
    load.push(performance.now() - start);
    const stats = store.stats();
    storeBytes = stats.bytes;
    storeChunks = stats.temporal.chunks + stats.static.chunks;
  }
  return {
    frames,
    fileBytes: statSync(path).size,
    ipcBytes,
    baseline: summarize(baseline),
    load: summarize(load),
    storeBytes,
    storeChunks,
  };
}

export function storeLoadMarkdown(result: StoreLoadResult, quick: boolean): string {
  const { baseline, load } = result;
  const gib = result.fileBytes / 1024 ** 3;
  const size = gib >= 1 ? `${fmt(gib, 2)} GiB` : `${fmt(result.fileBytes / 1e6, 0)} MB`;
  return `## Loading a ${size} recording into the ChunkStore

${result.frames} frames of 1920×1080 RGB8 (camera-like, LZ4), written once with the SDK into \`bench/out/\`.${
    quick ? " **Quick mode: a small recording; run `npm run bench` for the ≥ 1 GiB one.**" : ""
  }
Load = read the file, \`RrdDecoder\` (LZ4), \`chunkFromIpc\`, \`ChunkStore.insert\` (compaction on).
Baseline: read the file, walk the MessageHeaders, decode each ArrowMsg protobuf and \`lz4.decompressBlock\` its
payload (the least any loader must do).

| path | ms | ratio to baseline |
|---|---|---|
| read + framing + LZ4 decompress (baseline) | ${fmt(baseline.median, 0)} (${fmt(baseline.min, 0)}–${fmt(baseline.max, 0)}) | 1.00× |
| load into the ChunkStore | ${fmt(load.median, 0)} (${fmt(load.min, 0)}–${fmt(load.max, 0)}) | ${fmt(load.median / baseline.median)}× |

Store memory: \`stats().bytes\` = ${fmt(result.storeBytes / 1e6, 1)} MB in ${result.storeChunks} chunk(s), ${fmt(
    result.storeBytes / result.ipcBytes,
  )}× the ${fmt(result.ipcBytes / 1e6, 1)} MB of decompressed Arrow IPC payloads (${fmt(
    result.storeBytes / (result.frames * WIDTH * HEIGHT * 3),
  )}× the raw pixel bytes).
`;
}
