import { MAX_DECOMPRESSED_BYTES_OPTION, readOptionsOf } from "../decompression-option.ts";
import { crateVersionFromBits, formatCrateVersion } from "@iris/rrd";
import type { ParsedArgs } from "../args.ts";
import { type CommandSpec, JSON_OPTION } from "../command-spec.ts";
import { formatBytes, formatCell } from "../format-value.ts";
import { formatTime } from "../format-time.ts";
import type { CliIo } from "../io.ts";
import { printFooters } from "../print-footers.ts";
import {
  type LocatedChunk,
  type Recording,
  type RecordingScan,
  readRecordingFile,
  scanRecordingFile,
  storeLabel,
} from "../read-recording.ts";
import { formatStoreSource } from "../store-source.ts";
import { RecordingSummarizer, type StoreSummary, summarizeRecording } from "../summarize-recording.ts";
import { escapeTerminal as t, terminalSafeJson } from "@iris/types";

export const printSpec: CommandSpec = {
  name: "print",
  summary: "stores, entities, timelines, chunks, component types and sizes of a recording",
  synopsis: "FILE [--footers] [--verbose] [--json]",
  description:
    "Reads FILE (an .rrd stream) and prints each store (recording or blueprint): its application id, recording\n" +
    "id, source (e.g. Python SDK with the Python version), the Rerun version that wrote it, its timelines with\n" +
    "their ranges, and every entity with its components (type, Arrow type, cell count, size). Damaged parts are\n" +
    "skipped and listed at the end. Exit code 0 unless FILE cannot be read at all.\n" +
    "With --footers only the chunk manifests in the RrdFooters at the end of FILE are read (no chunk is read,\n" +
    "so it is fast on large files): per store the chunks, rows, entities and timeline ranges they list. A FILE\n" +
    "without footer is an error (exit code 1).",
  options: {
    "max-decompressed-bytes": MAX_DECOMPRESSED_BYTES_OPTION,
    verbose: {
      type: "boolean",
      description: "also print every chunk and row with a short description of each cell",
    },
    footers: {
      type: "boolean",
      description:
        "read only the chunk manifests in the file's footers (with --verbose: every chunk's place)",
    },
    json: JSON_OPTION,
  },
  positionals: { min: 1, max: 1, name: "one FILE" },
  run: printCommand,
};

