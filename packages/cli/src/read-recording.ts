import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { type Chunk, chunkFromIpc } from "@iris/chunk";
import {
  type RrdDecoderEvent,
  type RrdMessage,
  RrdDecoder,
  type RrdWarning,
  type StoreId,
  isRrdError,
} from "@iris/rrd";
import { rrdFileEvents } from "@iris/rrd/node";
import { systemErrorText } from "./describe-error.ts";
import { CliError } from "./io.ts";
import { nameMessageKinds } from "./message-kind-names.ts";

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

/** What a scan found besides the messages and chunks it handed to its visitor. */
export interface RecordingScan {
  readonly sizeBytes: number;
  /** Messages decoded (every one given to `RecordingVisitor.message`). */
  readonly messageCount: number;
  /** As `Recording.problems`. */
  readonly problems: readonly ReadProblem[];
}

/** Called in file order with each decoded message and each chunk read from an ArrowMsg (after its message). */
export interface RecordingVisitor {
  message?(located: LocatedMessage): void;
  chunk?(located: LocatedChunk): void;
}

export interface ReadRecordingOptions {
  /** The decoder's decompression budget (`RrdDecoderOptions.maxDecompressedBytes`; `--max-decompressed-bytes`). */
  maxDecompressedBytes?: number;
}

/**
 * Reads an `.rrd` file; everything intact is returned, everything skipped is listed in `problems`. A file that
 * cannot be read or is not an `.rrd` stream is a `CliError` saying so in words.
 */
export function readRecordingFile(path: string, options: ReadRecordingOptions = {}): Recording {
  const messages: LocatedMessage[] = [];
  const chunks: LocatedChunk[] = [];
  const scan = scanRecordingFile(path, options, {
    message: (m) => messages.push(m),
    chunk: (c) => chunks.push(c),
  });
  return { sizeBytes: scan.sizeBytes, messages, chunks, problems: scan.problems };
}

/**
 * `readRecordingFile` without keeping anything: each message and chunk goes to `visitor` as it is read and is
 * garbage once the visitor returns (for summaries: a recording's pixel payloads need not all be in memory).
 */
export function scanRecordingFile(
  path: string,
  options: ReadRecordingOptions,
  visitor: RecordingVisitor,
): RecordingScan {
  // Streamed in pieces (rrdFileEvents), so files over 2 GiB open too (reading them whole is ERR_FS_FILE_TOO_LARGE).
  let sizeBytes = 0;
  const head = new Uint8Array(4);
  try {
    const fd = openSync(path, "r");
    try {
      sizeBytes = fstatSync(fd).size;
      readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw cannotOpen(path, error);
  }
  if (sizeBytes === 0) throw new CliError(`${path} is empty, not an .rrd file`);
  try {
    const decoderOptions =
      options.maxDecompressedBytes === undefined
        ? {}
        : { maxDecompressedBytes: options.maxDecompressedBytes };
    return scanEvents(rrdFileEvents(path, decoderOptions), sizeBytes, visitor);
  } catch (error) {
    if (!isRrdError(error)) {
      if ((error as NodeJS.ErrnoException).code !== undefined) throw cannotOpen(path, error);
      throw error;
    }
    const bytes = head.subarray(0, Math.min(4, sizeBytes));
    throw new CliError(notReadableText(path, bytes, sizeBytes, error.kind, error.message), { cause: error });
  }
}

function cannotOpen(path: string, error: unknown): CliError {
  return new CliError(`cannot open ${path}: ${systemErrorText(error) ?? (error as Error).message}`, {
    cause: error,
  });
}

/** Why a file starting with `bytes` cannot be read as a recording, for people. */
function notReadableText(
  path: string,
  bytes: Uint8Array,
  sizeBytes: number,
  kind: string,
  message: string,
): string {
  const head = bytes.subarray(0, 4);
  const found =
    head.length === 0
      ? "an empty file"
      : `${JSON.stringify(String.fromCharCode(...head))} (${[...head].map((b) => b.toString(16).padStart(2, "0")).join(" ")})`;
  switch (kind) {
    case "not-rrd":
      return `${path} is not an .rrd file (expected the RRF2 magic, found ${found})`;
    case "old-version":
      return `${path} was written by a Rerun older than 0.23 (found ${found}); convert it with a newer Rerun first`;
    case "truncated":
      return `${path} is too short to be an .rrd file (${sizeBytes} bytes)`;
    default:
      return `${path} cannot be read as an .rrd file: ${nameMessageKinds(message)}`;
  }
}

export function readRecording(bytes: Uint8Array): Recording {
  const decoder = new RrdDecoder();
  decoder.push(bytes);
  const messages: LocatedMessage[] = [];
  const chunks: LocatedChunk[] = [];
  const scan = scanEvents(decoder.end(), bytes.length, {
    message: (m) => messages.push(m),
    chunk: (c) => chunks.push(c),
  });
  return { sizeBytes: scan.sizeBytes, messages, chunks, problems: scan.problems };
}

function scanEvents(
  events: Iterable<RrdDecoderEvent>,
  sizeBytes: number,
  visitor: RecordingVisitor,
): RecordingScan {
  let messageCount = 0;
  const problems: ReadProblem[] = [];
  for (const event of events) {
    if (event.type === "warning") {
      problems.push(fromWarning(event.warning));
      continue;
    }
    const { message, offset } = event;
    messageCount++;
    visitor.message?.({ message, offset });
    if (message.kind !== "arrowMsg") continue;
    let chunk: Chunk;
    try {
      chunk = chunkFromIpc(message.ipc);
    } catch (error) {
      const kind = (error as { kind?: string }).kind ?? "bad-chunk";
      problems.push({ offset, kind, message: `chunk skipped: ${(error as Error).message}` });
      continue;
    }
    visitor.chunk?.({ chunk, storeId: message.storeId, offset, message });
  }
  return { sizeBytes, messageCount, problems };
}

function fromWarning(warning: RrdWarning): ReadProblem {
  return { offset: warning.offset, kind: warning.kind, message: nameMessageKinds(warning.message) };
}

/** A store as people read it, `recording:APP/REC` (ambiguous when an id holds "/": never a key). */
export function storeLabel(id: StoreId): string {
  return `${id.kind}:${id.applicationId}/${id.recordingId}`;
}
