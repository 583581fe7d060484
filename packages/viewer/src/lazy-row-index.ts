import type { Chunk } from "@iris/chunk";
import type { ManifestChunk } from "@iris/rrd";
import { isValidAt } from "@iris/types";

/** Reads chunks of the index without keeping them (`LazyChunkLoader.readTransient`). */
export type TransientReader = (entries: readonly ManifestChunk[]) => Promise<Chunk[]>;

export interface LazyRowIndexOptions {
  /** Uncompressed bytes of the chunks read at once at most (at least one chunk a batch); default 16 MiB. */
  batchBytes?: number;
  /** Chunks read at once at most; default 256. */
  batchChunks?: number;
}

/** How far the row index is: chunks whose times had to be read, and how many of them are read. */
export interface RowIndexProgress {
  read: number;
  total: number;
}

/**
 * Every distinct index value of every timeline of a recording read on demand: the times at which some entity logged
 * some component (as the whole-loaded table lists them; static data has no index value). A chunk of one row, or
 * whose rows all have the same time on a timeline, gives its time there from the index without a read. The other
 * chunks are read once, in bounded batches, in the background (`start`); of each only its rows' times are kept
 * (8 bytes a row, merged into one sorted array per timeline), the chunk itself is dropped. `times` grows as
 * batches arrive, and the listeners are called after each.
 */
export class LazyRowIndex {
  private readonly known = new Map<string, BigInt64Array>();
  private readonly toRead: ManifestChunk[] = [];
  private readCount = 0;
  private readonly listeners = new Set<() => void>();
  private running: Promise<void> | undefined;
  private failure: unknown;
  private readonly batchBytes: number;
  private readonly batchChunks: number;

  constructor(
    entries: readonly ManifestChunk[],
    private readonly read: TransientReader,
    options: LazyRowIndexOptions = {},
  ) {
    this.batchBytes = options.batchBytes ?? 16 * 1024 * 1024;
    this.batchChunks = Math.max(1, options.batchChunks ?? 256);
    const fromIndex = new Map<string, bigint[]>();
    for (const entry of entries) {
      if (entry.isStatic || entry.numRows === 0 || entry.components.length === 0) continue;
      let needsRead = false;
      for (const [timeline, range] of entry.timeRanges) {
        if (entry.numRows === 1 || range.min === range.max) push(fromIndex, timeline, range.min);
        else needsRead = true;
      }
      if (needsRead) this.toRead.push(entry);
    }
    for (const [timeline, values] of fromIndex) this.known.set(timeline, sortedDistinct(values));
    // Read in file order: sequential reads of a file or over HTTP.
    this.toRead.sort((a, b) => a.byteOffset - b.byteOffset);
  }

  /** The sorted distinct index values on `timeline` known so far (all of them once `done`). */
  times(timeline: string): BigInt64Array {
    return this.known.get(timeline) ?? new BigInt64Array(0);
  }

  /** Every timeline with index values known so far. */
  timelines(): string[] {
    return [...this.known.keys()];
  }

  get progress(): RowIndexProgress {
    return { read: this.readCount, total: this.toRead.length };
  }

  /** True once every chunk's times are known. */
  get done(): boolean {
    return this.readCount === this.toRead.length;
  }

  /** Why reading stopped, if a read failed (the rows known so far stay). */
  get error(): unknown {
    return this.failure;
  }

  /** Calls `listener` after each batch (and when reading fails); returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts reading the chunks whose times the index does not give (once); resolves when all are read. */
  start(): Promise<void> {
    this.running ??= this.readAll();
    return this.running;
  }

  private async readAll(): Promise<void> {
    try {
      while (this.readCount < this.toRead.length) {
        const batch = this.nextBatch();
        const chunks = await this.read(batch);
        this.add(chunks);
        this.readCount += batch.length;
        this.emit();
      }
    } catch (error) {
      this.failure = error;
      this.emit();
    }
  }

  private nextBatch(): ManifestChunk[] {
    const batch: ManifestChunk[] = [];
    let bytes = 0;
    for (let i = this.readCount; i < this.toRead.length && batch.length < this.batchChunks; i++) {
      const entry = this.toRead[i]!;
      if (batch.length > 0 && bytes + entry.byteSizeUncompressed > this.batchBytes) break;
      batch.push(entry);
      bytes += entry.byteSizeUncompressed;
    }
    return batch;
  }

  /** Merges the times of the rows that hold some component (as the store indexes them) into `known`. */
  private add(chunks: readonly Chunk[]): void {
    const perTimeline = new Map<string, bigint[]>();
    for (const chunk of chunks) {
      const lists = [...chunk.components.values()].map((c) => c.list);
      const logged: number[] = [];
      for (let row = 0; row < chunk.numRows; row++)
        if (lists.some((list) => isValidAt(list, row))) logged.push(row);
      for (const [timeline, column] of chunk.timelines)
        for (const row of logged) push(perTimeline, timeline, column.times[row]!);
    }
    for (const [timeline, values] of perTimeline) {
      const fresh = sortedDistinct(values);
      const old = this.known.get(timeline);
      this.known.set(timeline, old ? mergeDistinct(old, fresh) : fresh);
    }
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function push(map: Map<string, bigint[]>, key: string, value: bigint): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
}

function sortedDistinct(values: readonly bigint[]): BigInt64Array {
  const sorted = BigInt64Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.slice(0, n);
}

/** The sorted distinct union of two sorted distinct arrays. */
function mergeDistinct(a: BigInt64Array, b: BigInt64Array): BigInt64Array {
  const out = new BigInt64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : undefined;
    const y = j < b.length ? b[j]! : undefined;
    if (y === undefined || (x !== undefined && x < y)) out[n++] = a[i++]!;
    else if (x === undefined || y < x) out[n++] = b[j++]!;
    else {
      out[n++] = a[i++]!;
      j++;
    }
  }
  return out.slice(0, n);
}
