import { formatCrateVersion, crateVersionFromBits } from "@iris/rrd";
import { type ParsedArgs } from "../args.ts";
import { formatBytes, formatCell } from "../format-value.ts";
import { type CliIo, UsageError } from "../io.ts";
import { readRecordingFile, storeKey } from "../read-recording.ts";
import { summarizeRecording } from "../summarize-recording.ts";

/** `iris print FILE [--verbose]`: stores, entities, timelines, chunks and component types and sizes. */
export function printCommand(args: ParsedArgs, io: CliIo): number {
  const path = args.positional[0];
  if (!path) throw new UsageError("iris print needs a FILE");
  const verbose = args.flags.has("verbose");
  const recording = readRecordingFile(path);
  const summary = summarizeRecording(recording);
  const out: string[] = [
    `${path}: ${formatBytes(recording.sizeBytes)}, ${recording.messages.length} messages`,
  ];
  for (const store of summary.stores) {
    out.push("", `store ${store.key}`);
    if (store.source) out.push(`  source: ${store.source}`);
    if (store.versionBits !== undefined) {
      out.push(
        `  written by: Rerun-compatible ${formatCrateVersion(crateVersionFromBits(store.versionBits))}`,
      );
    }
    out.push(`  ${store.chunks} chunks, ${store.rows} rows, ${formatBytes(store.bytes)} of Arrow data`);
    out.push("  timelines:");
    for (const t of store.timelines) {
      out.push(`    ${t.name} (${t.type}): ${formatTime(t.type, t.min)} … ${formatTime(t.type, t.max)}`);
    }
    out.push("  entities:");
    for (const e of store.entities) {
      out.push(
        `    ${e.path}: ${e.chunks} chunks, ${e.rows} rows${e.staticRows ? ` (${e.staticRows} static)` : ""}`,
      );
      for (const c of e.components) {
        out.push(
          `      ${c.component}  ${c.componentType ?? "?"}  ${c.arrowType}  ${c.cells} cells  ${formatBytes(c.bytes)}`,
        );
      }
    }
  }
  if (verbose) {
    out.push("", "chunks:");
    for (const { chunk, offset, storeId } of recording.chunks) {
      out.push(
        `  @${offset} ${chunk.entityPath} chunk_${chunk.id} (${storeKey(storeId)}) ${chunk.numRows} rows` +
          `${chunk.isStatic ? " static" : ""}`,
      );
      for (let row = 0; row < chunk.numRows; row++) {
        const times = [...chunk.timelines].map(
          ([name, t]) => `${name}=${formatTime(t.timeline.type, t.times[row]!)}`,
        );
        out.push(`    row_${chunk.rowId(row)} ${times.join(" ")}`);
        for (const component of chunk.components.keys()) {
          out.push(`      ${component}: ${formatCell(chunk, component, row)}`);
        }
      }
    }
  }
  if (recording.problems.length > 0) {
    out.push("", `${recording.problems.length} problem(s) while reading (run \`iris verify\` for details):`);
    for (const p of recording.problems) out.push(`  @${p.offset} ${p.kind}: ${p.message}`);
  }
  io.stdout(out.join("\n") + "\n");
  return 0;
}

export function formatTime(type: string, value: bigint): string {
  if (type === "timestamp") {
    const ms = Number(value / 1_000_000n);
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? `${value}ns` : `${date.toISOString()}`;
  }
  if (type === "duration") return `${Number(value) / 1e9}s`;
  return value.toString();
}
