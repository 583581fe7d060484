import type { StoreId } from "@iris/rrd";
import { storeKey } from "@iris/rrd";
import { escapeTerminal as t } from "@iris/types";
import type { OptionSpec } from "./command-spec.ts";
import { CliError } from "./io.ts";
import type { Recording } from "./read-recording.ts";

/** `--recording ID`, shared by the commands that read one recording store of a file (`query`, `probe`). */
export const RECORDING_OPTION: OptionSpec = {
  type: "string",
  value: "ID",
  description:
    "the recording to read when FILE holds several: its recording id, or an application id only it has " +
    "(or APPLICATION_ID/RECORDING_ID)",
};

/** A recording store of a file, in the order the file first names it, with how many chunks it has. */
export interface RecordingEntry {
  readonly storeId: StoreId;
  readonly chunkCount: number;
}

export type RecordingChoiceErrorKind = "several-recordings" | "no-matching-recording" | "ambiguous-recording";

/** Why no single recording store of a file could be chosen; lists the file's recordings. Exit code 1. */
export class RecordingChoiceError extends CliError {
  constructor(
    readonly kind: RecordingChoiceErrorKind,
    message: string,
    readonly recordings: readonly RecordingEntry[],
  ) {
    super(message);
  }
}

/**
 * The recording stores (blueprints left out) named by the messages of `recording` (SetStoreInfo or ArrowMsg), in
 * the order of their first message.
 */
export function recordingEntries(recording: Recording): RecordingEntry[] {
  const byKey = new Map<string, { storeId: StoreId; chunkCount: number }>();
  for (const { message } of recording.messages) {
    if (message.kind === "blueprintActivation" || message.storeId.kind !== "recording") continue;
    const key = storeKey(message.storeId);
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { storeId: message.storeId, chunkCount: 0 }));
  }
  for (const { storeId } of recording.chunks) {
    const entry = storeId.kind === "recording" ? byKey.get(storeKey(storeId)) : undefined;
    if (entry) entry.chunkCount++;
  }
  return [...byKey.values()];
}

export interface ChooseRecordingOptions {
  /** The file, for messages. */
  readonly path: string;
  /** `--recording`: a recording id, an application id, or `APPLICATION_ID/RECORDING_ID`. */
  readonly wanted?: string | undefined;
}

/**
 * The one recording store of a file to read: the only one when `wanted` is not given (undefined when the file
 * has none), else the one whose recording id is `wanted`, else the one whose `APPLICATION_ID/RECORDING_ID` is,
 * else the one whose application id is. Several recordings without `wanted`, or a `wanted` that matches none or
 * several, is a `RecordingChoiceError` listing the file's recordings (Rerun's `RrdReader.store()` takes the first
 * and warns; a command that reports on one recording must not quietly leave the others out).
 */
export function chooseRecording(
  entries: readonly RecordingEntry[],
  options: ChooseRecordingOptions,
): StoreId | undefined {
  const { path, wanted } = options;
  if (wanted === undefined) {
    if (entries.length <= 1) return entries[0]?.storeId;
    throw new RecordingChoiceError(
      "several-recordings",
      `${t(path)} holds ${entries.length} recordings; choose one with --recording ID (its recording id, or ` +
        `an application id only it has):\n${listing(entries)}`,
      entries,
    );
  }
  const tiers: [string, (id: StoreId) => boolean][] = [
    ["recording id", (id) => id.recordingId === wanted],
    ["application id/recording id", (id) => `${id.applicationId}/${id.recordingId}` === wanted],
    ["application id", (id) => id.applicationId === wanted],
  ];
  for (const [what, matches] of tiers) {
    const found = entries.filter((e) => matches(e.storeId));
    if (found.length === 1) return found[0]!.storeId;
    if (found.length > 1) {
      const by = what === "application id" ? "recording id" : "APPLICATION_ID/RECORDING_ID";
      throw new RecordingChoiceError(
        "ambiguous-recording",
        `--recording "${t(wanted)}" matches the ${what} of ${found.length} recordings of ` +
          `${t(path)}, expected one; choose by ${by}:\n${listing(found)}`,
        entries,
      );
    }
  }
  throw new RecordingChoiceError(
    "no-matching-recording",
    `--recording "${t(wanted)}" matches no recording of ${t(path)} (expected a recording id or ` +
      `an application id); ${entries.length === 0 ? "it holds no recording" : `its recordings:\n${listing(entries)}`}`,
    entries,
  );
}

/**
 * For commands that take a file of one recording (`compare`, as `rerun rrd compare`, which refuses a file with
 * "more than one data recording found in rrd file"): a `RecordingChoiceError` listing the recordings when `entries`
 * holds several.
 */
export function refuseSeveralRecordings(entries: readonly RecordingEntry[], path: string, why: string): void {
  if (entries.length <= 1) return;
  throw new RecordingChoiceError(
    "several-recordings",
    `${t(path)} holds ${entries.length} recordings; ${why}:\n${listing(entries)}`,
    entries,
  );
}

/** The chosen recording store in `--json` output: `{ applicationId, recordingId }`, null when the file has none. */
export function recordingJson(
  storeId: StoreId | undefined,
): { applicationId: string; recordingId: string } | null {
  return storeId === undefined
    ? null
    : { applicationId: storeId.applicationId, recordingId: storeId.recordingId };
}

/** One line per recording: application id, recording id (terminal-escaped: they come from the file). */
function listing(entries: readonly RecordingEntry[]): string {
  return entries
    .map(
      ({ storeId, chunkCount }) =>
        `  application id "${t(storeId.applicationId)}", recording id "${t(storeId.recordingId)}" (${chunkCount} chunk${chunkCount === 1 ? "" : "s"})`,
    )
    .join("\n");
}
