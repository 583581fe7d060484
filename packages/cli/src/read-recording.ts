import { readFileSync } from "node:fs";
import { type Chunk, chunkFromIpc } from "@iris/chunk";
import { type RrdMessage, RrdDecoder, type RrdWarning, type StoreId } from "@iris/rrd";

/** A decoded message with the byte offset of its MessageHeader. */
export interface LocatedMessage {
  readonly message: RrdMessage;
  readonly offset: number;
}

/** A chunk read from an ArrowMsg, with where it came from. */
export interface LocatedChunk {
  readonly chunk: Chunk;
  readonly storeId: StoreId;
  readonly offset: number;
  readonly message: Extract<RrdMessage, { kind: "arrowMsg" }>;
}

/** A problem found while reading, with its byte offset. */
export interface ReadProblem {
  readonly offset: number;
  readonly kind: string;
  readonly message: string;
}

export interface Recording {
  readonly sizeBytes: number;
  readonly messages: readonly LocatedMessage[];
  readonly chunks: readonly LocatedChunk[];
  /** Decoder warnings (skipped or truncated messages) and chunks that failed Sorbet validation. */
  readonly problems: readonly ReadProblem[];
}

/** Reads an `.rrd` file; everything intact is returned, everything skipped is listed in `problems`. */
export function readRecordingFile(path: string): Recording {
  return readRecording(new Uint8Array(readFileSync(path)));
}

export function readRecording(bytes: Uint8Array): Recording {
  const decoder = new RrdDecoder();
  decoder.push(bytes);
  const messages: LocatedMessage[] = [];
  const chunks: LocatedChunk[] = [];
  const problems: ReadProblem[] = [];
  for (const event of decoder.end()) {
    if (event.type === "warning") {
      problems.push(fromWarning(event.warning));
      continue;
    }
    const { message, offset } = event;
    messages.push({ message, offset });
    if (message.kind !== "arrowMsg") continue;
    try {
      chunks.push({ chunk: chunkFromIpc(message.ipc), storeId: message.storeId, offset, message });
    } catch (error) {
      const kind = (error as { kind?: string }).kind ?? "bad-chunk";
      problems.push({ offset, kind, message: `chunk skipped: ${(error as Error).message}` });
    }
  }
  return { sizeBytes: bytes.length, messages, chunks, problems };
}

function fromWarning(warning: RrdWarning): ReadProblem {
  return { offset: warning.offset, kind: warning.kind, message: warning.message };
}

export function storeKey(id: StoreId): string {
  return `${id.kind}:${id.applicationId}/${id.recordingId}`;
}
