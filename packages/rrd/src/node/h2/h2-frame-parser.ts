import { H2Error } from "./h2-error.ts";
import { FRAME_HEADER_BYTES, Flag, FrameType } from "./h2-frame.ts";

/** What `H2FrameParser` finds in the bytes it is given. Views are valid only during the call. */
export interface H2FrameSink {
  /** A whole frame other than DATA (unknown types are skipped, as RFC 9113 §4.1 asks). */
  frame(type: number, flags: number, streamId: number, payload: Uint8Array): void;
  /** A DATA frame begins: `frameBytes` is its whole payload length (what flow control counts). */
  dataStart(streamId: number, flags: number, frameBytes: number): void;
  /** Bytes of the current DATA frame's data (padding removed), in order, in as many pieces as they arrived. */
  data(bytes: Uint8Array): void;
  /** The current DATA frame ended. */
  dataEnd(flags: number): void;
  /** A frame of an unknown type was skipped (a server counts them against floods). */
  skipped?(type: number): void;
}

const EMPTY = new Uint8Array(0);

const enum State {
  Header,
  Payload,
  DataPadLength,
  Data,
  Padding,
  Skip,
}

/**
 * Splits an HTTP/2 byte stream into frames without copying DATA payloads: their bytes are handed on as views of
 * the input, so a socket can read into one reused buffer. Other frames are viewed in place when they arrive in
 * one piece and gathered into a buffer of their exact size otherwise. Throws `H2Error` for a frame over
 * `maxFrameBytes` (our SETTINGS_MAX_FRAME_SIZE) or a malformed padding length.
 */
export class H2FrameParser {
  private state = State.Header;
  private readonly header = new Uint8Array(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private type = 0;
  private flags = 0;
  private streamId = 0;
  private length = 0;
  /** Bytes of the current frame's payload still to come (DATA: data, then padding). */
  private remaining = 0;
  private padding = 0;
  private payload: Uint8Array | undefined;
  private payloadFill = 0;

  constructor(
    private readonly sink: H2FrameSink,
    private readonly maxFrameBytes: number,
  ) {}

  /** Data bytes still to come in the DATA frame being read (0 outside a DATA frame's data). */
  get dataRemaining(): number {
    return this.state === State.Data ? this.remaining : 0;
  }

  /**
   * `n` (at most `dataRemaining`) data bytes of the current DATA frame arrived without passing through `push`: the
   * caller had the socket read them in place (`H2Session.readTarget`). The frame ends as if they had been pushed.
   */
  skipData(n: number): void {
    if (this.state !== State.Data || n > this.remaining) {
      throw new H2Error("protocol", `skipData(${n}) outside a DATA frame's ${this.remaining} data bytes`);
    }
    this.remaining -= n;
    if (this.remaining === 0) this.afterData();
  }

  /** True between frames. */
  get atBoundary(): boolean {
    return this.state === State.Header && this.headerFill === 0;
  }

  push(bytes: Uint8Array): void {
    let at = 0;
    const end = bytes.length;
    while (at < end) {
      switch (this.state) {
        case State.Header: {
          if (this.headerFill === 0 && end - at >= FRAME_HEADER_BYTES) {
            this.startFrame(bytes, at);
            at += FRAME_HEADER_BYTES;
          } else {
            const n = Math.min(FRAME_HEADER_BYTES - this.headerFill, end - at);
            this.header.set(bytes.subarray(at, at + n), this.headerFill);
            this.headerFill += n;
            at += n;
            if (this.headerFill < FRAME_HEADER_BYTES) return;
            this.headerFill = 0;
            this.startFrame(this.header, 0);
          }
          break;
        }
        case State.Payload: {
          if (this.payload === undefined && end - at >= this.remaining) {
            const n = this.remaining;
            this.state = State.Header;
            this.sink.frame(this.type, this.flags, this.streamId, bytes.subarray(at, at + n));
            at += n;
            break;
          }
          this.payload ??= new Uint8Array(this.length);
          const n = Math.min(this.remaining, end - at);
          this.payload.set(bytes.subarray(at, at + n), this.payloadFill);
          this.payloadFill += n;
          this.remaining -= n;
          at += n;
          if (this.remaining > 0) return;
          const payload = this.payload;
          this.payload = undefined;
          this.state = State.Header;
          this.sink.frame(this.type, this.flags, this.streamId, payload);
          break;
        }
        case State.DataPadLength: {
          this.padding = bytes[at++]!;
          if (this.padding >= this.length) {
            throw new H2Error(
              "protocol",
              `a DATA frame of ${this.length} bytes declares ${this.padding} bytes of padding (expected fewer than ${this.length})`,
            );
          }
          this.remaining = this.length - 1 - this.padding;
          this.state = State.Data;
          if (this.remaining === 0) this.afterData();
          break;
        }
        case State.Data: {
          const n = Math.min(this.remaining, end - at);
          this.sink.data(n === end ? bytes : bytes.subarray(at, at + n));
          this.remaining -= n;
          at += n;
          if (this.remaining === 0) this.afterData();
          break;
        }
        case State.Padding:
        case State.Skip: {
          const n = Math.min(this.remaining, end - at);
          this.remaining -= n;
          at += n;
          if (this.remaining > 0) return;
          if (this.state === State.Padding) this.endData();
          else this.state = State.Header;
          break;
        }
      }
    }
  }

  /** The data of a DATA frame is through: its padding follows, if any. */
  private afterData(): void {
    if (this.padding === 0) {
      this.endData();
    } else {
      this.remaining = this.padding;
      this.state = State.Padding;
    }
  }

  private endData(): void {
    this.state = State.Header;
    this.sink.dataEnd(this.flags);
  }

  /** Reads the 9-byte frame header at `h[at…]` and enters the state for its payload. */
  private startFrame(h: Uint8Array, at: number): void {
    this.length = (h[at]! << 16) | (h[at + 1]! << 8) | h[at + 2]!;
    this.type = h[at + 3]!;
    this.flags = h[at + 4]!;
    this.streamId = ((h[at + 5]! & 0x7f) << 24) | (h[at + 6]! << 16) | (h[at + 7]! << 8) | h[at + 8]!;
    if (this.length > this.maxFrameBytes) {
      throw new H2Error(
        "frame-size",
        `a frame of type ${this.type} has ${this.length} bytes, more than our SETTINGS_MAX_FRAME_SIZE ${this.maxFrameBytes}`,
      );
    }
    this.remaining = this.length;
    this.padding = 0;
    if (this.type === FrameType.DATA) {
      this.sink.dataStart(this.streamId, this.flags, this.length);
      if (this.flags & Flag.PADDED) {
        if (this.length === 0) {
          throw new H2Error("protocol", "a padded DATA frame has no room for its padding length (0 bytes)");
        }
        this.state = State.DataPadLength;
      } else {
        this.state = State.Data;
        if (this.length === 0) this.endData();
      }
    } else if (this.type > FrameType.CONTINUATION) {
      this.sink.skipped?.(this.type);
      this.state = this.length === 0 ? State.Header : State.Skip;
    } else if (this.length === 0) {
      this.state = State.Header;
      this.sink.frame(this.type, this.flags, this.streamId, EMPTY);
    } else {
      this.payloadFill = 0;
      this.state = State.Payload;
    }
  }
}