/** `iris print FILE [--footers] [--verbose] [--json]`. */
export function printCommand(args: ParsedArgs, io: CliIo): number {
  const path = args.positional[0]!;
  const verbose = args.flags.has("verbose");
  if (args.flags.has("footers")) return printFooters(path, { verbose, json: args.flags.has("json") }, io);
  // Without --verbose nothing read is kept: each chunk is summarized and dropped (less memory and GC work).
  let recording: Recording | undefined;
  let scan: RecordingScan;
  let summary: { stores: StoreSummary[] };
  if (verbose) {
    recording = readRecordingFile(path, readOptionsOf(args));
    scan = { ...recording, messageCount: recording.messages.length };
    summary = summarizeRecording(recording);
  } else {
    const summarizer = new RecordingSummarizer();
    scan = scanRecordingFile(path, readOptionsOf(args), {
      message: ({ message }) => summarizer.addMessage(message),
      chunk: ({ chunk, storeId }) => summarizer.addChunk(chunk, storeId),
    });
    summary = { stores: summarizer.stores() };
  }
  if (args.flags.has("json")) {
    io.stdout(`${terminalSafeJson(printJson(path, scan, summary.stores, recording?.chunks))}\n`);
    return 0;
  }
  const out: string[] = [`${t(path)}: ${formatBytes(scan.sizeBytes)}, ${scan.messageCount} messages`];
  for (const store of summary.stores) {
    out.push("", `store ${t(store.label)}`);
    if (store.source) out.push(`  source: ${t(formatStoreSource(store.source))}`);
    if (store.versionBits !== undefined) {
      out.push(
        `  written by: Rerun-compatible ${formatCrateVersion(crateVersionFromBits(store.versionBits))}`,
      );
    }
    out.push(`  ${store.chunks} chunks, ${store.rows} rows, ${formatBytes(store.bytes)} of Arrow data`);
    out.push("  timelines:");
    for (const tl of store.timelines) {
      out.push(
        `    ${t(tl.name)} (${tl.type}): ${formatTime(tl.type, tl.min)} … ${formatTime(tl.type, tl.max)}`,
      );
    }
    out.push("  entities:");
    for (const e of store.entities) {
      out.push(
        `    ${t(e.path)}: ${e.chunks} chunks, ${e.rows} rows${e.staticRows ? ` (${e.staticRows} static)` : ""}`,
      );
      for (const c of e.components) {
        out.push(
          `      ${t(c.component)}  ${t(c.componentType ?? "?")}  ${t(c.arrowType)}  ${c.cells} cells  ${formatBytes(c.bytes)}`,
        );
      }
    }
  }
  if (recording) {
    out.push("", "chunks:");
    for (const { chunk, offset, storeId } of recording.chunks) {
      out.push(
        `  @${offset} ${t(chunk.entityPath)} chunk_${chunk.id} (${t(storeLabel(storeId))}) ${chunk.numRows} rows` +
          `${chunk.isStatic ? " static" : ""}`,
      );
      for (let row = 0; row < chunk.numRows; row++) {
        const times = [...chunk.timelines].map(
          ([name, tl]) => `${t(name)}=${formatTime(tl.timeline.type, tl.times[row]!)}`,
        );
        out.push(`    row_${chunk.rowId(row)} ${times.join(" ")}`);
        for (const component of chunk.components.keys()) {
          out.push(`      ${t(component)}: ${t(formatCell(chunk, component, row))}`);
        }
      }
    }
  }
  if (scan.problems.length > 0) {
    out.push("", `${scan.problems.length} problem(s) while reading (run \`iris verify\` for details):`);
    for (const p of scan.problems) out.push(`  @${p.offset} ${p.kind}: ${t(p.message)}`);
  }
  io.stdout(out.join("\n") + "\n");
  return 0;
}

/** `chunks` (with --verbose) adds every chunk and row. */
function printJson(
  path: string,
  scan: RecordingScan,
  stores: readonly StoreSummary[],
  chunks: readonly LocatedChunk[] | undefined,
): unknown {
  return {
    file: path,
    sizeBytes: scan.sizeBytes,
    messages: scan.messageCount,
    stores: stores.map((s) => ({
      kind: s.storeId.kind,
      applicationId: s.storeId.applicationId,
      recordingId: s.storeId.recordingId,
      source: s.source
        ? { kind: s.source.kind, kindNumber: s.source.kindNumber, detail: s.source.detail ?? null }
        : null,
      writtenBy: s.versionBits === undefined ? null : formatCrateVersion(crateVersionFromBits(s.versionBits)),
      chunks: s.chunks,
      rows: s.rows,
      arrowBytes: s.bytes,
      timelines: s.timelines.map((tl) => ({ name: tl.name, type: tl.type, min: tl.min, max: tl.max })),
      entities: s.entities.map((e) => ({
        path: e.path,
        chunks: e.chunks,
        rows: e.rows,
        staticRows: e.staticRows,
        components: e.components.map((c) => ({
          component: c.component,
          componentType: c.componentType ?? null,
          arrowType: c.arrowType,
          cells: c.cells,
          bytes: c.bytes,
        })),
      })),
    })),
    ...(chunks
      ? {
          chunks: chunks.map(({ chunk, offset, storeId }) => ({
            offset,
            store: {
              kind: storeId.kind,
              applicationId: storeId.applicationId,
              recordingId: storeId.recordingId,
            },
            entityPath: chunk.entityPath,
            chunkId: `chunk_${chunk.id}`,
            static: chunk.isStatic,
            rows: Array.from({ length: chunk.numRows }, (_, row) => ({
              rowId: `row_${chunk.rowId(row)}`,
              times: Object.fromEntries([...chunk.timelines].map(([name, tl]) => [name, tl.times[row]!])),
              cells: Object.fromEntries(
                [...chunk.components.keys()].map((component) => [
                  component,
                  formatCell(chunk, component, row),
                ]),
              ),
            })),
          })),
        }
      : {}),
    problems: scan.problems.map((p) => ({ offset: p.offset, kind: p.kind, message: p.message })),
  };
}
