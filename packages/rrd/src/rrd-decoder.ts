import { fromBinary } from "@bufbuild/protobuf";
import { arrowMsgPayloadOffset } from "./arrow-msg-payload-offset.ts";
import { ByteQueue } from "./byte-queue.ts";
import { formatCrateVersion } from "./crate-version.ts";
import type { DecoderState, ResyncState } from "./decoder-state.ts";
import { DecompressionBudget } from "./decompression-budget.ts";
import { type RrdFooter, RrdFooterSchema } from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import type { Lz4Codec } from "./lz4/index.ts";
import {
  MESSAGE_HEADER_BYTES,
  MessageKind,
  isKnownMessageKind,
  parseMessageHeader,
} from "./message-header.ts";
import { decodeMessagePayload } from "./message-payload.ts";
import { type ResyncHost, resyncStep } from "./resync.ts";
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_DECOMPRESSION_RATIO,
  DEFAULT_MAX_MESSAGE_BYTES,
  type RrdDecoderEvent,
  type RrdDecoderOptions,
} from "./rrd-decoder-options.ts";
import { isRrdError, RrdError } from "./rrd-error.ts";
import type { RrdMessage, StoreId } from "./rrd-message.ts";
import type { RrdWarning, RrdWarningKind } from "./rrd-warning.ts";
import {
  STREAM_FOOTER_BYTES,
  hasStreamFooterMagic,
  parseStreamFooter,
  verifyStreamFooter,
} from "./stream-footer.ts";
import {
  STREAM_HEADER_BYTES,
  type StreamHeader,
  isNewerThanReader,
  parseStreamHeader,
} from "./stream-header.ts";
import { WarningAggregator } from "./warning-aggregator.ts";

export {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_DECOMPRESSION_RATIO,
  DEFAULT_MAX_MESSAGE_BYTES,
  type RrdDecoderEvent,
  type RrdDecoderOptions,
} from "./rrd-decoder-options.ts";
export { MAX_WARNINGS_PER_KIND } from "./warning-aggregator.ts";

/**
 * Push-based streaming `.rrd` decoder with Rerun 0.33's rules: `push` bytes as they arrive (any chunking, also
 * one byte at a time), pull events with `next()`, and call `end()` at EOF.
 *
 * - Only an invalid FIRST stream header is fatal: `next()`/`end()` throw `RrdError` ("not-rrd", "old-version",
 *   "incompatible-version", "unsupported-serializer", ...). Everything else is a warning event: a bad message is
 *   skipped and decoding continues with the next MessageHeader.
 * - Damaged framing (a MessageHeader of unknown kind or hostile length, a payload that does not decode or is cut
 *   short) does not stop decoding: the decoder scans forward byte by byte for the next position that holds a
 *   plausible MessageHeader (or StreamHeader) whose payload decodes, and resumes there ("skipped-bytes" says how
 *   many bytes were lost), so every intact message after the damage is recovered. The scan is linear in the
 *   damaged bytes; only positions that pass a cheap header filter are decoded.
 * - Handles End + RrdFooter + 32-byte StreamFooter, a legacy End (length 0) at EOF, and concatenated streams
 *   with or without footers.
 * - Pushed chunks are borrowed: decoded `ipc` bytes of uncompressed messages may be views of them, so do not
 *   modify a chunk after pushing it. Bytes are copied only when a header or payload spans several chunks.
 */
export class RrdDecoder {
  private readonly queue = new ByteQueue();
  private readonly events: RrdDecoderEvent[] = [];
  private readonly lz4: Lz4Codec | undefined;
  private readonly maxMessageBytes: number;
  /** Application ids from SetStoreInfo, for messages whose StoreId lacks one (Rerun 0.24 files). */
  private readonly applicationIds = new Map<string, string>();
  private state: DecoderState = { name: "stream-header" };
  private isFirstStream = true;
  private streamStartOffset = 0;
  private atEof = false;
  private header: StreamHeader | undefined;
  private readonly footers: RrdFooter[] = [];
  private readonly budget: DecompressionBudget;
  private readonly warnings = new WarningAggregator();
  private readonly resyncHost: ResyncHost;

