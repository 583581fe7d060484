import { type Chunk, ChunkBuilder, type TimeCell, chunkToIpcParts } from "@iris/chunk";
import {
  RERUN_VERSION,
  type RrdMessage,
  type StoreId,
  arrowMsgFromParts,
  crateVersionToBits,
  withChunk,
} from "@iris/rrd";
import {
  type AsComponents,
  batch,
  int64Component,
  utf8Component,
  type ComponentBatch,
  type ComponentColumn,
  EntityPath,
  TuidGenerator,
  concatBytes,
  defaultTuidGenerator,
  toTimeInt,
  wallClockNanos,
} from "@iris/types";
import { Batcher, type BatcherOptions } from "./batcher.ts";
import { checkedBatches, describe } from "./checked-batches.ts";
import { SdkError } from "./sdk-error.ts";
import type { LogSink } from "./sinks/log-sink.ts";
import { MemorySink } from "./sinks/memory-sink.ts";
import type { TimeColumn } from "./time-column.ts";
import { TimeState, type TimeValue } from "./time-state.ts";

export const IRIS_SDK_VERSION = "0.1.0";

/** Where Rerun keeps recording properties. */
const PROPERTIES_ENTITY = "/__properties";
const RECORDING_INFO = "rerun.archetypes.RecordingInfo";
const RECORDING_INFO_NAME = {
  archetype: RECORDING_INFO,
  component: "RecordingInfo:name",
  componentType: "rerun.components.Name",
};
const RECORDING_INFO_START_TIME = {
  archetype: RECORDING_INFO,
  component: "RecordingInfo:start_time",
  componentType: "rerun.components.Timestamp",
};
const NameType = utf8Component("rerun.components.Name");
const TimestampType = int64Component("rerun.components.Timestamp");

export interface RecordingStreamOptions {
  /** Groups recordings in the viewer; keep to `[A-Za-z0-9_-]`, as Rerun normalises other characters. */
  applicationId: string;
  /** Unique per recording; a random UUID by default. */
  recordingId?: string;
  /** Where messages go; a MemorySink by default (buffered until `save`/`setSink`). */
  sink?: LogSink;
  batcher?: BatcherOptions;
  /** Add Rerun's automatic `log_time` and `log_tick` timelines to every `log` call (default true). */
  defaultTimelines?: boolean;
  /**
   * Called with an `SdkError` "flush-failed" when rows could not be sent by a flush the caller did not make (the
   * batcher's timer or size threshold): the rows that failed are dropped, every other row is sent. Without it,
   * such errors are kept and thrown by the next `flush()` or `close()` (never from a timer).
   */
  onError?: (error: SdkError) => void;
  /**
   * Log the recording properties at creation, as Rerun's `RecordingStream` (`send_properties`, default true): one
   * static chunk at `/__properties` with `RecordingInfo:start_time` (the creation time) and `RecordingInfo:name`
   * when `recordingName` is given. Like any data, it goes to the current sink (buffered in the MemorySink until
   * `save`/`connect`). Rerun's viewer shows them (name, start time) in its recording list. Default true.
   */
  sendProperties?: boolean;
  /** The recording's display name (`RecordingInfo:name`), as Rust's `RecordingStreamBuilder::recording_name`. */
  recordingName?: string;
}

export interface LogOptions {
  /** Static data has no time and is shown at every time; it overrides temporal data (as in Rerun). */
  static?: boolean;
}

/**
 * A recording being logged: the TypeScript counterpart of Rerun's `RecordingStream`. Rows logged with `log` are
 * stamped with the current time on every active timeline, batched into chunks and sent to the sink as `.rrd`
 * messages (`SetStoreInfo` first, then one `ArrowMsg` per chunk).
 */
export class RecordingStream {
  readonly applicationId: string;
  readonly recordingId: string;
  readonly storeId: StoreId;
  private sink: LogSink;
  private readonly batcher: Batcher;
  private readonly time = new TimeState();
  private readonly defaultTimelines: boolean;
  private readonly ids: TuidGenerator;
  private logTick = 0n;
  private closed = false;
  private readonly onError: ((error: SdkError) => void) | undefined;
  private readonly deferredErrors: SdkError[] = [];

