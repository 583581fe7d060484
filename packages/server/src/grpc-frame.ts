import { create, toBinary } from "@bufbuild/protobuf";
import {
  arrowMsgPayloadOffset,
  type logMsgPb,
  logMsgPb as pb,
  sdkCommsPb,
  varintBytes,
  writeVarint,
} from "@iris/rrd";
import { uninitializedBytes } from "./node/uninitialized-bytes.ts";

type LogMsg = logMsgPb.LogMsg;

/** gRPC length-prefixed message: 1 flag byte (bit 0 = compressed), 4 bytes big-endian length. */
export const GRPC_FRAME_HEADER_BYTES = 5;

/** `ReadMessagesResponse.log_msg` (field 1) and `LogMsg.arrow_msg` (field 2), wire type 2. */
const RESPONSE_LOG_MSG_TAG = (1 << 3) | 2;
const LOG_MSG_ARROW_MSG_TAG = (2 << 3) | 2;
/** `ArrowMsg.payload`: field 5, wire type 2. */
const ARROW_MSG_PAYLOAD_TAG = (5 << 3) | 2;

/**
 * One `ReadMessagesResponse { log_msg }` as a complete gRPC frame (header + protobuf), byte-identical to
 * `toBinary(ReadMessagesResponseSchema, …)` behind the 5-byte header. It is built once per message and written
 * as is to every gRPC reader.
 *
 * `received` is the producer's `WriteMessagesRequest` frame that `msg` was decoded from (`GrpcFrameDecoder`),
 * when there is one: `WriteMessagesRequest` and `ReadMessagesResponse` both hold the `LogMsg` in field 1, so if
 * those bytes are exactly what `toBinary` would write (checked around the payload, which is the same memory),
 * they are returned as they are: the proxy forwards the producer's bytes without copying them. Otherwise the
 * frame is built with a single copy of the `ArrowMsg` payload, and `msg`'s payload is re-pointed at those bytes in
 * the frame (same content), so that the proxy holds each payload once.
 */
export function readMessagesFrame(msg: LogMsg, received?: Uint8Array): Uint8Array {
  const body = msg.msg;
  if (
    body.case !== "arrowMsg" ||
    body.value.payload.length === 0 ||
    hasUnknownFields(msg) ||
    hasUnknownFields(body.value)
  ) {
    const bytes = toBinary(
      sdkCommsPb.ReadMessagesResponseSchema,
      create(sdkCommsPb.ReadMessagesResponseSchema, { logMsg: msg }),
    );
    if (received !== undefined && sameBytes(received.subarray(GRPC_FRAME_HEADER_BYTES), bytes)) {
      return received;
    }
    return grpcFrame(bytes);
  }
  const arrow = body.value;
  const payload = arrow.payload;
  // protobuf-es writes fields in number order: fields 1–4, then payload (5), then 6–7.
  const head = toBinary(pb.ArrowMsgSchema, {
    ...arrow,
    payload: new Uint8Array(0),
    chunkId: undefined,
    isStatic: undefined,
  });
  const tailMsg = create(pb.ArrowMsgSchema);
  if (arrow.chunkId !== undefined) tailMsg.chunkId = arrow.chunkId;
  if (arrow.isStatic !== undefined) tailMsg.isStatic = arrow.isStatic;
  const tail = toBinary(pb.ArrowMsgSchema, tailMsg);
  const arrowBytes = head.length + 1 + varintBytes(payload.length) + payload.length + tail.length;
  const logMsgBytes = 1 + varintBytes(arrowBytes) + arrowBytes;
  const responseBytes = 1 + varintBytes(logMsgBytes) + logMsgBytes;
  const total = GRPC_FRAME_HEADER_BYTES + responseBytes;
  const prefix = new Uint8Array(total - payload.length - tail.length);
  writeFrameHeader(prefix, responseBytes);
  let at = GRPC_FRAME_HEADER_BYTES;
  prefix[at++] = RESPONSE_LOG_MSG_TAG;
  at = writeVarint(prefix, at, logMsgBytes);
  prefix[at++] = LOG_MSG_ARROW_MSG_TAG;
  at = writeVarint(prefix, at, arrowBytes);
  prefix.set(head, at);
  at += head.length;
  prefix[at++] = ARROW_MSG_PAYLOAD_TAG;
  at = writeVarint(prefix, at, payload.length);
  if (
    received !== undefined &&
    received.length === total &&
    payload.buffer === received.buffer &&
    payload.byteOffset === received.byteOffset + prefix.length &&
    sameBytes(received.subarray(0, prefix.length), prefix) &&
    sameBytes(received.subarray(total - tail.length), tail)
  ) {
    return received;
  }
  const frame = new Uint8Array(total);
  frame.set(prefix);
  frame.set(payload, prefix.length);
  frame.set(tail, prefix.length + payload.length);
  arrow.payload = frame.subarray(prefix.length, prefix.length + payload.length);
  return frame;
}

