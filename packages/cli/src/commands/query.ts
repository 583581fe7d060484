import { MAX_DECOMPRESSED_BYTES_OPTION, readOptionsOf } from "../decompression-option.ts";
import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { type Data, type Field, type List, type Table, type Vector, makeVector } from "apache-arrow";
import type { StoreId } from "@iris/rrd";
import { queryDataframe, tableToIpcBytes, tableToParquetBytes } from "@iris/store";
import { ImageFormatType, describeImageFormat, isValidAt } from "@iris/types";
import { type ParsedArgs, flagString } from "../args.ts";
import { type CommandSpec, JSON_OPTION } from "../command-spec.ts";
import { formatBytes } from "../format-value.ts";
import { formatTime } from "../format-time.ts";
import { RECORDING_OPTION, recordingJson } from "../choose-recording.ts";
import { type CliIo, CliError, UsageError } from "../io.ts";
import { openRecordingStore } from "../open-recording-store.ts";
import { escapeTerminal as t, terminalSafeJson } from "@iris/types";

const DEFAULT_ROWS_SHOWN = 10;

export const querySpec: CommandSpec = {
  name: "query",
  summary: "dataframe of one timeline: summary and first rows, or a Parquet / Arrow file",
  synopsis:
    "FILE --index TIMELINE [--recording ID] [--range A..B] [--entity PATH]… [--component NAME]…\n" +
    "                  [--sparse-fill] [--out table.parquet|table.arrow] [--rows N] [--json]",
  description:
    "Loads the recording of FILE into a chunk store and runs a dataframe query on one timeline (one row per\n" +
    "index value, one column per entity component), like Rerun's dataframe API. Prints the columns, the row\n" +
    "count and the first rows, or writes the whole table as Parquet or Arrow IPC (chosen by the extension of\n" +
    "--out). Blueprint stores are skipped. A file holding several recordings (e.g. concatenated .rrd files)\n" +
    "needs --recording to say which one. Exit code 1 for an unknown timeline, several recordings without\n" +
    "--recording, or a --recording that matches none or several of them.",
  options: {
    "max-decompressed-bytes": MAX_DECOMPRESSED_BYTES_OPTION,
    index: { type: "string", value: "TIMELINE", description: "the timeline to index the rows by (required)" },
    recording: RECORDING_OPTION,
    range: {
      type: "string",
      value: "A..B",
      description: "only index values in [A, B] (integers: sequence numbers or nanoseconds; A.. and ..B too)",
    },
    entity: {
      type: "string",
      multiple: true,
      value: "PATH",
      description: "only these entities (entity path expressions such as /camera/**)",
    },
    component: {
      type: "string",
      multiple: true,
      value: "NAME",
      description: "only these components (e.g. Image:buffer)",
    },
    "sparse-fill": { type: "boolean", description: "fill empty cells with the latest earlier value" },
    out: {
      type: "string",
      value: "FILE",
      description: "write the table to FILE (.parquet or .arrow) instead",
    },
    rows: {
      type: "string",
      value: "N",
      description: `how many rows to print (default ${DEFAULT_ROWS_SHOWN})`,
    },
    json: JSON_OPTION,
  },
  positionals: { min: 1, max: 1, name: "one FILE" },
  run: queryCommand,
};

/**
 * `iris query FILE --index TIMELINE …`: loads the recording of FILE (`--recording` when it holds several) into a
 * ChunkStore, runs
 * `queryDataframe` and prints a summary (columns, row count, the first rows), or writes the table as Parquet or
 * Arrow IPC (chosen by the extension).
 */
