import {
  Bool,
  type DataType,
  Field,
  FixedSizeBinary,
  RecordBatch,
  Schema,
  Struct,
  Uint64,
  Utf8,
  makeData,
  Data,
} from "apache-arrow";
import type { Chunk } from "@iris/chunk";
import {
  type ComponentDescriptor,
  EntityPath,
  type TimeType,
  arrowTypeOfTimeType,
  isValidAt,
  primitiveData,
} from "@iris/types";
import {
  ManifestColumn as C,
  compareDescriptors,
  compareStrings,
  descriptorKey,
  descriptorMetadata,
  manifestColumnName,
} from "./manifest-columns.ts";
import { SorbetSchemaBuilder } from "./sorbet-schema-builder.ts";

/**
 * One type object per column kind, shared by every manifest: the schema message cache describes a type once per
 * type object (apache-arrow's types are not changed after construction).
 */
const UTF8 = new Utf8();
const CHUNK_ID = new FixedSizeBinary(16);
const BOOL = new Bool();
const UINT64 = new Uint64();
const TIME_TYPES = new Map<TimeType, DataType>(
  (["sequence", "duration", "timestamp"] as const).map((t) => [t, arrowTypeOfTimeType(t)]),
);

function timeTypeOf(type: TimeType): DataType {
  return TIME_TYPES.get(type) ?? arrowTypeOfTimeType(type);
}

/** Where a chunk's ArrowMsg payload lies in its stream (offsets from the stream start, MessageHeader excluded). */
export interface ManifestByteSpan {
  offset: number;
  size: number;
  /** The uncompressed size of the payload (`ArrowMsg.uncompressed_size`). */
  sizeUncompressed: number;
}

/** A time range; `undefined` is Rerun's `TimeInt::STATIC` (written as null). */
interface Range {
  min: bigint;
  max: bigint;
}

interface TemporalColumn {
  timeline: string;
  type: TimeType;
  ranges: (Range | undefined)[];
}

interface ComponentIndexColumn extends TemporalColumn {
  descriptor: ComponentDescriptor;
  numRows: bigint[];
}

/**
 * Rerun's `RrdManifestBuilder`: one row per chunk of one store (entity, id, static-ness, row count, byte span),
 * plus per-component `:has_static_data` columns, per-timeline `:start`/`:end` columns and per timeline × component
 * `:start`/`:end`/`:num_rows` columns, and the recording's merged Sorbet schema.
 */
export class RrdManifestBuilder {
  readonly sorbet = new SorbetSchemaBuilder();
  private readonly entityPaths: string[] = [];
  private readonly chunkIds: Uint8Array[] = [];
  private readonly isStatic: boolean[] = [];
  private readonly numRows: bigint[] = [];
  private readonly byteOffsets: bigint[] = [];
  private readonly byteSizes: bigint[] = [];
  private readonly byteSizesUncompressed: bigint[] = [];
  private readonly staticColumns = new Map<string, { descriptor: ComponentDescriptor; hasData: boolean[] }>();
  private readonly timelineColumns = new Map<string, TemporalColumn>();
  private readonly componentColumns = new Map<string, ComponentIndexColumn>();
  /** Timeline → descriptor object → its column in `componentColumns`. */
  private readonly componentColumnsByDescriptor = new Map<
    string,
    Map<ComponentDescriptor, ComponentIndexColumn>
  >();
  /** The last chunk's entity path as given and as written (consecutive chunks usually share it). */
  private lastEntityPath: { raw: string; normalized: string } | undefined;

  get numChunks(): number {
    return this.chunkIds.length;
  }

