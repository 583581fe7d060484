import { type Data, DataType, Field, List, makeData } from "apache-arrow";
import {
  type ComponentBatch,
  type ComponentDescriptor,
  type ComponentType,
  type TimeType,
  Tuid,
  defaultTuidGenerator,
  validityBitmap,
} from "@iris/types";
import { Chunk, type ChunkComponent, type TimeColumn } from "./chunk.ts";
import { ChunkError } from "./chunk-error.ts";
import { byteSegmentsPlaceholder } from "./ipc-parts.ts";

/** A time on one timeline, as attached to a row. */
export interface TimeCell {
  readonly type: TimeType;
  readonly value: bigint;
}

/** Timeline name → time for one row. */
export type TimePoint = ReadonlyMap<string, TimeCell>;

interface PendingComponent {
  descriptor: ComponentDescriptor;
  type: ComponentType<unknown>;
  /** One entry per row; null where the row did not log this component. */
  rows: (readonly unknown[] | null)[];
}

export interface ChunkBuildOptions {
  /**
   * Build a byte-list column (Blob, ImageBuffer: `List<UInt8>`) whose rows hold one array in all as a view of
   * that array instead of a copy. The chunk then shares memory with the logged array: use this only when the
   * chunk is encoded (e.g. with `chunkToIpc`) before the array can change. Default false.
   */
  viewSingleByteArray?: boolean;
  /**
   * Build a chunk that is only encoded with `chunkToIpcParts` and then dropped (the SDK's send path): byte-list
   * columns are neither copied nor concatenated (one array: a view, as `viewSingleByteArray`; several: their
   * IPC body is written from the arrays one after another). Such a chunk's byte-list values must not be read.
   * Default false.
   */
  encodeOnly?: boolean;
}

/**
 * Collects rows for one entity and one set of timelines, then builds an Arrow-backed `Chunk`. Every row must
 * have a time on exactly the timelines of the first row (rows on other timelines belong in another chunk).
 */
export class ChunkBuilder {
  readonly entityPath: string;
  private readonly rowIds: Tuid[] = [];
  private readonly times = new Map<string, { type: TimeType; values: bigint[] }>();
  private readonly components = new Map<string, PendingComponent>();
  private timelineKey: string | undefined;
  private estimatedBytes = 0;

  constructor(entityPath: string) {
    this.entityPath = entityPath;
  }

  get numRows(): number {
    return this.rowIds.length;
  }

  /** A rough size of the pending rows, for batching thresholds. */
  get sizeBytes(): number {
    return this.estimatedBytes;
  }

  /** The sorted timeline names of a time point, used to group rows into chunks. */
  static timelineKey(timepoint: TimePoint): string {
    const parts: string[] = [];
    for (const [name, cell] of timepoint) parts.push(`${name}\u0000${cell.type}`);
    // Rows of a recording usually give their timelines in one order: sort only when that is not already sorted.
    if (!isSortedBy(parts, (part) => part)) parts.sort();
    return parts.join("\u0001");
  }

  addRow(rowId: Tuid, timepoint: TimePoint, batches: readonly ComponentBatch[]): this {
    const key = ChunkBuilder.timelineKey(timepoint);
    if (this.timelineKey === undefined) {
      this.timelineKey = key;
      for (const [name, cell] of timepoint) this.times.set(name, { type: cell.type, values: [] });
    } else if (key !== this.timelineKey) {
      throw new ChunkError(
        "timeline-mismatch",
        `row for ${this.entityPath} has timelines [${[...timepoint.keys()].join(", ")}], ` +
          `expected [${[...this.times.keys()].join(", ")}]`,
      );
    }
    // Check everything before changing anything, so a rejected row leaves the builder as it was.
    const seen = new Set<string>();
    for (const b of batches) {
      if (seen.has(b.descriptor.component)) {
        throw new ChunkError(
          "duplicate-column",
          `component ${b.descriptor.component} given twice in one row of ${this.entityPath}`,
        );
      }
      seen.add(b.descriptor.component);
    }
    const row = this.rowIds.length;
    this.rowIds.push(rowId);
    for (const [name, cell] of timepoint) this.times.get(name)!.values.push(cell.value);
    for (const b of batches) {
      let pending = this.components.get(b.descriptor.component);
      if (!pending) {
        pending = { descriptor: b.descriptor, type: b.type, rows: new Array<null>(row).fill(null) };
        this.components.set(b.descriptor.component, pending);
      }
      pending.rows.push(b.values);
      this.estimatedBytes += estimateBytes(b.values);
    }
    for (const pending of this.components.values()) {
      if (pending.rows.length === row) pending.rows.push(null);
    }
    this.estimatedBytes += 16 + 8 * timepoint.size;
    return this;
  }

  /** Takes back the last row added (e.g. when copying it failed), leaving the builder as it was before. */
  removeLastRow(): void {
    const row = this.rowIds.length - 1;
    if (row < 0) return;
    this.rowIds.pop();
    for (const { values } of this.times.values()) values.pop();
    for (const [name, pending] of this.components) {
      const values = pending.rows.pop();
      if (values) this.estimatedBytes -= estimateBytes(values);
      if (pending.rows.every((r) => r === null)) this.components.delete(name);
    }
    this.estimatedBytes -= 16 + 8 * this.times.size;
    if (row === 0) {
      this.timelineKey = undefined;
      this.times.clear();
    }
  }