export function queryCommand(args: ParsedArgs, io: CliIo): number {
  const path = args.positional[0]!;
  const index = flagString(args, "index");
  if (index === undefined) throw new UsageError("needs --index TIMELINE");
  const range = parseRange(flagString(args, "range"));
  const entities = args.lists.get("entity") ?? [];
  const components = args.lists.get("component") ?? [];
  const sparseFill = args.flags.has("sparse-fill");
  const out = flagString(args, "out");
  const rowsShown = parseRowCount(flagString(args, "rows"));
  const format = out === undefined ? undefined : outputFormat(out);
  const json = args.flags.has("json");

  const opened = openRecordingStore(path, {
    ...readOptionsOf(args),
    recording: flagString(args, "recording"),
  });
  const { store, storeId } = opened;
  const notes = [...opened.notes];
  if (opened.blueprintChunks > 0) notes.push(`${opened.blueprintChunks} blueprint chunk(s) skipped`);

  const timelineType = store.timelineType(index);
  if (timelineType === undefined) {
    const known = [...store.timelines().keys()].sort();
    throw new CliError(
      `no timeline ${JSON.stringify(index)} in ${path}; timelines: ${known.length > 0 ? known.join(", ") : "(none)"}`,
    );
  }
  const table = queryDataframe(store, {
    index,
    sparseFill,
    ...(range === undefined ? {} : { range }),
    ...(entities.length > 0 ? { entities } : {}),
    ...(components.length > 0 ? { components } : {}),
  });

  let written: { path: string; format: string; bytes: number } | undefined;
  if (out !== undefined && format !== undefined) {
    const bytes = format === "parquet" ? tableToParquetBytes(table) : tableToIpcBytes(table);
    writeFileSync(out, bytes);
    written = { path: out, format, bytes: bytes.length };
  }
  if (json) {
    io.stdout(
      `${terminalSafeJson(queryJson(path, storeId, table, index, timelineType, sparseFill, written ? 0 : rowsShown, written, notes))}\n`,
    );
    return 0;
  }
  const lines: string[] = [];
  if (written) {
    lines.push(
      `wrote ${table.numRows} rows × ${table.numCols} columns to ${t(written.path)} (${written.format}, ${formatBytes(written.bytes)})`,
    );
  } else {
    lines.push(...describeTable(table, index, timelineType, sparseFill, rowsShown));
  }
  if (notes.length > 0) lines.push("", `notes (${notes.length}):`, ...notes.map((n) => `  ${t(n)}`));
  io.stdout(`${lines.join("\n")}\n`);
  return 0;
}

function queryJson(
  path: string,
  storeId: StoreId | undefined,
  table: Table,
  index: string,
  timelineType: string,
  sparseFill: boolean,
  rowsShown: number,
  written: { path: string; format: string; bytes: number } | undefined,
  notes: readonly string[],
): unknown {
  const fields = table.schema.fields;
  const shown = Math.min(rowsShown, table.numRows);
  return {
    file: path,
    recording: recordingJson(storeId),
    index: { name: index, type: timelineType },
    sparseFill,
    rows: table.numRows,
    columns: fields.map((f) => ({
      name: f.name,
      arrowType: String(f.type),
      kind: f.metadata.get("rerun:kind") === "index" ? "index" : "component",
      componentType: f.metadata.get("rerun:component_type") ?? null,
      static: f.metadata.get("rerun:is_static") === "true",
    })),
    firstRows: Array.from({ length: shown }, (_, row) => ({
      index: indexValueAt(table.getChildAt(0)!, row),
      cells: Object.fromEntries(
        fields.slice(1).map((f, c) => [f.name, describeListCell(f, table.getChildAt(c + 1)!.data, row)]),
      ),
    })),
    out: written ?? null,
    notes,
  };
}

function describeTable(
  table: Table,
  index: string,
  timelineType: string,
  sparseFill: boolean,
  rowsShown: number,
): string[] {
  const lines = [
    `dataframe on ${t(index)} (${timelineType}), ${sparseFill ? "sparse-filled" : "exact"}: ` +
      `${table.numRows} rows × ${table.numCols} columns`,
    "columns:",
  ];
  for (const field of table.schema.fields)
    lines.push(`  ${t(field.name)}  ${t(String(field.type))}  ${t(fieldNote(field))}`);
  const shown = Math.min(rowsShown, table.numRows);
  if (shown === 0) return lines;
  lines.push(shown < table.numRows ? `first ${shown} rows:` : "rows:");
  const fields = table.schema.fields;
  for (let row = 0; row < shown; row++) {
    const cells = [`${t(index)}=${formatTime(timelineType, indexValueAt(table.getChildAt(0)!, row))}`];
    for (let c = 1; c < fields.length; c++) {
      const data = table.getChildAt(c)!.data;
      cells.push(`${t(fields[c]!.name)}=${t(describeListCell(fields[c]!, data, row))}`);
    }
    lines.push(`  ${cells.join("  ")}`);
  }
  return lines;
}

