// Recordings larger than memory (issue 18 part 1): a generated recording of several GB opens by reading its footer
// only (as many reads as a small file), scrubbing reads exactly the chunks of the frame shown (counted reads and
// bytes, from a file and over HTTP Range requests), resident memory stays within the budget (the store's own
// accounting, and the process RSS as a sanity bound), and a file without footer gets the same index from one pass.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AsyncRandomAccessSource,
  type ManifestChunk,
  MESSAGE_HEADER_BYTES,
  openHttpRangeSource,
} from "@iris/rrd";
import { openAsyncFileSource } from "@iris/rrd/node";
import { ViewerServer } from "@iris/server";
import type { ChunkStore } from "@iris/store";
import { ImageBufferType } from "@iris/types";
import {
  type LazyRecordingSource,
  openLazyRecording,
} from "../../packages/viewer/src/lazy-recording-source.ts";
import {
  LARGE_HEIGHT,
  LARGE_WIDTH,
  STRIPE_ROWS,
  frameValue,
  freeBytes,
  writeLargeRecording,
} from "./large-recording.ts";

const GIB = 1024 ** 3;
const FRAME_BYTES = LARGE_WIDTH * LARGE_HEIGHT;
const BUDGET = 64 * 1024 * 1024;

/** The large recording's frames: ~3 GiB (IRIS_LAZY_TEST_GB overrides), fewer if the disk is short of space. */
function bigFrames(dir: string): number {
  const wanted = Number(process.env["IRIS_LAZY_TEST_GB"] ?? 3) * GIB;
  // The file is sparse (~1% of its size on disk) but keep room as if it were not, with a margin.
  const bytes = Math.min(wanted, freeBytes(dir) / 4);
  return Math.max(16, Math.floor(bytes / FRAME_BYTES));
}

function buffer(store: ChunkStore, entityPath: string, time: bigint): Uint8Array | undefined {
  return store.latestAtValues(
    { entityPath, timeline: "frame", time, component: "Image:buffer" },
    ImageBufferType,
  )?.[0];
}

/** Checks that the store shows frame `frame`: the large image's stripe and the 4×4 id image hold its value. */
function expectFrame(store: ChunkStore, frame: number): void {
  const image = buffer(store, "/camera/image", BigInt(frame));
  expect(image?.length, `frame ${frame}`).toBe(FRAME_BYTES);
  expect(image![0], `frame ${frame}`).toBe(frameValue(frame));
  expect(image![STRIPE_ROWS * LARGE_WIDTH - 1], `frame ${frame}`).toBe(frameValue(frame));
  expect(image![STRIPE_ROWS * LARGE_WIDTH], `frame ${frame}`).toBe(0);
  expect([...buffer(store, "/frame/id", BigInt(frame))!], `frame ${frame}`).toEqual(
    new Array<number>(16).fill(frameValue(frame)),
  );
}

/** Bytes of the MessageHeader + payload of the chunks of one frame. */
function frameBytes(lazy: LazyRecordingSource, frame: number): number {
  return lazy.recording.chunks
    .filter((c) => !c.isStatic && c.timeRanges.get("frame")?.min === BigInt(frame))
    .reduce((n, c) => n + MESSAGE_HEADER_BYTES + c.byteSize, 0);
}

function snapshot(source: AsyncRandomAccessSource): { requests: number; bytesRead: number } {
  return { ...source.counters };
}

