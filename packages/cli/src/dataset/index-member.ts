import type { Chunk } from "@iris/chunk";
import { chunkFromIpc } from "@iris/chunk";
import {
  MESSAGE_HEADER_BYTES,
  type ManifestChunk,
  RrdDecoder,
  type RrdIndex,
  type StoreId,
  parseMessageHeader,
  readChunkAt,
  readRrdIndex,
} from "@iris/rrd";
import type { FileSource } from "@iris/rrd/node";
import type { ChunkEntry, MemberEntry, RecordingEntry } from "./dataset-types.ts";
import { ImageRowCollector, firstValue, hasImageData } from "./image-rows.ts";

const PROPERTIES_ENTITY = "/__properties";
const SCAN_PIECE_BYTES = 8 << 20;

interface RecordingState {
  applicationId: string;
  recordingId: string;
  name: string | null;
  startTime: string | null;
  timelines: Record<string, string>;
}

/**
 * Indexes one `.rrd` file read through `source`: its recordings, chunks (from the RrdFooter manifests when the
 * footers cover the file, else from one sequential pass) and images with per-channel statistics (the chunks
 * holding image buffers/formats and the `/__properties` chunk are read). Blueprint stores are left out. Throws
 * when the file is not a readable recording at all; the caller records that as the member's error.
 */
export function indexMember(
  file: string,
  source: FileSource,
  stat: { size: number; mtimeMs: number },
): MemberEntry {
  let footerIndex: RrdIndex | undefined;
  const notes: string[] = [];
  try {
    footerIndex = readRrdIndex(source);
  } catch (error) {
    notes.push(`damaged footer, read sequentially instead: ${(error as Error).message}`);
  }
  const recordings = new Map<string, RecordingState>();
  const chunks: ChunkEntry[] = [];
  const images = new ImageRowCollector();
  const visit = (storeId: StoreId, chunk: Chunk): void => {
    const recording = recordingOf(recordings, storeId);
    for (const [name, column] of chunk.timelines) recording.timelines[name] = column.timeline.type;
    if (chunk.entityPath === PROPERTIES_ENTITY) readProperties(recording, chunk);
    images.add(storeId.recordingId, chunk);
  };
  let indexedWith: MemberEntry["indexedWith"];
  if (footerIndex?.complete) {
    indexedWith = "footer";
    const toRead: { storeId: StoreId; entry: ManifestChunk }[] = [];
    for (const stream of footerIndex.streams) {
      for (const manifest of stream.manifests) {
        if (manifest.storeId.kind !== "recording") continue;
        const recording = recordingOf(recordings, manifest.storeId);
        for (const [name, type] of manifest.timelines) recording.timelines[name] = type;
        for (const entry of manifest.chunks) {
          chunks.push(chunkEntryOfManifest(manifest.storeId.recordingId, entry));
          if (entry.entityPath === PROPERTIES_ENTITY || hasImageData(entry.components)) {
            toRead.push({ storeId: manifest.storeId, entry });
          }
        }
      }
    }
    // Formats first (static ones especially), so that buffers find theirs without waiting.
    const formatOnly = (e: ManifestChunk): number =>
      e.components.some((c) => c.endsWith(":buffer")) ? 1 : 0;
    toRead.sort((a, b) => formatOnly(a.entry) - formatOnly(b.entry));
    for (const { storeId, entry } of toRead) visit(storeId, readChunkAt(source, entry));
  } else {
    indexedWith = "scan";
    scan(
      source,
      (storeId, chunk, byteOffset, byteSize) => {
        if (storeId.kind !== "recording") return;
        chunks.push(chunkEntryOfChunk(storeId.recordingId, chunk, byteOffset, byteSize));
        visit(storeId, chunk);
      },
      notes,
    );
  }
  const imageEntries = images.finish();
  notes.push(...images.notes);
  return {
    file,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    indexedWith,
    error: null,
    notes,
    recordings: [...recordings.values()].map((r): RecordingEntry => ({ ...r })),
    chunks,
    images: imageEntries,
  };
}

