import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { type Data, type Field, type List, type Table, type Vector, makeVector } from "apache-arrow";
import { ChunkStore, StoreError, queryDataframe, tableToIpcBytes, tableToParquetBytes } from "@iris/store";
import { ImageFormatType, describeImageFormat, isValidAt } from "@iris/types";
import { type ParsedArgs, flagString } from "../args.ts";
import { formatBytes } from "../format-value.ts";
import { type CliIo, UsageError } from "../io.ts";
import { readRecordingFile, storeKey } from "../read-recording.ts";
import { formatTime } from "./print.ts";

/** Flags of `iris query` that take a value (`--entity` and `--component` may repeat). */
export const QUERY_VALUED_FLAGS = ["index", "range", "entity", "component", "out", "rows"];

const DEFAULT_ROWS_SHOWN = 10;

/**
 * `iris query FILE --index TIMELINE [--range A..B] [--entity PATH]… [--component NAME]… [--sparse-fill]
 * [--out table.parquet|table.arrow] [--rows N]`: loads the first recording store of FILE into a ChunkStore, runs
 * `queryDataframe` and prints a summary (columns, row count, the first rows), or writes the table as Parquet or
 * Arrow IPC (chosen by the extension). `rawArgs` (the arguments after `query`) is used for the repeated flags.
 */
export function queryCommand(args: ParsedArgs, io: CliIo, rawArgs: readonly string[] = []): number {
  const path = args.positional[0];
  if (!path) throw new UsageError("iris query needs a FILE");
  const index = flagString(args, "index");
  if (index === undefined) throw new UsageError("iris query needs --index TIMELINE");
  const range = parseRange(flagString(args, "range"));
  const entities = repeatedFlag(rawArgs, args, "entity");
  const components = repeatedFlag(rawArgs, args, "component");
  const sparseFill = args.flags.has("sparse-fill");
  const out = flagString(args, "out");
  const rowsShown = parseRowCount(flagString(args, "rows"));
  const format = out === undefined ? undefined : outputFormat(out);

  const recording = readRecordingFile(path);
  const notes: string[] = [];
  for (const problem of recording.problems) {
    notes.push(`@${problem.offset} ${problem.kind}: ${problem.message}`);
  }
  const recordingChunks = recording.chunks.filter((c) => c.storeId.kind === "recording");
  const storeKeys = [...new Set(recordingChunks.map((c) => storeKey(c.storeId)))];
  const blueprintChunks = recording.chunks.length - recordingChunks.length;
  if (blueprintChunks > 0) notes.push(`${blueprintChunks} blueprint chunk(s) skipped`);
  if (storeKeys.length > 1) notes.push(`querying ${storeKeys[0]}; ignoring ${storeKeys.slice(1).join(", ")}`);

  const store = new ChunkStore();
  for (const located of recordingChunks) {
    if (storeKey(located.storeId) !== storeKeys[0]) continue;
    try {
      store.insert(located.chunk);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      notes.push(`@${located.offset} chunk skipped by the store: ${error.kind}: ${error.message}`);
    }
  }

  const timelineType = store.timelineType(index);
  if (timelineType === undefined) {
    const known = [...store.timelines().keys()].sort();
    throw new StoreError(
      "unknown-timeline",
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

  const lines: string[] = [];
  if (out !== undefined && format !== undefined) {
    const bytes = format === "parquet" ? tableToParquetBytes(table) : tableToIpcBytes(table);
    writeFileSync(out, bytes);
    lines.push(
      `wrote ${table.numRows} rows × ${table.numCols} columns to ${out} (${format}, ${formatBytes(bytes.length)})`,
    );
  } else {
    lines.push(...describeTable(table, index, timelineType, sparseFill, rowsShown));
  }
  if (notes.length > 0) lines.push("", `notes (${notes.length}):`, ...notes.map((n) => `  ${n}`));
  io.stdout(`${lines.join("\n")}\n`);
  return 0;
}

function describeTable(
  table: Table,
  index: string,
  timelineType: string,
  sparseFill: boolean,
  rowsShown: number,
): string[] {
  const lines = [
    `dataframe on ${index} (${timelineType}), ${sparseFill ? "sparse-filled" : "exact"}: ` +
      `${table.numRows} rows × ${table.numCols} columns`,
    "columns:",
  ];
  for (const field of table.schema.fields)
    lines.push(`  ${field.name}  ${String(field.type)}  ${fieldNote(field)}`);
  const shown = Math.min(rowsShown, table.numRows);
  if (shown === 0) return lines;
  lines.push(shown < table.numRows ? `first ${shown} rows:` : "rows:");
  const fields = table.schema.fields;
  for (let row = 0; row < shown; row++) {
    const cells = [`${index}=${formatTime(timelineType, indexTime(table.getChildAt(0)!, row))}`];
    for (let c = 1; c < fields.length; c++) {
      const data = table.getChildAt(c)!.data;
      cells.push(`${fields[c]!.name}=${describeListCell(fields[c]!, data, row)}`);
    }
    lines.push(`  ${cells.join("  ")}`);
  }
  return lines;
}

function fieldNote(field: Field): string {
  const meta = field.metadata;
  if (meta.get("rerun:kind") === "index") return "index";
  const parts = [meta.get("rerun:component_type") ?? "(unknown component type)"];
  if (meta.get("rerun:is_static") === "true") parts.push("static");
  return parts.join(", ");
}

/**
 * The raw int64 of an index cell. Not `Vector.get`: Arrow JS turns Timestamp/Duration values into lossy numbers in
 * other units (a Timestamp<NANOSECOND> comes back as milliseconds), which printed Rerun's times as 1970.
 */
function indexTime(vector: Vector, row: number): bigint {
  let r = row;
  for (const data of vector.data) {
    if (r < data.length) {
      const values = data.values as unknown;
      if (values instanceof BigInt64Array) return values[data.offset + r]!;
      return toBigInt(vector.get(row) as unknown);
    }
    r -= data.length;
  }
  return 0n;
}

function toBigInt(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return BigInt(Math.trunc(value));
  return 0n;
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
  } else if (child.children.length === 1 && child.children[0]!.type.toString() === "Uint8") {
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

/** Every value of a repeatable `--name value` / `--name=value` flag, in order. */
function repeatedFlag(rawArgs: readonly string[], args: ParsedArgs, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === `--${name}`) {
      const value = rawArgs[i + 1];
      if (value !== undefined) values.push(value);
      i++;
    } else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  if (values.length === 0) {
    const single = flagString(args, name);
    if (single !== undefined) values.push(single);
  }
  return values;
}
