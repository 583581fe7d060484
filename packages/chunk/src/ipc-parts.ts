import { type RecordBatch, RecordBatchStreamWriter, type Schema } from "apache-arrow";
import type { ArrayBufferViewInput } from "apache-arrow/util/buffer";
import type { Chunk } from "./chunk.ts";
import { chunkToRecordBatch } from "./chunk-to-record-batch.ts";
import { framedRecordBatchMessage } from "./record-batch-message-cache.ts";
import { framedSchemaMessage } from "./schema-message-cache.ts";

/** Parts smaller than this are joined with their small neighbours; larger ones stay views of the column data. */
export const IPC_VIEW_MIN_BYTES = 16 * 1024;

/**
 * Stand-ins for byte-list child buffers that were never concatenated (see `byteSegmentsPlaceholder`): the
 * placeholder's ArrayBuffer → the arrays whose concatenation is the buffer's content.
 */
const segmentsByPlaceholder = new WeakMap<ArrayBufferLike, readonly Uint8Array[]>();

/**
 * An empty array standing for the concatenation of `segments` in a `List<UInt8>` child Data that is only ever
 * encoded with `chunkToIpcParts` (whose IPC writer emits the segments in its place). Its own length is 0: the
 * Data built on it must not be read.
 */
export function byteSegmentsPlaceholder(segments: readonly Uint8Array[]): Uint8Array {
  const placeholder = new Uint8Array(0);
  segmentsByPlaceholder.set(placeholder.buffer, segments);
  return placeholder;
}

function segmentsOf(buffer: ArrayBufferView): readonly Uint8Array[] | undefined {
  return segmentsByPlaceholder.get(buffer.buffer);
}

/**
 * apache-arrow's stream writer with its output kept as the list of pieces it writes (message prefixes,
 * flatbuffer headers, padding and each body buffer as given), instead of being queued and joined. The schema
 * and record batch messages come from caches of encoded messages (`framedSchemaMessage`,
 * `framedRecordBatchMessage`), byte-identical to apache-arrow's.
 */
class PartsWriter extends RecordBatchStreamWriter {
  readonly parts: Uint8Array[] = [];

  protected override _write(chunk: ArrayBufferViewInput): this {
    if (!this._started) return this;
    const view = chunk as ArrayBufferView;
    const segments = segmentsOf(view);
    if (segments !== undefined) {
      for (const segment of segments) this.push(segment);
    } else {
      this.push(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    }
    return this;
  }

  /** The schema message from the per-shape cache (byte-identical to apache-arrow's; see `framedSchemaMessage`). */
  protected override _writeSchema(schema: Schema): this {
    return this._write(framedSchemaMessage(schema));
  }

  /**
   * apache-arrow's `_writeRecordBatch` (dictionaries, message, body), with the message from the layout cache when
   * the batch has no compression, variadic buffer counts or custom metadata (the SDK's never do).
   */
  protected override _writeRecordBatch(batch: RecordBatch): this {
    const { byteLength, nodes, bufferRegions, buffers, variadicBufferCounts } =
      this._assembleRecordBatch(batch);
    if (this._compression !== null || variadicBufferCounts.length > 0 || batch.metadata.size > 0) {
      return super._writeRecordBatch(batch);
    }
    this._writeDictionaries(batch);
    this._write(
      framedRecordBatchMessage({ length: batch.numRows, nodes, bufferRegions, bodyLength: byteLength }),
    );
    return this._writeBodyBuffers(buffers);
  }

  /** Body lengths and regions as apache-arrow computes them, with every placeholder counted as its segments. */
  protected override _assembleRecordBatch(batch: RecordBatch) {
    const assembled = super._assembleRecordBatch(batch);
    if (!assembled.buffers.some((b) => segmentsOf(b) !== undefined)) return assembled;
    let offset = 0;
    assembled.buffers.forEach((buffer, i) => {
      const segments = segmentsOf(buffer);
      const length = segments ? segments.reduce((n, s) => n + s.byteLength, 0) : buffer.byteLength;
      const region = assembled.bufferRegions[i]!;
      region.offset = offset;
      region.length = align8(length);
      offset += align8(length);
    });
    return { ...assembled, byteLength: offset };
  }

  protected override _writeBodyBuffers(buffers: ArrayBufferView[]): this {
    for (const buffer of buffers) {
      const segments = segmentsOf(buffer);
      const length = segments ? segments.reduce((n, s) => n + s.byteLength, 0) : buffer.byteLength;
      if (length === 0) continue;
      this._write(buffer);
      if (align8(length) > length) this._writePadding(align8(length) - length);
    }
    return this;
  }

  private push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.parts.push(bytes);
    this._position += bytes.byteLength;
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * A record batch as an Arrow IPC stream (schema, the batch, end-of-stream), byte for byte what apache-arrow's
 * `tableToIPC(table, "stream")` writes, but as consecutive parts that are not joined: every body buffer of at
 * least `IPC_VIEW_MIN_BYTES` is a view of the column's own memory (e.g. the pixels an image was logged with);
 * the small pieces around them are joined into fresh arrays.
 */
export function recordBatchToIpcParts(batch: RecordBatch): Uint8Array[] {
  const writer = new PartsWriter();
  writer.write(batch);
  writer.finish();
  return coalesce(writer.parts);
}

/** `chunkToIpc` as parts (see `recordBatchToIpcParts`): large buffers are views of the chunk's columns. */
export function chunkToIpcParts(chunk: Chunk): Uint8Array[] {
  return recordBatchToIpcParts(chunkToRecordBatch(chunk));
}

/** Joins runs of small parts; large parts are kept as they are. */
function coalesce(parts: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let runStart = 0;
  for (let i = 0; i <= parts.length; i++) {
    if (i < parts.length && parts[i]!.byteLength < IPC_VIEW_MIN_BYTES) continue;
    // parts[runStart, i) are small: one part as it is, several joined.
    if (i - runStart === 1) out.push(parts[runStart]!);
    else if (i - runStart > 1) out.push(joined(parts, runStart, i));
    if (i < parts.length) out.push(parts[i]!);
    runStart = i + 1;
  }
  return out;
}

function joined(parts: readonly Uint8Array[], start: number, end: number): Uint8Array {
  let bytes = 0;
  for (let i = start; i < end; i++) bytes += parts[i]!.byteLength;
  const out = new Uint8Array(bytes);
  let offset = 0;
  for (let i = start; i < end; i++) {
    out.set(parts[i]!, offset);
    offset += parts[i]!.byteLength;
  }
  return out;
}
