import { fromBinary } from "@bufbuild/protobuf";
import { arrowMsgPayloadOffset } from "./arrow-msg-payload-offset.ts";
import { ByteQueue } from "./byte-queue.ts";
import { formatCrateVersion } from "./crate-version.ts";
import { type RrdFooter, RrdFooterSchema } from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import type { Lz4Codec } from "./lz4/index.ts";
import {
  MESSAGE_HEADER_BYTES,
  MessageKind,
  isKnownMessageKind,
  parseMessageHeader,
} from "./message-header.ts";
import { type HeaderCandidate, findHeaderCandidate, parseHeaderCandidate } from "./header-candidates.ts";
import { decodeMessagePayload } from "./message-payload.ts";
import { isPlausiblePayload } from "./plausible-payload.ts";
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

/** Default `maxMessageBytes`: 1 GiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1 << 30;

export interface RrdDecoderOptions {
  /** LZ4 block codec; defaults to the package's pure TypeScript codec. */
  lz4?: Lz4Codec;
  /**
   * Largest payload (and LZ4 uncompressed size) accepted; default 1 GiB. A larger MessageHeader length is
   * reported as "message-too-large" and decoding stops, without buffering or allocating it.
   */
  maxMessageBytes?: number;
  /**
   * Cap on the total bytes LZ4-decompressed from the input: decoding stops with a "decompression-limit" warning
   * before the total would exceed max(`maxDecompressedBytes`, `maxDecompressionRatio` × input bytes so far).
   * Default 1 GiB and 64×: a real recording (images compress 2–20×) stays far below it; an LZ4 bomb (zeros
   * compress 255×) is refused. Raise it to read a larger, highly compressible recording.
   */
  maxDecompressedBytes?: number;
  /** See `maxDecompressedBytes`; default 64. */
  maxDecompressionRatio?: number;
}

/** Default `maxDecompressedBytes`: 1 GiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 1 << 30;
/** Default `maxDecompressionRatio`. */
export const DEFAULT_MAX_DECOMPRESSION_RATIO = 64;

export type RrdDecoderEvent =
  | {
      type: "message";
      message: RrdMessage;
      /** Byte offset of the message's MessageHeader in the concatenated input. */
      offset: number;
      /** Length of the message's payload (which starts just after its 16-byte MessageHeader). */
      payloadBytes: number;
    }
  | { type: "warning"; warning: RrdWarning };

type DecoderState =
  | { name: "stream-header" }
  | { name: "message-header" }
  | { name: "payload"; kind: MessageKind; lengthBytes: number; headerOffset: number }
  | { name: "stream-footer"; rrdFooter: Uint8Array; rrdFooterOffset: number }
  | ResyncState
  | { name: "stopped" }
  | { name: "failed"; error: RrdError };

/**
 * Scanning for the next valid message after damage. `start` is where the lost bytes begin; `expected` is where
 * the next message should start if only the payload was damaged (no extra warning when it is found there);
 * `failure` is the warning to give if nothing valid follows (undefined when the damage was reported already).
 */
interface ResyncState {
  name: "resync";
  start: number;
  expected: number | undefined;
  failure: { kind: RrdWarningKind; message: string } | undefined;
  /** Queued bytes the candidate at the front needs before it can be verified (so a wait costs nothing). */
  needBytes?: number | undefined;
}

/** Warnings of one kind reported one by one; the rest are counted and summarised by `end()`. */
export const MAX_WARNINGS_PER_KIND = 100;