  /** One builder per row, holding that row alone (to build the rows of a chunk that failed one by one). */
  splitRows(): ChunkBuilder[] {
    return this.rowIds.map((rowId, row) => {
      const timepoint = new Map<string, TimeCell>();
      for (const [name, { type, values }] of this.times) timepoint.set(name, { type, value: values[row]! });
      const batches: ComponentBatch[] = [];
      for (const pending of this.components.values()) {
        const values = pending.rows[row];
        if (values) batches.push({ descriptor: pending.descriptor, type: pending.type, values });
      }
      return new ChunkBuilder(this.entityPath).addRow(rowId, timepoint, batches);
    });
  }

  /**
   * Replaces the last row's component values with deep copies, so that the caller may reuse or change the arrays
   * it logged (e.g. one pixel buffer refilled for every frame) while the row waits in this builder.
   */
  detachLastRow(): void {
    const row = this.rowIds.length - 1;
    if (row < 0) return;
    for (const pending of this.components.values()) {
      const values = pending.rows[row];
      if (values) pending.rows[row] = structuredClone(values);
    }
  }

  build(chunkId: Tuid = defaultTuidGenerator.next(), options: ChunkBuildOptions = {}): Chunk {
    const rowIdBytes = new Uint8Array(this.rowIds.length * 16);
    this.rowIds.forEach((id, i) => id.writeBytes(rowIdBytes, i * 16));
    const timelines = new Map<string, TimeColumn>();
    const times = [...this.times];
    if (!isSortedBy(times, ([name]) => name)) {
      times.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    }
    for (const [name, { type, values }] of times) {
      const times = BigInt64Array.from(values);
      timelines.set(name, { timeline: { name, type }, times, isSorted: isNonDecreasing(times) });
    }
    const components = new Map<string, ChunkComponent>();
    const sorted = [...this.components.values()];
    if (!isSortedBy(sorted, (c) => c.descriptor.component)) {
      sorted.sort((a, b) => (a.descriptor.component < b.descriptor.component ? -1 : 1));
    }
    for (const pending of sorted) {
      components.set(pending.descriptor.component, {
        descriptor: pending.descriptor,
        list: buildListColumn(pending.type, pending.rows, options),
      });
    }
    return new Chunk({ id: chunkId, entityPath: this.entityPath, rowIds: rowIdBytes, timelines, components });
  }
}

/** Builds a `List<item: T>` column (child field `item`, nullable) from per-row batches. */
export function buildListColumn<T>(
  type: ComponentType<T>,
  rows: readonly (readonly T[] | null)[],
  options: ChunkBuildOptions = {},
): Data<List> {
  const offsets = new Int32Array(rows.length + 1);
  const flat: T[] = [];
  rows.forEach((r, i) => {
    if (r) for (const v of r) flat.push(v);
    offsets[i + 1] = flat.length;
  });
  const child =
    (options.encodeOnly && byteListSegments(type.arrowType, flat)) ||
    (options.viewSingleByteArray && flat.length === 1 && byteListSegments(type.arrowType, flat)) ||
    type.toArrow(flat);
  const listType = listTypeOf(type.arrowType);
  const { bitmap, nullCount } = validityBitmap(rows.map((r) => r !== null));
  return makeData({
    type: listType,
    length: rows.length,
    nullCount,
    valueOffsets: offsets,
    child,
    ...(bitmap ? { nullBitmap: bitmap } : {}),
  });
}

/** `List<item: T>` per item type, one object for every column of that type (see `listTypeOf`). */
const listTypes = new WeakMap<DataType, List>();

/**
 * The `List<item: T>` type of a component column. One shared object per item type (apache-arrow's types are not
 * changed after construction), so that the schema message cache finds the type's description without rebuilding it.
 */
function listTypeOf(itemType: DataType): List {
  let listType = listTypes.get(itemType);
  if (listType === undefined) {
    listType = new List(new Field("item", itemType, true));
    listTypes.set(itemType, listType);
  }
  return listType;
}

/**
 * A `List<UInt8>` Data of `values` without copying them: one array is viewed as it is; several stand behind a
 * placeholder that only `chunkToIpcParts` can write (`byteSegmentsPlaceholder`). Undefined when `type` is not
 * `List<UInt8>` or a value is not a Uint8Array.
 */
function byteListSegments(type: DataType, values: readonly unknown[]): Data | undefined {
  if (!DataType.isList(type) || values.length === 0) return undefined;
  const item = type.children[0]!.type;
  if (!DataType.isInt(item) || item.bitWidth !== 8 || item.isSigned) return undefined;
  if (!values.every((v) => v instanceof Uint8Array)) return undefined;
  const arrays = values as readonly Uint8Array[];
  const offsets = new Int32Array(arrays.length + 1);
  let total = 0;
  arrays.forEach((a, i) => {
    total += a.length;
    if (total > 0x7fffffff)
      throw new RangeError(`a List<UInt8> column cannot exceed 2 GiB, got ${total} bytes`);
    offsets[i + 1] = total;
  });
  const data = arrays.length === 1 ? arrays[0]! : byteSegmentsPlaceholder(arrays);
  const child = makeData({ type: item, length: total, nullCount: 0, data });
  return makeData({ type, length: arrays.length, nullCount: 0, valueOffsets: offsets, child });
}

/** True when every item's key is `<=` the next one's (string order, as the sorts here order them). */
function isSortedBy<T>(items: readonly T[], key: (item: T) => string): boolean {
  for (let i = 1; i < items.length; i++) if (key(items[i - 1]!) > key(items[i]!)) return false;
  return true;
}

function isNonDecreasing(times: BigInt64Array): boolean {
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) return false;
  return true;
}

function estimateBytes(values: readonly unknown[]): number {
  let total = 0;
  for (const v of values) total += ArrayBuffer.isView(v) ? v.byteLength : 8;
  return total;
}
