import { Chunk, type ChunkComponent, type TimeColumn } from "@iris/chunk";
import type { Tuid } from "@iris/types";
import { concatData } from "./arrow-concat.ts";
import { StoreError } from "./store-error.ts";

/**
 * Appends the rows of `b` to those of `a` in a new chunk with id `id` (Rerun's `Chunk::concatenated`). Both must
 * be of the same entity and have the same timelines and components (see `compactionKey`). Row order is kept;
 * the store sorts by (time, RowId) itself at query time.
 */
export function concatChunks(a: Chunk, b: Chunk, id: Tuid): Chunk {
  if (a.entityPath !== b.entityPath) {
    throw new StoreError("invalid-chunk", `cannot concatenate chunks of ${a.entityPath} and ${b.entityPath}`);
  }
  const rowIds = new Uint8Array(a.rowIds.length + b.rowIds.length);
  rowIds.set(a.rowIds, 0);
  rowIds.set(b.rowIds, a.rowIds.length);

  const timelines = new Map<string, TimeColumn>();
  for (const [name, column] of a.timelines) {
    const other = b.timelines.get(name);
    if (!other) {
      throw new StoreError("invalid-chunk", `cannot concatenate chunks of ${a.entityPath}: ${name} missing`);
    }
    const times = new BigInt64Array(column.times.length + other.times.length);
    times.set(column.times, 0);
    times.set(other.times, column.times.length);
    const isSorted =
      column.isSorted &&
      other.isSorted &&
      (column.times.length === 0 ||
        other.times.length === 0 ||
        column.times[column.times.length - 1]! <= other.times[0]!);
    timelines.set(name, { timeline: column.timeline, times, isSorted });
  }

  const components = new Map<string, ChunkComponent>();
  for (const [name, column] of a.components) {
    const other = b.components.get(name);
    if (!other) {
      throw new StoreError("invalid-chunk", `cannot concatenate chunks of ${a.entityPath}: ${name} missing`);
    }
    const list = concatData(column.list.type, [column.list, other.list]) as ChunkComponent["list"];
    components.set(name, { descriptor: column.descriptor, list });
  }
  return new Chunk({
    id,
    entityPath: a.entityPath,
    rowIds,
    timelines,
    components,
    extraMetadata: a.extraMetadata,
  });
}
