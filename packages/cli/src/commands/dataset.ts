import { existsSync, statSync } from "node:fs";
import type { ParsedArgs } from "../args.ts";
import { type CommandSpec, JSON_OPTION } from "../command-spec.ts";
import { DATASET_INDEX_FILE } from "../dataset/dataset-types.ts";
import { type IndexReport, indexDataset } from "../dataset/index-dataset.ts";
import { formatBytes } from "../format-value.ts";
import { type CliIo, CliError, UsageError } from "../io.ts";
import { progressBar } from "../progress-bar.ts";
import { escapeTerminal as t, terminalSafeJson } from "@iris/types";

export const datasetSpec: CommandSpec = {
  name: "dataset",
  summary: "index a folder of .rrd recordings (incrementally) for iris sql and iris export",
  synopsis: "index DIR [--full] [--json]",
  description:
    `Indexes every .rrd file under DIR (recursively) into DIR/${DATASET_INDEX_FILE}: recordings (application\n` +
    "id, recording id, name, start time, file, size), chunks with their entities, timelines, time ranges and\n" +
    "components (from each file's RrdFooter manifests; one sequential pass for files without a footer), and every\n" +
    "image with its format and per-channel min/max/mean. Re-running reads only files whose size or modification\n" +
    "time changed and drops removed ones. A file that cannot be read is reported and left out; it never stops\n" +
    "the rest. A progress bar is drawn on stderr when it is a terminal. Exit code 1 when any file failed.",
  options: {
    full: { type: "boolean", description: "re-read every file, ignoring the saved index" },
    json: JSON_OPTION,
  },
  positionals: { min: 2, max: 2, name: "index DIR" },
  run: datasetCommand,
};

/** `iris dataset index DIR`: brings DIR's dataset index up to date and prints what changed. */
export function datasetCommand(args: ParsedArgs, io: CliIo): number {
  const [action, dir] = args.positional as [string, string];
  if (action !== "index") throw new UsageError(`unknown action ${action} (expected: index)`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory`);
  const json = args.flags.has("json");
  const bar = progressBar(io, "indexing", !json);
  let report: IndexReport;
  try {
    report = indexDataset(dir, { full: args.flags.has("full"), onProgress: bar.update });
  } finally {
    bar.finish();
  }
  const members = report.index.members;
  const ok = members.filter((m) => m.error === null);
  const recordings = ok.reduce((n, m) => n + m.recordings.length, 0);
  const chunks = ok.reduce((n, m) => n + m.chunks.length, 0);
  const images = ok.reduce((n, m) => n + m.images.length, 0);
  const bytes = ok.reduce((n, m) => n + m.size, 0);
  if (json) {
    io.stdout(
      `${terminalSafeJson({
        dataset: dir,
        files: members.length,
        recordings,
        chunks,
        images,
        bytes,
        indexed: report.indexed,
        unchanged: report.unchanged.length,
        removed: report.removed,
        failed: report.failed,
      })}\n`,
    );
    return report.failed.length > 0 ? 1 : 0;
  }
  const lines = [
    `${t(dir)}: ${members.length} file(s), ${recordings} recording(s), ${chunks} chunk(s), ${images} image(s), ${formatBytes(bytes)}`,
    `indexed ${report.indexed.length}, unchanged ${report.unchanged.length}, removed ${report.removed.length}`,
  ];
  for (const f of report.removed) lines.push(`  removed ${t(f)}`);
  if (report.failed.length > 0) {
    lines.push(`failed (${report.failed.length}), left out:`);
    for (const f of report.failed) lines.push(`  ${t(f.file)}: ${t(f.error)}`);
  }
  io.stdout(`${lines.join("\n")}\n`);
  return report.failed.length > 0 ? 1 : 0;
}
