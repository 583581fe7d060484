// Lazy section of `npm run bench`: opening a multi-GB recording on demand (index from its footer) against a
// 2-frame one, and the latency of scrubbing to a frame that is not resident, from a file and over HTTP Range
// requests (the ViewerServer `iris view` uses). The recordings are sparse files written by tests/lazy.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openHttpRangeSource } from "@iris/rrd";
import { openAsyncFileSource } from "@iris/rrd/node";
import { ViewerServer } from "@iris/server";
import { type LazyRecordingSource, openLazyRecording } from "../packages/viewer/src/lazy-recording-source.ts";
import { LARGE_HEIGHT, LARGE_WIDTH, writeLargeRecording } from "../tests/lazy/large-recording.ts";
import { type Summary, range, summarize } from "./stats.ts";

export interface LazyBenchResult {
  bigBytes: number;
  smallBytes: number;
  frames: number;
  openSmallMs: Summary;
  openBigMs: Summary;
  openBigBytesRead: number;
  openBigRequests: number;
  scrubFileMs: Summary;
  scrubHttpMs: Summary;
  scrubBytesPerFrame: number;
}

const BUDGET = 256 * 1024 * 1024;

async function openFile(
  path: string,
): Promise<{ ms: number; rec: LazyRecordingSource; close(): Promise<void> }> {
  const start = performance.now();
  const source = await openAsyncFileSource(path);
  const rec = await openLazyRecording(source, { memoryBudgetBytes: BUDGET });
  return { ms: performance.now() - start, rec, close: () => source.close() };
}

/** Scrubs to `count` frames spread over the recording (none resident before), returning each one's latency. */
async function scrub(rec: LazyRecordingSource, frames: number, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const frame = Math.floor(((i * 7919) % count) * (frames / count));
    const start = performance.now();
    await rec.loader.ensureFrame({ timeline: "frame", time: BigInt(frame) });
    times.push(performance.now() - start);
  }
  return times;
}

export async function benchLazy(options: {
  quick: boolean;
  repeats: number;
  dir: string;
}): Promise<LazyBenchResult> {
  const dir = join(options.dir, "lazy");
  mkdirSync(dir, { recursive: true });
  const big = join(dir, "big.rrd");
  const small = join(dir, "small.rrd");
  const frames = options.quick ? 64 : 384; // 0.5 or 3 GiB (sparse on disk)
  try {
    const bigBytes = writeLargeRecording(big, { frames });
    const smallBytes = writeLargeRecording(small, { frames: 2 });
    const openSmall: number[] = [];
    const openBig: number[] = [];
    let openBigBytesRead = 0;
    let openBigRequests = 0;
    for (let round = 0; round <= options.repeats; round++) {
      const a = await openFile(small);
      const b = await openFile(big);
      openBigBytesRead = b.rec.source.counters.bytesRead;
      openBigRequests = b.rec.source.counters.requests;
      await a.close();
      await b.close();
      if (round === 0) continue; // warm-up
      openSmall.push(a.ms);
      openBig.push(b.ms);
    }
    const file = await openFile(big);
    const scrubCount = options.quick ? 16 : 48;
    const before = file.rec.source.counters.bytesRead;
    const scrubFile = await scrub(file.rec, frames, scrubCount);
    const scrubBytesPerFrame = (file.rec.source.counters.bytesRead - before) / scrubCount;
    await file.close();

    mkdirSync(join(dir, "viewer"), { recursive: true });
    writeFileSync(join(dir, "viewer", "index.html"), "bench");
    const server = new ViewerServer({ viewerDir: join(dir, "viewer"), port: 0 });
    const path = server.addFile(big);
    const base = await server.listen();
    let scrubHttp: number[];
    try {
      const opened = await openHttpRangeSource(`${base}${path}`);
      if (opened.kind !== "ranged")
        throw new Error("the ViewerServer did not answer a Range request with 206");
      const rec = await openLazyRecording(opened.source, { memoryBudgetBytes: BUDGET });
      scrubHttp = await scrub(rec, frames, scrubCount);
    } finally {
      await server.close();
    }
    return {
      bigBytes,
      smallBytes,
      frames,
      openSmallMs: summarize(openSmall),
      openBigMs: summarize(openBig),
      openBigBytesRead,
      openBigRequests,
      scrubFileMs: summarize(scrubFile),
      scrubHttpMs: summarize(scrubHttp),
      scrubBytesPerFrame,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function lazyBenchMarkdown(r: LazyBenchResult): string {
  const gb = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  return `## Recordings larger than memory (on-demand loading)

A recording of ${r.frames} frames of ${LARGE_WIDTH}×${LARGE_HEIGHT} L8 (${gb(r.bigBytes)}, uncompressed, written
sparse by \`tests/lazy/large-recording.ts\`) opened on demand (\`openLazyRecording\`: index from the RrdFooter,
static chunks; budget ${mb(BUDGET)}) against a 2-frame recording of the same images (${mb(r.smallBytes)}); then
scrubbing to frames that are not resident (the chunks of one frame: ${mb(r.scrubBytesPerFrame)} read per frame),
from the file and over HTTP Range requests to the \`iris view\` server on 127.0.0.1. Milliseconds, median (min–max).

| | ms |
|---|---|
| open, 2-frame recording | ${range(r.openSmallMs, 1)} |
| open, ${gb(r.bigBytes)} recording (${r.openBigRequests} reads, ${(r.openBigBytesRead / 1024).toFixed(0)} KiB) | ${range(r.openBigMs, 1)} |
| scrub to a frame, file | ${range(r.scrubFileMs, 1)} |
| scrub to a frame, HTTP Range | ${range(r.scrubHttpMs, 1)} |
`;
}
