import {
  Flag,
  FrameType,
  type H2InPlaceBody,
  encodeFrame,
  encodeLiteralHeaderBlock,
  frameHeader,
  rstStreamFrame,
} from "@iris/rrd/node";

/** What a stream needs from its connection. */
export interface H2cStreamHost {
  /** Writes a control frame (HEADERS, RST_STREAM) now, in order with the DATA written so far. */
  writeFrame(frame: Uint8Array): void;
  /** Asks the connection to send queued DATA (soon, once the windows and the socket allow). */
  pump(): void;
  /** The stream is closed both ways (or reset): the connection forgets it. */
  closed(stream: H2cStream): void;
}

/** A message queued for sending: `bytes[at…]` are still to go; `done` once the socket has taken the last byte. */
interface Outgoing {
  bytes: Uint8Array;
  at: number;
  done: (() => void) | undefined;
}

/** Queued DATA above which `write` asks the caller to wait (`onDrain`). */
const QUEUE_HIGH_BYTES = 16 * 1024 * 1024;

/**
 * One request stream of an `H2cConnection` (the server's side of it): the request's DATA is handed to `onData`
 * as views valid during the call, and the response is sent with `respond`, `write` (queued; DATA frames that view
 * the queued bytes, as the peer's windows allow) and `end` (trailers), or `reset`.
 */
export class H2cStream {
  /** The peer's window for DATA on this stream. */
  sendWindow: number;
  /** What the peer may still send on this stream before we grant more (our window). */
  receiveWindow: number;
  /** DATA received and consumed since the last WINDOW_UPDATE we sent for this stream. */
  ungranted = 0;
  /** The peer sent END_STREAM. */
  remoteEnded = false;
  /** Our response is complete (END_STREAM sent or queued behind the DATA). */
  private localEnded = false;
  private isClosed = false;
  private readonly queue: Outgoing[] = [];
  private queuedBytes = 0;
  /** Set by `end`: the trailers' header block (none: END_STREAM on an empty DATA frame), sent after the queue. */
  private ending: { trailers: Uint8Array | undefined } | undefined;
  private headersSent = false;

  /** Optional: where request bytes may be read in place (see `H2cConnection.readTarget`). */
  inPlace: H2InPlaceBody | undefined;
  /** The request's data, in order (views of the read buffer, valid during the call). */
  onData: (bytes: Uint8Array) => void = () => undefined;
  /** The peer ended the request. */
  onEnd: () => void = () => undefined;
  /** The stream is gone (response complete, reset by either side, or the connection closed). */
  onClose: () => void = () => undefined;
  /** The queue fell below its high-water mark again after `write` returned false. */
  onDrain: () => void = () => undefined;

  constructor(
    readonly id: number,
    private readonly host: H2cStreamHost,
    sendWindow: number,
    receiveWindow: number,
  ) {
    this.sendWindow = sendWindow;
    this.receiveWindow = receiveWindow;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get responded(): boolean {
    return this.headersSent;
  }

  /** Sends the response headers; `endStream` for a response with no body and no trailers (trailers-only). */
  respond(fields: readonly (readonly [string, string])[], endStream = false): void {
    if (this.isClosed || this.headersSent) return;
    this.headersSent = true;
    const flags = Flag.END_HEADERS | (endStream ? Flag.END_STREAM : 0);
    this.host.writeFrame(encodeFrame(FrameType.HEADERS, flags, this.id, encodeLiteralHeaderBlock(fields)));
    if (endStream) this.finishLocal();
  }

  /**
   * Queues `bytes` as DATA (not copied: they must stay unchanged until `done`, which is called exactly once, when
   * the socket has taken them or they will never be sent). False when the caller should wait for `onDrain`.
   */
  write(bytes: Uint8Array, done?: () => void): boolean {
    if (this.isClosed || this.localEnded) {
      done?.();
      return true;
    }
    this.queue.push({ bytes, at: 0, done });
    this.queuedBytes += bytes.length;
    this.host.pump();
    return this.queuedBytes < QUEUE_HIGH_BYTES;
  }

  /** Ends the response, with `trailers` if given, once the queued DATA is sent. */
  end(trailers?: readonly (readonly [string, string])[]): void {
    if (this.isClosed || this.localEnded) return;
    this.localEnded = true;
    this.ending = { trailers: trailers && encodeLiteralHeaderBlock(trailers) };
    this.host.pump();
  }

  /** RST_STREAM with `code`; the queued DATA is dropped. */
  reset(code: number): void {
    if (this.isClosed) return;
    this.host.writeFrame(rstStreamFrame(this.id, code));
    this.close();
  }

  /** Closes the stream here (reset by the peer, or the connection is gone): nothing more is sent. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const item of this.queue.splice(0)) item.done?.();
    this.queuedBytes = 0;
    this.host.closed(this);
    this.onClose();
  }

  /** Whether `sendSome` has anything to send. */
  get pending(): boolean {
    return !this.isClosed && (this.queue.length > 0 || this.ending !== undefined);
  }

  /**
   * Writes DATA frames of at most `maxFrame` bytes, `maxBytes` in all, within `connectionWindow` and this stream's
   * window, then the trailers once the queue is empty; returns the DATA bytes written (taken from the connection's
   * window).
   */
  sendSome(
    write: (bytes: Uint8Array, done?: () => void) => void,
    connectionWindow: number,
    maxFrame: number,
    maxBytes = Number.POSITIVE_INFINITY,
  ): number {
    let sent = 0;
    while (this.queue.length > 0) {
      const item = this.queue[0]!;
      const room = Math.min(connectionWindow - sent, this.sendWindow, maxBytes - sent);
      const n = Math.max(0, Math.min(room, maxFrame, item.bytes.length - item.at));
      if (n === 0 && item.bytes.length > item.at) break;
      const last = item.at + n === item.bytes.length;
      write(frameHeader(n, FrameType.DATA, 0, this.id));
      if (n > 0) write(item.bytes.subarray(item.at, item.at + n), last ? item.done : undefined);
      else item.done?.(); // an empty message
      item.at += n;
      sent += n;
      this.sendWindow -= n;
      if (!last) continue;
      this.queue.shift();
      this.queuedBytes -= item.bytes.length;
    }
    if (this.queue.length === 0 && this.ending !== undefined) {
      const { trailers } = this.ending;
      this.ending = undefined;
      write(
        trailers === undefined
          ? frameHeader(0, FrameType.DATA, Flag.END_STREAM, this.id)
          : encodeFrame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, this.id, trailers),
      );
      this.finishLocal();
    } else if (this.queuedBytes < QUEUE_HIGH_BYTES / 2) {
      this.onDrain();
    }
    return sent;
  }

  /** Our side is done: the stream closes now if the peer's is too (else when its END_STREAM comes). */
  private finishLocal(): void {
    this.localEnded = true;
    if (this.remoteEnded) this.close();
  }

  /** The peer sent END_STREAM. */
  endRemote(): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    this.onEnd();
    if (this.localEnded && this.queue.length === 0 && this.ending === undefined) this.close();
  }
}
