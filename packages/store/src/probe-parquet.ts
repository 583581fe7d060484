import { type ColumnSource, type SchemaElement, parquetWriteBuffer } from "hyparquet-writer";
import type { ProbeSeries } from "./pixel-probe.ts";
import type { ProbeValue } from "./probe-image.ts";

type Leaf = Omit<SchemaElement, "name" | "repetition_type">;

const CONVERTED: Record<
  string,
  { type: "INT32" | "INT64"; converted: NonNullable<SchemaElement["converted_type"]> }
> = {
  U8: { type: "INT32", converted: "UINT_8" },
  U16: { type: "INT32", converted: "UINT_16" },
  U32: { type: "INT32", converted: "UINT_32" },
  U64: { type: "INT64", converted: "UINT_64" },
  I8: { type: "INT32", converted: "INT_8" },
  I16: { type: "INT32", converted: "INT_16" },
  I32: { type: "INT32", converted: "INT_32" },
  I64: { type: "INT64", converted: "INT_64" },
};

/**
 * Parquet leaf per probe datatype (means are always DOUBLE). Integers carry the converted types (UINT_8 …
 * INT_64), which readers map to the same logical types: hyparquet-writer 0.17 writes the INTEGER logical type in
 * a form pyarrow 26 refuses ("Couldn't deserialize thrift: Invalid data"; tests/cli/probe.test.ts reads back).
 */
function leafOf(datatype: string, mean: boolean): { leaf: Leaf; convert: (v: ProbeValue) => unknown } {
  const toNumber = (v: ProbeValue): unknown => Number(v);
  if (mean) return { leaf: { type: "DOUBLE" }, convert: toNumber };
  const integer = CONVERTED[datatype];
  if (integer) {
    return {
      leaf: { type: integer.type, converted_type: integer.converted },
      convert: integer.type === "INT64" ? (v) => BigInt(v) : toNumber,
    };
  }
  if (datatype === "F16" || datatype === "F32") return { leaf: { type: "FLOAT" }, convert: toNumber };
  return { leaf: { type: "DOUBLE" }, convert: toNumber };
}

/**
 * The probe as a Parquet file (hyparquet-writer, like `tableToParquetBytes`): a required INT64 time column named
 * after the timeline (logical type TIMESTAMP(NANOS, UTC) on timestamp timelines), one optional column per
 * channel (pixel values in their datatype: U8/U16/U32/I8/I16/I32 → INT32, U64/I64 → INT64, with the converted
 * types UINT_8 … INT_64; F16/F32 → FLOAT, F64 → DOUBLE; region means → DOUBLE; null when the sample has no
 * values) and a `status` string column. The series description is kept as JSON under the key `iris:probe`.
 */
export function probeToParquetBytes(series: ProbeSeries): Uint8Array {
  const schema: SchemaElement[] = [{ name: "root", num_children: series.channels.names.length + 2 }];
  const columnData: ColumnSource[] = [];
  const time: SchemaElement = { name: series.timeline, type: "INT64", repetition_type: "REQUIRED" };
  if (series.timeType === "timestamp") {
    time.logical_type = { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" };
  }
  schema.push(time);
  columnData.push({ name: series.timeline, data: BigInt64Array.from(series.samples, (s) => s.time) });
  const { leaf, convert } = leafOf(series.channels.datatype, series.mean);
  series.channels.names.forEach((name, c) => {
    schema.push({ name, repetition_type: "OPTIONAL", ...leaf });
    columnData.push({ name, data: series.samples.map((s) => (s.values ? convert(s.values[c]!) : null)) });
  });
  schema.push({ name: "status", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" });
  columnData.push({ name: "status", data: series.samples.map((s) => s.status) });
  const description = {
    entityPath: series.entityPath,
    kind: series.kind,
    region: series.region,
    mean: series.mean,
    datatype: series.mean ? "F64" : series.channels.datatype,
    source: series.channels.source,
  };
  const buffer = parquetWriteBuffer({
    columnData,
    schema,
    kvMetadata: [{ key: "iris:probe", value: JSON.stringify(description) }],
    createdBy: "iris (hyparquet-writer 0.17.0)",
  });
  return new Uint8Array(buffer);
}
