import { fromBinary } from "@bufbuild/protobuf";
import { type Chunk, chunkFromIpc } from "@iris/chunk";
import { RrdFooterSchema } from "../gen/rerun/v1alpha1/log_msg_pb.ts";
import type { Lz4Codec } from "../lz4/index.ts";
import { MESSAGE_HEADER_BYTES, MessageKind, parseMessageHeader } from "../message-header.ts";
import { decodeMessagePayload } from "../message-payload.ts";
import { RrdError } from "../rrd-error.ts";
import {
  STREAM_FOOTER_BYTES,
  hasStreamFooterMagic,
  parseStreamFooter,
  rrdFooterChecksum,
} from "../stream-footer.ts";
import { STREAM_HEADER_BYTES, parseStreamHeader } from "../stream-header.ts";
import { type ManifestChunk, type RrdManifest, parseRrdManifest } from "./rrd-manifest.ts";

/** Bytes that can be read at any offset: an in-memory file (`bytesSource`) or e.g. a Node file descriptor. */
export interface RandomAccessSource {
  readonly byteLength: number;
  /** Exactly `length` bytes at `offset` (the caller stays within `byteLength`). */
  read(offset: number, length: number): Uint8Array;
}

export function bytesSource(bytes: Uint8Array): RandomAccessSource {
  return { byteLength: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

/** The footer of one stream of a file, found from the end. */
export interface StreamIndex {
  /** Where the stream's StreamHeader starts in the input. */
  streamStartOffset: number;
  /** Where the stream ends (just after its StreamFooter). */
  streamEndOffset: number;
  manifests: RrdManifest[];
}

export interface RrdIndex {
  /** The streams whose footers were read, in input order. */
  streams: StreamIndex[];
  /**
   * True when the footers cover the input from its first byte: the manifests then describe every chunk. False
   * when the last stream has no footer, or an earlier stream has none (its chunks are not in `streams`).
   */
  complete: boolean;
}

export interface ReadRrdIndexOptions {
  lz4?: Lz4Codec;
  /** Largest RrdFooter payload read; default 256 MiB. */
  maxFooterBytes?: number;
}

/**
 * Reads the chunk manifests of an `.rrd` from its end, without reading the chunks: the 32-byte StreamFooter, then
 * the RrdFooter it points at (length, XXH32 and the End MessageHeader before it are checked), then the previous
 * stream's footer for concatenated files. Returns `{ streams: [], complete: false }` when the input does not end
 * with a StreamFooter (e.g. a file still being written). Throws `RrdError` "corrupt-footer" / "invalid-payload"
 * when a footer is present but damaged.
 */
export function readRrdIndex(source: RandomAccessSource, options: ReadRrdIndexOptions = {}): RrdIndex {
  const steps = rrdIndexSteps(source.byteLength, options);
  for (let step = steps.next(); ;) {
    if (step.done === true) return step.value;
    step = steps.next(source.read(step.value.offset, step.value.length));
  }
}

/** A read the index reader needs next: `length` bytes at `offset`. */
export interface ByteRequest {
  offset: number;
  length: number;
}

/**
 * `readRrdIndex` as a coroutine over its reads, so that a synchronous source and an asynchronous one (a file
 * read with promises, HTTP Range requests) share one implementation: it yields each read it needs and takes the
 * bytes back, and returns the index.
 */
export function* rrdIndexSteps(
  byteLength: number,
  options: ReadRrdIndexOptions = {},
): Generator<ByteRequest, RrdIndex, Uint8Array> {
  const read = function* (offset: number, length: number): Generator<ByteRequest, Uint8Array, Uint8Array> {
    return yield { offset, length };
  };
  const source = { byteLength, read };
  const maxFooterBytes = options.maxFooterBytes ?? 256 * 1024 * 1024;
  const streams: StreamIndex[] = [];
  let end = source.byteLength;
  while (end >= STREAM_HEADER_BYTES + MESSAGE_HEADER_BYTES + STREAM_FOOTER_BYTES) {
    const trailer = yield* source.read(end - STREAM_FOOTER_BYTES, STREAM_FOOTER_BYTES);
    if (!hasStreamFooterMagic(trailer)) break;
    const footer = parseStreamFooter(trailer);
    if (footer.rrdFooterLengthBytes > BigInt(maxFooterBytes)) {
      throw corrupt(
        `RrdFooter of ${footer.rrdFooterLengthBytes} bytes exceeds the limit of ${maxFooterBytes}`,
      );
    }
    const length = Number(footer.rrdFooterLengthBytes);
    const payloadOffset = end - STREAM_FOOTER_BYTES - length;
    const start = payloadOffset - Number(footer.rrdFooterOffsetBytes);
    if (
      footer.rrdFooterOffsetBytes > BigInt(end) ||
      start < 0 ||
      payloadOffset - MESSAGE_HEADER_BYTES < start + STREAM_HEADER_BYTES
    ) {
      throw corrupt(
        `StreamFooter ending at byte ${end} points at an RrdFooter of ${length} bytes at stream offset ` +
          `${footer.rrdFooterOffsetBytes}, which does not fit in the input`,
      );
    }
    const endHeaderBytes = yield* source.read(payloadOffset - MESSAGE_HEADER_BYTES, MESSAGE_HEADER_BYTES);
    const endHeader = parseMessageHeader(endHeaderBytes);
    if (endHeader.kind !== BigInt(MessageKind.End) || endHeader.lengthBytes !== BigInt(length)) {
      throw corrupt(
        `expected an End MessageHeader of length ${length} at byte ${payloadOffset - MESSAGE_HEADER_BYTES}, ` +
          `found kind ${endHeader.kind} length ${endHeader.lengthBytes}`,
      );
    }
    parseStreamHeader(yield* source.read(start, STREAM_HEADER_BYTES));
    const payload = yield* source.read(payloadOffset, length);
    const checksum = rrdFooterChecksum(payload);
    if (checksum !== footer.checksum) {
      throw corrupt(
        `RrdFooter checksum 0x${checksum.toString(16)} does not match the StreamFooter's 0x${footer.checksum.toString(16)}`,
      );
    }
    let proto;
    try {
      proto = fromBinary(RrdFooterSchema, payload);
    } catch (cause) {
      throw new RrdError("invalid-payload", `the RrdFooter at byte ${payloadOffset} does not decode`, {
        cause,
      });
    }
    const manifests = proto.manifests.map((m) =>
      parseRrdManifest(m, { streamStartOffset: start, ...(options.lz4 ? { lz4: options.lz4 } : {}) }),
    );
    streams.unshift({ streamStartOffset: start, streamEndOffset: end, manifests });
    end = start;
  }
  return { streams, complete: streams.length > 0 && end === 0 };
}

/**
 * Reads one chunk at the place a manifest gives, checking the ArrowMsg MessageHeader in front of it. Throws
 * `RrdError` when the bytes there are not that ArrowMsg (or it does not decode), or `ChunkError` for bad Arrow.
 */
export function readChunkAt(
  source: RandomAccessSource,
  entry: ManifestChunk,
  options: { lz4?: Lz4Codec } = {},
): Chunk {
  const span = chunkMessageSpan(entry, source.byteLength);
  const header = source.read(span.offset, MESSAGE_HEADER_BYTES);
  checkChunkHeader(header, entry);
  return chunkFromPayload(source.read(entry.byteOffset, entry.byteSize), entry, options);
}

/**
 * Where the ArrowMsg of a manifest entry lies, MessageHeader included (one read of these bytes is what
 * `chunkFromMessageBytes` takes). Throws `RrdError` "corrupt-footer" when it lies outside an input of `byteLength`.
 */
export function chunkMessageSpan(entry: ManifestChunk, byteLength: number): ByteRequest {
  const offset = entry.byteOffset - MESSAGE_HEADER_BYTES;
  if (offset < 0 || entry.byteOffset + entry.byteSize > byteLength) {
    throw corrupt(
      `chunk ${entry.chunkId} at bytes ${entry.byteOffset}+${entry.byteSize} lies outside the input`,
    );
  }
  return { offset, length: MESSAGE_HEADER_BYTES + entry.byteSize };
}

/** `readChunkAt` for the bytes of `chunkMessageSpan(entry)` read by the caller. */
export function chunkFromMessageBytes(
  bytes: Uint8Array,
  entry: ManifestChunk,
  options: { lz4?: Lz4Codec } = {},
): Chunk {
  if (bytes.length !== MESSAGE_HEADER_BYTES + entry.byteSize) {
    throw corrupt(
      `expected ${MESSAGE_HEADER_BYTES + entry.byteSize} bytes for chunk ${entry.chunkId}, got ${bytes.length}`,
    );
  }
  checkChunkHeader(bytes.subarray(0, MESSAGE_HEADER_BYTES), entry);
  return chunkFromPayload(bytes.subarray(MESSAGE_HEADER_BYTES), entry, options);
}

function checkChunkHeader(bytes: Uint8Array, entry: ManifestChunk): void {
  const header = parseMessageHeader(bytes);
  if (header.kind !== BigInt(MessageKind.ArrowMsg) || header.lengthBytes !== BigInt(entry.byteSize)) {
    throw corrupt(
      `expected an ArrowMsg of ${entry.byteSize} bytes at byte ${entry.byteOffset - MESSAGE_HEADER_BYTES}, ` +
        `found kind ${header.kind} length ${header.lengthBytes}`,
    );
  }
}

function chunkFromPayload(payload: Uint8Array, entry: ManifestChunk, options: { lz4?: Lz4Codec }): Chunk {
  const message = decodeMessagePayload(MessageKind.ArrowMsg, payload, {
    ...(options.lz4 ? { lz4: options.lz4 } : {}),
    applicationIdFor: () => "",
  });
  if (message.kind !== "arrowMsg") {
    throw corrupt(`the message at byte ${entry.byteOffset - MESSAGE_HEADER_BYTES} is not an ArrowMsg`);
  }
  return chunkFromIpc(message.ipc);
}

function corrupt(message: string): RrdError {
  return new RrdError("corrupt-footer", message);
}