/** How many bytes a resync scan looks at per step. */
const RESYNC_WINDOW_BYTES = 1 << 16;

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
  private readonly maxDecompressedBytes: number;
  private readonly maxDecompressionRatio: number;
  private decompressedBytes = 0;
  private readonly warningCounts = new Map<
    RrdWarningKind,
    { count: number; firstSuppressedOffset: number }
  >();

  constructor(options: RrdDecoderOptions = {}) {
    this.lz4 = options.lz4;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxDecompressedBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
    this.maxDecompressionRatio = options.maxDecompressionRatio ?? DEFAULT_MAX_DECOMPRESSION_RATIO;
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
    for (const [kind, { count, firstSuppressedOffset }] of this.warningCounts) {
      if (count <= MAX_WARNINGS_PER_KIND || firstSuppressedOffset < 0) continue;
      out.push({
        type: "warning",
        warning: {
          kind,
          message: `${count - MAX_WARNINGS_PER_KIND} more "${kind}" warnings from offset ${firstSuppressedOffset} on (${count} in all) are not listed one by one`,
          offset: firstSuppressedOffset,
        },
      });
      this.warningCounts.set(kind, { count: MAX_WARNINGS_PER_KIND, firstSuppressedOffset: -1 });
    }
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
        return this.resync(state);
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
      beforeDecompress: (bytes) => this.chargeDecompression(bytes),
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

  /**
   * Counts `bytes` against the decompression budget: at most max(`maxDecompressedBytes`, `maxDecompressionRatio`
   * × the input so far) in total. Throws RrdError "decompression-limit" past it (before anything is allocated).
   */
  private chargeDecompression(bytes: number): void {
    const input = this.queue.offset + this.queue.length;
    const limit = Math.max(this.maxDecompressedBytes, this.maxDecompressionRatio * input);
    if (this.decompressedBytes + bytes > limit) {
      throw new RrdError(
        "decompression-limit",
        `decompressing ${bytes} more bytes would make ${this.decompressedBytes + bytes} bytes from ${input} input bytes, ` +
          `over the limit of ${limit} (max(maxDecompressedBytes ${this.maxDecompressedBytes}, ` +
          `${this.maxDecompressionRatio} × input)); raise maxDecompressedBytes to read this file`,
      );
    }
    this.decompressedBytes += bytes;
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

  /** One step of the scan for the next valid message (see the class comment). */
  private resync(state: ResyncState): boolean {
    if (state.needBytes !== undefined && this.queue.length < state.needBytes && !this.atEof) return false;
    state.needBytes = undefined;
    for (;;) {
      const available = this.queue.length;
      if (available < MESSAGE_HEADER_BYTES) {
        if (!this.atEof) return false;
        this.resyncFailed(state);
        return true;
      }
      const window = this.queue.peekSome(MESSAGE_HEADER_BYTES, RESYNC_WINDOW_BYTES);
      const at = findHeaderCandidate(window, this.maxMessageBytes);
      if (at < 0) {
        this.queue.skip(window.length - MESSAGE_HEADER_BYTES + 1);
        continue;
      }
      this.queue.skip(at);
      const candidate = parseHeaderCandidate(window, at);
      const verdict = this.verifyCandidate(candidate);
      if (verdict === "wait") {
        state.needBytes =
          candidate.type === "stream-header"
            ? STREAM_HEADER_BYTES
            : MESSAGE_HEADER_BYTES + candidate.lengthBytes + (candidate.kind === 0 ? STREAM_FOOTER_BYTES : 0);
        return false;
      }
      if (verdict === "no") {
        this.queue.skip(1);
        continue;
      }
      if (verdict === "stopped") return true;
      const offset = this.queue.offset;
      if (offset !== state.expected) {
        const lost = offset - state.start;
        this.warn(
          "skipped-bytes",
          `${lost} damaged bytes at offset ${state.start} skipped; decoding resumed at offset ${offset}`,
          state.start,
          lost,
        );
      }
      this.events.push(...verdict);
      this.applyCandidate();
      return true;
    }
  }

  private pendingCandidate: (() => void) | undefined;

  /**
   * Decodes the candidate at the front of the queue without consuming it: its events when it is valid, "no" when
   * it is not, "wait" when more input is needed to tell, "stopped" when the decompression budget ran out.
   */
  private verifyCandidate(candidate: HeaderCandidate): RrdDecoderEvent[] | "no" | "wait" | "stopped" {
    const available = this.queue.length;
    const offset = this.queue.offset;
    if (candidate.type === "stream-header") {
      if (available < STREAM_HEADER_BYTES) return this.atEof ? "no" : "wait";
      try {
        const header = parseStreamHeader(this.queue.peek(STREAM_HEADER_BYTES));
        this.pendingCandidate = () => {
          this.queue.skip(STREAM_HEADER_BYTES);
          this.beginStream(header, offset);
        };
        return [];
      } catch (error) {
        if (isRrdError(error)) return "no";
        throw error;
      }
    }
    const { kind, lengthBytes } = candidate;
    const total = MESSAGE_HEADER_BYTES + lengthBytes;
    if (kind === MessageKind.End) {
      // An End counts only with its StreamFooter magic right after it (zeros and noise look like an End).
      if (available < total + STREAM_FOOTER_BYTES) return this.atEof ? "no" : "wait";
      const bytes = this.queue.peek(total + STREAM_FOOTER_BYTES);
      if (!hasStreamFooterMagic(bytes.subarray(total))) return "no";
      try {
        fromBinary(RrdFooterSchema, bytes.subarray(MESSAGE_HEADER_BYTES, total));
      } catch {
        return "no";
      }
      this.pendingCandidate = () => {
        this.state = { name: "payload", kind: MessageKind.End, lengthBytes, headerOffset: offset };
        this.queue.skip(MESSAGE_HEADER_BYTES);
      };
      return [];
    }
    if (available < total) return this.atEof ? "no" : "wait";
    const payload = this.queue.peek(total).subarray(MESSAGE_HEADER_BYTES);
    if (!isPlausiblePayload(kind, payload)) return "no";
    // Rejected candidates are common in damaged data: their errors need no stack trace (cheaper by 10×).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      const message = this.decodePayload(kind, payload);
      this.pendingCandidate = () => {
        this.queue.skip(total);
        this.state = { name: "message-header" };
      };
      return [{ type: "message", message, offset, payloadBytes: total - MESSAGE_HEADER_BYTES }];
    } catch (error) {
      if (!isRrdError(error)) throw error;
      return this.isBudgetError(error) ? "stopped" : "no";
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  private applyCandidate(): void {
    const apply = this.pendingCandidate;
    this.pendingCandidate = undefined;
    this.state = { name: "message-header" };
    apply?.();
  }

  private resyncFailed(state: ResyncState): void {
    const end = this.queue.offset + this.queue.length;
    if (state.failure !== undefined) {
      this.stop(state.failure.kind, state.failure.message, state.start, end - state.start);
    } else if (state.expected !== undefined && end > state.expected) {
      this.stop(
        "trailing-bytes",
        `${end - state.expected} bytes after a damaged message hold no valid message`,
        state.expected,
        end - state.expected,
      );
    } else {
      this.queue.clear();
      this.state = { name: "stopped" };
    }
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
    const seen = this.warningCounts.get(kind);
    if (seen === undefined) this.warningCounts.set(kind, { count: 1, firstSuppressedOffset: -1 });
    else {
      seen.count += 1;
      if (seen.count > MAX_WARNINGS_PER_KIND) {
        if (seen.firstSuppressedOffset < 0) seen.firstSuppressedOffset = offset;
        return;
      }
    }
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
