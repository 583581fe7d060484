import {
  Data,
  type DataType,
  Field,
  FixedSizeBinary,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
} from "apache-arrow";
import { type TimeType, arrowTypeOfTimeType, primitiveData } from "@iris/types";
import type { Chunk, TimeColumn } from "./chunk.ts";
import { MetadataKey as K, ROW_ID_COLUMN, SORBET_VERSION } from "./sorbet-schema.ts";

/**
 * One type object per column kind, shared by every batch: the schema message cache keys a schema by its types'
 * descriptions, which it remembers per type object (apache-arrow's types are not changed after construction).
 */
const ROW_ID_TYPE = new FixedSizeBinary(16);
const TIME_TYPES = new Map<TimeType, DataType>(
  (["sequence", "duration", "timestamp"] as const).map((t) => [t, arrowTypeOfTimeType(t)]),
);

/**
 * Converts a chunk to an Arrow RecordBatch in exactly the Sorbet 0.1.3 layout Rerun 0.33 writes: the RowId
 * column first, then the index (timeline) columns sorted by name, then the component columns, with Rerun's
 * schema and field metadata.
 */
export function chunkToRecordBatch(chunk: Chunk): RecordBatch {
  const schema = chunkSchema(chunk);
  const struct = makeData({
    type: new Struct(schema.fields),
    length: chunk.numRows,
    nullCount: 0,
    children: chunkColumns(chunk),
  });
  return new RecordBatch(schema, struct);
}

/** The Sorbet schema of `chunkToRecordBatch(chunk)`: its fields, their metadata and the schema metadata. */
export function chunkSchema(chunk: Chunk): Schema {
  const fields: Field[] = [];
  const rowIdMeta = new Map<string, string>([
    [K.kind, "control"],
    [K.extensionName, "rerun.datatypes.TUID"],
    [K.extensionMetadata, '{"namespace":"row"}'],
  ]);
  if (chunk.rowIdsSorted) rowIdMeta.set(K.isSorted, "true");
  fields.push(new Field(ROW_ID_COLUMN, ROW_ID_TYPE, false, rowIdMeta));

  for (const [name, column] of chunk.timelines) {
    const meta = new Map<string, string>([
      [K.kind, "index"],
      [K.indexName, name],
    ]);
    if (column.isSorted) meta.set(K.isSorted, "true");
    fields.push(new Field(name, timeType(column), true, meta));
  }

  for (const [name, component] of chunk.components) {
    const meta = new Map<string, string>([[K.kind, "data"]]);
    const d = component.descriptor;
    if (d.archetype !== undefined) meta.set(K.archetype, d.archetype);
    meta.set(K.component, d.component);
    if (d.componentType !== undefined) meta.set(K.componentType, d.componentType);
    fields.push(new Field(name, component.list.type, true, meta));
  }

  const schemaMeta = new Map<string, string>(chunk.extraMetadata);
  schemaMeta.set(K.chunkId, chunkIdValue(chunk));
  schemaMeta.set(K.entityPath, chunk.entityPath);
  schemaMeta.set(K.sorbetVersion, SORBET_VERSION);
  return new Schema(fields, schemaMeta);
}

/** The chunk's columns in the order of `chunkSchema`'s fields (RowIds, timelines, components), not copied. */
export function chunkColumns(chunk: Chunk): Data[] {
  const columns: Data[] = [primitiveData(ROW_ID_TYPE, chunk.rowIds, chunk.numRows)];
  for (const column of chunk.timelines.values()) {
    columns.push(primitiveData(timeType(column), column.times, chunk.numRows));
  }
  for (const component of chunk.components.values()) columns.push(component.list);
  return columns;
}

/** The `rerun:id` schema metadata value of a chunk. */
export function chunkIdValue(chunk: Chunk): string {
  return `chunk_${chunk.id.toString()}`;
}

/** The Arrow type of a time column (one shared object per time type). */
export function timeType(column: TimeColumn): DataType {
  return TIME_TYPES.get(column.timeline.type) ?? arrowTypeOfTimeType(column.timeline.type);
}

/** The chunk as an Arrow IPC stream (schema, one record batch, end-of-stream), the payload of an ArrowMsg. */
export function chunkToIpc(chunk: Chunk): Uint8Array {
  return tableToIPC(new Table(chunkToRecordBatch(chunk)), "stream");
}
