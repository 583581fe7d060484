import { DataType, Field, Message, type Schema } from "apache-arrow";
import { MetadataKey } from "./sorbet-schema.ts";

/** Distinct schema shapes remembered; when full, the cache starts over (a recording has few shapes). */
export const SCHEMA_CACHE_MAX_ENTRIES = 64;

interface CachedSchemaMessage {
  /** The framed message: continuation marker, size prefix, flatbuffer, padding to 8 bytes. */
  framed: Uint8Array;
  /** Where the chunk id's UTF-8 bytes lie in `framed` (-1 when the schema has none). */
  chunkIdOffset: number;
}

const cache = new Map<string, CachedSchemaMessage>();
const utf8 = new TextEncoder();

/**
 * The Arrow IPC schema message of `schema`, framed as apache-arrow's stream writer writes it (0xFFFFFFFF
 * continuation marker, int32 size, the flatbuffer, zero padding to a multiple of 8), byte for byte.
 *
 * Consecutive chunks of one entity usually differ only in their chunk id (the `rerun:id` schema metadata value),
 * so the encoded message is cached per shape (every field's name, type, nullability and metadata, and the schema
 * metadata with the chunk id's value left out but its length kept) and only the id's bytes are replaced. That is
 * exact: the flatbuffer builder's output depends on the sequence of calls and on string lengths, not on the
 * characters of a string (apache-arrow writes strings unshared), so a same-length id lands at the same offset
 * with every other byte unchanged. A fresh array is returned each time (callers may keep it).
 */
export function framedSchemaMessage(schema: Schema): Uint8Array {
  const chunkId = schema.metadata.get(MetadataKey.chunkId);
  const idBytes = chunkId === undefined ? undefined : utf8.encode(chunkId);
  const idLength = idBytes?.byteLength;
  // A schema like a recent one (compared field by field, types by identity) needs no key.
  const seen = recent.find((r) => r.idLength === idLength && sameShape(r.schema, schema));
  if (seen !== undefined) return patched(seen.entry, idBytes);
  const key = shapeKey(schema, idLength);
  const hit = cache.get(key);
  if (hit !== undefined) {
    remember(schema, idLength, hit);
    return patched(hit, idBytes);
  }
  const framed = encodeFramed(schema);
  const chunkIdOffset = idBytes === undefined ? -1 : uniqueOffsetOf(framed, idBytes);
  // An id whose bytes cannot be located exactly once cannot be patched: such a schema is not cached.
  if (idBytes === undefined || chunkIdOffset >= 0) {
    if (cache.size >= SCHEMA_CACHE_MAX_ENTRIES) {
      cache.clear();
      recent.length = 0;
    }
    const entry = { framed: framed.slice(), chunkIdOffset };
    cache.set(key, entry);
    remember(schema, idLength, entry);
  }
  return framed;
}

/** A copy of a cached message with the chunk id's bytes written in place. */
function patched(entry: CachedSchemaMessage, idBytes: Uint8Array | undefined): Uint8Array {
  const framed = entry.framed.slice();
  if (idBytes !== undefined && entry.chunkIdOffset >= 0) framed.set(idBytes, entry.chunkIdOffset);
  return framed;
}

/** Schemas recently encoded or found in the cache, most recent first, with their cache entries. */
const RECENT_SCHEMAS = 8;
const recent: { schema: Schema; idLength: number | undefined; entry: CachedSchemaMessage }[] = [];

function remember(schema: Schema, idLength: number | undefined, entry: CachedSchemaMessage): void {
  recent.unshift({ schema, idLength, entry });
  if (recent.length > RECENT_SCHEMAS) recent.pop();
}

/**
 * True when `b` has the shape key of `a` (given ids of the same length): the same metadata version, schema
 * metadata (the chunk id's value aside) and fields (name, nullability, the same type object, metadata), in order.
 * Type objects stand for their descriptions as in `describe` (apache-arrow's types are not changed after
 * construction); equal types that are different objects make it false, and the caller builds the key.
 */
