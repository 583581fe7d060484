import { fromBinary } from "@bufbuild/protobuf";
import type { ByteQueue } from "./byte-queue.ts";
import type { DecoderState, ResyncState } from "./decoder-state.ts";
import { type RrdFooter, RrdFooterSchema } from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { type HeaderCandidate, findHeaderCandidate, parseHeaderCandidate } from "./header-candidates.ts";
import { MESSAGE_HEADER_BYTES, MessageKind } from "./message-header.ts";
import { isPlausiblePayload } from "./plausible-payload.ts";
import type { RrdDecoderEvent } from "./rrd-decoder-options.ts";
import { type RrdError, isRrdError } from "./rrd-error.ts";
import type { RrdMessage } from "./rrd-message.ts";
import type { RrdWarningKind } from "./rrd-warning.ts";
import { STREAM_FOOTER_BYTES, hasStreamFooterMagic } from "./stream-footer.ts";
import { STREAM_HEADER_BYTES, type StreamHeader, parseStreamHeader } from "./stream-header.ts";

/** How many bytes a resync scan looks at per step. */
const RESYNC_WINDOW_BYTES = 1 << 16;

/** What the scan needs of the `RrdDecoder` it runs in. */
export interface ResyncHost {
  readonly queue: ByteQueue;
  readonly maxMessageBytes: number;
  atEof(): boolean;
  /** Decodes a payload (charging the decompression budget); throws `RrdError` when it does not decode. */
  decodePayload(kind: Exclude<MessageKind, 0>, payload: Uint8Array): RrdMessage;
  /** True, with decoding stopped, when `error` is the decompression budget running out. */
  isBudgetError(error: RrdError): boolean;
  beginStream(header: StreamHeader, offset: number): void;
  setState(state: DecoderState): void;
  warn(kind: RrdWarningKind, message: string, offset: number, lostBytes?: number): void;
  stop(kind: RrdWarningKind, message: string, offset?: number, lostBytes?: number): void;
  emit(events: RrdDecoderEvent[]): void;
}

/** A candidate that decodes: its events, and what consuming it does to the decoder. */
interface Accepted {
  events: RrdDecoderEvent[];
  apply: () => void;
}

/**
 * One step of the scan for the next valid message after damage (see `RrdDecoder`): finds positions that pass the
 * cheap header filter, decodes the candidate there without consuming it, and resumes at the first one that
 * decodes ("skipped-bytes" says how many bytes were lost). False when it needs more input.
 */
export function resyncStep(host: ResyncHost, state: ResyncState): boolean {
  const { queue } = host;
  if (state.needBytes !== undefined && queue.length < state.needBytes && !host.atEof()) return false;
  state.needBytes = undefined;
  for (;;) {
    const available = queue.length;
    if (available < MESSAGE_HEADER_BYTES) {
      if (!host.atEof()) return false;
      resyncFailed(host, state);
      return true;
    }
    const window = queue.peekSome(MESSAGE_HEADER_BYTES, RESYNC_WINDOW_BYTES);
    const at = findHeaderCandidate(window, host.maxMessageBytes);
    if (at < 0) {
      queue.skip(window.length - MESSAGE_HEADER_BYTES + 1);
      continue;
    }
    queue.skip(at);
    const candidate = parseHeaderCandidate(window, at);
    const verdict = verifyCandidate(host, candidate);
    if (verdict === "wait") {
      state.needBytes =
        candidate.type === "stream-header"
          ? STREAM_HEADER_BYTES
          : MESSAGE_HEADER_BYTES + candidate.lengthBytes + (candidate.kind === 0 ? STREAM_FOOTER_BYTES : 0);
      return false;
    }
    if (verdict === "no") {
      queue.skip(1);
      continue;
    }
    if (verdict === "stopped") return true;
    const offset = queue.offset;
    if (offset !== state.expected) {
      const lost = offset - state.start;
      host.warn(
        "skipped-bytes",
        `${lost} damaged bytes at offset ${state.start} skipped; decoding resumed at offset ${offset}`,
        state.start,
        lost,
      );
    }
    host.emit(verdict.events);
    host.setState({ name: "message-header" });
    verdict.apply();
    return true;
  }
}

/**
 * Decodes the candidate at the front of the queue without consuming it: accepted when it is valid, "no" when it
 * is not, "wait" when more input is needed to tell, "stopped" when the decompression budget ran out.
 */
function verifyCandidate(host: ResyncHost, candidate: HeaderCandidate): Accepted | "no" | "wait" | "stopped" {
  const { queue } = host;
  const available = queue.length;
  const offset = queue.offset;
  const undecided = (): "no" | "wait" => (host.atEof() ? "no" : "wait");
  if (candidate.type === "stream-header") {
    if (available < STREAM_HEADER_BYTES) return undecided();
    try {
      const header = parseStreamHeader(queue.peek(STREAM_HEADER_BYTES));
      return {
        events: [],
        apply: () => {
          queue.skip(STREAM_HEADER_BYTES);
          host.beginStream(header, offset);
        },
      };
    } catch (error) {
      if (isRrdError(error)) return "no";
      throw error;
    }
  }
  const { kind, lengthBytes } = candidate;
  const total = MESSAGE_HEADER_BYTES + lengthBytes;
  if (kind === MessageKind.End) {
    // An End counts only with its StreamFooter magic right after it (zeros and noise look like an End).
    if (available < total + STREAM_FOOTER_BYTES) return undecided();
    const bytes = queue.peek(total + STREAM_FOOTER_BYTES);
    if (!hasStreamFooterMagic(bytes.subarray(total))) return "no";
    if (!decodesAsRrdFooter(bytes.subarray(MESSAGE_HEADER_BYTES, total))) return "no";
    return {
      events: [],
      apply: () => {
        host.setState({ name: "payload", kind: MessageKind.End, lengthBytes, headerOffset: offset });
        queue.skip(MESSAGE_HEADER_BYTES);
      },
    };
  }
  if (available < total) return undecided();
  const payload = queue.peek(total).subarray(MESSAGE_HEADER_BYTES);
  if (!isPlausiblePayload(kind, payload)) return "no";
  // Rejected candidates are common in damaged data: their errors need no stack trace (cheaper by 10×).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const message = host.decodePayload(kind, payload);
    return {
      events: [{ type: "message", message, offset, payloadBytes: lengthBytes }],
      apply: () => queue.skip(total),
    };
  } catch (error) {
    if (!isRrdError(error)) throw error;
    return host.isBudgetError(error) ? "stopped" : "no";
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function decodesAsRrdFooter(bytes: Uint8Array): boolean {
  try {
    const footer: RrdFooter = fromBinary(RrdFooterSchema, bytes);
    return footer !== undefined;
  } catch {
    return false;
  }
}

/** Nothing valid follows the damage: report it (unless it was reported already) and stop. */
function resyncFailed(host: ResyncHost, state: ResyncState): void {
  const { queue } = host;
  const end = queue.offset + queue.length;
  if (state.failure !== undefined) {
    host.stop(state.failure.kind, state.failure.message, state.start, end - state.start);
  } else if (state.expected !== undefined && end > state.expected) {
    host.stop(
      "trailing-bytes",
      `${end - state.expected} bytes after a damaged message hold no valid message`,
      state.expected,
      end - state.expected,
    );
  } else {
    queue.clear();
    host.setState({ name: "stopped" });
  }
}