/** A complete gRPC frame around already serialized protobuf bytes (e.g. an empty `WriteMessagesResponse`). */
export function grpcFrame(bytes: Uint8Array): Uint8Array {
  const frame = new Uint8Array(GRPC_FRAME_HEADER_BYTES + bytes.length);
  writeFrameHeader(frame, bytes.length);
  frame.set(bytes, GRPC_FRAME_HEADER_BYTES);
  return frame;
}

export interface GrpcFrame {
  compressed: boolean;
  /** The whole frame: the 5-byte header, then `bytes`. */
  frame: Uint8Array;
  /** The message (a view of `frame`). */
  bytes: Uint8Array;
}

/**
 * Splits a gRPC request body, arriving in chunks of any size, into messages. Each message is assembled, behind a
 * copy of its frame header, in one buffer of its exact size (one copy, linear in the bytes received), allocated
 * only after its length was checked against `maxMessageBytes`, without a zero fill, and placed so that an
 * uncompressed ArrowMsg payload starts on an 8-byte boundary (`arrowPayloadOffset`).
 */
export class GrpcFrameDecoder {
  private readonly header = new Uint8Array(GRPC_FRAME_HEADER_BYTES);
  private headerFill = 0;
  private frame: Uint8Array = new Uint8Array(0);
  private body: Uint8Array | undefined;
  private bodyFill = 0;
  private compressed = false;
  /** Declared length of the message being received. */
  private length = 0;
  private readonly prefix = new Uint8Array(PREFIX_BYTES);
  private prefixFill = 0;

  /** Bytes reserved from `budget` for the message being received. */
  private reserved = 0;

  /**
   * `budget`, when given, is charged with each message's declared length as soon as its header arrives (before
   * its buffer is allocated) and credited when it completes or the decoder is disposed; `reserve` throws to refuse.
   */
  constructor(
    private readonly maxMessageBytes: number,
    private readonly onTooLarge: (bytes: number) => Error,
    private readonly budget?: { reserve(bytes: number): void; release(bytes: number): void },
    /** Where message buffers come from (`FrameBufferPool.acquire`); default: fresh uninitialized memory. */
    private readonly allocate: (bytes: number, pad: number) => Uint8Array = uninitializedBytes,
  ) {}

  /** Gives back the reservation of an unfinished message (call when the stream ends or fails). */
  dispose(): void {
    if (this.reserved > 0) this.budget?.release(this.reserved);
    this.reserved = 0;
  }

  /** True between messages (a body that ends here is complete). */
  get atBoundary(): boolean {
    return this.headerFill === 0 && this.body === undefined;
  }

