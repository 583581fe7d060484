import { Chunk, type ChunkComponent, type TimeColumn } from "@iris/chunk";
import type { ComponentDescriptor, Timeline, Tuid } from "@iris/types";
import { GrowableData } from "./growable-data.ts";
import { StoreError } from "./store-error.ts";

/** Rows the row-aligned buffers start with. */
const MIN_ROWS = 16;

interface GrowingTimeline {
  readonly timeline: Timeline;
  times: BigInt64Array;
  isSorted: boolean;
}

interface GrowingComponent {
  readonly descriptor: ComponentDescriptor;
  readonly list: GrowableData;
}

/**
 * The columns of a chunk that compaction keeps appending to: `concatChunks` of everything appended so far, made
 * in time proportional to the appended rows (amortised) instead of to the whole chunk. Every buffer keeps spare
 * capacity and doubles when full; `chunk(id)` returns a `Chunk` whose columns view the filled part.
 *
 * A chunk returned earlier stays valid and unchanged: later appends write past its end, or into new buffers.
 * The spare capacity (at most as much again as the rows in use) is not part of `Chunk.sizeBytes`.
 */
export class ChunkGrowth {
  readonly entityPath: string;
  private readonly extraMetadata: ReadonlyMap<string, string>;
  private rowIds: Uint8Array;
  private rows = 0;
  private readonly timelines = new Map<string, GrowingTimeline>();
  private readonly components = new Map<string, GrowingComponent>();

  /** Starts from a copy of `first`'s rows; its timelines and components are the ones every appended chunk needs. */
  constructor(first: Chunk) {
    this.entityPath = first.entityPath;
    this.extraMetadata = first.extraMetadata;
    this.rowIds = new Uint8Array(Math.max(MIN_ROWS, first.numRows * 2) * 16);
    for (const [name, column] of first.timelines) {
      this.timelines.set(name, {
        timeline: column.timeline,
        times: new BigInt64Array(this.rowIds.length / 16),
        isSorted: true,
      });
    }
    for (const [name, column] of first.components) {
      this.components.set(name, { descriptor: column.descriptor, list: new GrowableData(column.list.type) });
    }
    this.append(first);
  }

  /** Rows appended so far; -1 after a failed append (the buffers may then hold part of it: do not reuse). */
  get numRows(): number {
    return this.rows;
  }

  /**
   * Appends the rows of `chunk` (same entity, timelines and components; see `compactionKey`). Throws
   * `StoreError` when it cannot be concatenated; chunks returned earlier stay valid, this object does not.
   */
  append(chunk: Chunk): void {
    if (this.rows < 0)
      throw new StoreError("invalid-chunk", "cannot append to a ChunkGrowth after a failed append");
    try {
      this.appendRows(chunk);
    } catch (error) {
      this.rows = -1;
      throw error;
    }
  }

  private appendRows(chunk: Chunk): void {
    if (chunk.entityPath !== this.entityPath) {
      throw new StoreError(
        "invalid-chunk",
        `cannot concatenate chunks of ${this.entityPath} and ${chunk.entityPath}`,
      );
    }
    const missing = (name: string): never => {
      throw new StoreError(
        "invalid-chunk",
        `cannot concatenate chunks of ${this.entityPath}: ${name} missing`,
      );
    };
    for (const name of this.timelines.keys()) if (!chunk.timelines.has(name)) missing(name);
    for (const name of this.components.keys()) if (!chunk.components.has(name)) missing(name);

    const start = this.rows;
    const end = start + chunk.numRows;
    const capacity = this.rowIds.length / 16;
    const grown = end > capacity ? Math.max(end, capacity * 2) : capacity;
    if (grown !== capacity) this.rowIds = copyInto(new Uint8Array(grown * 16), this.rowIds, start * 16);
    this.rowIds.set(chunk.rowIds, start * 16);

    for (const [name, growing] of this.timelines) {
      const times = chunk.timelines.get(name)!;
      if (grown !== capacity) growing.times = copyInto(new BigInt64Array(grown), growing.times, start);
      growing.times.set(times.times, start);
      growing.isSorted =
        growing.isSorted &&
        times.isSorted &&
        (start === 0 || times.times.length === 0 || growing.times[start - 1]! <= times.times[0]!);
    }
    for (const [name, growing] of this.components) growing.list.append(chunk.components.get(name)!.list);
    this.rows = end;
  }

  /** The rows appended so far as a chunk with id `id` (its columns view this object's buffers). */
  chunk(id: Tuid): Chunk {
    const rows = this.rows;
    const timelines = new Map<string, TimeColumn>();
    for (const [name, growing] of this.timelines) {
      timelines.set(name, {
        timeline: growing.timeline,
        times: growing.times.subarray(0, rows),
        isSorted: growing.isSorted,
      });
    }
    const components = new Map<string, ChunkComponent>();
    for (const [name, growing] of this.components) {
      components.set(name, {
        descriptor: growing.descriptor,
        list: growing.list.view() as ChunkComponent["list"],
      });
    }
    return new Chunk({
      id,
      entityPath: this.entityPath,
      rowIds: this.rowIds.subarray(0, rows * 16),
      timelines,
      components,
      extraMetadata: this.extraMetadata,
    });
  }
}

function copyInto<T extends Uint8Array | BigInt64Array>(target: T, source: T, used: number): T {
  (target as Uint8Array).set((source as Uint8Array).subarray(0, used));
  return target;
}
