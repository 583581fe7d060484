import type { Data, List } from "apache-arrow";
import { type ComponentDescriptor, type ComponentType, type Timeline, Tuid, isValidAt } from "@iris/types";

/** The times of every row on one timeline (bigint nanoseconds, or sequence numbers). */
export interface TimeColumn {
  readonly timeline: Timeline;
  readonly times: BigInt64Array;
  /** True when the times are non-decreasing (written as `rerun:is_sorted`). */
  readonly isSorted: boolean;
}

/** One component column: a `List<item: T>` with one list per row; a null list means "not logged in this row". */
export interface ChunkComponent {
  readonly descriptor: ComponentDescriptor;
  readonly list: Data<List>;
}

/**
 * An immutable batch of rows for one entity, stored column-wise in Arrow (Rerun's `re_chunk::Chunk`):
 * RowIds, zero or more timelines (none = static), and component columns.
 */
export class Chunk {
  readonly id: Tuid;
  readonly entityPath: string;
  /** `numRows` TUIDs, 16 big-endian bytes each. */
  readonly rowIds: Uint8Array;
  readonly timelines: ReadonlyMap<string, TimeColumn>;
  readonly components: ReadonlyMap<string, ChunkComponent>;
  /** Unknown schema-level metadata, kept so that files round-trip. */
  readonly extraMetadata: ReadonlyMap<string, string>;

  constructor(fields: {
    id: Tuid;
    entityPath: string;
    rowIds: Uint8Array;
    timelines: ReadonlyMap<string, TimeColumn>;
    components: ReadonlyMap<string, ChunkComponent>;
    extraMetadata?: ReadonlyMap<string, string>;
  }) {
    this.id = fields.id;
    this.entityPath = fields.entityPath;
    this.rowIds = fields.rowIds;
    this.timelines = fields.timelines;
    this.components = fields.components;
    this.extraMetadata = fields.extraMetadata ?? new Map();
  }

  get numRows(): number {
    return this.rowIds.length / 16;
  }

  /** A chunk without timelines holds static data. */
  get isStatic(): boolean {
    return this.timelines.size === 0;
  }

  rowId(row: number): Tuid {
    return Tuid.fromBytes(this.rowIds, row * 16);
  }

  /** True when RowIds are strictly increasing (written as `rerun:is_sorted`). */
  get rowIdsSorted(): boolean {
    for (let row = 1; row < this.numRows; row++) {
      if (compareBytes(this.rowIds, (row - 1) * 16, row * 16) >= 0) return false;
    }
    return true;
  }

  /** The instances of `component` in `row`, read with `type`; null when the row did not log it. */
  componentValues<T>(component: string, row: number, type: ComponentType<T>): T[] | null {
    const column = this.components.get(component);
    if (!column) return null;
    const list = column.list;
    if (!isValidAt(list, row)) return null;
    const offsets = list.valueOffsets;
    // Arrow JS slices offset buffers with the Data; only the validity bitmap is indexed with `offset`.
    const start = offsets[row]!;
    const end = offsets[row + 1]!;
    const child = list.children[0]!;
    const out: T[] = [];
    for (let i = start; i < end; i++) out.push(type.fromArrow(child, i));
    return out;
  }

  /** Total size of the Arrow buffers (an estimate of the memory the chunk holds). */
  get sizeBytes(): number {
    let total = this.rowIds.byteLength;
    for (const t of this.timelines.values()) total += t.times.byteLength;
    for (const c of this.components.values()) total += dataSizeBytes(c.list);
    return total;
  }
}

function compareBytes(bytes: Uint8Array, a: number, b: number): number {
  for (let i = 0; i < 16; i++) {
    const d = bytes[a + i]! - bytes[b + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Bytes held by the buffers of an Arrow Data and its children. */
export function dataSizeBytes(data: Data): number {
  let total = 0;
  for (const buffer of [data.values, data.valueOffsets, data.nullBitmap, data.typeIds] as (
    ArrayBufferView | undefined
  )[]) {
    if (buffer) total += buffer.byteLength;
  }
  for (const child of data.children) total += dataSizeBytes(child);
  return total;
}
