import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { FileSource } from "@iris/rrd/node";
import {
  type DatasetTable,
  chunksTable,
  entityPaths,
  entityTable,
  filesTable,
  recordingsTable,
  timeRangesTable,
} from "./dataset-tables.ts";
import type { DatasetIndex } from "./dataset-types.ts";

/** A DuckDB database in memory holding a dataset's tables; `close()` frees it. */
export interface DatasetSql {
  readonly connection: DuckDBConnection;
  /** The tables loaded, by name. */
  readonly tables: string[];
  close(): void;
}

export interface OpenDatasetSqlOptions {
  /**
   * Which per-entity tables to load: "all", or those whose entity path occurs in this SQL text (default: none).
   * The image bytes of an entity are read from the member files, so only the tables a query names are loaded.
   */
  entities?: "all" | { referencedBy: string };
  open?: (path: string) => FileSource;
}

/** `"name"` for SQL, with inner quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal for SQL. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Opens an in-memory DuckDB (`@duckdb/node-api`, loaded on first use) with the dataset's tables: `files`,
 * `recordings`, `chunks`, `time_ranges` and per-entity dataframes named by entity path (`"/camera"`).
 */
export async function openDatasetSql(
  root: string,
  index: DatasetIndex,
  options: OpenDatasetSqlOptions = {},
): Promise<DatasetSql> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance: DuckDBInstance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const close = (): void => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    const tables = [filesTable(index), recordingsTable(index), chunksTable(index), timeRangesTable(index)];
    const which = options.entities;
    for (const path of entityPaths(index)) {
      if (which === undefined) break;
      if (which !== "all" && !which.referencedBy.includes(path)) continue;
      tables.push(entityTable(root, index, path, options.open));
    }
    for (const table of tables) await loadTable(connection, table);
    return { connection, tables: tables.map((t) => t.name), close };
  } catch (error) {
    close();
    throw error;
  }
}

/** Creates `table` in DuckDB and appends its rows. */
export async function loadTable(connection: DuckDBConnection, table: DatasetTable): Promise<void> {
  const columns = table.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(", ");
  await connection.run(`CREATE TABLE ${quoteIdentifier(table.name)} (${columns})`);
  const appender = await connection.createAppender(table.name);
  try {
    for (const row of table.rows) {
      table.columns.forEach((column, i) => {
        const v = row[i];
        if (v === null || v === undefined) appender.appendNull();
        else if (column.type === "VARCHAR") appender.appendVarchar(String(v));
        else if (column.type === "BIGINT") appender.appendBigInt(BigInt(v as bigint | number));
        else if (column.type === "INTEGER") appender.appendInteger(Number(v));
        else if (column.type === "DOUBLE") appender.appendDouble(Number(v));
        else if (column.type === "BOOLEAN") appender.appendBoolean(v === true);
        else appender.appendBlob(v as Uint8Array);
      });
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
