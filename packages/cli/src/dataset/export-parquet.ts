import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { FileSource } from "@iris/rrd/node";
import { loadTable, openDatasetSql, quoteIdentifier, quoteLiteral } from "./dataset-sql.ts";
import { type DatasetTable, entityPaths, entityTable } from "./dataset-tables.ts";
import type { DatasetIndex } from "./dataset-types.ts";

/** The tables written as single Parquet files at the top of an export. */
export const EXPORT_SMALL_TABLES = ["files", "recordings", "chunks", "time_ranges"] as const;

export interface ExportReport {
  /** Entity path → its directory under `entities/`. */
  readonly entities: { entityPath: string; directory: string; rows: number }[];
  readonly files: number;
}

export interface ExportOptions {
  onProgress?: (done: number, total: number, item: string) => void;
  open?: (path: string) => FileSource;
}

/**
 * A directory name for an entity path: segments joined by `.`, characters outside `[A-Za-z0-9_-]` as `_`, `_root`
 * for `/`; a name already taken gets `~2`, `~3`, … (`entities.parquet` maps names back to paths).
 */
export function entityDirectory(entityPath: string, taken: Set<string>): string {
  const segments = entityPath.split("/").filter((s) => s.length > 0);
  const base =
    segments.length === 0 ? "_root" : segments.map((s) => s.replace(/[^A-Za-z0-9_-]/g, "_")).join(".");
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}~${n}`;
  taken.add(name);
  return name;
}

/**
 * Writes the dataset as Parquet under `out` (which is replaced): `files.parquet`, `recordings.parquet`,
 * `chunks.parquet`, `time_ranges.parquet`, `entities.parquet` (entity path → directory) and per entity
 * `entities/<directory>/recording_id=<id>/data_0.parquet` (Hive partitioning by recording; the `recording_id`
 * column lives in the directory name). Uses DuckDB's Parquet writer; one entity table is in memory at a time.
 */
export async function exportParquet(
  root: string,
  index: DatasetIndex,
  out: string,
  options: ExportOptions = {},
): Promise<ExportReport> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "entities"), { recursive: true });
  const db = await openDatasetSql(root, index);
  try {
    let files = 0;
    for (const name of EXPORT_SMALL_TABLES) {
      await db.connection.run(
        `COPY ${quoteIdentifier(name)} TO ${quoteLiteral(join(out, `${name}.parquet`))} (FORMAT parquet)`,
      );
      files++;
    }
    const paths = entityPaths(index);
    const taken = new Set<string>();
    const entities: ExportReport["entities"] = [];
    for (const [i, entityPath] of paths.entries()) {
      options.onProgress?.(i, paths.length, entityPath);
      const directory = entityDirectory(entityPath, taken);
      const table: DatasetTable = { ...entityTable(root, index, entityPath, options.open), name: "entity" };
      await loadTable(db.connection, table);
      await db.connection.run(
        `COPY entity TO ${quoteLiteral(join(out, "entities", directory))} ` +
          "(FORMAT parquet, PARTITION_BY (recording_id), FILENAME_PATTERN 'data_{i}')",
      );
      const parts = await db.connection.runAndReadAll("SELECT count(DISTINCT recording_id) FROM entity");
      files += Number(parts.getRowsJS()[0]![0]);
      await db.connection.run("DROP TABLE entity");
      entities.push({ entityPath, directory, rows: table.rows.length });
    }
    options.onProgress?.(paths.length, paths.length, "");
    await loadTable(db.connection, {
      name: "entity_map",
      columns: [
        { name: "entity_path", type: "VARCHAR" },
        { name: "directory", type: "VARCHAR" },
        { name: "rows", type: "BIGINT" },
      ],
      rows: entities.map((e) => [e.entityPath, e.directory, BigInt(e.rows)]),
    });
    await db.connection.run(
      `COPY entity_map TO ${quoteLiteral(join(out, "entities.parquet"))} (FORMAT parquet)`,
    );
    return { entities, files: files + 1 };
  } finally {
    db.close();
  }
}
