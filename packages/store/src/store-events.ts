import type { Chunk } from "@iris/chunk";
import type { Tuid } from "@iris/types";
import type { TimeRange } from "./stored-chunk.ts";

/**
 * What compaction did on an insert: the incoming chunk was merged with an existing one into `newChunk` (which
 * replaces both in the store; Rerun's `ChunkCompactionReport`).
 */
export interface ChunkCompaction {
  /** The chunks that were merged: the existing chunk's id, then the incoming chunk's id. */
  readonly sourceChunkIds: readonly Tuid[];
  readonly newChunk: Chunk;
}

/** Why a chunk left the store. */
export type DeletionReason =
  /** Removed to stay under the memory budget (temporal chunks only, oldest RowIds first). */
  | "evicted"
  /** A static chunk whose every component has been overwritten by static data with a greater RowId. */
  | "overwritten-static";

export interface StoreEventBase {
  /** Increases by one per event, over the life of the store. */
  readonly eventId: number;
  readonly entityPath: string;
  readonly isStatic: boolean;
  /** Component identifiers present in `chunk`, sorted. */
  readonly components: readonly string[];
  /** Min/max time per timeline of `chunk` (empty for static chunks). */
  readonly timeRanges: ReadonlyMap<string, TimeRange>;
  readonly numRows: number;
}

/**
 * A change to the store (Rerun's `ChunkStoreEvent`). Additions carry the incoming chunk — the delta — even when
 * compaction merged it into a bigger chunk (see `compaction`); deletions carry the chunk that left, which can be
 * such a merged chunk. Summing additions and subtracting deletions row by row therefore stays exact.
 */
export type StoreEvent =
  | (StoreEventBase & {
      readonly kind: "addition";
      readonly chunk: Chunk;
      readonly compaction?: ChunkCompaction;
    })
  | (StoreEventBase & { readonly kind: "deletion"; readonly chunk: Chunk; readonly reason: DeletionReason });

/** Called with the events of one `insert`, in order. */
export type StoreListener = (events: readonly StoreEvent[]) => void;