function sameShape(a: Schema, b: Schema): boolean {
  if (a === b) return true;
  if (a.metadataVersion !== b.metadataVersion || a.fields.length !== b.fields.length) return false;
  if (!sameEntries(a.metadata, b.metadata, MetadataKey.chunkId)) return false;
  for (let i = 0; i < a.fields.length; i++) {
    const x = a.fields[i]!;
    const y = b.fields[i]!;
    if (x.name !== y.name || x.nullable !== y.nullable || x.type !== y.type) return false;
    if (!sameEntries(x.metadata, y.metadata)) return false;
  }
  return true;
}

/** The same keys in the same order with the same values (the value of `anyValueOf` excepted). */
function sameEntries(a: Map<string, string>, b: Map<string, string>, anyValueOf?: string): boolean {
  if (a.size !== b.size) return false;
  const other = b.entries();
  for (const [key, value] of a) {
    const next = other.next();
    if (next.done === true || next.value[0] !== key) return false;
    if (key !== anyValueOf && next.value[1] !== value) return false;
  }
  return true;
}

/** What apache-arrow's `RecordBatchWriter._writeMessage` writes for a schema message (non-legacy format). */
function encodeFramed(schema: Schema): Uint8Array {
  return frameIpcMessage(Message.encode(Message.from(schema)));
}

/**
 * An encoded flatbuffer `Message` framed as apache-arrow's `RecordBatchWriter._writeMessage` frames it
 * (non-legacy format): continuation marker −1, the padded metadata length, the flatbuffer, zero padding to 8 bytes.
 */
export function frameIpcMessage(flatbuffer: Uint8Array): Uint8Array {
  const prefixSize = 8;
  const alignedSize = (flatbuffer.byteLength + prefixSize + 7) & ~7;
  const framed = new Uint8Array(alignedSize);
  const view = new DataView(framed.buffer);
  view.setInt32(0, -1, true);
  view.setInt32(4, alignedSize - prefixSize, true);
  framed.set(flatbuffer, prefixSize);
  return framed;
}

/** Where `needle` occurs in `haystack`, or -1 when it does not occur exactly once. */
export function uniqueOffsetOf(haystack: Uint8Array, needle: Uint8Array): number {
  let found = -1;
  outer: for (let i = 0; i + needle.byteLength <= haystack.byteLength; i++) {
    for (let j = 0; j < needle.byteLength; j++) if (haystack[i + j] !== needle[j]) continue outer;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

/** Everything the schema message encodes, except the chunk id's characters (its length is kept). */
function shapeKey(schema: Schema, chunkIdLength: number | undefined): string {
  const out: string[] = [`v${schema.metadataVersion}`];
  for (const [k, v] of schema.metadata) {
    out.push(
      k === MetadataKey.chunkId ? `m:${JSON.stringify(k)}=#${chunkIdLength}` : `m:${JSON.stringify([k, v])}`,
    );
  }
  for (const field of schema.fields) describe(field, out);
  return out.join("\u0000");
}

/**
 * Descriptions of DataType objects already seen. apache-arrow's types are not changed after construction, and
 * components reuse one type object for every chunk (e.g. ImageFormat's struct), so most of a shape key is a lookup.
 */
const typeDescriptions = new WeakMap<DataType, string>();

function describe(value: unknown, out: string[]): void {
  if (value instanceof Field) {
    out.push(`F${JSON.stringify(value.name)}:${value.nullable}`);
    for (const entry of value.metadata) out.push(`fm:${JSON.stringify(entry)}`);
    describe(value.type, out);
    out.push("/F");
  } else if (value instanceof DataType) {
    let described = typeDescriptions.get(value);
    if (described === undefined) {
      const parts = [`T${value.constructor.name}`];
      for (const [k, v] of Object.entries(value)) {
        parts.push(`.${k}`);
        describe(v, parts);
      }
      parts.push("/T");
      described = parts.join("\u0000");
      typeDescriptions.set(value, described);
    }
    out.push(described);
  } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    out.push("[");
    for (const item of Array.from(value as ArrayLike<unknown>)) describe(item, out);
    out.push("]");
  } else if (value instanceof Map) {
    out.push("{");
    for (const [k, v] of value) {
      describe(k, out);
      describe(v, out);
    }
    out.push("}");
  } else if (value !== null && typeof value === "object") {
    out.push("{");
    for (const [k, v] of Object.entries(value)) {
      out.push(`.${k}`);
      describe(v, out);
    }
    out.push("}");
  } else {
    out.push(`${typeof value}:${String(value)}`);
  }
}
