import { type Data, type RecordBatch, Table, tableToIPC } from "apache-arrow";
import { assembleColumns } from "./assemble-columns.ts";
import type { Chunk } from "./chunk.ts";
import { chunkColumns, chunkToRecordBatch } from "./chunk-to-record-batch.ts";
import { framedChunkSchemaMessage } from "./chunk-schema-message.ts";
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
 * encoded with `chunkToIpcParts` (which writes the segments in its place). Its own length is 0: the
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
 * A record batch as an Arrow IPC stream (schema, the batch, end-of-stream), byte for byte what apache-arrow's
 * `tableToIPC(table, "stream")` writes, but as consecutive parts that are not joined: every body buffer of at
 * least `IPC_VIEW_MIN_BYTES` is a view of the column's own memory (e.g. the pixels an image was logged with);
 * the small pieces around them are joined into fresh arrays.
 */
export function recordBatchToIpcParts(batch: RecordBatch): Uint8Array[] {
  if (batch.dictionaries.size > 0 || batch.metadata.size > 0) return [tableToIPC(new Table(batch), "stream")];
  const parts = streamParts(framedSchemaMessage(batch.schema), batch.numRows, batch.data.children);
  return parts ?? [tableToIPC(new Table(batch), "stream")];
}

/**
 * `chunkToIpc` as parts (see `recordBatchToIpcParts`): large buffers are views of the chunk's columns. The
 * schema message comes from the entity's previous chunk when the shape is the same (`framedChunkSchemaMessage`),
 * and the columns are assembled without building an apache-arrow Schema or RecordBatch.
 */
export function chunkToIpcParts(chunk: Chunk): Uint8Array[] {
  const columns = chunkColumns(chunk);
  // A column of another length would be padded with nulls (and its field made nullable) by RecordBatch.
  if (columns.every((column) => column.length === chunk.numRows)) {
    const parts = streamParts(framedChunkSchemaMessage(chunk), chunk.numRows, columns);
    if (parts !== undefined) return parts;
  }
  return recordBatchToIpcParts(chunkToRecordBatch(chunk));
}

/**
 * What apache-arrow's `RecordBatchStreamWriter` writes for one batch without dictionaries or batch metadata: the
 * schema message, the record batch message (from the layout cache; nodes and buffers from `assembleColumns`), every non-empty body buffer padded to 8
 * bytes (a placeholder's segments in its place), the end-of-stream marker; small parts joined (`coalesce`).
 * Undefined for a batch that needs variadic buffer counts (view types), which the layout cache does not write.
 */
function streamParts(
  schemaMessage: Uint8Array,
  numRows: number,
  columns: readonly Data[],
): Uint8Array[] | undefined {
  const assembled = assembleColumns(columns);
  const { nodes, buffers, bufferRegions, variadicBufferCounts } = assembled;
  if (variadicBufferCounts.length > 0) return undefined;
  // Body lengths and regions as apache-arrow computes them, with every placeholder counted as its segments.
  const segments = buffers.map(segmentsOf);
  const lengths = buffers.map((buffer, i) => segmentsLength(segments[i]) ?? buffer.byteLength);
  let bodyLength = assembled.byteLength;
  if (segments.some((s) => s !== undefined)) {
    bodyLength = 0;
    lengths.forEach((length, i) => {
      const region = bufferRegions[i]!;
      region.offset = bodyLength;
      region.length = align8(length);
      bodyLength += align8(length);
    });
  }
  const parts: Uint8Array[] = [schemaMessage];
  parts.push(framedRecordBatchMessage({ length: numRows, nodes, bufferRegions, bodyLength }));
  buffers.forEach((buffer, i) => {
    const length = lengths[i]!;
    if (length === 0) return;
    const bufferSegments = segments[i];
    if (bufferSegments !== undefined) {
      for (const segment of bufferSegments) if (segment.byteLength > 0) parts.push(segment);
    } else {
      parts.push(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    }
    if (align8(length) > length) parts.push(new Uint8Array(align8(length) - length));
  });
  parts.push(END_OF_STREAM.slice());
  return coalesce(parts);
}

/** The end-of-stream marker of an Arrow IPC stream (continuation marker, then a 0 size). */
const END_OF_STREAM = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

function segmentsLength(segments: readonly Uint8Array[] | undefined): number | undefined {
  return segments?.reduce((n, s) => n + s.byteLength, 0);
}

function align8(n: number): number {
  return (n + 7) & ~7;
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
