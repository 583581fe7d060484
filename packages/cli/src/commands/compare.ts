import { MAX_DECOMPRESSED_BYTES_OPTION, readOptionsOf } from "../decompression-option.ts";
import type { StoreId } from "@iris/rrd";
import type { ParsedArgs } from "../args.ts";
import { type CommandSpec, JSON_OPTION } from "../command-spec.ts";
import type { CliIo } from "../io.ts";
import { type Recording, readRecordingFile } from "../read-recording.ts";
import { recordingEntries, refuseSeveralRecordings } from "../choose-recording.ts";
import { rowFingerprint } from "../row-fingerprint.ts";
import { escapeTerminal as t, terminalSafeJson } from "@iris/types";

const IGNORED_TIMELINES = new Set(["log_time"]);
/**
 * The recording's start time, which differs on every run. `rerun rrd compare` (0.41) finds two runs of the same
 * program equal although their `/__properties` `RecordingInfo:start_time` differ, but not two recordings whose
 * `RecordingInfo:name` differs (tests/cli/rerun-sdk-inputs.test.ts checks both against Rerun).
 */
const PROPERTIES_ENTITY = "/__properties";
const IGNORED_PROPERTIES = new Set(["RecordingInfo:start_time"]);
/** Read problems that say nothing about the data (a stream from a newer Rerun is still read in full). */
const BENIGN_PROBLEMS = new Set(["newer-version"]);
const SHOWN_DIFFERENCES = 20;

export const compareSpec: CommandSpec = {
  name: "compare",
  summary: "semantic equality of two recordings (exit 1 when they differ)",
  synopsis: "A B [--unordered] [--blueprints] [--json]",
  description:
    "Like `rerun rrd compare`: RowIds, ChunkIds, recording ids, chunk boundaries, compression, the log_time\n" +
    "timeline and the recording's start time are ignored; application ids, entities, times and every\n" +
    "component value must match. The recording store of A is compared with that of B; blueprint stores are\n" +
    "left out (as Rerun does) unless --blueprints is given, and then compared with each other, never with the\n" +
    "recording. A file holding several recordings (cat a.rrd b.rrd) is refused, listing them, as Rerun does.\n" +
    "Exit code 0 when equal, 1 when they differ or a file cannot be read.",
  options: {
    "max-decompressed-bytes": MAX_DECOMPRESSED_BYTES_OPTION,
    unordered: {
      type: "boolean",
      description: "compare each entity's rows as a multiset instead of in order",
    },
    blueprints: {
      type: "boolean",
      description: "also compare the blueprint stores of A and B with each other",
    },
    json: JSON_OPTION,
  },
  positionals: { min: 2, max: 2, name: "two files A B" },
  run: compareCommand,
};

/** One difference: what differs, and for a differing row both rows as canonical text. */
export interface Difference {
  message: string;
  a?: string;
  b?: string;
}

export interface CompareOptions {
  /** Compare each entity's rows as multisets. */
  unordered: boolean;
  /** Also compare blueprint stores (blueprint with blueprint). Default false: recordings only. */
  blueprints?: boolean;
}

