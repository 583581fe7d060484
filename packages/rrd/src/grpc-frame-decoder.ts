import { arrowMsgPayloadOffset } from "./arrow-msg-payload-offset.ts";

/** gRPC length-prefixed message: 1 flag byte, 4 bytes big-endian length. */
export const GRPC_FRAME_HEADER_BYTES = 5;

/** Flag bit 0: the message is compressed (`grpc-encoding`). */
const COMPRESSED_FLAG = 0x01;
/** Flag bit 7: a gRPC-web trailers frame (HTTP/1-style header lines instead of a message). */
const TRAILERS_FLAG = 0x80;

/** `…Request.log_msg` / `ReadMessagesResponse.log_msg` (field 1) and `LogMsg.arrow_msg` (field 2), wire type 2. */
const LOG_MSG_TAG = (1 << 3) | 2;
const LOG_MSG_ARROW_MSG_TAG = (2 << 3) | 2;

/**
 * A complete gRPC frame around `bytes` (an already serialized message, or gRPC-web trailer lines with
 * `flags` 0x80): the flag byte, the 4-byte big-endian length, then a copy of `bytes`.
 */
export function grpcFrame(bytes: Uint8Array, flags = 0): Uint8Array {
  const frame = new Uint8Array(GRPC_FRAME_HEADER_BYTES + bytes.length);
  frame[0] = flags;
  new DataView(frame.buffer).setUint32(1, bytes.length);
  frame.set(bytes, GRPC_FRAME_HEADER_BYTES);
  return frame;
}

/** Fresh, zero-filled memory: `bytes` bytes, `pad` bytes into a buffer of its own. */
function freshBytes(bytes: number, pad: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(pad + bytes), pad, bytes);
}

export interface GrpcFrame {
  compressed: boolean;
  /** A gRPC-web trailers frame: `bytes` are header lines (`grpc-status: 0\r\n…`), not a message. */
  trailers: boolean;
  /** The whole frame: the 5-byte header, then `bytes`. */
  frame: Uint8Array;
  /** The message (a view of `frame`). */
  bytes: Uint8Array;
}

/**
 * Splits a gRPC body (a request on the server, a response on a client; gRPC or gRPC-web), arriving in chunks of
 * any size, into messages. Each message is assembled, behind a
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
  private flags = 0;
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
    /**
     * Where message buffers come from, `pad` bytes into a block (the server's `FrameBufferPool.acquire`, Node's
     * uninitialized memory); default: fresh zero-filled memory.
     */
    private readonly allocate: (bytes: number, pad: number) => Uint8Array = freshBytes,
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

  /**
   * The messages completed by `chunk`, appended to `out` (returned); throws `onTooLarge(…)` for a length over the
   * limit, after appending the messages that `chunk` completed before it.
   */
  push(chunk: Uint8Array, out: GrpcFrame[] = []): GrpcFrame[] {
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
          this.flags = h[0]!;
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
      // Most chunks go into the body whole: no view to make then (one per 16 KiB DATA frame otherwise).
      body.set(n === chunk.length ? chunk : chunk.subarray(at, at + n), this.bodyFill);
      this.bodyFill += n;
      at += n;
      if (this.bodyFill === body.length) this.complete(out);
    }
    return out;
  }

  /**
   * Where the next bytes of the message being received belong (a view of its buffer, at most `maxBytes`), for a
   * socket to read them there without a copy (then `filled`); undefined between messages or before the buffer of
   * the message exists.
   */
  target(maxBytes: number): Uint8Array | undefined {
    const body = this.body;
    if (body === undefined) return undefined;
    const n = Math.min(maxBytes, body.length - this.bodyFill);
    return n > 0 ? body.subarray(this.bodyFill, this.bodyFill + n) : undefined;
  }

  /** `n` bytes were written into the last `target`: the message they complete, if any, is appended to `out`. */
  filled(n: number, out: GrpcFrame[] = []): GrpcFrame[] {
    const body = this.body;
    if (body === undefined || n > body.length - this.bodyFill) {
      throw new RangeError(`filled(${n}) beyond the message being received`);
    }
    this.bodyFill += n;
    if (this.bodyFill === body.length) this.complete(out);
    return out;
  }

  /** Allocates the message buffer (it may be uninitialized: every byte is written before it is handed out). */
  private startBody(): void {
    const payloadAt =
      this.flags !== 0 ? -1 : logMsgArrowPayloadOffset(this.prefix.subarray(0, this.prefixFill));
    const pad = payloadAt < 0 ? 0 : (8 - ((GRPC_FRAME_HEADER_BYTES + payloadAt) % 8)) % 8;
    const total = GRPC_FRAME_HEADER_BYTES + this.length;
    this.frame = this.allocate(total, pad);
    this.frame.set(this.header);
    this.body = this.frame.subarray(GRPC_FRAME_HEADER_BYTES);
    this.body.set(this.prefix.subarray(0, this.prefixFill));
    this.bodyFill = this.prefixFill;
  }

  private complete(out: GrpcFrame[]): void {
    out.push({
      compressed: (this.flags & COMPRESSED_FLAG) !== 0,
      trailers: (this.flags & TRAILERS_FLAG) !== 0,
      frame: this.frame,
      bytes: this.body!,
    });
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
 * Where `log_msg.arrow_msg.payload`'s bytes start in a serialized `WriteMessagesRequest` or `ReadMessagesResponse`
 * (both hold the `LogMsg` in field 1), found by walking the protobuf fields in `prefix` (the message's first
 * bytes); -1 if it is not an ArrowMsg or the payload does not start within `prefix`.
 */
export function logMsgArrowPayloadOffset(prefix: Uint8Array): number {
  let at = 0;
  // WriteMessagesRequest.log_msg (1), then LogMsg.arrow_msg (2), both length-delimited; then the ArrowMsg itself.
  for (const tag of [LOG_MSG_TAG, LOG_MSG_ARROW_MSG_TAG]) {
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
