import { describe, expect, it } from "vitest";
import { ChunkStore, type ChunkStoreOptions } from "./chunk-store.ts";
import { scalarType, testChunk, type TestRow } from "./test-chunks.ts";

/** mulberry32: a tiny seeded PRNG, so failures can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RefChunk {
  readonly entityPath: string;
  readonly rows: readonly TestRow[];
}

interface Answer {
  readonly time: bigint | null;
  readonly rowId: number;
  readonly values: readonly number[];
}

const ENTITIES = ["/a", "/b"];
const COMPONENTS = ["Test:x", "Test:y"];
const SHAPES: readonly (readonly string[])[] = [[], ["frame"], ["frame"], ["frame", "tick"], ["tick"]];

function randomChunks(seed: number, count: number): RefChunk[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // Unique RowIds in random order, so RowId order and insertion order disagree.
  const rowIds = Array.from({ length: count * 4 }, (_, i) => i + 1).sort(() => random() - 0.5);
  const chunks: RefChunk[] = [];
  for (let c = 0; c < count; c++) {
    const shape = pick(SHAPES);
    const rows: TestRow[] = [];
    const numRows = 1 + Math.floor(random() * 4);
    for (let r = 0; r < numRows; r++) {
      const values: Record<string, number[] | null> = {};
      for (const component of COMPONENTS) {
        const roll = random();
        values[component] = roll < 0.3 ? null : roll < 0.4 ? [] : [Math.floor(random() * 1000)];
      }
      if (COMPONENTS.every((k) => values[k] === null)) values["Test:x"] = [7];
      const times = Object.fromEntries(shape.map((name) => [name, BigInt(Math.floor(random() * 16))]));
      rows.push({ rowId: rowIds[c * 4 + r]!, times, values });
    }
    chunks.push({ entityPath: pick(ENTITIES), rows });
  }
  return chunks;
}

/** Brute force over every inserted row: static rows first (greatest RowId), else greatest (time, RowId). */
function referenceLatestAt(
  chunks: readonly RefChunk[],
  entityPath: string,
  timeline: string,
  time: bigint,
  component: string,
): Answer | undefined {
  let staticBest: Answer | undefined;
  let best: Answer | undefined;
  for (const chunk of chunks) {
    if (chunk.entityPath !== entityPath) continue;
    for (const row of chunk.rows) {
      const values = row.values[component];
      if (values === null || values === undefined) continue;
      const times = row.times ?? {};
      if (Object.keys(times).length === 0) {
        if (!staticBest || row.rowId > staticBest.rowId)
          staticBest = { time: null, rowId: row.rowId, values };
        continue;
      }
      const t = times[timeline];
      if (t === undefined || t > time) continue;
      if (!best || t > best.time! || (t === best.time && row.rowId > best.rowId)) {
        best = { time: t, rowId: row.rowId, values };
      }
    }
  }
  return staticBest ?? best;
}

function referenceRange(
  chunks: readonly RefChunk[],
  entityPath: string,
  timeline: string,
  start: bigint,
  end: bigint,
  component: string,
): Answer[] {
  const staticRow = referenceLatestAt(chunks, entityPath, "\u0000none", 0n, component);
  if (staticRow?.time === null) return [staticRow];
  const out: Answer[] = [];
  for (const chunk of chunks) {
    if (chunk.entityPath !== entityPath) continue;
    for (const row of chunk.rows) {
      const values = row.values[component];
      const t = row.times?.[timeline];
      if (values === null || values === undefined || t === undefined || t < start || t > end) continue;
      out.push({ time: t, rowId: row.rowId, values });
    }
  }
  return out.sort((a, b) => (a.time! !== b.time! ? (a.time! < b.time! ? -1 : 1) : a.rowId - b.rowId));
}

function storeLatestAt(
  store: ChunkStore,
  entityPath: string,
  timeline: string,
  time: bigint,
  component: string,
): Answer | undefined {
  const query = { entityPath, timeline, time, component };
  const row = store.latestAt(query);
  if (!row) return undefined;
  return { time: row.time, rowId: Number(row.rowId.inc), values: store.latestAtValues(query, scalarType)! };
}