  constructor(options: RrdDecoderOptions = {}) {
    this.lz4 = options.lz4;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.budget = new DecompressionBudget(
      options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
      options.maxDecompressionRatio ?? DEFAULT_MAX_DECOMPRESSION_RATIO,
    );
    this.resyncHost = {
      queue: this.queue,
      maxMessageBytes: this.maxMessageBytes,
      atEof: () => this.atEof,
      decodePayload: (kind, payload) => this.decodePayload(kind, payload),
      isBudgetError: (error) => this.isBudgetError(error),
      beginStream: (header, offset) => this.beginStream(header, offset),
      setState: (state) => {
        this.state = state;
      },
      warn: (kind, message, offset, lostBytes) => this.warn(kind, message, offset, lostBytes),
      stop: (kind, message, offset, lostBytes) => this.stop(kind, message, offset, lostBytes),
      emit: (events) => this.events.push(...events),
    };
  }

  /** The StreamHeader of the stream being decoded (the latest one, for concatenated streams). */
  get streamHeader(): StreamHeader | undefined {
    return this.header;
  }

  /** The RrdFooters (End message payloads) decoded so far, one per stream that had a valid one. */
  get rrdFooters(): readonly RrdFooter[] {
    return this.footers;
  }

  /** True once decoding has stopped for good (later input is ignored): a reader can stop reading. */
  get stopped(): boolean {
    return this.state.name === "stopped" || this.state.name === "failed";
  }

  push(bytes: Uint8Array): void {
    if (this.atEof) throw new RrdError("invalid-argument", "RrdDecoder.push after end()");
    if (this.state.name === "stopped" || this.state.name === "failed") return;
    this.queue.push(bytes);
  }

  /** The next event, or undefined if more input is needed (or decoding stopped). */
  next(): RrdDecoderEvent | undefined {
    for (;;) {
      const event = this.events.shift();
      if (event !== undefined) return event;
      if (!this.step()) return undefined;
    }
  }

  /**
   * Marks EOF and returns all remaining events, including a "truncated" warning for an incomplete trailing
   * header, message or footer.
   */
  end(): RrdDecoderEvent[] {
    this.atEof = true;
    const out: RrdDecoderEvent[] = [];
    for (let event = this.next(); event !== undefined; event = this.next()) out.push(event);
    for (const warning of this.warnings.summaries()) out.push({ type: "warning", warning });
    return out;
  }

  /** Advances the state machine once; false when it needs more input or has stopped. */
  private step(): boolean {
    const state = this.state;
    switch (state.name) {
      case "stream-header":
        return this.readStreamHeader();
      case "message-header":
        return this.readMessageHeader();
      case "payload":
        return this.readPayload(state.kind, state.lengthBytes, state.headerOffset);
      case "stream-footer":
        return this.readStreamFooter(state.rrdFooter, state.rrdFooterOffset);
      case "resync":
        return resyncStep(this.resyncHost, state);
      case "stopped":
        return false;
      case "failed":
        throw state.error;
    }
  }

  private readStreamHeader(): boolean {
    const available = this.queue.length;
    if (available < STREAM_HEADER_BYTES) {
      if (!this.atEof) return false;
      if (this.isFirstStream && !startsLikeRrd(this.queue.peek(Math.min(available, 4)))) {
        const error = new RrdError(
          "not-rrd",
          `not an RRD stream: ${available} bytes that do not start with "RRF"`,
        );
        this.state = { name: "failed", error };
        throw error;
      }
      if (available > 0 || this.isFirstStream) {
        this.stop(
          "truncated",
          `input ended after ${available} of the ${STREAM_HEADER_BYTES} stream header bytes`,
        );
        return true;
      }
      this.state = { name: "stopped" };
      return false;
    }
    const offset = this.queue.offset;
    let header: StreamHeader;
    try {
      header = parseStreamHeader(this.queue.peek(STREAM_HEADER_BYTES));
    } catch (error) {
      if (!isRrdError(error)) throw error;
      if (this.isFirstStream) {
        this.state = { name: "failed", error };
        throw error;
      }
      this.stop("trailing-bytes", `bytes after the end of a stream are not a new stream: ${error.message}`);
      return true;
    }
    this.queue.skip(STREAM_HEADER_BYTES);
    this.beginStream(header, offset);
    return true;
  }

  private beginStream(header: StreamHeader, offset: number): void {
    this.header = header;
    this.isFirstStream = false;
    this.streamStartOffset = offset;
    this.state = { name: "message-header" };
    if (isNewerThanReader(header.version)) {
      this.warn(
        "newer-version",
        `stream was written by version ${formatCrateVersion(header.version)}, newer than this reader; ` +
          `decoding anyway`,
        offset,
      );
    }
  }

