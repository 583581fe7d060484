import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { type ParsedArgs, flagString } from "../args.ts";
import { type CommandSpec, JSON_OPTION } from "../command-spec.ts";
import { openDatasetSql, quoteLiteral } from "../dataset/dataset-sql.ts";
import { indexDataset } from "../dataset/index-dataset.ts";
import { selectedRowsRrd } from "../dataset/selected-rows.ts";
import { type SqlResult, resultToArrowIpc, runQuery, stripSemicolon, textOf } from "../dataset/sql-result.ts";
import { formatBytes } from "../format-value.ts";
import { type CliIo, CliError, UsageError } from "../io.ts";
import { progressBar } from "../progress-bar.ts";
import { escapeTerminal as t, terminalSafeJson } from "@iris/types";
import { viewCommand } from "./view.ts";

const DEFAULT_ROWS_SHOWN = 20;
const MAX_CELL_CHARS = 48;

export const sqlSpec: CommandSpec = {
  name: "sql",
  summary: "SQL (DuckDB, embedded) over a dataset of recordings: print, write Parquet/Arrow, or view",
  synopsis:
    '"SELECT …" [--dataset DIR] [--out result.parquet|result.arrow] [--rows N] [--json]\n' +
    "                [--view [--port 9090] [--no-open]]",
  description:
    "Brings the dataset index of DIR (default: the current directory) up to date like `iris dataset index`,\n" +
    "then runs the query in an embedded DuckDB over the tables files, recordings, chunks, time_ranges and one\n" +
    'dataframe per entity named by its path (SELECT * FROM "/camera"): recording_id, row_id, chunk_id, one\n' +
    "column per timeline, the image format columns, the image bytes as BLOB (image), per-channel statistics\n" +
    "(min_0 … mean_3) and the other components (JSON text). Schema: docs/dataset-schema.md. Prints the first\n" +
    "rows, or writes every row to --out (Parquet or Arrow IPC by extension), or with --view writes the selected\n" +
    "rows (the query must return recording_id and row_id) to a temporary .rrd and opens it in the viewer.",
  options: {
    dataset: { type: "string", value: "DIR", description: "the dataset folder (default .)" },
    out: { type: "string", value: "FILE", description: "write all rows to FILE (.parquet or .arrow)" },
    rows: { type: "string", value: "N", description: `rows to print (default ${DEFAULT_ROWS_SHOWN})` },
    view: {
      type: "boolean",
      description: "open the selected rows (recording_id, row_id) in the Iris viewer",
    },
    port: { type: "string", value: "PORT", description: "viewer port with --view (default 9090)" },
    "no-open": { type: "boolean", description: "with --view: print the URL but do not open a browser" },
    json: JSON_OPTION,
  },
  positionals: { min: 1, max: 1, name: 'one query ("SELECT …")' },
  run: sqlCommand,
};

/** `iris sql "SELECT …" [--dataset DIR] [--out FILE] [--view]`. */
export async function sqlCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const sql = args.positional[0]!;
  const dir = flagString(args, "dataset") ?? ".";
  const out = flagString(args, "out");
  const json = args.flags.has("json");
  const view = args.flags.has("view");
  const rowsShown = parseRows(flagString(args, "rows"));
  const format = out === undefined ? undefined : outputFormat(out);
  if (view && out !== undefined) throw new UsageError("--view and --out cannot be combined");
  const bar = progressBar(io, "indexing", !json);
  let report;
  try {
    report = indexDataset(dir, { onProgress: bar.update });
  } catch (error) {
    throw new CliError(`cannot index ${dir}: ${(error as Error).message}`, { cause: error });
  } finally {
    bar.finish();
  }
  const db = await openDatasetSql(dir, report.index, { entities: { referencedBy: sql } });
  try {
    if (out !== undefined && format === "parquet") {
      await db.connection.run(`COPY (${stripSemicolon(sql)}) TO ${quoteLiteral(out)} (FORMAT parquet)`);
      const count = await runQuery(db.connection, `SELECT count(*) FROM (${stripSemicolon(sql)})`);
      return written(io, json, out, "parquet", Number(count.rows[0]![0]));
    }
    const result = await runSql(db.connection, sql);
    if (out !== undefined) {
      writeFileSync(out, resultToArrowIpc(result));
      return written(io, json, out, "arrow", result.rows.length);
    }
    if (view) return await viewSelection(args, io, dir, report.index, result);
    if (json) {
      io.stdout(
        `${terminalSafeJson({ columns: result.columns, types: result.types, rowCount: result.rows.length, rows: result.rows.slice(0, rowsShown).map((r) => r.map(jsonCell)) })}\n`,
      );
      return 0;
    }
    io.stdout(`${formatTable(result, rowsShown)}\n`);
    return 0;
  } finally {
    db.close();
  }
}

