import type { Chunk } from "./chunk.ts";
import { chunkIdValue, chunkSchema, timeType } from "./chunk-to-record-batch.ts";
import { framedSchemaMessage, uniqueOffsetOf } from "./schema-message-cache.ts";

/** Entities whose last schema message is remembered; when full, the memo starts over. */
export const CHUNK_SCHEMA_MEMO_MAX_ENTITIES = 256;

interface Remembered {
  /** Everything `chunkSchema` reads from a chunk, except its id's characters (see `shapeOf`). */
  shape: unknown[];
  /** The framed schema message of the chunk the entry was made for. */
  framed: Uint8Array;
  /** Where the chunk id's UTF-8 bytes lie in `framed`. */
  chunkIdOffset: number;
}

/** Entity path → the last chunk shape seen for it, with its schema message. */
const memo = new Map<string, Remembered>();
const utf8 = new TextEncoder();

/**
 * `framedSchemaMessage(chunkSchema(chunk))`, byte for byte, without building the schema when the entity's previous
 * chunk had the same shape. Consecutive chunks of one entity (e.g. every frame of a camera) have the same columns,
 * types and metadata, and differ in their chunk id only: its characters are written over the remembered message
 * (the id has a fixed length, and the message is only patched when its length matches, as in
 * `framedSchemaMessage`). The comparison reads the chunk's fields directly (types by identity: the chunk builder
 * and components share one type object per column kind), so a frame allocates nothing for its schema message but
 * the returned copy. A chunk of another shape takes the schema path (with its own per-shape cache) and becomes the
 * entity's remembered shape.
 */
export function framedChunkSchemaMessage(chunk: Chunk): Uint8Array {
  const id = chunkIdValue(chunk);
  const remembered = memo.get(chunk.entityPath);
  if (remembered !== undefined && sameShape(chunk, id.length, remembered.shape)) {
    const framed = remembered.framed.slice();
    // The id is hexadecimal (ASCII): one byte per character.
    for (let i = 0; i < id.length; i++) framed[remembered.chunkIdOffset + i] = id.charCodeAt(i);
    return framed;
  }
  const framed = framedSchemaMessage(chunkSchema(chunk));
  const chunkIdOffset = isAscii(id) ? uniqueOffsetOf(framed, utf8.encode(id)) : -1;
  if (chunkIdOffset >= 0) {
    if (memo.size >= CHUNK_SCHEMA_MEMO_MAX_ENTITIES) memo.clear();
    memo.set(chunk.entityPath, { shape: shapeOf(chunk, id.length), framed: framed.slice(), chunkIdOffset });
  }
  return framed;
}

/**
 * What `chunkSchema` reads, as a flat list compared entry by entry with `===` (`sameShape` walks the chunk in the
 * same order): RowId sortedness; per timeline its name, type object and sortedness; per component its column
 * name, descriptor and list type object; the extra schema metadata; the id's length and the entity path.
 */
function shapeOf(chunk: Chunk, idLength: number): unknown[] {
  const shape: unknown[] = [chunk.rowIdsSorted, chunk.timelines.size];
  for (const [name, column] of chunk.timelines) shape.push(name, timeType(column), column.isSorted);
  shape.push(chunk.components.size);
  for (const [name, { descriptor, list }] of chunk.components) {
    shape.push(name, descriptor.archetype, descriptor.component, descriptor.componentType, list.type);
  }
  shape.push(chunk.extraMetadata.size);
  for (const [key, value] of chunk.extraMetadata) shape.push(key, value);
  shape.push(idLength, chunk.entityPath);
  return shape;
}

function sameShape(chunk: Chunk, idLength: number, shape: readonly unknown[]): boolean {
  let i = 0;
  if (shape[i++] !== chunk.rowIdsSorted || shape[i++] !== chunk.timelines.size) return false;
  for (const [name, column] of chunk.timelines) {
    if (shape[i++] !== name || shape[i++] !== timeType(column) || shape[i++] !== column.isSorted)
      return false;
  }
  if (shape[i++] !== chunk.components.size) return false;
  for (const [name, { descriptor, list }] of chunk.components) {
    if (
      shape[i++] !== name ||
      shape[i++] !== descriptor.archetype ||
      shape[i++] !== descriptor.component ||
      shape[i++] !== descriptor.componentType ||
      shape[i++] !== list.type
    ) {
      return false;
    }
  }
  if (shape[i++] !== chunk.extraMetadata.size) return false;
  for (const [key, value] of chunk.extraMetadata) {
    if (shape[i++] !== key || shape[i++] !== value) return false;
  }
  return shape[i++] === idLength && shape[i++] === chunk.entityPath && i === shape.length;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
