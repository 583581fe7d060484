// The dataframe table of a recording read on demand lists every row of the file: the row index (times from the
// footer manifest for chunks of one row or one time, the other chunks read once in batches and dropped) equals the
// index values of the same file loaded whole into a ChunkStore, and the cells of the rows in view are read within
// the memory budget. The whole load is the independent reference.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import { type ManifestChunk, RrdDecoder } from "@iris/rrd";
import { openAsyncFileSource } from "@iris/rrd/node";
import { RecordingStream, TimeColumn } from "@iris/sdk";
import { column, float32Component } from "@iris/sdk/advanced";
import { FileSink } from "@iris/sdk/node";
import { ChunkStore, isPropertiesPath } from "@iris/store";
import { openLazyRecording } from "../../packages/viewer/src/lazy-recording-source.ts";
import { LazyRowIndex } from "../../packages/viewer/src/lazy-row-index.ts";
import { LazyTableRows } from "../../packages/viewer/src/lazy-table-rows.ts";
import { allTimes, entityTimes, storeTimelines } from "../../packages/viewer/src/timeline-data.ts";

const scalar = float32Component("rerun.components.Scalar");
const SCALARS = {
  component: "Scalars:scalars",
  archetype: "rerun.archetypes.Scalars",
  componentType: scalar.name,
};
const BUDGET = 512 * 1024; // the file: ~2.7 MB decoded

const dir = mkdtempSync(join(tmpdir(), "iris-row-index-"));
const path = join(dir, "rows.rrd");
const opened: { close(): Promise<void> }[] = [];

/** A deterministic pseudo-random sequence (the same file every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/**
 * /a: 60 chunks of 40 rows (frame times with gaps, chunks overlapping, a duration timeline too), 256 floats a row;
 * /b: 400 chunks of one row, 20 chunks of 5 rows at one time, at times shared with /a or not.
 */
function writeRecording(): void {
  const rec = new RecordingStream({
    applicationId: "row_index",
    sink: new FileSink(path),
    defaultTimelines: false,
  });
  const next = random(7);
  for (let c = 0; c < 60; c++) {
    const frames = Array.from({ length: 40 }, () => c * 50 + Math.floor(next() * 90));
    rec.sendColumns(
      "a",
      [
        new TimeColumn("frame", { sequence: frames }),
        new TimeColumn("time", { duration: frames.map((f) => f / 10) }),
      ],
      [
        column(
          SCALARS,
          scalar,
          frames.map((f) => Array.from({ length: 256 }, (_, k) => f + k)),
        ),
      ],
    );
  }
  for (let i = 0; i < 400; i++) {
    const frame = Math.floor(next() * 3500);
    rec.sendColumns(
      "b",
      [new TimeColumn("frame", { sequence: [frame] })],
      [column(SCALARS, scalar, [[-frame]])],
    );
  }
  for (let i = 0; i < 20; i++) {
    const frame = 5000 + i * 3;
    const frames = new Array<number>(5).fill(frame);
    rec.sendColumns(
      "b",
      [new TimeColumn("frame", { sequence: frames })],
      [
        column(
          SCALARS,
          scalar,
          frames.map((f, k) => [f + k]),
        ),
      ],
    );
  }
  rec.close();
}

/** The file loaded whole: the reference. */
function wholeStore(): ChunkStore {
  const decoder = new RrdDecoder();
  decoder.push(readFileSync(path));
  const store = new ChunkStore();
  for (const event of decoder.end()) {
    if (event.type !== "message" || event.message.kind !== "arrowMsg") continue;
    if (event.message.storeId.kind === "recording") store.insert(chunkFromIpc(event.message.ipc));
  }
  return store;
}

function referenceTimes(store: ChunkStore, timeline: string): bigint[] {
  const state = storeTimelines(store).find((t) => t.name === timeline)!;
  return allTimes(entityTimes(store, state));
}

async function openLazy(memoryBudgetBytes = BUDGET) {
  const source = await openAsyncFileSource(path);
  opened.push(source);
  return openLazyRecording(source, { memoryBudgetBytes });
}

