import { join } from "node:path";
import { Chunk, type ChunkComponent, type TimeColumn, chunkToIpc } from "@iris/chunk";
import { type RrdMessage, encodeRrd } from "@iris/rrd";
import { gatherListCells } from "@iris/store";
import { CliError } from "../io.ts";
import { readRecordingFile } from "../read-recording.ts";
import type { DatasetIndex } from "./dataset-types.ts";

/** One selected row: the recording it belongs to and its RowId (as in the `row_id` column). */
export interface SelectedRow {
  readonly recordingId: string;
  readonly rowId: string;
}

/**
 * A new `.rrd` (bytes) holding only the selected rows of the dataset: for each recording with a selected row,
 * its store info, every static chunk (formats, properties) and, of its temporal chunks, only the selected rows.
 */
export function selectedRowsRrd(
  root: string,
  index: DatasetIndex,
  selection: readonly SelectedRow[],
): Uint8Array {
  const byRecording = new Map<string, Set<string>>();
  for (const s of selection) {
    const set = byRecording.get(s.recordingId) ?? new Set<string>();
    set.add(s.rowId.toUpperCase());
    byRecording.set(s.recordingId, set);
  }
  const messages: RrdMessage[] = [];
  for (const [recordingId, rows] of byRecording) {
    const member = index.members.find(
      (m) => m.error === null && m.recordings.some((r) => r.recordingId === recordingId),
    );
    if (member === undefined) throw new CliError(`no recording ${recordingId} in the dataset index`);
    const recording = readRecordingFile(join(root, member.file));
    for (const { message } of recording.messages) {
      if (message.kind === "setStoreInfo" && message.storeId.recordingId === recordingId)
        messages.push(message);
    }
    for (const located of recording.chunks) {
      if (located.storeId.recordingId !== recordingId || located.storeId.kind !== "recording") continue;
      const chunk = located.chunk;
      const kept = chunk.isStatic ? chunk : keepRows(chunk, rows);
      if (kept === undefined) continue;
      messages.push({
        kind: "arrowMsg",
        storeId: located.storeId,
        chunkId: kept.id,
        isStatic: kept.isStatic,
        ipc: kept === chunk ? located.message.ipc : chunkToIpc(kept),
      });
    }
  }
  return encodeRrd(messages);
}

/** The chunk with only the rows whose RowId is in `rows` (upper-case hex), or undefined when none is. */
function keepRows(chunk: Chunk, rows: ReadonlySet<string>): Chunk | undefined {
  const picked: number[] = [];
  for (let row = 0; row < chunk.numRows; row++) {
    if (rows.has(chunk.rowId(row).toString().toUpperCase())) picked.push(row);
  }
  if (picked.length === 0) return undefined;
  if (picked.length === chunk.numRows) return chunk;
  const rowIds = new Uint8Array(picked.length * 16);
  picked.forEach((row, i) => rowIds.set(chunk.rowIds.subarray(row * 16, row * 16 + 16), i * 16));
  const timelines = new Map<string, TimeColumn>();
  for (const [name, column] of chunk.timelines) {
    const times = BigInt64Array.from(picked, (row) => column.times[row]!);
    let sorted = true;
    for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) sorted = false;
    timelines.set(name, { timeline: column.timeline, times, isSorted: sorted });
  }
  const components = new Map<string, ChunkComponent>();
  for (const [name, column] of chunk.components) {
    components.set(name, {
      descriptor: column.descriptor,
      list: gatherListCells(
        column.list.type,
        picked.map((row) => ({ list: column.list, row })),
      ),
    });
  }
  return new Chunk({
    id: chunk.id,
    entityPath: chunk.entityPath,
    rowIds,
    timelines,
    components,
    extraMetadata: chunk.extraMetadata,
  });
}
