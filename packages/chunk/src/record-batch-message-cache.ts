import { Message } from "apache-arrow";
import { frameIpcMessage } from "./schema-message-cache.ts";
import {
  type BufferRegion,
  type FieldNode,
  RecordBatch as RecordBatchHeader,
} from "apache-arrow/ipc/metadata/message";

/** Distinct layouts remembered; when full, the cache starts over (a recording has few). */
export const RECORD_BATCH_CACHE_MAX_ENTRIES = 64;

/** Where the numbers of a record batch message lie in its framed bytes (offsets of little-endian int64s). */
interface Template {
  framed: Uint8Array;
  /** `Message.bodyLength`, -1 when it is 0 (the builder leaves a default out). */
  bodyLengthAt: number;
  /** `RecordBatch.length`, -1 when it is 0. */
  lengthAt: number;
  /** First `FieldNode` (length, null_count: 16 bytes each, consecutive). */
  nodesAt: number;
  /** First `Buffer` (offset, length: 16 bytes each, consecutive). */
  buffersAt: number;
}

const cache = new Map<string, Template>();

/** What a record batch message says, as apache-arrow's writer assembles it (no compression, no variadic counts). */
export interface RecordBatchMessageFields {
  /** Rows. */
  length: number;
  nodes: readonly FieldNode[];
  bufferRegions: readonly BufferRegion[];
  bodyLength: number;
}

/**
 * The Arrow IPC record batch message of a batch, framed as apache-arrow's stream writer writes it (0xFFFFFFFF
 * continuation marker, int32 size, the flatbuffer, zero padding to a multiple of 8), byte for byte.
 *
 * The flatbuffer's layout depends only on how many field nodes and buffers there are and on whether the row count
 * and body length are 0 (a 0 is a default, which the builder leaves out); the field nodes and buffers are structs
 * stored inline and every number is a fixed-size int64. So the message is encoded once per layout, the positions
 * of its numbers are read back from the flatbuffer, and later batches of the same layout get a copy with their
 * numbers written in place — what every frame of a logged image stream needs, without running the flatbuffer
 * builder each time. A fresh array is returned each time (callers may keep it).
 */
export function framedRecordBatchMessage(fields: RecordBatchMessageFields): Uint8Array {
  const { length, nodes, bufferRegions, bodyLength } = fields;
  const key = `${nodes.length},${bufferRegions.length},${length === 0 ? 0 : 1},${bodyLength === 0 ? 0 : 1}`;
  let template = cache.get(key);
  if (template === undefined) {
    template = makeTemplate(fields);
    if (cache.size >= RECORD_BATCH_CACHE_MAX_ENTRIES) cache.clear();
    cache.set(key, template);
  }
  const framed = template.framed.slice();
  const view = new DataView(framed.buffer);
  if (template.bodyLengthAt >= 0) setInt64(view, template.bodyLengthAt, bodyLength);
  if (template.lengthAt >= 0) setInt64(view, template.lengthAt, length);
  for (let i = 0; i < nodes.length; i++) {
    setInt64(view, template.nodesAt + 16 * i, nodes[i]!.length);
    setInt64(view, template.nodesAt + 16 * i + 8, nodes[i]!.nullCount);
  }
  for (let i = 0; i < bufferRegions.length; i++) {
    setInt64(view, template.buffersAt + 16 * i, bufferRegions[i]!.offset);
    setInt64(view, template.buffersAt + 16 * i + 8, bufferRegions[i]!.length);
  }
  return framed;
}

/** What apache-arrow's `RecordBatchWriter._writeMessage` writes for a record batch message (non-legacy format). */
export function encodeFramedRecordBatchMessage(fields: RecordBatchMessageFields): Uint8Array {
  const header = new RecordBatchHeader(fields.length, [...fields.nodes], [...fields.bufferRegions], null);
  return frameIpcMessage(Message.encode(Message.from(header, fields.bodyLength)));
}

function makeTemplate(fields: RecordBatchMessageFields): Template {
  const framed = encodeFramedRecordBatchMessage(fields);
  const table = new FlatTable(new DataView(framed.buffer), 8);
  const message = table.root();
  const header = message.table(MESSAGE_HEADER);
  return {
    framed,
    bodyLengthAt: message.field(MESSAGE_BODY_LENGTH),
    lengthAt: header.field(RECORD_BATCH_LENGTH),
    nodesAt: header.vectorStart(RECORD_BATCH_NODES),
    buffersAt: header.vectorStart(RECORD_BATCH_BUFFERS),
  };
}

/** Field indices in Arrow's Message.fbs / Schema.fbs tables. */
const MESSAGE_HEADER = 2;
const MESSAGE_BODY_LENGTH = 3;
const RECORD_BATCH_LENGTH = 0;
const RECORD_BATCH_NODES = 1;
const RECORD_BATCH_BUFFERS = 2;

/** The few flatbuffer reads needed to find fields (offsets are absolute positions in `view`). */
class FlatTable {
  constructor(
    private readonly view: DataView,
    private readonly position: number,
  ) {}

  /** The root table of a flatbuffer starting at `position`. */
  root(): FlatTable {
    return new FlatTable(this.view, this.position + this.view.getUint32(this.position, true));
  }

  /** Absolute position of field `index`'s value, -1 when absent (a default). */
  field(index: number): number {
    const vtable = this.position - this.view.getInt32(this.position, true);
    const slot = 4 + 2 * index;
    if (slot >= this.view.getUint16(vtable, true)) return -1;
    const offset = this.view.getUint16(vtable + slot, true);
    return offset === 0 ? -1 : this.position + offset;
  }

  /** The table that field `index` refers to. */
  table(index: number): FlatTable {
    const at = this.field(index);
    if (at < 0) throw new RangeError(`flatbuffer field ${index} is absent`);
    return new FlatTable(this.view, at + this.view.getUint32(at, true));
  }

  /** Absolute position of the first element of the vector in field `index` (-1 when absent). */
  vectorStart(index: number): number {
    const at = this.field(index);
    if (at < 0) return -1;
    const vector = at + this.view.getUint32(at, true);
    return vector + 4;
  }
}

/** A non-negative safe integer as a little-endian int64. */
function setInt64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 0x1_0000_0000, true);
  view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true);
}
