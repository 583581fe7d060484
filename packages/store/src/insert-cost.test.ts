// Insert cost must not grow with the store: the bookkeeping done per insert is counted (not timed), early and
// late in a long run of one-row chunks that compaction merges into ever larger chunks.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import { testChunk } from "./test-chunks.ts";

const chunk = (i: number) =>
  testChunk({ id: i, rows: [{ rowId: i, times: { frame: BigInt(i) }, values: { "Test:x": [i] } }] });

/** Map/Set writes and deletes made by one insert. */
function bookkeeping(store: ChunkStore, i: number): number {
  const spies = [
    vi.spyOn(Map.prototype, "set"),
    vi.spyOn(Map.prototype, "delete"),
    vi.spyOn(Set.prototype, "add"),
    vi.spyOn(Set.prototype, "delete"),
  ];
  const input = chunk(i);
  for (const spy of spies) spy.mockClear();
  store.insert(input);
  const calls = spies.reduce((n, spy) => n + spy.mock.calls.length, 0);
  for (const spy of spies) spy.mockRestore();
  return calls;
}

afterEach(() => vi.restoreAllMocks());

describe("ChunkStore insert cost", () => {
  it("is the same early and late in a compaction run (not proportional to the chunks merged so far)", () => {
    const store = new ChunkStore();
    const counts = new Map<number, number>();
    for (let i = 0; i < 1500; i++) {
      if (i === 20 || i === 1450) counts.set(i, bookkeeping(store, i));
      else store.insert(chunk(i));
    }
    expect(store.stats().temporal.chunks).toBe(1); // everything merged into one chunk
    expect(counts.get(1450)).toBe(counts.get(20));
  });

  it("re-inserting any id merged into a compacted chunk is still a no-op", () => {
    const store = new ChunkStore();
    for (let i = 0; i < 50; i++) store.insert(chunk(i));
    for (const i of [0, 25, 49]) expect(store.insert(chunk(i))).toEqual([]);
    expect(store.stats().temporal.rows).toBe(50);
  });
});
