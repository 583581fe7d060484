/** Rows, chunks and bytes (`Chunk.sizeBytes`) of some set of chunks. */
export interface ChunkCounts {
  readonly chunks: number;
  readonly rows: number;
  readonly bytes: number;
}

/** What the store holds now, split static/temporal, and what it has evicted so far. */
export interface StoreStats extends ChunkCounts {
  readonly static: ChunkCounts;
  readonly temporal: ChunkCounts;
  /** Totals over every chunk evicted for the memory budget since the store was made. */
  readonly evicted: ChunkCounts;
  /** Static chunks dropped because newer static data overwrote all their components. */
  readonly overwrittenStatic: ChunkCounts;
  /** How many inserts were merged into an existing chunk. */
  readonly compactions: number;
}

export class MutableCounts {
  chunks = 0;
  rows = 0;
  bytes = 0;

  add(rows: number, bytes: number, sign: 1 | -1 = 1): void {
    this.chunks += sign;
    this.rows += sign * rows;
    this.bytes += sign * bytes;
  }

  snapshot(): ChunkCounts {
    return { chunks: this.chunks, rows: this.rows, bytes: this.bytes };
  }
}