  constructor(options: RecordingStreamOptions) {
    if (typeof options?.applicationId !== "string" || options.applicationId.length === 0) {
      throw new SdkError(
        "invalid-option",
        `RecordingStream needs a non-empty applicationId, got ${JSON.stringify(options?.applicationId)}`,
      );
    }
    this.applicationId = options.applicationId;
    this.recordingId = options.recordingId ?? globalThis.crypto.randomUUID();
    this.storeId = { kind: "recording", recordingId: this.recordingId, applicationId: this.applicationId };
    this.sink = options.sink ?? new MemorySink();
    this.defaultTimelines = options.defaultTimelines ?? true;
    if (this.defaultTimelines) {
      // Reserve the automatic timelines' types, so a user timeline of the same name cannot change them.
      this.time.checkType("log_tick", "sequence");
      this.time.checkType("log_time", "timestamp");
    }
    this.ids = defaultTuidGenerator;
    if (options.onError !== undefined && typeof options.onError !== "function") {
      throw new SdkError("invalid-option", `onError must be a function, got ${describe(options.onError)}`);
    }
    this.onError = options.onError;
    const recordingName =
      options.recordingName === undefined ? undefined : checkedName(options.recordingName);
    this.batcher = new Batcher(
      (chunk) => this.sendChunk(chunk),
      options.batcher,
      (error) => this.reportError(error),
    );
    this.sink.attach?.(this);
    this.sink.send(this.storeInfoMessage());
    // As Rerun's RecordingStreamBuilder: one RecordingInfo chunk (start time, optional name), before any row.
    if (options.sendProperties ?? true) {
      const properties = [batch(RECORDING_INFO_START_TIME, TimestampType, [wallClockNanos()])];
      if (recordingName !== undefined) properties.push(batch(RECORDING_INFO_NAME, NameType, [recordingName]));
      this.sendProperties(properties);
    }
  }

  /** Sets the recording's display name: the static `RecordingInfo:name` property (Rerun's `send_recording_name`). */
  sendRecordingName(name: string): void {
    this.sendProperties([batch(RECORDING_INFO_NAME, NameType, [checkedName(name)])]);
  }

  /**
   * Sets the recording's start time: the static `RecordingInfo:start_time` property, nanoseconds since the Unix
   * epoch (Rerun's `send_recording_start_time_nanos`). Sent automatically at creation unless `sendProperties` is
   * false.
   */
  sendRecordingStartTime(nanosSinceEpoch: bigint): void {
    if (typeof nanosSinceEpoch !== "bigint") {
      throw new SdkError(
        "invalid-time-value",
        `sendRecordingStartTime: expected bigint nanoseconds since the Unix epoch, got ${describe(nanosSinceEpoch)}`,
      );
    }
    this.sendProperties([batch(RECORDING_INFO_START_TIME, TimestampType, [nanosSinceEpoch])]);
  }

  /** Static properties as their own chunk, sent at once (as Rerun's SDK does: not batched with other rows). */
  private sendProperties(properties: ComponentBatch[]): void {
    this.checkOpen();
    const builder = new ChunkBuilder(PROPERTIES_ENTITY);
    builder.addRow(this.ids.next(), new Map(), properties);
    this.sendChunk(builder.build());
  }

  /** The message that opens this recording in any sink (sent again when the sink changes). */
  storeInfoMessage(): RrdMessage {
    return {
      kind: "setStoreInfo",
      rowId: this.ids.next(),
      storeId: this.storeId,
      storeSource: { kind: 6, extra: new TextEncoder().encode(`iris-ts ${IRIS_SDK_VERSION}`) },
      storeVersionBits: crateVersionToBits(RERUN_VERSION),
    };
  }

  /** Current sink. */
  get currentSink(): LogSink {
    return this.sink;
  }

  /**
   * Switches to another sink. Messages still buffered in a MemorySink are replayed into the new one, so data
   * logged before `save(path)` or `connect()` is not lost (as in Rerun).
   */
  setSink(sink: LogSink): void {
    this.batcher.flush();
    const previous = this.sink;
    previous.flush();
    this.sink = sink;
    sink.attach?.(this);
    if (previous instanceof MemorySink) {
      for (const message of previous.drain()) sink.send(message);
    } else {
      sink.send(this.storeInfoMessage());
      previous.close();
    }
  }

  // ---- time ---------------------------------------------------------------------------------------------

  /** Rerun's `set_time`: `setTime("frame", { sequence: 3 })`, `{ duration: 1.5 }`, `{ timestamp: new Date() }`. */
  setTime(timeline: string, value: TimeValue): void {
    if (value === null || typeof value !== "object") {
      throw new SdkError(
        "invalid-time-value",
        `setTime(${JSON.stringify(timeline)}): expected { sequence | duration | timestamp: value }, got ${describe(value)}`,
      );
    }
    this.time.set(timeline, value);
  }

