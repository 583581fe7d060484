// Compaction appends to growing buffers (ChunkGrowth) instead of concatenating whole chunks: its output must be
// exactly what concatChunks makes, and chunks handed out earlier must not change when the buffers grow.
import type { Chunk } from "@iris/chunk";
import { isValidAt } from "@iris/types";
import { describe, expect, it } from "vitest";
import { concatChunks } from "./chunk-concat.ts";
import { ChunkGrowth } from "./chunk-growth.ts";
import { ChunkStore } from "./chunk-store.ts";
import { compactionKey } from "./compaction.ts";
import { StoreError } from "./store-error.ts";
import { chunkId, testChunk, type TestRow } from "./test-chunks.ts";
import { tuidKey } from "./row-id.ts";
import { valuesOf } from "./arrow-test-cases.ts";

/**
 * Everything a chunk holds, as plain data (buffers as arrays, so views and copies compare equal). `exact`: the
 * validity bitmaps byte for byte, padding included; otherwise only the bits of the chunk's rows (the padding bits
 * of a chunk handed out earlier may be set by later appends).
 */
function contents(chunk: Chunk, exact = true): unknown {
  return {
    id: chunk.id.toString(),
    entityPath: chunk.entityPath,
    rowIds: Array.from(chunk.rowIds),
    timelines: [...chunk.timelines].map(([name, t]) => [name, t.timeline, Array.from(t.times), t.isSorted]),
    components: [...chunk.components].map(([name, c]) => [
      name,
      c.descriptor,
      String(c.list.type),
      c.list.nullCount,
      Array.from(c.list.valueOffsets),
      exact
        ? Array.from(c.list.nullBitmap ?? [])
        : Array.from({ length: c.list.length }, (_, row) => isValidAt(c.list, row)),
      valuesOf(c.list),
    ]),
    sizeBytes: chunk.sizeBytes,
  };
}

/** A seeded stream of 1–3-row chunks on two entities: nulls, clears, out-of-order times. */
function stream(count: number): Chunk[] {
  let seed = 12345;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const chunks: Chunk[] = [];
  let rowId = 1;
  for (let i = 0; i < count; i++) {
    const rows: TestRow[] = [];
    for (let r = 0, n = 1 + random(3); r < n; r++) {
      const roll = random(10);
      rows.push({
        rowId: rowId++,
        times: { frame: BigInt(i * 2 - random(5)), tick: BigInt(i) },
        values: {
          "Test:x": roll < 2 ? null : roll < 3 ? [] : [random(100), random(100)].slice(0, 1 + random(2)),
          "Test:y": roll === 9 ? null : [i],
        },
      });
    }
    chunks.push(testChunk({ id: i + 1, entityPath: random(2) === 0 ? "/a" : "/b", rows }));
  }
  return chunks;
}

describe("ChunkGrowth", () => {
  it("makes the chunks concatChunks makes, append after append, and leaves earlier chunks unchanged", () => {
    const all = stream(240);
    const chunks = all.filter((c) => compactionKey(c) === compactionKey(all[0]!));
    const growth = new ChunkGrowth(chunks[0]!);
    let expected = chunks[0]!;
    const earlier: { chunk: Chunk; contents: unknown }[] = [];
    chunks.slice(1).forEach((chunk, i) => {
      growth.append(chunk);
      const id = chunkId(10_000 + i);
      expected = concatChunks(expected, chunk, id);
      const grown = growth.chunk(id);
      expect(contents(grown)).toEqual(contents(expected));
      if (i % 8 === 0) earlier.push({ chunk: grown, contents: contents(grown, false) });
    });
    expect(growth.numRows).toBeGreaterThan(100);
    for (const { chunk, contents: before } of earlier) expect(contents(chunk, false)).toEqual(before);
  });

  it("refuses a chunk of another entity or with a missing column, and is not reused after that", () => {
    const [first, second] = stream(2);
    const growth = new ChunkGrowth(
      testChunk({
        id: 1,
        entityPath: "/a",
        rows: [{ rowId: 1, times: { frame: 1n }, values: { "Test:x": [1] } }],
      }),
    );
    expect(() =>
      growth.append(
        testChunk({
          id: 2,
          entityPath: "/b",
          rows: [{ rowId: 2, times: { frame: 1n }, values: { "Test:x": [1] } }],
        }),
      ),
    ).toThrow(StoreError);
    expect(growth.numRows).toBe(-1);
    expect(() => growth.append(first!)).toThrow(StoreError);
    const other = new ChunkGrowth(
      testChunk({
        id: 3,
        entityPath: second!.entityPath,
        rows: [{ rowId: 3, times: { frame: 1n }, values: { "Test:z": [1] } }],
      }),
    );
    expect(() => other.append(second!)).toThrow(/Test:z missing/);
  });
});

describe("ChunkStore compaction through ChunkGrowth", () => {
  for (const maxRows of [4, 64, 4096]) {
    it(`emits the merged chunks concatChunks makes (maxRows ${maxRows}); earlier ones stay unchanged`, () => {
      const store = new ChunkStore({ compaction: { maxRows, maxBytes: 1 << 20 } });
      const inputs = new Map<string, Chunk>();
      /** What each live chunk id holds according to concatChunks. */
      const reference = new Map<string, Chunk>();
      const handedOut: { chunk: Chunk; contents: unknown }[] = [];
      let compactions = 0;
      store.subscribe((events) => {
        for (const event of events) {
          if (event.kind !== "addition") continue;
          const added = event.compaction?.newChunk ?? event.chunk;
          if (event.compaction) {
            compactions++;
            const [previous, incoming] = event.compaction.sourceChunkIds.map((id) => tuidKey(id));
            const expected = concatChunks(reference.get(previous!)!, inputs.get(incoming!)!, added.id);
            expect(contents(added)).toEqual(contents(expected));
          }
          reference.set(tuidKey(added.id), added);
          if (handedOut.length < 40 || event.eventId % 16 === 0) {
            handedOut.push({ chunk: added, contents: contents(added, false) });
          }
        }
      });
      for (const chunk of stream(240)) {
        inputs.set(tuidKey(chunk.id), chunk);
        store.insert(chunk);
      }
      expect(compactions).toBeGreaterThan(maxRows === 4 ? 80 : 200);
      for (const { chunk, contents: before } of handedOut) expect(contents(chunk, false)).toEqual(before);
    });
  }
});