  private readMessageHeader(): boolean {
    const available = this.queue.length;
    const offset = this.queue.offset;
    if (available < MESSAGE_HEADER_BYTES) {
      if (!this.atEof) return false;
      if (available === 0) {
        this.state = { name: "stopped" };
        return false;
      }
      // A concatenated stream with no messages at all: just its StreamHeader.
      if (
        available >= STREAM_HEADER_BYTES &&
        this.tryBeginStream(this.queue.peek(STREAM_HEADER_BYTES), offset)
      ) {
        return true;
      }
      this.stop(
        "truncated",
        `input ended after ${available} of the ${MESSAGE_HEADER_BYTES} message header bytes`,
      );
      return true;
    }
    const bytes = this.queue.peek(MESSAGE_HEADER_BYTES);
    const { kind, lengthBytes } = parseMessageHeader(bytes);
    if (!isKnownMessageKind(kind)) {
      // Concatenated streams without footer: the next stream's header where a MessageHeader was expected.
      if (this.tryBeginStream(bytes, offset)) return true;
      this.startResync(offset, undefined, {
        kind: "trailing-bytes",
        message: `unknown message kind ${kind} and not a new stream header`,
      });
      return true;
    }
    if (lengthBytes > BigInt(this.maxMessageBytes)) {
      // Reported at once (nothing of that size is awaited or allocated); then look for the next valid message.
      this.warn(
        "message-too-large",
        `message of kind ${kind} declares ${lengthBytes} payload bytes, more than the limit of ${this.maxMessageBytes}`,
        offset,
      );
      this.startResync(offset, undefined, undefined);
      return true;
    }
    this.queue.skip(MESSAGE_HEADER_BYTES);
    this.state = {
      name: "payload",
      kind: Number(kind) as MessageKind,
      lengthBytes: Number(lengthBytes),
      headerOffset: offset,
    };
    return true;
  }

  /** Starts a new stream if `bytes` begins with a valid StreamHeader (consuming exactly those 12 bytes). */
  private tryBeginStream(bytes: Uint8Array, offset: number): boolean {
    let header: StreamHeader;
    try {
      header = parseStreamHeader(bytes);
    } catch (error) {
      if (isRrdError(error)) return false;
      throw error;
    }
    this.queue.skip(STREAM_HEADER_BYTES);
    this.beginStream(header, offset);
    return true;
  }

  private readPayload(kind: MessageKind, lengthBytes: number, headerOffset: number): boolean {
    const available = this.queue.length;
    if (available < lengthBytes) {
      if (!this.atEof) return false;
      // The length may be damaged: look for a complete message inside what is there before calling it cut.
      this.startResync(headerOffset, undefined, {
        kind: "truncated",
        message: `input ended after ${available} of the ${lengthBytes} payload bytes of the message of kind ${kind}`,
      });
      return true;
    }
    const payloadOffset = this.queue.offset;
    if (kind === MessageKind.End) {
      const payload = this.queue.take(lengthBytes);
      this.checkRrdFooter(payload, headerOffset);
      this.state = { name: "stream-footer", rrdFooter: payload, rrdFooterOffset: payloadOffset };
      return true;
    }
    // Peeked, not taken: if it does not decode, its length may be wrong and the next message may start inside it.
    const payload = this.queue.peek(
      lengthBytes,
      kind === MessageKind.ArrowMsg ? arrowMsgPayloadOffset : undefined,
    );
    try {
      const message = this.decodePayload(kind, payload);
      this.queue.skip(lengthBytes);
      this.state = { name: "message-header" };
      this.events.push({ type: "message", message, offset: headerOffset, payloadBytes: lengthBytes });
    } catch (error) {
      if (!isRrdError(error)) throw error;
      if (this.isBudgetError(error)) return true;
      const warningKind = error.kind === "lz4-failed" ? "lz4-failed" : "invalid-payload";
      this.warn(warningKind, `skipped message of kind ${kind}: ${error.message}`, headerOffset);
      this.startResync(payloadOffset, payloadOffset + lengthBytes, undefined);
    }
    return true;
  }

  private decodePayload(kind: Exclude<MessageKind, 0>, payload: Uint8Array): RrdMessage {
    const message = decodeMessagePayload(kind, payload, {
      ...(this.lz4 === undefined ? {} : { lz4: this.lz4 }),
      maxUncompressedBytes: this.maxMessageBytes,
      beforeDecompress: (bytes) => this.budget.charge(bytes, this.queue.offset + this.queue.length),
      applicationIdFor: (storeKind, recordingId) => this.applicationIds.get(storeKey(storeKind, recordingId)),
    });
    if (message.kind === "setStoreInfo") {
      this.applicationIds.set(
        storeKey(message.storeId.kind, message.storeId.recordingId),
        message.storeId.applicationId,
      );
    }
    return message;
  }