/** `iris compare A B [--unordered] [--blueprints] [--json]`. Exit code 1 when they differ. */
export function compareCommand(args: ParsedArgs, io: CliIo): number {
  const [a, b] = args.positional as [string, string];
  const readOptions = readOptionsOf(args);
  const recordings = [a, b].map((path) => {
    const recording = readRecordingFile(path, readOptions);
    // As `rerun rrd compare`: the rows of several recordings pooled per entity would compare as one recording.
    refuseSeveralRecordings(
      recordingEntries(recording),
      path,
      "iris compare compares files of one recording each",
    );
    return recording;
  }) as [Recording, Recording];
  const differences = compareRecordings(...recordings, {
    unordered: args.flags.has("unordered"),
    blueprints: args.flags.has("blueprints"),
  });
  if (args.flags.has("json")) {
    io.stdout(`${terminalSafeJson({ a, b, equal: differences.length === 0, differences })}\n`);
    return differences.length === 0 ? 0 : 1;
  }
  const lines = differences
    .slice(0, SHOWN_DIFFERENCES)
    .map((d) =>
      d.a === undefined
        ? t(d.message)
        : `${t(d.message)}\n  A: ${t(truncate(d.a))}\n  B: ${t(truncate(d.b ?? ""))}`,
    );
  if (differences.length > SHOWN_DIFFERENCES)
    lines.push(`… and ${differences.length - SHOWN_DIFFERENCES} more`);
  lines.push(differences.length === 0 ? "recordings are equal" : `recordings differ (${differences.length})`);
  io.stdout(`${lines.join("\n")}\n`);
  return differences.length === 0 ? 0 : 1;
}

/**
 * The differences between two recordings, one text each (empty when equal). Each store kind is compared with the
 * same kind only: recording with recording, and blueprint with blueprint when `options.blueprints`.
 */
export function compareRecordings(a: Recording, b: Recording, options: CompareOptions): Difference[] {
  const differences: Difference[] = [];
  const add = (message: string, rowA?: string, rowB?: string): void => {
    differences.push(rowA === undefined ? { message } : { message, a: rowA, b: rowB ?? "" });
  };
  for (const [name, r] of [
    ["A", a],
    ["B", b],
  ] as const) {
    for (const p of r.problems)
      if (!BENIGN_PROBLEMS.has(p.kind)) add(`${name} has a read problem @${p.offset}: ${p.message}`);
  }
  const kinds: StoreId["kind"][] = options.blueprints ? ["recording", "blueprint"] : ["recording"];
  for (const kind of kinds) {
    const label = kind === "recording" ? "" : "blueprint ";
    const appsA = applicationIds(a, kind);
    const appsB = applicationIds(b, kind);
    if (appsA !== appsB) {
      add(`${label}application ids differ: ${appsA || "(none)"} vs ${appsB || "(none)"}`);
    }
    const rowsA = rowsByEntity(a, kind);
    const rowsB = rowsByEntity(b, kind);
    for (const entity of new Set([...rowsA.keys(), ...rowsB.keys()])) {
      const ra = rowsA.get(entity) ?? [];
      const rb = rowsB.get(entity) ?? [];
      if (options.unordered) {
        ra.sort();
        rb.sort();
      }
      if (ra.length !== rb.length) add(`${label}${entity}: ${ra.length} rows vs ${rb.length} rows`);
      const n = Math.min(ra.length, rb.length);
      for (let i = 0; i < n; i++) {
        if (ra[i] !== rb[i]) {
          add(`${label}${entity}: row ${i} differs:`, ra[i]!, rb[i]!);
          break;
        }
      }
    }
  }
  return differences;
}

/** The sorted application ids of the stores of one kind, from their SetStoreInfo and ArrowMsg messages. */
function applicationIds(recording: Recording, kind: StoreId["kind"]): string {
  const ids = new Set<string>();
  for (const { message } of recording.messages) {
    if (message.kind === "blueprintActivation") continue;
    if (message.storeId.kind === kind) ids.add(message.storeId.applicationId);
  }
  return [...ids].sort().join(",");
}

function rowsByEntity(recording: Recording, kind: StoreId["kind"]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { chunk, storeId } of recording.chunks) {
    if (storeId.kind !== kind) continue;
    let rows = out.get(chunk.entityPath);
    if (!rows) out.set(chunk.entityPath, (rows = []));
    const ignored = chunk.entityPath === PROPERTIES_ENTITY ? IGNORED_PROPERTIES : undefined;
    for (let row = 0; row < chunk.numRows; row++) {
      rows.push(rowFingerprint(chunk, row, IGNORED_TIMELINES, ignored));
    }
  }
  return out;
}

function truncate(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
