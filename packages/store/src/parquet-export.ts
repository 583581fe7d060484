import { type DataType, type Field, type List, type Table, Type, type Vector } from "apache-arrow";
import { type ColumnSource, type SchemaElement, parquetWriteBuffer } from "hyparquet-writer";
import { StoreError } from "./store-error.ts";

/** How one Arrow column was written to Parquet (also stored in the file's `iris:columns` key-value metadata). */
export type ParquetColumnMapping =
  /** The index column: `INT64`, with logical type TIMESTAMP(NANOS, UTC) for timestamp timelines. */
  | "index"
  /** `List<item: primitive | Utf8>` → a Parquet LIST of the matching primitive (element nullable). */
  | "list"
  /** `List<item: List<UInt8> | Binary>` (blobs, e.g. `Image:buffer`) → a Parquet LIST of BYTE_ARRAY. */
  | "list-of-bytes"
  /** Any other item type → one `BYTE_ARRAY` (JSON) per cell: the JSON array of the cell's instances. */
  | "json";

interface LeafType {
  readonly element: Omit<SchemaElement, "name" | "repetition_type">;
  /** Converts one Arrow instance value to what hyparquet-writer expects for the leaf. */
  readonly convert: (value: unknown) => unknown;
}

const identity = (value: unknown): unknown => value;
const toBigInt = (value: unknown): unknown => (value === null ? null : BigInt(value as bigint | number));

/**
 * Writes a dataframe table (as returned by `queryDataframe`) as a Parquet file (one row group per 100 000 rows,
 * Snappy-compressed), using hyparquet-writer. Column by column:
 *
 * | Arrow column | Parquet column |
 * |---|---|
 * | index `Int64` (sequence) | `INT64` (required) |
 * | index `Timestamp(ns)` | `INT64`, logical type `TIMESTAMP(isAdjustedToUTC, NANOS)` |
 * | index `Duration(ns)` | `INT64` (Parquet has no duration logical type; nanoseconds) |
 * | `List<Int8/16/32, UInt8/16/32>` | LIST of `INT32` with converted type `INT_8` … `UINT_32` |
 * | `List<Int64/UInt64>` | LIST of `INT64` with converted type `INT_64` / `UINT_64` |
 * | `List<Float32>`, `List<Float64>`, `List<Bool>` | LIST of `FLOAT`, `DOUBLE`, `BOOLEAN` |
 * | `List<Utf8>` | LIST of `BYTE_ARRAY` (`STRING`) |
 * | `List<List<UInt8>>`, `List<Binary>` (blobs, image buffers) | LIST of `BYTE_ARRAY`: one byte string per instance |
 * | any other `List<T>` (structs such as `ImageFormat`, nested lists, …) | `BYTE_ARRAY`, logical type `JSON`: the cell's instances as a JSON array; 64-bit integers are written as exact JSON numbers, bytes as arrays of numbers |
 *
 * LIST columns use the standard 3-level layout (`optional group <name> (LIST) { repeated group list { optional
 * <leaf> element } }`); a null cell (component not logged at that index value) is a null list, an empty cell an
 * empty list. hyparquet-writer could express the nested lists, but JSON keeps arbitrary Arrow types (unions,
 * maps, dense structs) readable without a schema translation for each. The Arrow schema's per-column mapping and
 * field metadata are kept as JSON under the key-value metadata key `iris:columns`.
 */
export function tableToParquetBytes(table: Table): Uint8Array {
  const numRows = table.numRows;
  const schema: SchemaElement[] = [{ name: "root", num_children: table.schema.fields.length }];
  const columnData: ColumnSource[] = [];
  const described: { name: string; arrowType: string; mapping: ParquetColumnMapping; metadata: object }[] =
    [];

  table.schema.fields.forEach((field, index) => {
    const vector = table.getChildAt(index);
    if (vector === null) throw new StoreError("unsupported-arrow-type", `column ${field.name} is missing`);
    const mapping = columnMapping(field);
    described.push({
      name: field.name,
      arrowType: String(field.type),
      mapping,
      metadata: Object.fromEntries(field.metadata),
    });
    switch (mapping) {
      case "index": {
        const element: SchemaElement = { name: field.name, type: "INT64", repetition_type: "REQUIRED" };
        if (field.type.typeId === Type.Timestamp) {
          element.logical_type = { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "NANOS" };
        }
        schema.push(element);
        columnData.push({ name: field.name, data: indexValues(vector, numRows) });
        break;
      }
      case "list":
      case "list-of-bytes": {
        const itemType = (field.type as List).children[0]!.type;
        const leaf = mapping === "list" ? primitiveLeaf(itemType)! : bytesLeaf;
        schema.push(
          {
            name: field.name,
            repetition_type: "OPTIONAL",
            converted_type: "LIST",
            logical_type: { type: "LIST" },
            num_children: 1,
          },
          { name: "list", repetition_type: "REPEATED", num_children: 1 },
          { name: "element", repetition_type: "OPTIONAL", ...leaf.element },
        );
        const data: (unknown[] | null)[] = [];
        for (let row = 0; row < numRows; row++) {
          const cell = vector.get(row) as Vector | null;
          data.push(
            cell === null ? null : Array.from(cell, (v: unknown) => (v == null ? null : leaf.convert(v))),
          );
        }
        columnData.push({ name: field.name, data });
        break;
      }
      case "json": {
        // Logical type JSON without the converted type: hyparquet-writer would JSON.stringify the text again.
        schema.push({
          name: field.name,
          type: "BYTE_ARRAY",
          logical_type: { type: "JSON" },
          repetition_type: "OPTIONAL",
        });
        const encoder = new TextEncoder();
        const data: (Uint8Array | null)[] = [];
        for (let row = 0; row < numRows; row++) {
          const cell = vector.get(row) as Vector | null;
          data.push(cell === null ? null : encoder.encode(toJsonText(cell)));
        }
        columnData.push({ name: field.name, data });
        break;
      }
    }
  });

  const buffer = parquetWriteBuffer({
    columnData,
    schema,
    rowGroupSize: 100_000,
    kvMetadata: [{ key: "iris:columns", value: JSON.stringify(described) }],
    createdBy: "iris (hyparquet-writer 0.17.0)",
  });
  return new Uint8Array(buffer);
}