  append(chunk: Chunk, span: ManifestByteSpan): void {
    this.sorbet.addChunk(chunk);
    const row = this.chunkIds.length;
    if (chunk.entityPath !== this.lastEntityPath?.raw) {
      this.lastEntityPath = {
        raw: chunk.entityPath,
        normalized: EntityPath.parse(chunk.entityPath).toString(),
      };
    }
    this.entityPaths.push(this.lastEntityPath.normalized);
    this.chunkIds.push(chunk.id.toBytes());
    this.isStatic.push(chunk.isStatic);
    this.numRows.push(BigInt(chunk.numRows));
    this.byteOffsets.push(BigInt(span.offset));
    this.byteSizes.push(BigInt(span.size));
    this.byteSizesUncompressed.push(BigInt(span.sizeUncompressed));

    if (chunk.isStatic) {
      for (const component of chunk.components.values()) {
        this.staticColumn(component.descriptor, row).hasData.push(true);
      }
    } else {
      for (const [name, column] of chunk.timelines) {
        const timeline = this.temporal(this.timelineColumns, name, name, column.timeline.type, row);
        timeline.ranges.push(rangeOf(column.times));
        for (const component of chunk.components.values()) {
          const list = component.list;
          let valid = 0;
          for (let i = 0; i < chunk.numRows; i++) if (isValidAt(list, i)) valid++;
          const col = this.componentColumn(name, column.timeline.type, row, component.descriptor);
          col.ranges.push(rangeOf(column.times, list));
          col.numRows.push(BigInt(valid));
        }
      }
    }
    this.pad();
  }

  /** The manifest as Arrow: Rerun's column order and field metadata. */
  build(): { data: RecordBatch; sorbetSchema: Schema } {
    this.pad();
    const n = this.chunkIds.length;
    const fields: Field[] = [];
    const columns: Data[] = [];
    const add = (field: Field, data: Data): void => {
      fields.push(field);
      columns.push(data);
    };
    add(new Field(C.entityPath, UTF8, false), utf8Data(this.entityPaths));
    const ids = new Uint8Array(16 * n);
    this.chunkIds.forEach((id, i) => ids.set(id, 16 * i));
    add(new Field(C.chunkId, CHUNK_ID, false), primitiveData(CHUNK_ID, ids, n));
    add(new Field(C.isStatic, BOOL, false), boolData(this.isStatic));
    add(new Field(C.numRows, UINT64, false), u64Data(this.numRows));
    add(new Field(C.byteOffset, UINT64, false), u64Data(this.byteOffsets));
    add(new Field(C.byteSize, UINT64, false), u64Data(this.byteSizes));
    add(new Field(C.byteSizeUncompressed, UINT64, false), u64Data(this.byteSizesUncompressed));

    const statics = [...this.staticColumns.values()].sort((a, b) =>
      compareDescriptors(a.descriptor, b.descriptor),
    );
    for (const { descriptor, hasData } of statics) {
      const metadata = new Map([...descriptorMetadata(descriptor), ["rerun:index", "rerun:static"]]);
      add(
        new Field(manifestColumnName(descriptor, undefined, "has_static_data"), BOOL, false, metadata),
        boolData(hasData),
      );
    }
    const timelines = [...this.timelineColumns.values()].sort((a, b) =>
      compareStrings(a.timeline, b.timeline),
    );
    for (const t of timelines) {
      const metadata = new Map([["rerun:index", t.timeline]]);
      const type = timeTypeOf(t.type);
      add(
        new Field(manifestColumnName(undefined, t.timeline, "start"), type, true, metadata),
        timeData(type, t.ranges, "min"),
      );
      add(
        new Field(manifestColumnName(undefined, t.timeline, "end"), type, true, metadata),
        timeData(type, t.ranges, "max"),
      );
    }
    const components = [...this.componentColumns.values()].sort(
      (a, b) => compareStrings(a.timeline, b.timeline) || compareDescriptors(a.descriptor, b.descriptor),
    );
    for (const c of components) {
      const metadata = new Map([["rerun:index", c.timeline], ...descriptorMetadata(c.descriptor)]);
      const type = timeTypeOf(c.type);
      const name = (suffix: string): string => manifestColumnName(c.descriptor, c.timeline, suffix);
      add(new Field(name("start"), type, true, metadata), timeData(type, c.ranges, "min"));
      add(new Field(name("end"), type, true, metadata), timeData(type, c.ranges, "max"));
      add(new Field(name("num_rows"), UINT64, true, metadata), u64Data(c.numRows));
    }
    const schema = new Schema(fields);
    const struct = makeData({ type: new Struct(fields), length: n, nullCount: 0, children: columns });
    return { data: new RecordBatch(schema, struct), sorbetSchema: this.sorbet.buildSchema() };
  }