function recordingOf(recordings: Map<string, RecordingState>, storeId: StoreId): RecordingState {
  let recording = recordings.get(storeId.recordingId);
  if (recording === undefined) {
    recording = {
      applicationId: storeId.applicationId,
      recordingId: storeId.recordingId,
      name: null,
      startTime: null,
      timelines: {},
    };
    recordings.set(storeId.recordingId, recording);
  }
  if (recording.applicationId === "" && storeId.applicationId !== "")
    recording.applicationId = storeId.applicationId;
  return recording;
}

function readProperties(recording: RecordingState, chunk: Chunk): void {
  for (let row = 0; row < chunk.numRows; row++) {
    const name = firstValue(chunk, "RecordingInfo:name", row);
    if (typeof name === "string") recording.name = name;
    const start = firstValue(chunk, "RecordingInfo:start_time", row);
    if (typeof start === "bigint" || typeof start === "number") recording.startTime = String(start);
  }
}

function chunkEntryOfManifest(recordingId: string, entry: ManifestChunk): ChunkEntry {
  const timeRanges: Record<string, [string, string]> = {};
  for (const [name, r] of entry.timeRanges) timeRanges[name] = [String(r.min), String(r.max)];
  return {
    recordingId,
    chunkId: entry.chunkId.toString(),
    entityPath: entry.entityPath,
    isStatic: entry.isStatic,
    numRows: entry.numRows,
    byteOffset: entry.byteOffset,
    byteSize: entry.byteSize,
    timeRanges,
    components: [...entry.components].sort(),
  };
}

function chunkEntryOfChunk(
  recordingId: string,
  chunk: Chunk,
  byteOffset: number,
  byteSize: number,
): ChunkEntry {
  const timeRanges: Record<string, [string, string]> = {};
  for (const [name, column] of chunk.timelines) {
    let min = column.times[0]!;
    let max = min;
    for (const t of column.times) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    if (column.times.length > 0) timeRanges[name] = [String(min), String(max)];
  }
  const components: string[] = [];
  for (const [id, column] of chunk.components) {
    for (let row = 0; row < chunk.numRows; row++) {
      if (column.list.nullCount === 0 || column.list.getValid(row)) {
        components.push(id);
        break;
      }
    }
  }
  return {
    recordingId,
    chunkId: chunk.id.toString(),
    entityPath: chunk.entityPath,
    isStatic: chunk.isStatic,
    numRows: chunk.numRows,
    byteOffset,
    byteSize,
    timeRanges,
    components: components.sort(),
  };
}

/** One sequential pass over the file in pieces: every intact ArrowMsg's chunk with where its payload is. */
function scan(
  source: FileSource,
  onChunk: (storeId: StoreId, chunk: Chunk, byteOffset: number, byteSize: number) => void,
  notes: string[],
): void {
  const decoder = new RrdDecoder();
  const handle = (event: ReturnType<RrdDecoder["next"]>): void => {
    if (event === undefined) return;
    if (event.type === "warning") {
      notes.push(`@${event.warning.offset} ${event.warning.kind}: ${event.warning.message}`);
      return;
    }
    const { message, offset } = event;
    if (message.kind !== "arrowMsg") return;
    const header = parseMessageHeader(source.read(offset, MESSAGE_HEADER_BYTES));
    let chunk: Chunk;
    try {
      chunk = chunkFromIpc(message.ipc);
    } catch (error) {
      notes.push(`@${offset} chunk skipped: ${(error as Error).message}`);
      return;
    }
    onChunk(message.storeId, chunk, offset + MESSAGE_HEADER_BYTES, Number(header.lengthBytes));
  };
  for (let at = 0; at < source.byteLength && !decoder.stopped; at += SCAN_PIECE_BYTES) {
    decoder.push(source.read(at, Math.min(SCAN_PIECE_BYTES, source.byteLength - at)));
    for (let event = decoder.next(); event !== undefined; event = decoder.next()) handle(event);
  }
  for (const event of decoder.end()) handle(event);
}
