// Dataset section of `npm run bench`: `iris dataset index` (full and incremental), `iris sql` on the dataset,
// `iris export --to parquet`, against DuckDB reading the exported Parquet directly (the baseline).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { BytesSink, Image, RecordingStream } from "@iris/sdk";
import { openDatasetSql } from "../packages/cli/src/dataset/dataset-sql.ts";
import { exportParquet } from "../packages/cli/src/dataset/export-parquet.ts";
import { indexDataset } from "../packages/cli/src/dataset/index-dataset.ts";
import { type Summary, range, summarize } from "./stats.ts";

export interface DatasetBenchResult {
  recordings: number;
  framesPerRecording: number;
  width: number;
  height: number;
  datasetBytes: number;
  indexFullMs: Summary;
  indexUnchangedMs: Summary;
  sqlMs: Summary;
  exportMs: Summary;
  duckdbParquetMs: Summary;
  ratios: Summary;
}

const QUERY_IRIS = `SELECT recording_id, avg(mean_0) AS red, max(max_1) AS green FROM "/camera" GROUP BY recording_id ORDER BY red DESC LIMIT 5`;

/** Writes `recordings` files of `frames` RGB8 frames each (seeded noise, which LZ4 cannot shrink) under `dir`. */
function writeDataset(
  dir: string,
  recordings: number,
  frames: number,
  width: number,
  height: number,
): number {
  let total = 0;
  let seed = 0x9e3779b9;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) & 0xff;
  };
  for (let i = 0; i < recordings; i++) {
    const rec = new RecordingStream({ applicationId: "bench", recordingId: `rec-${i}` });
    const sink = new BytesSink();
    rec.setSink(sink);
    for (let f = 0; f < frames; f++) {
      rec.setTimeSequence("frame", f);
      const pixels = new Uint8Array(width * height * 3);
      for (let k = 0; k < pixels.length; k++) pixels[k] = random();
      rec.log("camera", new Image(pixels, { width, height, colorModel: "RGB" }));
    }
    rec.close();
    const bytes = sink.toBytes();
    total += bytes.length;
    writeFileSync(join(dir, `rec-${i}.rrd`), bytes);
  }
  return total;
}

export async function benchDataset(options: {
  quick: boolean;
  repeats: number;
  dir: string;
}): Promise<DatasetBenchResult> {
  const recordings = options.quick ? 50 : 200;
  const frames = 10;
  const width = 160;
  const height = 120;
  const root = join(options.dir, "dataset");
  const out = join(options.dir, "dataset-parquet");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const datasetBytes = writeDataset(root, recordings, frames, width, height);
  const full: number[] = [];
  const unchanged: number[] = [];
  const sql: number[] = [];
  const exported: number[] = [];
  const duck: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round <= options.repeats; round++) {
    let t = performance.now();
    const index = indexDataset(root, { full: true }).index;
    const fullMs = performance.now() - t;
    t = performance.now();
    indexDataset(root);
    const unchangedMs = performance.now() - t;
    t = performance.now();
    const db = await openDatasetSql(root, index, { entities: { referencedBy: QUERY_IRIS } });
    await db.connection.runAndReadAll(QUERY_IRIS);
    db.close();
    const sqlMs = performance.now() - t;
    t = performance.now();
    await exportParquet(root, index, out);
    const exportMs = performance.now() - t;
    t = performance.now();
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    await connection.runAndReadAll(
      QUERY_IRIS.replace(
        '"/camera"',
        `read_parquet('${join(out, "entities", "camera")}/*/*.parquet', hive_partitioning = true, hive_types_autocast = false)`,
      ),
    );
    connection.closeSync();
    instance.closeSync();
    const duckMs = performance.now() - t;
    if (round === 0) continue; // warm-up
    full.push(fullMs);
    unchanged.push(unchangedMs);
    sql.push(sqlMs);
    exported.push(exportMs);
    duck.push(duckMs);
    ratios.push(sqlMs / duckMs);
  }
  rmSync(root, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  return {
    recordings,
    framesPerRecording: frames,
    width,
    height,
    datasetBytes,
    indexFullMs: summarize(full),
    indexUnchangedMs: summarize(unchanged),
    sqlMs: summarize(sql),
    exportMs: summarize(exported),
    duckdbParquetMs: summarize(duck),
    ratios: summarize(ratios),
  };
}

export function datasetBenchMarkdown(r: DatasetBenchResult): string {
  const mb = r.datasetBytes / 1e6;
  const per = (s: Summary): string =>
    `${(mb / (s.median / 1000)).toFixed(1)} MB/s, ${(r.recordings / (s.median / 1000)).toFixed(0)} files/s`;
  return `## Datasets: ${r.recordings} recordings × ${r.framesPerRecording} frames of ${r.width}×${r.height} RGB8 (${mb.toFixed(1)} MB)

\`bench/dataset-bench.ts\`: the library calls behind \`iris dataset index\`, \`iris sql\` and \`iris export --to
parquet\` on one generated folder; the baseline is DuckDB (the same \`@duckdb/node-api\`) running the same query
directly on the exported Parquet (\`read_parquet\` with Hive partitions). The query: \`${QUERY_IRIS}\`.

| step | ms, median (min–max) | throughput |
| --- | --- | --- |
| index, full (manifests + every image read for its statistics) | ${range(r.indexFullMs)} | ${per(r.indexFullMs)} |
| index, nothing changed (stat only) | ${range(r.indexUnchangedMs, 1)} | |
| \`iris sql\` on the dataset (load \`/camera\` from the .rrd files + query) | ${range(r.sqlMs)} | ${per(r.sqlMs)} |
| export to partitioned Parquet | ${range(r.exportMs)} | ${per(r.exportMs)} |
| baseline: DuckDB on the exported Parquet (open + query) | ${range(r.duckdbParquetMs)} | ${per(r.duckdbParquetMs)} |

\`iris sql\` / DuckDB-on-Parquet, run by run: ${range(r.ratios, 1)}×. \`iris sql\` reads the image chunks of the
entity it queries from the \`.rrd\` files and appends them to an in-memory DuckDB table on every run; on the
Parquet export DuckDB reads only the columns the query uses (projection pushdown), so the export is the layout
to query repeatedly or at scale.
`;
}