/**
 * The raw i64 of the index column at `row`: sequence numbers, or nanoseconds for timestamps and durations. (Arrow
 * JS `get()` converts Timestamp(ns) to milliseconds as a float, which loses precision and units.)
 */
export function indexValueAt(column: Vector, row: number): bigint {
  let local = row;
  for (const data of column.data) {
    if (local < data.length) {
      const values = data.values as unknown;
      if (values instanceof BigInt64Array) return values[local]!;
      throw new CliError(`index column ${String(column.type)} is not 64-bit integer data`);
    }
    local -= data.length;
  }
  throw new CliError(`row ${row} is outside the index column`);
}

function fieldNote(field: Field): string {
  const meta = field.metadata;
  if (meta.get("rerun:kind") === "index") return "index";
  const parts = [meta.get("rerun:component_type") ?? "(unknown component type)"];
  if (meta.get("rerun:is_static") === "true") parts.push("static");
  return parts.join(", ");
}

/** A short description of one list cell of a dataframe column, like `iris print --verbose`'s. */
export function describeListCell(field: Field, chunks: readonly Data[], row: number, maxChars = 60): string {
  let local = row;
  let data: Data | undefined;
  for (const d of chunks) {
    if (local < d.length) {
      data = d;
      break;
    }
    local -= d.length;
  }
  if (data === undefined) return "?";
  const list = data as Data<List>;
  if (!isValidAt(list, local)) return "null";
  const start = list.valueOffsets[local]!;
  const end = list.valueOffsets[local + 1]!;
  const child = list.children[0]!;
  let text: string;
  if (field.metadata.get("rerun:component_type") === "rerun.components.ImageFormat") {
    const parts: string[] = [];
    for (let i = start; i < end; i++) parts.push(describeImageFormat(ImageFormatType.fromArrow(child, i)));
    text = `[${parts.join(", ")}]`;
  } else if (
    child.valueOffsets != null &&
    child.children.length === 1 &&
    child.children[0]!.type.toString() === "Uint8"
  ) {
    const sizes: string[] = [];
    for (let i = start; i < end; i++)
      sizes.push(`<${child.valueOffsets[i + 1]! - child.valueOffsets[i]!} bytes>`);
    text = `[${sizes.join(", ")}]`;
  } else {
    const values = [...makeVector(child.slice(start, end - start) as Data)];
    text = `[${values.map(stringify).join(", ")}]`;
  }
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function stringify(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (value !== null && typeof value === "object") {
    if (ArrayBuffer.isView(value)) return `[${Array.from(value as unknown as ArrayLike<number>).join(", ")}]`;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  }
  return String(value);
}

/** `A..B`, `A..` or `..B` (inclusive, integers in the timeline's unit: sequence numbers or nanoseconds). */
export function parseRange(text: string | undefined): readonly [bigint, bigint] | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(-?\d+)?\s*\.\.\s*(-?\d+)?\s*$/.exec(text);
  if (!match) throw new UsageError(`--range must look like A..B (integers), got ${JSON.stringify(text)}`);
  const start = match[1] === undefined ? -(2n ** 63n) : BigInt(match[1]);
  const end = match[2] === undefined ? 2n ** 63n - 1n : BigInt(match[2]);
  if (start > end) throw new UsageError(`--range ${text} is empty (start > end)`);
  return [start, end];
}

function parseRowCount(text: string | undefined): number {
  if (text === undefined) return DEFAULT_ROWS_SHOWN;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--rows must be a non-negative integer, got ${text}`);
  return n;
}

function outputFormat(path: string): "parquet" | "arrow" {
  const ext = extname(path).toLowerCase();
  if (ext === ".parquet") return "parquet";
  if (ext === ".arrow" || ext === ".feather" || ext === ".ipc") return "arrow";
  throw new UsageError(`--out must end in .parquet or .arrow, got ${JSON.stringify(path)}`);
}
