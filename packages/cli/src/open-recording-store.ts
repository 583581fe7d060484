import type { StoreId } from "@iris/rrd";
import { ChunkStore, StoreError } from "@iris/store";
import { chooseRecording, recordingEntries } from "./choose-recording.ts";
import { type ReadRecordingOptions, readRecordingFile } from "./read-recording.ts";

export interface OpenRecordingStoreOptions extends ReadRecordingOptions {
  /** `--recording`: which recording store of the file (see `chooseRecording`). */
  readonly recording?: string | undefined;
}

export interface OpenedRecordingStore {
  /** The chosen recording's chunks. */
  readonly store: ChunkStore;
  /** The chosen recording store; undefined when the file holds none. */
  readonly storeId: StoreId | undefined;
  /** Read problems and chunks the store refused, `@OFFSET …`, for the command's notes. */
  readonly notes: readonly string[];
  /** How many chunks of blueprint stores were left out. */
  readonly blueprintChunks: number;
}

/**
 * Reads `path` and loads one recording store into a `ChunkStore`: the only one, or the one `--recording` names
 * (several without `--recording`, or a name that matches none or several, is a `RecordingChoiceError`).
 */
export function openRecordingStore(path: string, options: OpenRecordingStoreOptions): OpenedRecordingStore {
  const { recording: wanted, ...readOptions } = options;
  const recording = readRecordingFile(path, readOptions);
  const storeId = chooseRecording(recordingEntries(recording), { path, wanted });
  const notes = recording.problems.map((p) => `@${p.offset} ${p.kind}: ${p.message}`);
  const store = new ChunkStore();
  let blueprintChunks = 0;
  for (const located of recording.chunks) {
    const id = located.storeId;
    if (id.kind !== "recording") blueprintChunks++;
    if (
      storeId === undefined ||
      id.kind !== "recording" ||
      id.recordingId !== storeId.recordingId ||
      id.applicationId !== storeId.applicationId
    ) {
      continue;
    }
    try {
      store.insert(located.chunk);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      notes.push(`@${located.offset} chunk skipped by the store: ${error.message}`);
    }
  }
  return { store, storeId, notes, blueprintChunks };
}
