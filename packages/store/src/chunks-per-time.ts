import { compareRowIds } from "./row-id.ts";
import type { StoredChunk } from "./stored-chunk.ts";

interface Entry {
  readonly start: bigint;
  readonly end: bigint;
  readonly chunk: StoredChunk;
}

/** A chunk row found by a query, before it is turned into a public result. */
export interface RowHit {
  readonly chunk: StoredChunk;
  readonly row: number;
  readonly time: bigint;
}

/**
 * The temporal chunks of one entity + timeline + component, sorted by the start of their time range (Rerun's
 * `ChunkIdSetPerTime`). A running maximum of the range ends lets queries stop early even when chunks overlap:
 * going backwards from the last chunk starting at or before `t`, once every remaining chunk ends before the best
 * time found so far, none of them can hold a better row.
 */
export class ChunksPerTime {
  readonly timeline: string;
  readonly component: string;
  private readonly entries: Entry[] = [];
  private prefixMaxEnd: bigint[] | undefined;

  constructor(timeline: string, component: string) {
    this.timeline = timeline;
    this.component = component;
  }

  get size(): number {
    return this.entries.length;
  }

  insert(chunk: StoredChunk): void {
    const range = chunk.timeRanges.get(this.timeline)!;
    const at = this.upperBound(range.min);
    this.entries.splice(at, 0, { start: range.min, end: range.max, chunk });
    this.prefixMaxEnd = undefined;
  }

  remove(chunk: StoredChunk): void {
    const i = this.entries.findIndex((e) => e.chunk === chunk);
    if (i >= 0) this.entries.splice(i, 1);
    this.prefixMaxEnd = undefined;
  }

  /** The row with the greatest (time ≤ t, RowId) that logged the component, across all chunks. */
  latestAt(time: bigint): RowHit | undefined {
    const maxEnd = this.maxEnds();
    let best: RowHit | undefined;
    for (let i = this.upperBound(time) - 1; i >= 0; i--) {
      if (best && maxEnd[i]! < best.time) break;
      const chunk = this.entries[i]!.chunk;
      const row = chunk.latestAt(this.timeline, time, this.component);
      if (row === undefined) continue;
      const hit = { chunk, row, time: chunk.chunk.timelines.get(this.timeline)!.times[row]! };
      if (!best || compareHits(hit, best) > 0) best = hit;
    }
    return best;
  }

  /** Every row with start ≤ time ≤ end that logged the component, sorted by (time, RowId). */
  range(start: bigint, end: bigint): RowHit[] {
    if (start > end) return [];
    const maxEnd = this.maxEnds();
    const hits: RowHit[] = [];
    for (let i = this.upperBound(end) - 1; i >= 0; i--) {
      if (maxEnd[i]! < start) break;
      const entry = this.entries[i]!;
      if (entry.end < start) continue;
      const times = entry.chunk.chunk.timelines.get(this.timeline)!.times;
      for (const row of entry.chunk.range(this.timeline, start, end, this.component)) {
        hits.push({ chunk: entry.chunk, row, time: times[row]! });
      }
    }
    return hits.sort(compareHits);
  }

  /** Index of the first entry whose start is > `time`. */
  private upperBound(time: bigint): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.start <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private maxEnds(): bigint[] {
    if (!this.prefixMaxEnd) {
      const out: bigint[] = [];
      let max: bigint | undefined;
      for (const e of this.entries) {
        max = max === undefined || e.end > max ? e.end : max;
        out.push(max);
      }
      this.prefixMaxEnd = out;
    }
    return this.prefixMaxEnd;
  }
}

/** Orders hits by (time, RowId). */
export function compareHits(a: RowHit, b: RowHit): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return compareRowIds(a.chunk.chunk.rowIds, a.row, b.chunk.chunk.rowIds, b.row);
}
