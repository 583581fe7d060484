import { type Chunk, ChunkBuilder, type TimePoint } from "@iris/chunk";
import type { ComponentBatch, Tuid } from "@iris/types";

export interface BatcherOptions {
  /** Flush when the pending rows hold this many bytes (default 1 MiB, as Rerun). */
  flushBytes?: number;
  /** Flush when this many rows are pending (default unlimited, as Rerun). */
  flushRows?: number;
  /** Flush pending rows at least this often, in milliseconds (default 200, as Rerun); 0 disables the timer. */
  flushIntervalMs?: number;
}

/**
 * Groups logged rows into chunks: one builder per (entity, set of timelines), flushed when the size or row
 * threshold is crossed, on a timer, or on `flush()`. Chunks come out in the order their first row was logged.
 * A chunk may view a logged byte array (a column holding one Blob/ImageBuffer is not copied): `onChunk` must
 * encode or copy it before returning, as the logged arrays belong to the caller. Rows that stay pending are
 * copied when pushed, so callers may reuse their arrays right after `log` returns.
 */
export class Batcher {
  private readonly builders = new Map<string, ChunkBuilder>();
  private pendingBytes = 0;
  private pendingRows = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly flushBytes: number;
  private readonly flushRows: number;
  private readonly flushIntervalMs: number;

  constructor(
    private readonly onChunk: (chunk: Chunk) => void,
    options: BatcherOptions = {},
  ) {
    this.flushBytes = options.flushBytes ?? 1024 * 1024;
    this.flushRows = options.flushRows ?? Number.POSITIVE_INFINITY;
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
  }

  push(entityPath: string, rowId: Tuid, timepoint: TimePoint, batches: readonly ComponentBatch[]): void {
    const key = `${entityPath}\u0002${ChunkBuilder.timelineKey(timepoint)}`;
    let builder = this.builders.get(key);
    if (!builder) {
      builder = new ChunkBuilder(entityPath);
      this.builders.set(key, builder);
    }
    const before = builder.sizeBytes;
    builder.addRow(rowId, timepoint, batches);
    this.pendingBytes += builder.sizeBytes - before;
    this.pendingRows += 1;
    if (this.pendingBytes >= this.flushBytes || this.pendingRows >= this.flushRows) {
      this.flush();
      return;
    }
    // The row waits: copy what it references, as the caller may refill the same arrays for the next row.
    // (Rows that flush at once, such as large images, are encoded before `push` returns and are not copied.)
    builder.detachLastRow();
    if (this.timer === undefined && this.flushIntervalMs > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.flushIntervalMs);
      // A pending timer must not keep a Node process alive; exit hooks flush instead.
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const builders = [...this.builders.values()];
    this.builders.clear();
    this.pendingBytes = 0;
    this.pendingRows = 0;
    // A lone image buffer is not copied into the chunk; `onChunk` encodes it before the caller can change it.
    for (const builder of builders) this.onChunk(builder.build(undefined, { viewSingleByteArray: true }));
  }
}