/** The Parquet mapping `tableToParquetBytes` uses for a column of a dataframe table. */
export function columnMapping(field: Field): ParquetColumnMapping {
  const type = field.type as DataType;
  if (type.typeId === Type.Int || type.typeId === Type.Timestamp || type.typeId === Type.Duration) {
    if (field.metadata.get("rerun:kind") === "index" || !isList(type)) return "index";
  }
  if (!isList(type)) {
    throw new StoreError(
      "unsupported-arrow-type",
      `column ${field.name} is ${String(type)}; expected an index column or a List column`,
    );
  }
  const item = type.children[0]!.type as DataType;
  if (isBytes(item)) return "list-of-bytes";
  if (primitiveLeaf(item) !== undefined) return "list";
  return "json";
}

function isList(type: DataType): type is List {
  return type.typeId === Type.List;
}

function isBytes(type: DataType): boolean {
  if (type.typeId === Type.Binary || type.typeId === Type.LargeBinary) return true;
  if (type.typeId !== Type.List && type.typeId !== Type.LargeList) return false;
  const inner = type.children[0]!.type as DataType;
  return (
    inner.typeId === Type.Int &&
    (inner as unknown as { bitWidth: number; isSigned: boolean }).bitWidth === 8 &&
    !(inner as unknown as { isSigned: boolean }).isSigned
  );
}

const bytesLeaf: LeafType = {
  element: { type: "BYTE_ARRAY" },
  convert: (value) => {
    if (value instanceof Uint8Array) return value.slice();
    // A List<UInt8> instance: an Arrow Vector of Uint8.
    return Uint8Array.from(value as Iterable<number>);
  },
};

function primitiveLeaf(type: DataType): LeafType | undefined {
  switch (type.typeId) {
    case Type.Bool:
      return { element: { type: "BOOLEAN" }, convert: identity };
    case Type.Float: {
      const precision = (type as unknown as { precision: number }).precision;
      if (precision === 1) return { element: { type: "FLOAT" }, convert: identity };
      if (precision === 2) return { element: { type: "DOUBLE" }, convert: identity };
      return undefined; // Float16 → JSON
    }
    case Type.Int: {
      // The converted types (INT_8 … UINT_64), which readers map to the same INTEGER logical types:
      // hyparquet-writer 0.17 writes the INTEGER logical type in a form pyarrow refuses ("Couldn't deserialize
      // thrift: Invalid data"; tests/cli/query-parquet-pandas.test.ts reads the file back with pandas).
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      const converted = `${isSigned ? "INT" : "UINT"}_${bitWidth}` as NonNullable<
        SchemaElement["converted_type"]
      >;
      if (bitWidth === 64)
        return { element: { type: "INT64", converted_type: converted }, convert: toBigInt };
      return { element: { type: "INT32", converted_type: converted }, convert: (v) => Number(v) };
    }
    case Type.Utf8:
      return { element: { type: "BYTE_ARRAY", converted_type: "UTF8" }, convert: identity };
    default:
      return undefined;
  }
}

function indexValues(vector: Vector, numRows: number): BigInt64Array {
  const out = new BigInt64Array(numRows);
  let row = 0;
  for (const data of vector.data) {
    // Arrow JS slices value buffers with the Data (only validity bitmaps keep `offset`).
    const values = data.values as BigInt64Array;
    out.set(values.subarray(0, data.length), row);
    row += data.length;
  }
  return out;
}

/**
 * JSON text of an Arrow value: structs as objects, lists and typed arrays as arrays, 64-bit integers as exact
 * JSON numbers (not strings), non-finite floats as null, binary as arrays of byte values.
 */
export function toJsonText(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return String(value);
    case "string":
      return JSON.stringify(value);
    case "object":
      break;
    default:
      return "null";
  }
  if (ArrayBuffer.isView(value)) {
    const items =
      value instanceof BigInt64Array || value instanceof BigUint64Array
        ? [...value]
        : [...(value as unknown as ArrayLike<number> & Iterable<number>)];
    return `[${items.map(toJsonText).join(",")}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  // Arrow vectors are iterable; struct rows and map rows have toJSON.
  const maybeJson = value as { toJSON?: () => unknown; [Symbol.iterator]?: unknown };
  if (typeof maybeJson[Symbol.iterator] === "function" && typeof maybeJson.toJSON !== "function") {
    return `[${Array.from(value as Iterable<unknown>, toJsonText).join(",")}]`;
  }
  if (isVectorLike(value)) return `[${Array.from(value, toJsonText).join(",")}]`;
  const plain = typeof maybeJson.toJSON === "function" ? maybeJson.toJSON() : value;
  if (plain instanceof Map) {
    return `{${[...plain].map(([k, v]) => `${JSON.stringify(String(k))}:${toJsonText(v)}`).join(",")}}`;
  }
  if (plain !== value && (Array.isArray(plain) || typeof plain !== "object")) return toJsonText(plain);
  const entries = Object.entries(plain as Record<string, unknown>);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(",")}}`;
}

function isVectorLike(value: object): value is Iterable<unknown> {
  return "data" in value && "type" in value && typeof (value as { get?: unknown }).get === "function";
}
