import type { Chunk } from "@iris/chunk";
import { type Tuid, isValidAt } from "@iris/types";
import { ChunkGrowth } from "./chunk-growth.ts";
import { compareRowIds, rowIdKey, tuidKey } from "./row-id.ts";

/** Inclusive time range on one timeline. */
export interface TimeRange {
  readonly min: bigint;
  readonly max: bigint;
}

/**
 * A chunk as the store holds it: the chunk plus what queries need about it, computed once (time range per
 * timeline, smallest RowId) or lazily (the row order by (time, RowId) per timeline, for unsorted chunks).
 */
export class StoredChunk {
  readonly chunk: Chunk;
  readonly idKey: string;
  /** Sortable key of the smallest RowId, the eviction order. */
  readonly minRowIdKey: string;
  readonly timeRanges: ReadonlyMap<string, TimeRange>;
  /** `chunk.sizeBytes`, computed once (the chunk is immutable). */
  readonly sizeBytes: number;
  /**
   * Keys of the incoming chunk ids this chunk holds (itself, or every chunk compacted into it). A compacted chunk
   * takes over the array of the chunk it grew from and appends one key, so compaction costs O(1) here.
   */
  readonly sourceIdKeys: readonly string[];
  /**
   * For a compacted chunk: the buffers its columns view, with room to grow, so the next merge appends the incoming
   * rows instead of copying the whole chunk (see `ChunkGrowth`). Moves to the merged chunk like `sourceIdKeys`.
   */
  readonly growth: ChunkGrowth | undefined;
  private readonly orders = new Map<string, Uint32Array | null>();

  /** `derived`: what `merged` computed from the chunk's parts; by default everything is computed from `chunk`. */
  constructor(
    chunk: Chunk,
    derived?: {
      minRowIdKey: string;
      timeRanges: ReadonlyMap<string, TimeRange>;
      sourceIdKeys: string[];
      growth: ChunkGrowth;
    },
  ) {
    this.chunk = chunk;
    this.idKey = tuidKey(chunk.id);
    this.sizeBytes = chunk.sizeBytes;
    if (derived) {
      this.sourceIdKeys = derived.sourceIdKeys;
      this.minRowIdKey = derived.minRowIdKey;
      this.timeRanges = derived.timeRanges;
      this.growth = derived.growth;
      return;
    }
    this.growth = undefined;
    this.sourceIdKeys = [this.idKey];
    let minRow = 0;
    for (let row = 1; row < chunk.numRows; row++) {
      if (compareRowIds(chunk.rowIds, row, chunk.rowIds, minRow) < 0) minRow = row;
    }
    this.minRowIdKey = rowIdKey(chunk.rowIds, minRow);
    this.timeRanges = timeRangesOf(chunk);
  }

  /**
   * `previous` + `incoming` (what `concatChunks` makes) as a new chunk with id `id`, appended to `previous`'s
   * growing buffers (or to new ones, holding a copy of `previous`, the first time), with what the store knows about
   * it derived from the two parts instead of rescanning every row: the cost depends on the incoming chunk only
   * (amortised). `previous` must no longer be used (its source-id array and buffers move to the merged chunk).
   */
  static merged(previous: StoredChunk, incoming: StoredChunk, id: Tuid): StoredChunk {
    const growth =
      previous.growth && previous.growth.numRows === previous.chunk.numRows
        ? previous.growth
        : new ChunkGrowth(previous.chunk);
    growth.append(incoming.chunk);
    const merged = growth.chunk(id);
    const timeRanges = new Map(previous.timeRanges);
    for (const [name, range] of incoming.timeRanges) {
      const before = timeRanges.get(name);
      const min = before && before.min < range.min ? before.min : range.min;
      const max = before && before.max > range.max ? before.max : range.max;
      timeRanges.set(name, { min, max });
    }
    const sourceIdKeys = previous.sourceIdKeys as string[];
    sourceIdKeys.push(incoming.idKey);
    const minRowIdKey =
      previous.minRowIdKey < incoming.minRowIdKey ? previous.minRowIdKey : incoming.minRowIdKey;
    return new StoredChunk(merged, { minRowIdKey, timeRanges, sourceIdKeys, growth });
  }

  /** True when the row logged the component (its list is not null; an empty list counts, it is a clear). */
  hasValue(component: string, row: number): boolean {
    const column = this.chunk.components.get(component);
    return column !== undefined && isValidAt(column.list, row);
  }

  /** The row with the greatest (time, RowId) such that time ≤ `time` that logged `component`. */
  latestAt(timeline: string, time: bigint, component: string): number | undefined {
    const times = this.chunk.timelines.get(timeline)?.times;
    if (!times) return undefined;
    const order = this.order(timeline);
    const at = (p: number): number => (order ? order[p]! : p);
    // First position whose time is > `time`.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[at(mid)]! <= time) lo = mid + 1;
      else hi = mid;
    }
    for (let p = lo - 1; p >= 0; p--) {
      const row = at(p);
      if (this.hasValue(component, row)) return row;
    }
    return undefined;
  }

  /** The rows with `start ≤ time ≤ end` that logged `component`, sorted by (time, RowId). */
  range(timeline: string, start: bigint, end: bigint, component: string): number[] {
    const times = this.chunk.timelines.get(timeline)?.times;
    if (!times || start > end) return [];
    const order = this.order(timeline);
    const at = (p: number): number => (order ? order[p]! : p);
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[at(mid)]! < start) lo = mid + 1;
      else hi = mid;
    }
    const rows: number[] = [];
    for (let p = lo; p < times.length; p++) {
      const row = at(p);
      if (times[row]! > end) break;
      if (this.hasValue(component, row)) rows.push(row);
    }
    return rows;
  }

  /** For static chunks: the row with the greatest RowId that logged `component`. */
  latestStatic(component: string): number | undefined {
    let best: number | undefined;
    for (let row = 0; row < this.chunk.numRows; row++) {
      if (!this.hasValue(component, row)) continue;
      if (best === undefined || compareRowIds(this.chunk.rowIds, row, this.chunk.rowIds, best) > 0)
        best = row;
    }
    return best;
  }

  /** Row positions sorted by (time, RowId) on `timeline`; null when the chunk already is in that order. */
  private order(timeline: string): Uint32Array | null {
    let order = this.orders.get(timeline);
    if (order !== undefined) return order;
    const times = this.chunk.timelines.get(timeline)!.times;
    const rowIds = this.chunk.rowIds;
    const cmp = (a: number, b: number): number =>
      times[a]! < times[b]! ? -1 : times[a]! > times[b]! ? 1 : compareRowIds(rowIds, a, rowIds, b);
    let sorted = true;
    for (let row = 1; row < times.length && sorted; row++) sorted = cmp(row - 1, row) < 0;
    order = sorted ? null : Uint32Array.from({ length: times.length }, (_, i) => i).sort(cmp);
    this.orders.set(timeline, order);
    return order;
  }
}

/** The min and max time of a chunk on each of its timelines (none for static chunks). */
export function timeRangesOf(chunk: Chunk): Map<string, TimeRange> {
  const ranges = new Map<string, TimeRange>();
  for (const [name, column] of chunk.timelines) {
    if (column.times.length === 0) continue;
    let min = column.times[0]!;
    let max = min;
    for (const t of column.times) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    ranges.set(name, { min, max });
  }
  return ranges;
}