describe("recordings larger than memory", () => {
  const dir = mkdtempSync(join(tmpdir(), "iris-lazy-"));
  const big = join(dir, "big.rrd");
  const small = join(dir, "small.rrd");
  const unfooted = join(dir, "unfooted.rrd");
  let frames = 0;
  let bigSize = 0;
  const opened: { close(): Promise<void> }[] = [];

  beforeAll(() => {
    frames = bigFrames(dir);
    bigSize = writeLargeRecording(big, { frames });
    writeLargeRecording(small, { frames: 2 });
    writeLargeRecording(unfooted, { frames: 24 });
  }, 120_000);
  afterAll(async () => {
    for (const source of opened) await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openFile(path: string): Promise<LazyRecordingSource> {
    const source = await openAsyncFileSource(path);
    opened.push(source);
    return openLazyRecording(source, { memoryBudgetBytes: BUDGET });
  }

  it("opens a multi-GB recording by reading its footer only: the same reads as a 2-frame file", async () => {
    expect(bigSize).toBeGreaterThan(frames * FRAME_BYTES);
    const smallRec = await openFile(small);
    const bigRec = await openFile(big);
    expect(bigRec.index.from).toBe("footer");
    // Footer, End header, stream header and SetStoreInfo: a fixed number of reads, whatever the size.
    expect(bigRec.source.counters.requests).toBe(smallRec.source.counters.requests);
    expect(bigRec.source.counters.bytesRead).toBeLessThan(1024 * 1024);
    expect(bigRec.source.counters.bytesRead / bigSize).toBeLessThan(0.001);
    // The full time range and every entity are known at once; nothing temporal is resident yet.
    expect([...bigRec.loader.timelines().values()]).toEqual([
      { name: "frame", type: "sequence", min: 0n, max: BigInt(frames - 1) },
    ]);
    expect(bigRec.loader.entityPaths()).toEqual(["/__properties", "/camera/image", "/frame/id"]);
    expect(bigRec.store.stats().temporal.chunks).toBe(0);
    expect(bigRec.recording.info?.storeId.applicationId).toBe("iris_lazy");
  });

  it("scrubbing reads only the chunks of the frame shown (one read each, exact bytes) and shows that frame", async () => {
    const rec = await openFile(big);
    for (const frame of [0, frames - 1, Math.floor(frames / 2), 17, frames - 2, 3]) {
      const before = snapshot(rec.source);
      await rec.loader.ensureFrame({ timeline: "frame", time: BigInt(frame) });
      const after = snapshot(rec.source);
      expect(after.requests - before.requests, `frame ${frame}`).toBe(1);
      expect(after.bytesRead - before.bytesRead, `frame ${frame}`).toBe(frameBytes(rec, frame));
      expectFrame(rec.store, frame);
    }
    // A frame between two logged ones is latest-at: no new read for a time whose chunks are resident.
    const before = snapshot(rec.source);
    await rec.loader.ensureFrame({ timeline: "frame", time: 3n });
    expect(snapshot(rec.source)).toEqual(before);
  });

  it("keeps resident memory within the budget while scrubbing the whole recording", async () => {
    const rec = await openFile(big);
    let maxResident = 0;
    let maxRss = 0;
    const step = Math.max(1, Math.floor(frames / 60));
    for (let frame = 0; frame < frames; frame += step) {
      await rec.loader.ensureFrame({ timeline: "frame", time: BigInt(frame) });
      maxResident = Math.max(maxResident, rec.store.stats().bytes);
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
    expectFrame(rec.store, frames - 1 - ((frames - 1) % step));
    expect(maxResident).toBeLessThanOrEqual(BUDGET);
    expect(maxResident).toBeGreaterThan(BUDGET / 2);
    expect(rec.loader.counters.evictions).toBeGreaterThan(30);
    // Sanity bound: the process holds far less than the file (the test runner itself takes a few hundred MB).
    expect(maxRss).toBeLessThan(Math.min(1.5 * GIB, bigSize / 2));
  });

  it("reads a recording over HTTP with Range requests: 2 requests to open, 1 per frame", async () => {
    mkdirSync(join(dir, "viewer"), { recursive: true });
    writeFileSync(join(dir, "viewer", "index.html"), "viewer");
    const server = new ViewerServer({ viewerDir: join(dir, "viewer"), port: 0 });
    const path = server.addFile(big);
    const base = await server.listen();
    try {
      // Counted independently of the source's own counters: what really went over the wire.
      const wire = { requests: 0, bytes: 0, ranges: [] as string[] };
      const countingFetch = async (
        url: string,
        init: { headers: Record<string, string> },
      ): Promise<Response> => {
        wire.requests += 1;
        wire.ranges.push(init.headers["Range"] ?? "");
        const response = await fetch(url, init);
        const body = new Uint8Array(await response.arrayBuffer());
        wire.bytes += body.length;
        return new Response(body, { status: response.status, headers: response.headers });
      };
      const opened = await openHttpRangeSource(`${base}${path}`, { fetch: countingFetch });
      expect(opened.kind).toBe("ranged");
      if (opened.kind !== "ranged") return;
      const rec = await openLazyRecording(opened.source, { memoryBudgetBytes: BUDGET });
      expect(wire.requests).toBe(2);
      expect(wire.ranges).toEqual([`bytes=0-${(64 << 10) - 1}`, expect.stringMatching(/^bytes=\d+-\d+$/)]);
      expect(wire.bytes).toBeLessThan(2 * 1024 * 1024);
      expect(rec.loader.timelines().get("frame")?.max).toBe(BigInt(frames - 1));
      for (const frame of [frames - 1, 5, Math.floor(frames / 3)]) {
        const before = { ...wire };
        await rec.loader.ensureFrame({ timeline: "frame", time: BigInt(frame) });
        expect(wire.requests - before.requests).toBe(1);
        expect(wire.bytes - before.bytes).toBe(frameBytes(rec, frame));
        expect(wire.ranges.at(-1)).toMatch(/^bytes=\d+-\d+$/);
        expectFrame(rec.store, frame);
      }
    } finally {
      await server.close();
    }
  });

  it("without a footer, one sequential pass builds the same index, keeping no chunk", async () => {
    const footed = await openFile(unfooted);
    expect(footed.index.from).toBe("footer");
    const footerChunks = footed.recording.chunks;
    // Cut the End message, RrdFooter and StreamFooter off: the file is as a crashed writer leaves it.
    const lastChunk = footerChunks.reduce((a, b) => (a.byteOffset > b.byteOffset ? a : b));
    truncateSync(unfooted, lastChunk.byteOffset + lastChunk.byteSize);
    const scanned = await openFile(unfooted);
    expect(scanned.index.from).toBe("scan");
    expect(scanned.source.counters.bytesRead).toBeLessThan(
      lastChunk.byteOffset + lastChunk.byteSize + 2 * 1024 * 1024,
    );
    const key = (c: ManifestChunk) => ({
      ...c,
      chunkId: c.chunkId.toString(),
      timeRanges: [...c.timeRanges],
    });
    expect(scanned.recording.chunks.map(key)).toEqual(footerChunks.map(key));
    expect(scanned.recording.info?.storeId).toEqual(footed.recording.info?.storeId);
    expect(scanned.store.stats().temporal.chunks).toBe(0);
    for (const frame of [23, 0, 11]) {
      const before = snapshot(scanned.source);
      await scanned.loader.ensureFrame({ timeline: "frame", time: BigInt(frame) });
      expect(scanned.source.counters.requests - before.requests).toBe(1);
      expectFrame(scanned.store, frame);
    }
  });
});
