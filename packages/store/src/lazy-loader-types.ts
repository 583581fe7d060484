import type { Chunk } from "@iris/chunk";
import type { TimeType, Tuid } from "@iris/types";
import type { TimeRange } from "./stored-chunk.ts";

/** What the loader needs to know of a chunk it has not read (an RRD manifest row has all of it). */
export interface ChunkIndexEntry {
  readonly chunkId: Tuid;
  readonly entityPath: string;
  readonly isStatic: boolean;
  /** The chunk's time range on each of its timelines (none for static chunks). */
  readonly timeRanges: ReadonlyMap<string, TimeRange>;
  /** The components that hold data in the chunk. */
  readonly components: readonly string[];
  /** Bytes read to get the chunk (its compressed size in the file). */
  readonly byteSize: number;
  /** Bytes of the chunk decoded (its uncompressed Arrow IPC), when the index knows them; else `byteSize`. */
  readonly byteSizeUncompressed?: number;
}

/** Reads the chunks of index entries (in the order given); the loader inserts them into the store. */
export type ChunkFetcher<E extends ChunkIndexEntry = ChunkIndexEntry> = (
  entries: readonly E[],
) => Promise<Chunk[]>;

export interface LazyChunkLoaderOptions {
  /**
   * Resident chunk bytes (`ChunkStore.stats().bytes`, the store's own accounting) kept at most, except what the
   * current frame needs and static data, which are never evicted. Default 512 MiB.
   */
  memoryBudgetBytes?: number;
  /** The timelines of the index and their kinds (e.g. from an RRD manifest). */
  timelineTypes?: ReadonlyMap<string, TimeType>;
}

/** A point in time for which the chunks that latest-at queries there need should be resident. */
export interface LazyFrame {
  timeline: string;
  time: bigint;
  /** Only these entities (e.g. those of the visible views); default every entity of the index. */
  entityPaths?: readonly string[];
}

/** A time range (inclusive) on one timeline whose chunks should be resident, e.g. the rows a table shows. */
export interface LazyRange {
  timeline: string;
  min: bigint;
  max: bigint;
  /** Only these entities; default every entity of the index. */
  entityPaths?: readonly string[];
  /**
   * Bytes (decoded: `byteSizeUncompressed`, else `byteSize`) read for the range at most, earliest chunks first (at least one); default half the memory
   * budget, so that what a range keeps and the current frame fit in it together.
   */
  maxBytes?: number;
}

/** What the loader did so far. */
export interface LazyLoaderCounters {
  /** Chunks read through the fetcher (a chunk read again after eviction counts again). */
  chunksFetched: number;
  /** Their `byteSize` summed. */
  bytesFetched: number;
  /** Fetcher calls. */
  fetchCalls: number;
  /** Chunks the loader evicted for the budget. */
  evictions: number;
  /** Frames served (`ensureFrame` calls that ran, not superseded ones). */
  framesServed: number;
}
