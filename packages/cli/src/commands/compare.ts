import type { ParsedArgs } from "../args.ts";
import { type CliIo, UsageError } from "../io.ts";
import { type Recording, readRecordingFile } from "../read-recording.ts";
import { rowFingerprint } from "../row-fingerprint.ts";

const IGNORED_TIMELINES = new Set(["log_time"]);

/**
 * `iris compare A B [--unordered]`: are two recordings semantically equal? Like `rerun rrd compare`, RowIds,
 * ChunkIds, recording ids, chunk boundaries, compression and the `log_time` timeline are ignored; application
 * ids, entities, times and every component value must match. By default the rows of each entity must come in
 * the same order; `--unordered` compares them as multisets. Exit code 1 when they differ.
 */
export function compareCommand(args: ParsedArgs, io: CliIo): number {
  const [a, b] = args.positional;
  if (!a || !b) throw new UsageError("iris compare needs two files");
  const differences = compareRecordings(readRecordingFile(a), readRecordingFile(b), {
    unordered: args.flags.has("unordered"),
  });
  for (const d of differences.slice(0, 20)) io.stdout(`${d}\n`);
  if (differences.length > 20) io.stdout(`… and ${differences.length - 20} more\n`);
  io.stdout(
    differences.length === 0 ? "recordings are equal\n" : `recordings differ (${differences.length})\n`,
  );
  return differences.length === 0 ? 0 : 1;
}

export function compareRecordings(a: Recording, b: Recording, options: { unordered: boolean }): string[] {
  const differences: string[] = [];
  const apps = (r: Recording): string =>
    [...new Set(r.messages.map((m) => ("storeId" in m.message ? m.message.storeId.applicationId : "")))]
      .sort()
      .join(",");
  if (apps(a) !== apps(b)) differences.push(`application ids differ: ${apps(a)} vs ${apps(b)}`);
  for (const [name, r] of [
    ["A", a],
    ["B", b],
  ] as const) {
    for (const p of r.problems) differences.push(`${name} has a read problem @${p.offset}: ${p.message}`);
  }
  const rowsA = rowsByEntity(a);
  const rowsB = rowsByEntity(b);
  for (const entity of new Set([...rowsA.keys(), ...rowsB.keys()])) {
    const ra = rowsA.get(entity) ?? [];
    const rb = rowsB.get(entity) ?? [];
    if (options.unordered) {
      ra.sort();
      rb.sort();
    }
    if (ra.length !== rb.length) differences.push(`${entity}: ${ra.length} rows vs ${rb.length} rows`);
    const n = Math.min(ra.length, rb.length);
    for (let i = 0; i < n; i++) {
      if (ra[i] !== rb[i]) {
        differences.push(`${entity}: row ${i} differs:\n  A: ${truncate(ra[i]!)}\n  B: ${truncate(rb[i]!)}`);
        break;
      }
    }
  }
  return differences;
}

function rowsByEntity(recording: Recording): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { chunk } of recording.chunks) {
    let rows = out.get(chunk.entityPath);
    if (!rows) out.set(chunk.entityPath, (rows = []));
    for (let row = 0; row < chunk.numRows; row++) rows.push(rowFingerprint(chunk, row, IGNORED_TIMELINES));
  }
  return out;
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
