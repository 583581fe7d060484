// iris export --to parquet, then the same queries on the export with DuckDB (read_parquet, Hive partitions) and
// with Apache Spark in local mode (PySpark in the oracle venv): identical rows; and the export equals iris sql.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "@iris/cli";
import { openDatasetSql } from "../../packages/cli/src/dataset/dataset-sql.ts";
import { indexDataset } from "../../packages/cli/src/dataset/index-dataset.ts";
import { runQuery } from "../../packages/cli/src/dataset/sql-result.ts";
import { repoRoot, requireVenv, venvPython } from "../rerun-oracle/rerun-venv.ts";
import { makeDataset } from "./make-dataset.ts";

const COUNT = 12;
const dir = mkdtempSync(join(tmpdir(), "iris-export-"));
const out = join(dir, "..", `${dir.split("/").pop()}-parquet`);

/** The queries, written once for both engines (no engine-specific syntax; entity tables by directory name). */
const QUERIES = [
  "SELECT application_id, count(*) AS n, min(start_time_ns) AS first FROM recordings GROUP BY application_id ORDER BY application_id",
  "SELECT recording_id, frame, width, height, color_model, channel_datatype, min_0, max_0, mean_0, mean_2, image FROM camera WHERE recording_id IN ('rec-2', 'rec-3') ORDER BY recording_id, frame",
  "SELECT color_model, count(*) AS n, max(max_0) AS hi, round(sum(mean_0), 6) AS total FROM camera GROUP BY color_model ORDER BY color_model",
  "SELECT c.recording_id, count(*) AS frames FROM camera c JOIN rig r ON c.recording_id = r.recording_id AND c.frame = r.frame WHERE c.mean_0 > 50 GROUP BY c.recording_id ORDER BY frames DESC, c.recording_id LIMIT 5",
  "SELECT entity_path, count(*) AS chunks, sum(num_rows) AS num FROM chunks GROUP BY entity_path ORDER BY entity_path",
];

/** Rows as the Spark script prints them: integers as strings, floats as Python repr, bytes as hex. */
function normalise(rows: unknown[][], types: string[]): unknown[][] {
  return rows.map((r) =>
    r.map((v, i) => {
      if (v === null || v === undefined) return null;
      if (v instanceof Uint8Array) return { hex: Buffer.from(v).toString("hex") };
      if (typeof v === "bigint") return v.toString();
      if (typeof v === "number")
        return types[i] === "DOUBLE" || types[i] === "FLOAT" ? pythonRepr(v) : String(v);
      return v;
    }),
  );
}

/** Python's float repr: shortest round-trip digits, always with a `.0` or exponent. */
function pythonRepr(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const s = String(v);
  if (/e/.test(s)) return s.replace(/e\+?(-?)(\d)$/, "e$10$2").replace("e+", "e+");
  return /\./.test(s) ? s : `${s}.0`;
}

beforeAll(() => {
  makeDataset(dir, COUNT);
}, 60_000);

describe("iris export --to parquet", () => {
  it("writes a Hive-partitioned layout with the documented tables", async () => {
    let stdout = "";
    const code = await main(["export", dir, "--to", "parquet", out, "--json"], {
      stdout: (s) => (stdout += s),
      stderr: () => {},
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      entities: { entityPath: string; directory: string; rows: number }[];
    };
    expect(report.entities).toEqual([
      { entityPath: "/__properties", directory: "__properties", rows: COUNT * 2 },
      { entityPath: "/camera", directory: "camera", rows: COUNT * 3 },
      { entityPath: "/rig", directory: "rig", rows: COUNT * 3 },
    ]);
    expect(readdirSync(out).sort()).toEqual([
      "chunks.parquet",
      "entities",
      "entities.parquet",
      "files.parquet",
      "recordings.parquet",
      "time_ranges.parquet",
    ]);
    expect(readdirSync(join(out, "entities", "camera")).sort()).toEqual(
      Array.from({ length: COUNT }, (_, i) => `recording_id=rec-${i}`).sort(),
    );
    expect(existsSync(join(out, "entities", "camera", "recording_id=rec-0", "data_0.parquet"))).toBe(true);
  });

  it("DuckDB on the export gives the rows iris sql gives on the dataset", async () => {
    const index = indexDataset(dir).index;
    const live = await openDatasetSql(dir, index, { entities: "all" });
    const exported = await duckdbOnExport();
    try {
      for (const q of QUERIES) {
        const a = await runQuery(
          live.connection,
          q.replace(/\bcamera\b/g, '"/camera"').replace(/\brig\b/g, '"/rig"'),
        );
        const b = await runQuery(exported, q);
        expect(normalise(b.rows, b.types), q).toEqual(normalise(a.rows, a.types));
        expect(b.rows.length, q).toBeGreaterThan(0);
      }
    } finally {
      live.close();
      exported.closeSync();
    }
  });

  it("Apache Spark (local mode) on the export gives the same rows as DuckDB", async () => {
    requireVenv();
    const exported = await duckdbOnExport();
    const expected: unknown[][][] = [];
    try {
      for (const q of QUERIES) {
        const r = await runQuery(exported, q);
        expected.push(normalise(r.rows, r.types));
      }
    } finally {
      exported.closeSync();
    }
    const queriesFile = join(out, "..", `${dir.split("/").pop()}-queries.json`);
    writeFileSync(queriesFile, JSON.stringify(QUERIES));
    const started = performance.now();
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        venvPython,
        [join(repoRoot, "tests/dataset/spark_queries.py"), out, queriesFile],
        { timeout: 240_000, maxBuffer: 64 << 20, env: { ...process.env, PYSPARK_PYTHON: venvPython } },
        (error, so, se) =>
          error ? reject(new Error(`spark_queries.py failed: ${error.message}\n${se}`)) : resolve(so),
      );
    });
    const spark = JSON.parse(stdout.trim().split("\n").pop()!) as {
      rows: unknown[][][];
      seconds: Record<string, number>;
    };
    process.stderr.write(
      `spark: ${((performance.now() - started) / 1000).toFixed(1)} s in all (session start ${spark.seconds.import!.toFixed(1)} s, queries ${spark.seconds.queries!.toFixed(1)} s)\n`,
    );
    QUERIES.forEach((q, i) => expect(spark.rows[i], q).toEqual(expected[i]));
  }, 300_000);
});

/** A DuckDB connection with the export's tables as views (Hive partitions read as VARCHAR). */
async function duckdbOnExport(): Promise<
  Awaited<ReturnType<DuckDBInstance["connect"]>> & { closeSync(): void }
> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  for (const name of ["files", "recordings", "chunks", "time_ranges"]) {
    await connection.run(
      `CREATE VIEW ${name} AS SELECT * FROM read_parquet('${join(out, `${name}.parquet`)}')`,
    );
  }
  const map = await connection.runAndReadAll(
    `SELECT directory FROM read_parquet('${join(out, "entities.parquet")}')`,
  );
  for (const [directory] of map.getRowsJS() as string[][]) {
    await connection.run(
      `CREATE VIEW "${directory}" AS SELECT * FROM read_parquet('${join(out, "entities", directory!)}/*/*.parquet', hive_partitioning = true, hive_types_autocast = false)`,
    );
  }
  const close = connection.closeSync.bind(connection);
  return Object.assign(connection, {
    closeSync: () => {
      close();
      instance.closeSync();
    },
  });
}