  /** The messages completed by `chunk`; throws `onTooLarge(…)` for a length over the limit. */
  push(chunk: Uint8Array): GrpcFrame[] {
    const out: GrpcFrame[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.body === undefined) {
        if (this.headerFill < GRPC_FRAME_HEADER_BYTES) {
          const n = Math.min(GRPC_FRAME_HEADER_BYTES - this.headerFill, chunk.length - at);
          this.header.set(chunk.subarray(at, at + n), this.headerFill);
          this.headerFill += n;
          at += n;
          if (this.headerFill < GRPC_FRAME_HEADER_BYTES) break;
          const h = this.header;
          const length = ((h[1]! << 24) | (h[2]! << 16) | (h[3]! << 8) | h[4]!) >>> 0;
          if (length > this.maxMessageBytes) throw this.onTooLarge(length);
          if (this.budget !== undefined) {
            this.budget.reserve(length);
            this.reserved = length;
          }
          this.compressed = (h[0]! & 1) === 1;
          this.length = length;
          this.prefixFill = 0;
        }
        // The first bytes of the message are staged until the ArrowMsg payload's offset is known, so that the
        // message buffer can be placed with the payload 8-byte aligned (Arrow reads an unaligned body by copying it).
        const want = Math.min(PREFIX_BYTES, this.length);
        const n = Math.min(want - this.prefixFill, chunk.length - at);
        this.prefix.set(chunk.subarray(at, at + n), this.prefixFill);
        this.prefixFill += n;
        at += n;
        if (this.prefixFill < want) break;
        this.startBody();
      }
      const body = this.body!;
      const n = Math.min(body.length - this.bodyFill, chunk.length - at);
      body.set(chunk.subarray(at, at + n), this.bodyFill);
      this.bodyFill += n;
      at += n;
      if (this.bodyFill === body.length) this.complete(out);
    }
    return out;
  }

  /** Allocates the message buffer (uninitialized: every byte is written before it is handed out). */
  private startBody(): void {
    const payloadAt = this.compressed ? -1 : arrowPayloadOffset(this.prefix.subarray(0, this.prefixFill));
    const pad = payloadAt < 0 ? 0 : (8 - ((GRPC_FRAME_HEADER_BYTES + payloadAt) % 8)) % 8;
    const total = GRPC_FRAME_HEADER_BYTES + this.length;
    this.frame = this.allocate(total, pad);
    this.frame.set(this.header);
    this.body = this.frame.subarray(GRPC_FRAME_HEADER_BYTES);
    this.body.set(this.prefix.subarray(0, this.prefixFill));
    this.bodyFill = this.prefixFill;
  }

  private complete(out: GrpcFrame[]): void {
    out.push({ compressed: this.compressed, frame: this.frame, bytes: this.body! });
    this.dispose();
    this.body = undefined;
    this.headerFill = 0;
    this.length = 0;
    this.prefixFill = 0;
  }
}

/** Bytes of a message staged before its buffer is allocated (enough for the ArrowMsg fields before the payload). */
const PREFIX_BYTES = 512;

/**
 * Where `WriteMessagesRequest.log_msg.arrow_msg.payload`'s bytes start in a serialized `WriteMessagesRequest`,
 * found by walking the protobuf fields in `prefix` (the message's first bytes); -1 if it is not an ArrowMsg or the
 * payload does not start within `prefix`.
 */
export function arrowPayloadOffset(prefix: Uint8Array): number {
  let at = 0;
  // WriteMessagesRequest.log_msg (1), then LogMsg.arrow_msg (2), both length-delimited; then the ArrowMsg itself.
  for (const tag of [RESPONSE_LOG_MSG_TAG, LOG_MSG_ARROW_MSG_TAG]) {
    if (prefix[at++] !== tag) return -1;
    const lengthEnd = varintEnd(prefix, at);
    if (lengthEnd < 0) return -1;
    at = lengthEnd;
  }
  const inArrowMsg = arrowMsgPayloadOffset(prefix.subarray(at));
  return inArrowMsg < 0 ? -1 : at + inArrowMsg;
}

/** Where the varint starting at `at` ends, or -1 if it does not end within `bytes` (or is longer than 5 bytes). */
function varintEnd(bytes: Uint8Array, at: number): number {
  for (let i = at; i < Math.min(bytes.length, at + 5); i++) if (bytes[i]! < 0x80) return i + 1;
  return -1;
}

function hasUnknownFields(m: { $unknown?: unknown[] | undefined }): boolean {
  return m.$unknown !== undefined && m.$unknown.length > 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function writeFrameHeader(frame: Uint8Array, length: number): void {
  frame[0] = 0;
  new DataView(frame.buffer, frame.byteOffset, GRPC_FRAME_HEADER_BYTES).setUint32(1, length);
}