beforeAll(() => writeRecording());
afterAll(async () => {
  for (const source of opened) await source.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the row index of a recording read on demand", () => {
  it("lists every index value of every timeline, as the file loaded whole; reads only multi-time chunks, keeps none", async () => {
    const whole = wholeStore();
    const lazy = await openLazy();
    const chunks = lazy.recording.chunks.filter((c) => !c.isStatic);
    // The file has both kinds the index treats differently.
    expect(chunks.filter((c) => c.numRows === 1).length).toBe(400);
    expect(
      chunks.filter((c) => c.numRows > 1 && c.timeRanges.get("frame")!.min === c.timeRanges.get("frame")!.max)
        .length,
    ).toBe(20);
    const residentBefore = lazy.store.stats();
    const read: ManifestChunk[][] = [];
    const index = new LazyRowIndex(
      lazy.recording.chunks,
      (entries) => {
        read.push([...entries]);
        return lazy.loader.readTransient(entries);
      },
      { batchChunks: 7 },
    );
    // Before any read: the times the manifest gives (one-row and one-time chunks, and every chunk's start… not
    // more than the reference).
    const reference = referenceTimes(whole, "frame");
    const early = [...index.times("frame")];
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((t) => reference.includes(t))).toBe(true);
    expect(index.progress).toEqual({ read: 0, total: 60 });
    const seen: { read: number; rows: number }[] = [];
    index.onChange(() => seen.push({ read: index.progress.read, rows: index.times("frame").length }));
    await index.start();
    expect(index.error).toBeUndefined();
    expect(index.done).toBe(true);
    expect([...index.times("frame")]).toEqual(reference);
    expect([...index.times("time")]).toEqual(referenceTimes(whole, "time"));
    // In batches of at most 7 chunks, the table growing after each; only chunks with several times were read.
    expect(seen.length).toBe(Math.ceil(60 / 7));
    expect(seen.map((s) => s.read)).toEqual(seen.map((_, i) => Math.min(60, (i + 1) * 7)));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.rows).toBeGreaterThanOrEqual(seen[i - 1]!.rows);
    expect(read.every((batch) => batch.length <= 7)).toBe(true);
    expect(read.flat().every((e) => e.entityPath === "/a" && e.numRows === 40)).toBe(true);
    // Nothing was kept resident for it.
    expect(lazy.store.stats()).toEqual(residentBefore);
  });

  it("gives the table every row and column, and the cells of the rows in view within the memory budget", async () => {
    const whole = wholeStore();
    const lazy = await openLazy();
    const rows = new LazyTableRows(lazy);
    expect(rows.columns()).toEqual(
      whole
        .entityPaths()
        .filter((p) => !isPropertiesPath(p))
        .flatMap((entityPath) =>
          whole.componentsOf(entityPath).map((c) => ({ entityPath, component: c.descriptor.component })),
        ),
    );
    rows.times("frame"); // starts indexing
    expect(rows.status()).toMatch(/^indexing rows: \d+ of 60 chunks$/);
    await rows.rowIndex.start();
    expect(rows.status()).toBeUndefined();
    const times = [...rows.times("frame")];
    expect(times).toEqual(referenceTimes(whole, "frame"));
    // Walk the whole table 20 rows at a time, as scrolling does: the cells in view are read, and match the whole load.
    let changes = 0;
    rows.onChange(() => changes++);
    for (let first = 0; first < times.length; first += 20) {
      const view = times.slice(first, first + 20);
      const [min, max] = [view[0]!, view[view.length - 1]!];
      const before = changes;
      rows.showRows("frame", min, max, ["/a", "/b"]);
      await new Promise<void>((resolve) => {
        const check = (): void => (changes > before ? resolve() : void setTimeout(check, 1));
        check();
      });
      for (const t of view) {
        for (const entityPath of ["/a", "/b"]) {
          expect(rows.cellsRead(entityPath, "frame", t), `${entityPath} @${t}`).toBe(true);
          const query = { entityPath, timeline: "frame", time: t, component: "Scalars:scalars" };
          const got = lazy.store.latestAt(query);
          const want = whole.latestAt(query);
          const exact = (r: typeof got) => (r && r.time === t ? r.rowId.toString() : undefined);
          expect(exact(got), `${entityPath} @${t}`).toBe(exact(want));
        }
      }
      expect(rows.status()).toBeUndefined();
      // Within the budget (the rows in view take at most half of it).
      expect(lazy.store.stats().bytes).toBeLessThanOrEqual(BUDGET);
    }
    expect(lazy.loader.counters.evictions).toBeGreaterThan(0);
    // Rows far from those in view: not read any more (evicted), so the table shows them as pending, not empty.
    expect(rows.cellsRead("/a", "frame", times[0]!)).toBe(false);
  });

  it("leaves the cells of rows in view unread beyond half the budget, and says so", async () => {
    const lazy = await openLazy(128 * 1024); // half of it: less than two /a chunks (~44 kB each)
    const rows = new LazyTableRows(lazy);
    await rows.rowIndex.start();
    const times = [...rows.times("frame")].filter((t) => t < 300n);
    let changed = false;
    rows.onChange(() => (changed = true));
    rows.showRows("frame", times[0]!, times[times.length - 1]!, ["/a"]);
    await new Promise<void>((resolve) => {
      const check = (): void => (changed ? resolve() : void setTimeout(check, 1));
      check();
    });
    const read = times.map((t) => rows.cellsRead("/a", "frame", t));
    // The earliest rows are read, the later ones are not (and the table shows them as pending).
    expect(read[0]).toBe(true);
    expect(read[read.length - 1]).toBe(false);
    expect(rows.status()).toMatch(/^the cells marked … are not read: .* \(\d+ chunks left out\)$/);
    expect(lazy.store.stats().bytes).toBeLessThanOrEqual(128 * 1024);
  });
});
