import type { DuckDBConnection } from "@duckdb/node-api";
import {
  Binary,
  Bool,
  type DataType,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  Table,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  type Vector,
  tableToIPC,
  vectorFromArray,
} from "apache-arrow";

/** The rows of a query, as JavaScript values (BIGINT → bigint, BLOB → Uint8Array, NULL → null). */
export interface SqlResult {
  readonly columns: string[];
  /** DuckDB type names (`VARCHAR`, `BIGINT`, `BLOB`, …). */
  readonly types: string[];
  readonly rows: unknown[][];
}

/** Runs one query and reads all of its rows. */
export async function runQuery(connection: DuckDBConnection, sql: string): Promise<SqlResult> {
  const reader = await connection.runAndReadAll(sql);
  return {
    columns: reader.columnNames(),
    types: reader.columnTypes().map((t) => t.toString()),
    rows: reader.getRowsJS() as unknown[][],
  };
}

/** `sql` without a trailing `;` and whitespace, to be nested in `COPY (…)`. */
export function stripSemicolon(sql: string): string {
  return sql.replace(/[\s;]+$/u, "");
}

const ARROW_TYPES: Record<string, () => DataType> = {
  VARCHAR: () => new Utf8(),
  BIGINT: () => new Int64(),
  INTEGER: () => new Int32(),
  SMALLINT: () => new Int16(),
  TINYINT: () => new Int8(),
  UBIGINT: () => new Uint64(),
  UINTEGER: () => new Uint32(),
  USMALLINT: () => new Uint16(),
  UTINYINT: () => new Uint8(),
  DOUBLE: () => new Float64(),
  FLOAT: () => new Float32(),
  BOOLEAN: () => new Bool(),
  BLOB: () => new Binary(),
};

/**
 * The result as Arrow IPC stream bytes: scalar SQL types map to their Arrow types; any other type (lists,
 * structs, decimals, dates) is written as its text (Utf8).
 */
export function resultToArrowIpc(result: SqlResult): Uint8Array {
  const vectors: Record<string, Vector> = {};
  result.columns.forEach((name, i) => {
    const make = ARROW_TYPES[result.types[i]!];
    const values = result.rows.map((r) => r[i]);
    if (make === undefined) {
      vectors[name] = vectorFromArray(
        values.map((v) => (v === null || v === undefined ? null : textOf(v))),
        new Utf8(),
      );
    } else {
      const type = make();
      vectors[name] = vectorFromArray(values.map((v) => (v === undefined ? null : v)) as never[], type);
    }
  });
  return tableToIPC(new Table(vectors), "stream");
}

/** A value as text for people or Utf8 columns. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