  /** A decompression-limit error stops decoding (the rest of the input is refused, not scanned). */
  private isBudgetError(error: RrdError): boolean {
    if (error.kind !== "decompression-limit") return false;
    this.stop("decompression-limit", error.message);
    return true;
  }

  private startResync(start: number, expected: number | undefined, failure: ResyncState["failure"]): void {
    this.state = { name: "resync", start, expected, failure };
    // The damaged header itself is never a candidate.
    if (this.queue.offset === start && this.queue.length > 0) this.queue.skip(1);
  }

  private checkRrdFooter(payload: Uint8Array, headerOffset: number): void {
    try {
      this.footers.push(fromBinary(RrdFooterSchema, payload));
    } catch (cause) {
      const detail = cause instanceof Error ? `: ${cause.message}` : "";
      this.warn(
        "footer-invalid",
        `the End message's ${payload.length}-byte RrdFooter does not decode${detail}`,
        headerOffset,
      );
    }
  }

  private readStreamFooter(rrdFooter: Uint8Array, rrdFooterOffset: number): boolean {
    const available = this.queue.length;
    const offset = this.queue.offset;
    if (available < STREAM_FOOTER_BYTES) {
      if (!this.atEof) return false;
      if (available === 0) {
        // A legacy End (length 0) at EOF is fine; a real RrdFooter without its trailer means a cut write.
        if (rrdFooter.length > 0) {
          this.warn("footer-invalid", "the End message is not followed by a StreamFooter", offset);
        }
        this.state = { name: "stopped" };
        return true;
      }
      const legacyEnd = rrdFooter.length === 0 && available >= STREAM_HEADER_BYTES;
      if (legacyEnd && this.tryBeginStream(this.queue.peek(STREAM_HEADER_BYTES), offset)) return true;
      this.stop(
        "truncated",
        `input ended after ${available} of the ${STREAM_FOOTER_BYTES} stream footer bytes`,
      );
      return true;
    }
    const bytes = this.queue.peek(STREAM_FOOTER_BYTES);
    if (!hasStreamFooterMagic(bytes)) {
      // A legacy End (length 0) directly followed by another stream.
      if (rrdFooter.length === 0 && this.tryBeginStream(bytes.subarray(0, STREAM_HEADER_BYTES), offset))
        return true;
      // Not an End after all (a damaged kind, or a damaged stream): report it and look for the next message here.
      this.warn(
        "footer-invalid",
        `expected a StreamFooter after the End message, found no "RRF2" "FOOT" magic`,
        offset,
      );
      this.state = { name: "resync", start: offset, expected: offset, failure: undefined };
      return true;
    }
    this.queue.skip(STREAM_FOOTER_BYTES);
    this.state = { name: "stream-header" };
    try {
      const footer = parseStreamFooter(bytes);
      const problems = verifyStreamFooter(footer, rrdFooter, [
        rrdFooterOffset - this.streamStartOffset,
        rrdFooterOffset,
      ]);
      if (problems.length > 0) this.warn("footer-invalid", problems.join("; "), offset);
    } catch (error) {
      if (!isRrdError(error)) throw error;
      this.warn("footer-invalid", error.message, offset);
    }
    return true;
  }

  private warn(kind: RrdWarningKind, message: string, offset: number, lostBytes?: number): void {
    // Repeated warnings are aggregated: the first MAX_WARNINGS_PER_KIND of a kind, then one summary at end().
    if (!this.warnings.record(kind, offset)) return;
    const warning: RrdWarning = { kind, message, offset };
    if (lostBytes !== undefined) warning.lostBytes = lostBytes;
    this.events.push({ type: "warning", warning });
  }

  /** Reports an unrecoverable problem, drops everything queued and ignores further input. */
  private stop(kind: RrdWarningKind, message: string, offset = this.queue.offset, lostBytes?: number): void {
    const lost = lostBytes ?? this.queue.length;
    this.warn(kind, `${message} (${lost} bytes dropped at offset ${offset})`, offset, lost);
    this.queue.clear();
    this.state = { name: "stopped" };
  }
}

/** True if `bytes` (at most 4) is a prefix of an `RRF0`…`RRF2` magic, i.e. could still become a stream header. */
function startsLikeRrd(bytes: Uint8Array): boolean {
  const magic = [0x52, 0x52, 0x46];
  return bytes.every((b, i) => (i < 3 ? b === magic[i] : b >= 0x30 && b <= 0x32));
}

function storeKey(kind: StoreId["kind"], recordingId: string): string {
  return `${kind}\u0000${recordingId}`;
}
