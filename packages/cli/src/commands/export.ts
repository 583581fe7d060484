import { existsSync, statSync } from "node:fs";
import { type ParsedArgs, flagString } from "../args.ts";
import { type CommandSpec, JSON_OPTION } from "../command-spec.ts";
import { exportParquet } from "../dataset/export-parquet.ts";
import { indexDataset } from "../dataset/index-dataset.ts";
import { type CliIo, CliError, UsageError } from "../io.ts";
import { progressBar } from "../progress-bar.ts";
import { escapeTerminal as t, terminalSafeJson } from "@iris/types";

export const exportSpec: CommandSpec = {
  name: "export",
  summary: "write a dataset as partitioned Parquet (for DuckDB, Spark, Trino …)",
  synopsis: "DATASET --to parquet OUT [--json]",
  description:
    "Brings the dataset index of the folder DATASET up to date (as `iris dataset index`), then writes its tables\n" +
    "as Parquet under OUT (replaced): files/recordings/chunks/time_ranges.parquet, entities.parquet (entity path\n" +
    "→ directory) and one directory per entity, Hive-partitioned by recording (entities/camera/recording_id=…/\n" +
    "data_0.parquet). Schema: docs/dataset-schema.md. A progress bar is drawn on stderr when it is a terminal.",
  options: {
    to: { type: "string", value: "FORMAT", description: "the output format: parquet (required)" },
    json: JSON_OPTION,
  },
  positionals: { min: 2, max: 2, name: "DATASET and OUT" },
  run: exportCommand,
};

/** `iris export DATASET --to parquet OUT`. */
export async function exportCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const [dir, out] = args.positional as [string, string];
  const to = flagString(args, "to");
  if (to !== "parquet") throw new UsageError(`needs --to parquet${to === undefined ? "" : `, got ${to}`}`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory`);
  const json = args.flags.has("json");
  const indexing = progressBar(io, "indexing", !json);
  let report;
  try {
    report = indexDataset(dir, { onProgress: indexing.update });
  } finally {
    indexing.finish();
  }
  const exporting = progressBar(io, "exporting", !json);
  let result;
  try {
    result = await exportParquet(dir, report.index, out, { onProgress: exporting.update });
  } finally {
    exporting.finish();
  }
  if (json) {
    io.stdout(
      `${terminalSafeJson({ out, entities: result.entities, files: result.files, failed: report.failed })}\n`,
    );
  } else {
    const lines = [
      `wrote ${result.files} Parquet file(s) to ${t(out)}: ${result.entities.length} entity table(s)`,
    ];
    for (const e of result.entities)
      lines.push(`  ${t(e.entityPath)} → entities/${t(e.directory)} (${e.rows} rows)`);
    if (report.failed.length > 0) {
      lines.push(`left out (${report.failed.length}):`);
      for (const f of report.failed) lines.push(`  ${t(f.file)}: ${t(f.error)}`);
    }
    io.stdout(`${lines.join("\n")}\n`);
  }
  return 0;
}