async function runSql(connection: Parameters<typeof runQuery>[0], sql: string): Promise<SqlResult> {
  try {
    return await runQuery(connection, sql);
  } catch (error) {
    throw new CliError(`the query failed: ${(error as Error).message}`, { cause: error });
  }
}

function written(io: CliIo, json: boolean, path: string, format: string, rows: number): number {
  if (json) io.stdout(`${terminalSafeJson({ out: path, format, rowCount: rows })}\n`);
  else io.stdout(`wrote ${rows} row(s) to ${t(path)} (${format})\n`);
  return 0;
}

async function viewSelection(
  args: ParsedArgs,
  io: CliIo,
  dir: string,
  index: Parameters<typeof selectedRowsRrd>[1],
  result: SqlResult,
): Promise<number> {
  const rec = result.columns.indexOf("recording_id");
  const row = result.columns.indexOf("row_id");
  if (rec < 0 || row < 0) {
    throw new CliError(
      `--view needs the columns recording_id and row_id in the result; it has ${result.columns.join(", ")}`,
    );
  }
  const selection = result.rows.map((r) => ({ recordingId: String(r[rec]), rowId: String(r[row]) }));
  if (selection.length === 0) throw new CliError("the query selected no rows to view");
  const bytes = selectedRowsRrd(dir, index, selection);
  const file = join(mkdtempSync(join(tmpdir(), "iris-sql-")), "selection.rrd");
  writeFileSync(file, bytes);
  io.stdout(`${selection.length} row(s) written to ${t(file)} (${formatBytes(bytes.length)})\n`);
  const flags = new Map<string, string | true>();
  const port = flagString(args, "port");
  if (port !== undefined) flags.set("port", port);
  if (args.flags.has("no-open")) flags.set("no-open", true);
  return viewCommand({ positional: [file], flags, lists: new Map() }, io);
}

/** The result as an aligned text table of at most `limit` rows, every cell escaped for the terminal. */
export function formatTable(result: SqlResult, limit: number): string {
  const shown = result.rows.slice(0, limit).map((r) => r.map((v) => clip(t(textOf(v)))));
  const header = result.columns.map((c) => clip(t(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...shown.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const lines = [line(header), line(widths.map((w) => "-".repeat(w))), ...shown.map(line)];
  const more = result.rows.length - shown.length;
  lines.push(
    `(${result.rows.length} row${result.rows.length === 1 ? "" : "s"}${more > 0 ? `, ${more} not shown` : ""})`,
  );
  return lines.join("\n");
}

function clip(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

function jsonCell(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: value.length };
  if (typeof value === "bigint") return value.toString();
  return value;
}

function parseRows(text: string | undefined): number {
  if (text === undefined) return DEFAULT_ROWS_SHOWN;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--rows needs a whole number ≥ 0, got ${text}`);
  return n;
}

function outputFormat(path: string): "parquet" | "arrow" {
  const ext = extname(path).toLowerCase();
  if (ext === ".parquet") return "parquet";
  if (ext === ".arrow" || ext === ".arrows" || ext === ".ipc") return "arrow";
  throw new UsageError(`--out ${path}: expected a .parquet or .arrow file`);
}
