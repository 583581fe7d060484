import { type Chunk, ChunkBuilder, type TimePoint } from "@iris/chunk";
import type { ComponentBatch, Tuid } from "@iris/types";
import { SdkError } from "./sdk-error.ts";

export interface BatcherOptions {
  /** Flush when the pending rows hold this many bytes (default 1 MiB, as Rerun); 0 flushes every row. */
  flushBytes?: number;
  /** Flush when this many rows are pending (default unlimited, as Rerun); 0 or 1 flushes every row. */
  flushRows?: number;
  /** Flush pending rows at least this often, in milliseconds (default 200, as Rerun); 0 disables the timer. */
  flushIntervalMs?: number;
}

/** setTimeout's largest delay (a larger one fires at once, with a warning). */
const MAX_INTERVAL_MS = 2 ** 31 - 1;

/**
 * Groups logged rows into chunks: one builder per (entity, set of timelines), flushed when the size or row
 * threshold is crossed, on a timer, or on `flush()`. Chunks come out in the order their first row was logged.
 * Chunks are built `encodeOnly` (byte arrays viewed, not concatenated): `onChunk` must encode them before
 * returning, as the logged arrays belong to the caller, and must not read their byte-list values otherwise. Rows
 * that stay pending are copied when pushed, so callers may reuse their arrays right after `log` returns.
 *
 * A flush never throws: rows that cannot be built into a chunk (or a sink that fails) are reported to `onError`
 * as `SdkError` "flush-failed", and only the rows of that entity that fail are dropped — a chunk that fails is
 * retried row by row, and every other entity's chunk is sent. So the timer flush cannot kill the process.
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
    private readonly onError: (error: SdkError) => void = () => {},
  ) {
    if (options === null || typeof options !== "object") {
      throw new SdkError("invalid-option", `batcher options must be an object, got ${String(options)}`);
    }
    this.flushBytes = checkOption("flushBytes", options.flushBytes, 1024 * 1024, Number.POSITIVE_INFINITY);
    this.flushRows = checkOption(
      "flushRows",
      options.flushRows,
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
    );
    this.flushIntervalMs = checkOption("flushIntervalMs", options.flushIntervalMs, 200, MAX_INTERVAL_MS);
  }

  /** Adds one row; throws (and keeps nothing of the row) when the row cannot be stored. */
  push(entityPath: string, rowId: Tuid, timepoint: TimePoint, batches: readonly ComponentBatch[]): void {
    const key = `${entityPath}\u0002${ChunkBuilder.timelineKey(timepoint)}`;
    let builder = this.builders.get(key);
    const created = !builder;
    builder ??= new ChunkBuilder(entityPath);
    const before = builder.sizeBytes;
    builder.addRow(rowId, timepoint, batches);
    const flushNow =
      this.pendingBytes + builder.sizeBytes - before >= this.flushBytes ||
      this.pendingRows + 1 >= this.flushRows;
    if (!flushNow) {
      // The row waits: copy what it references, as the caller may refill the same arrays for the next row.
      // (Rows that flush at once, such as large images, are encoded before `push` returns and are not copied.)
      try {
        builder.detachLastRow();
      } catch (cause) {
        builder.removeLastRow();
        throw new SdkError(
          "invalid-component",
          `log(${entityPath}): a value cannot be copied: ${String(cause)}`,
          {
            cause,
          },
        );
      }
    }
    if (created) this.builders.set(key, builder);
    this.pendingBytes += builder.sizeBytes - before;
    this.pendingRows += 1;
    if (flushNow) {
      this.flush();
      return;
    }
    if (this.timer === undefined && this.flushIntervalMs > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.flushIntervalMs);
      // A pending timer must not keep a Node process alive; exit hooks flush instead.
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  /** Sends every pending row; never throws (failures go to `onError`). */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const builders = [...this.builders.values()];
    this.builders.clear();
    this.pendingBytes = 0;
    this.pendingRows = 0;
    for (const builder of builders) this.emit(builder);
  }

  private emit(builder: ChunkBuilder): void {
    try {
      // Byte arrays are neither copied nor concatenated into the chunk: `onChunk` only encodes it, before the
      // caller can change a lone row's arrays (rows that waited were copied in `push`).
      this.onChunk(builder.build(undefined, { encodeOnly: true }));
      return;
    } catch (error) {
      if (builder.numRows <= 1) {
        this.report(builder, 1, error);
        return;
      }
    }
    // Some row (or the sink) failed: send the rows one by one, so only the rows that fail are lost.
    let failed = 0;
    let first: unknown;
    for (const single of builder.splitRows()) {
      try {
        this.onChunk(single.build(undefined, { encodeOnly: true }));
      } catch (error) {
        if (failed++ === 0) first = error;
      }
    }
    if (failed > 0) this.report(builder, failed, first);
  }

  private report(builder: ChunkBuilder, rows: number, cause: unknown): void {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new SdkError(
      "flush-failed",
      `${rows} of ${builder.numRows} row(s) of ${builder.entityPath} could not be sent and were dropped: ${reason}`,
      { cause },
    );
    try {
      this.onError(error);
    } catch {
      // An error handler that throws must not stop the flush of other entities (or kill a timer callback).
    }
  }
}

function checkOption(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0 || value > max) {
    throw new SdkError(
      "invalid-option",
      `batcher option ${name} must be a number from 0 to ${max}, got ${typeof value === "number" ? value : typeof value}`,
    );
  }
  return value;
}