  setTimeSequence(timeline: string, sequence: number | bigint): void {
    this.time.set(timeline, { sequence });
  }

  /** A duration timeline, in (fractional) seconds. */
  setTimeSeconds(timeline: string, seconds: number): void {
    this.time.set(timeline, { duration: seconds });
  }

  /** A duration timeline, in integer nanoseconds. */
  setTimeNanos(timeline: string, nanos: bigint | number): void {
    this.time.set(timeline, { duration: toTimeInt(timeline, nanos) });
  }

  /** A timestamp timeline: a Date, seconds since the Unix epoch, or bigint nanoseconds since the epoch. */
  setTimestamp(timeline: string, timestamp: Date | number | bigint): void {
    this.time.set(timeline, { timestamp });
  }

  /** Stops stamping rows with `timeline` (until it is set again). */
  disableTimeline(timeline: string): void {
    this.time.disable(timeline);
  }

  /** Clears every timeline set with `setTime*`. */
  resetTime(): void {
    this.time.reset();
  }

  // ---- logging ------------------------------------------------------------------------------------------

  /** Logs an archetype (or a list of component batches) at `entityPath` at the current time. */
  log(
    entityPath: string | EntityPath,
    data: AsComponents | readonly ComponentBatch[],
    options: LogOptions = {},
  ): void {
    this.checkOpen();
    const path = parseEntityPath(entityPath);
    const batches = checkedBatches(`log(${path})`, componentBatchesOf(data));
    const timepoint = new Map<string, TimeCell>();
    if (!options.static) {
      if (this.defaultTimelines) {
        timepoint.set("log_tick", { type: "sequence", value: this.logTick++ });
        timepoint.set("log_time", { type: "timestamp", value: wallClockNanos() });
      }
      for (const [name, cell] of this.time.snapshot()) timepoint.set(name, cell);
    }
    this.batcher.push(path, this.ids.next(), timepoint, batches);
  }

  /**
   * Sends many rows of one entity in one go (Rerun's `send_columns`): one index column per timeline, and
   * component columns with one batch per row; all must have the same number of rows. The current `setTime`
   * state is not used.
   */
  sendColumns(
    entityPath: string | EntityPath,
    indexes: readonly TimeColumn[],
    columns: readonly ComponentColumn[],
  ): void {
    this.checkOpen();
    const path = parseEntityPath(entityPath);
    checkColumnShapes(path, indexes, columns);
    const numRows = indexes[0]?.length ?? columns[0]?.rows.length ?? 0;
    const names = new Set<string>();
    for (const index of indexes) {
      if (index.length !== numRows) {
        throw new SdkError(
          "column-length-mismatch",
          `sendColumns(${path}): index ${index.timeline} has ${index.length} rows, expected ${numRows}`,
        );
      }
      if (names.has(index.timeline)) {
        throw new SdkError(
          "invalid-time-column",
          `sendColumns(${path}): timeline ${index.timeline} given twice`,
        );
      }
      names.add(index.timeline);
      this.time.checkType(index.timeline, index.type);
    }
    const components = new Set<string>();
    for (const column of columns) {
      if (column.rows.length !== numRows) {
        throw new SdkError(
          "column-length-mismatch",
          `sendColumns(${path}): column ${column.descriptor.component} has ${column.rows.length} rows, expected ${numRows}`,
        );
      }
      if (components.has(column.descriptor.component)) {
        throw new SdkError(
          "invalid-archetype",
          `sendColumns(${path}): component ${column.descriptor.component} given twice`,
        );
      }
      components.add(column.descriptor.component);
    }
    if (numRows === 0) return;
    // Check every row before anything is sent (sparse columns, null values, detached buffers).
    const rows: ComponentBatch[][] = [];
    for (let row = 0; row < numRows; row++) {
      rows.push(
        checkedBatches(
          `sendColumns(${path}) row ${row}`,
          columns.map((c) => ({ descriptor: c.descriptor, type: c.type, values: c.rows[row] })),
        ),
      );
    }
    const builder = new ChunkBuilder(path);
    for (let row = 0; row < numRows; row++) {
      const timepoint = new Map<string, TimeCell>();
      for (const index of indexes)
        timepoint.set(index.timeline, { type: index.type, value: index.times[row]! });
      builder.addRow(this.ids.next(), timepoint, rows[row]!);
    }
    // Encoded at once: the chunk views the given byte arrays instead of concatenating them.
    const chunk = builder.build(undefined, { encodeOnly: true });
    this.batcher.flush();
    this.sendChunk(chunk);
  }