  /**
   * The `timeline` × component column of `descriptor`, keyed by its descriptor's strings (`descriptorKey`); the
   * column found for a descriptor object is remembered per timeline, so that the chunks of a stream (which share
   * their archetype's descriptor objects) find it without building the key.
   */
  private componentColumn(
    timeline: string,
    type: TimeType,
    row: number,
    descriptor: ComponentDescriptor,
  ): ComponentIndexColumn {
    let byDescriptor = this.componentColumnsByDescriptor.get(timeline);
    if (byDescriptor === undefined) {
      byDescriptor = new Map();
      this.componentColumnsByDescriptor.set(timeline, byDescriptor);
    }
    let column = byDescriptor.get(descriptor);
    if (column === undefined) {
      const key = `${timeline}\u0000${descriptorKey(descriptor)}`;
      column = this.temporal(this.componentColumns, key, timeline, type, row, descriptor);
      byDescriptor.set(descriptor, column);
    }
    return column;
  }

  private staticColumn(descriptor: ComponentDescriptor, row: number) {
    const key = descriptorKey(descriptor);
    let column = this.staticColumns.get(key);
    if (column === undefined) {
      column = { descriptor, hasData: new Array<boolean>(row).fill(false) };
      this.staticColumns.set(key, column);
    }
    return column;
  }

  private temporal<T extends TemporalColumn>(
    map: Map<string, T>,
    key: string,
    timeline: string,
    type: TimeType,
    row: number,
    descriptor?: ComponentDescriptor,
  ): T {
    let column = map.get(key);
    if (column === undefined) {
      const base: TemporalColumn = {
        timeline,
        type,
        ranges: new Array<Range | undefined>(row).fill(undefined),
      };
      column = (
        descriptor === undefined ? base : { ...base, descriptor, numRows: new Array<bigint>(row).fill(0n) }
      ) as T;
      map.set(key, column);
    }
    return column;
  }

  /** Rerun's `pad_index_columns`: every component gets a `:has_static_data` column; all columns reach n rows. */
  private pad(): void {
    const n = this.chunkIds.length;
    for (const c of this.componentColumns.values()) this.staticColumn(c.descriptor, 0);
    for (const c of this.staticColumns.values()) while (c.hasData.length < n) c.hasData.push(false);
    for (const c of this.timelineColumns.values()) while (c.ranges.length < n) c.ranges.push(undefined);
    for (const c of this.componentColumns.values()) {
      while (c.ranges.length < n) c.ranges.push(undefined);
      while (c.numRows.length < n) c.numRows.push(0n);
    }
  }
}

/** The time range of every row, or of the rows where `list` holds a value. */
function rangeOf(times: BigInt64Array, list?: Data): Range | undefined {
  let min: bigint | undefined;
  let max: bigint | undefined;
  for (let i = 0; i < times.length; i++) {
    if (list !== undefined && !isValidAt(list, i)) continue;
    const t = times[i]!;
    if (min === undefined || t < min) min = t;
    if (max === undefined || t > max) max = t;
  }
  return min === undefined || max === undefined ? undefined : { min, max };
}

function u64Data(values: readonly bigint[]): Data {
  return primitiveData(UINT64, BigUint64Array.from(values), values.length);
}

/** A non-null Bool column, bit-packed (LSB first) as Arrow lays it out. */
function boolData(values: readonly boolean[]): Data {
  const bits = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v) bits[i >> 3]! |= 1 << (i & 7);
  });
  return primitiveData(BOOL, bits, values.length);
}

const utf8 = new TextEncoder();

/** A non-null Utf8 column: int32 offsets and the strings' UTF-8 bytes one after another. */
function utf8Data(values: readonly string[]): Data {
  const encoded = values.map((v) => utf8.encode(v));
  const offsets = new Int32Array(values.length + 1);
  encoded.forEach((bytes, i) => (offsets[i + 1] = offsets[i]! + bytes.length));
  const data = new Uint8Array(offsets[values.length]!);
  encoded.forEach((bytes, i) => data.set(bytes, offsets[i]!));
  return makeData({ type: UTF8, length: values.length, nullCount: 0, valueOffsets: offsets, data });
}

function timeData(type: DataType, ranges: readonly (Range | undefined)[], bound: "min" | "max"): Data {
  const values = new BigInt64Array(ranges.length);
  const bitmap = new Uint8Array(Math.ceil(ranges.length / 8));
  let nullCount = 0;
  ranges.forEach((r, i) => {
    if (r === undefined) {
      nullCount++;
      return;
    }
    values[i] = r[bound];
    bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return primitiveData(type, values, ranges.length, {
    bitmap: nullCount > 0 ? bitmap : undefined,
    nullCount,
  });
}