/** Compares every latest-at query on a grid plus random ranges; returns how many answers were non-empty. */
function checkAgainstReference(
  store: ChunkStore,
  inserted: readonly RefChunk[],
  random: () => number,
): number {
  const actual: unknown[] = [];
  const expected: unknown[] = [];
  let found = 0;
  for (const entityPath of [...ENTITIES, "/missing"]) {
    for (const timeline of ["frame", "tick", "other"]) {
      for (const component of COMPONENTS) {
        for (let t = -1n; t <= 16n; t++) {
          const reference = referenceLatestAt(inserted, entityPath, timeline, t, component);
          if (reference) found++;
          expected.push([entityPath, timeline, component, t, reference]);
          actual.push([
            entityPath,
            timeline,
            component,
            t,
            storeLatestAt(store, entityPath, timeline, t, component),
          ]);
        }
        const start = BigInt(Math.floor(random() * 18) - 1);
        const end = start + BigInt(Math.floor(random() * 8));
        const rows = store
          .rangeValues({ entityPath, timeline, start, end, component }, scalarType)
          .map((r) => ({ time: r.time, rowId: Number(r.rowId.inc), values: r.values }));
        actual.push([entityPath, timeline, component, start, end, rows]);
        expected.push([
          entityPath,
          timeline,
          component,
          start,
          end,
          referenceRange(inserted, entityPath, timeline, start, end, component),
        ]);
      }
    }
  }
  expect(actual).toEqual(expected);
  return found;
}

describe("ChunkStore against a brute-force reference", () => {
  const configurations: [string, ChunkStoreOptions][] = [
    ["compaction disabled", { compaction: "disabled" }],
    ["small compaction limits", { compaction: { maxRows: 6, maxBytes: 1 << 20 } }],
    ["default compaction", {}],
  ];
  for (const [name, options] of configurations) {
    it(`gives identical latestAt and range results (${name})`, () => {
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const random = prng(seed * 7919);
        const chunks = randomChunks(seed, 40);
        const store = new ChunkStore(options);
        const inserted: RefChunk[] = [];
        let found = 0;
        chunks.forEach((chunk, i) => {
          store.insert(testChunk({ id: i + 1, entityPath: chunk.entityPath, rows: chunk.rows }));
          inserted.push(chunk);
          if (i % 10 === 9) found += checkAgainstReference(store, inserted, random);
        });
        // The grid must exercise real answers, not only "nothing there".
        expect(found).toBeGreaterThan(300);
        const totalRows = inserted.reduce((n, c) => n + c.rows.length, 0);
        const stats = store.stats();
        expect(stats.temporal.rows + stats.static.rows + stats.overwrittenStatic.rows).toBe(totalRows);
        if (name !== "compaction disabled") expect(stats.compactions).toBeGreaterThan(0);
        else expect(stats.compactions).toBe(0);
      }
    });
  }

  it("merges only chunks with the same entity, timelines and components, within the limits", () => {
    const store = new ChunkStore({ compaction: { maxRows: 3, maxBytes: 1 << 20 } });
    const row = (rowId: number, frame: bigint): TestRow => ({
      rowId,
      times: { frame },
      values: { "Test:x": [rowId] },
    });
    store.insert(testChunk({ id: 1, rows: [row(1, 1n)] }));
    store.insert(testChunk({ id: 2, rows: [row(2, 2n)] })); // merged: 2 rows
    store.insert(testChunk({ id: 3, entityPath: "/other", rows: [row(3, 3n)] })); // other entity
    store.insert(testChunk({ id: 4, rows: [{ rowId: 4, times: { tick: 1n }, values: { "Test:x": [4] } }] }));
    store.insert(testChunk({ id: 5, rows: [{ rowId: 5, times: { frame: 1n }, values: { "Test:y": [5] } }] }));
    store.insert(testChunk({ id: 6, rows: [row(6, 3n), row(7, 4n)] })); // 2 + 2 > 3: not merged
    store.insert(testChunk({ id: 7, rows: [row(8, 5n)] })); // merged with chunk 6: 3 rows
    expect(store.stats()).toMatchObject({ chunks: 5, rows: 8, compactions: 2 });
    expect(
      store
        .rangeValues(
          { entityPath: "/e", timeline: "frame", start: 0n, end: 10n, component: "Test:x" },
          scalarType,
        )
        .map((r) => r.values[0]),
    ).toEqual([1, 2, 6, 7, 8]);
  });
});