  /**
   * Builds chunks from every pending row and flushes the sink. Rows that cannot be sent are dropped (every other
   * row is sent) and, unless an `onError` handler took them, reported here as one `SdkError` "flush-failed".
   */
  flush(): void {
    this.batcher.flush();
    this.sink.flush();
    this.throwDeferred();
  }

  /**
   * Writes every pending row and closes the sink (which flushes it: a file is fsynced once); later logging
   * throws. Throws like `flush()` when rows were dropped.
   */
  close(): void {
    if (this.closed) return;
    this.batcher.flush();
    this.sink.close();
    this.closed = true;
    this.throwDeferred();
  }

  private reportError(error: SdkError): void {
    if (this.onError) this.onError(error);
    else this.deferredErrors.push(error);
  }

  private throwDeferred(): void {
    const errors = this.deferredErrors.splice(0);
    const first = errors[0];
    if (!first) return;
    if (errors.length === 1) throw first;
    throw new SdkError("flush-failed", `${errors.length} flushes dropped rows; the first: ${first.message}`, {
      cause: first,
    });
  }

  /**
   * Encodes a chunk built by the batcher or `sendColumns` (it may view the caller's arrays: it is encoded before
   * they can change, and dropped). A sink that consumes messages synchronously gets the IPC parts as they are
   * (the pixels are never copied); any other sink gets one array of its own.
   */
  private sendChunk(chunk: Chunk): void {
    const parts = chunkToIpcParts(chunk);
    const fields = { storeId: this.storeId, chunkId: chunk.id, isStatic: chunk.isStatic };
    this.sink.send(
      withChunk(
        this.sink.consumesSynchronously === true
          ? arrowMsgFromParts(fields, parts)
          : { kind: "arrowMsg", ...fields, ipc: concatBytes(parts) },
        chunk,
      ),
    );
  }

  private checkOpen(): void {
    if (this.closed) throw new SdkError("closed", `recording ${this.recordingId} is closed`);
  }
}

function parseEntityPath(path: string | EntityPath): string {
  try {
    if (typeof path !== "string" && !(path instanceof EntityPath)) throw new TypeError(`got ${typeof path}`);
    return EntityPath.parse(path).toString();
  } catch (cause) {
    throw new SdkError("invalid-entity-path", `invalid entity path ${JSON.stringify(String(path))}`, {
      cause,
    });
  }
}

/** Rejects non-array arguments and entries that are not TimeColumns / ComponentColumns (untyped JS callers). */
function checkColumnShapes(path: string, indexes: unknown, columns: unknown): void {
  if (!Array.isArray(indexes)) {
    throw new SdkError(
      "invalid-time-column",
      `sendColumns(${path}): indexes must be an array, got ${describe(indexes)}`,
    );
  }
  for (const index of indexes as unknown[]) {
    const ok =
      typeof index === "object" &&
      index !== null &&
      typeof (index as TimeColumn).timeline === "string" &&
      (index as TimeColumn).times instanceof BigInt64Array;
    if (!ok) {
      throw new SdkError(
        "invalid-time-column",
        `sendColumns(${path}): ${describe(index)} is not a TimeColumn`,
      );
    }
  }
  if (!Array.isArray(columns)) {
    throw new SdkError(
      "invalid-archetype",
      `sendColumns(${path}): columns must be an array, got ${describe(columns)}`,
    );
  }
  for (const column of columns as unknown[]) {
    const c = column as Partial<ComponentColumn> | null;
    const ok =
      typeof c === "object" &&
      c !== null &&
      Array.isArray(c.rows) &&
      typeof c.descriptor?.component === "string" &&
      typeof c.type === "object";
    if (!ok) {
      throw new SdkError(
        "invalid-archetype",
        `sendColumns(${path}): ${describe(column)} is not a ComponentColumn`,
      );
    }
  }
}

function componentBatchesOf(data: AsComponents | readonly ComponentBatch[]): readonly ComponentBatch[] {
  if (Array.isArray(data)) return data as readonly ComponentBatch[];
  if (data && typeof (data as AsComponents).asComponentBatches === "function") {
    return (data as AsComponents).asComponentBatches();
  }
  throw new SdkError(
    "invalid-archetype",
    `log() needs an archetype or component batches, got ${describe(data)}`,
  );
}

function checkedName(name: unknown): string {
  if (typeof name !== "string") {
    throw new SdkError("invalid-option", `a recording name must be a string, got ${describe(name)}`);
  }
  return name;
}
