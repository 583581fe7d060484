import type { H2Error } from "./h2-error.ts";

/** How a stream ended: exactly one of these is reported, once. */
export type H2StreamEnd =
  /** The response ended (END_STREAM). */
  | { kind: "ended" }
  /** The server reset the stream (RST_STREAM). */
  | { kind: "reset"; code: number }
  /** The connection closed before the response ended (with the server's GOAWAY, if it sent one). */
  | { kind: "closed"; goaway?: { code: number; debug: string } }
  /**
   * The server broke HTTP/2: on the connection, closed with GOAWAY and `error.code`, or on this stream only (a
   * malformed response, RFC 9113 §8.1.1), reset with PROTOCOL_ERROR.
   */
  | { kind: "violation"; error: H2Error }
  /** The connection failed (connect, read or write error, an unanswered PING). */
  | { kind: "socket"; error: Error };

/**
 * Body bytes read where they belong: a consumer that assembles messages offers the memory of the one being
 * received, and the socket reads into it, saving the copy out of the read buffer (`H2Session.readTarget`).
 */
export interface H2InPlaceBody {
  /** A view of the memory for the next body bytes (at most `maxBytes`), or undefined (they come to `data`). */
  target(maxBytes: number): Uint8Array | undefined;
  /** `n` body bytes were read into the last target. */
  filled(n: number): void;
}

export interface H2StreamHandlers {
  /** A header block of the response: its headers, later its trailers (`endStream` true). */
  headers(fields: readonly [string, string][], endStream: boolean): void;
  /** Response body bytes: a view valid only during the call. */
  data(bytes: Uint8Array): void;
  /** Optional: where body bytes may be read in place. */
  inPlace?: H2InPlaceBody | undefined;
  /** The stream is over (not called after the stream was reset or the session closed by us). */
  end(how: H2StreamEnd): void;
}

/** What a stream asks of its session. */
export interface H2StreamHost {
  /** Sends what streams have queued, as far as flow control and the socket allow. */
  pump(): void;
  /** Withheld window may be granted again (a stream was resumed). */
  grant(): void;
  /** Sends RST_STREAM `code` and forgets the stream (no handler is called after this). */
  reset(stream: H2Stream, code: number): void;
}

/**
 * One request stream of an `H2Session`. The request body is queued with `write` as views (never copied) and sent
 * as DATA frames as the server's flow-control windows allow; `drained()` tells when the queue was handed to the
 * connection. The response reaches `handlers`. Fields below the public methods are the session's bookkeeping.
 */
export class H2Stream {
  /** Request body parts not yet sent; `head`/`offset`: where the unsent bytes begin. */
  readonly queue: Uint8Array[] = [];
  head = 0;
  offset = 0;
  queuedBytes = 0;
  /** `end()` was called / END_STREAM was sent. */
  endQueued = false;
  endSent = false;
  /** HEADERS was sent (a stream waits while the server's SETTINGS_MAX_CONCURRENT_STREAMS are in use). */
  opened = false;
  sendWindow: number;
  recvWindow: number;
  /** Bytes received but not yet granted back. */
  ungranted = 0;
  isPaused = false;
  sawResponse = false;
  /** The stream is over (ended, reset, or its connection closed). */
  over = false;
  private readonly drainWaiters: (() => void)[] = [];

  constructor(
    readonly id: number,
    /** The request's header block (HPACK), sent in HEADERS when the stream opens. */
    readonly headerBlock: Uint8Array,
    readonly handlers: H2StreamHandlers,
    private readonly host: H2StreamHost,
    sendWindow: number,
    recvWindow: number,
  ) {
    this.sendWindow = sendWindow;
    this.recvWindow = recvWindow;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /**
   * Queues request body bytes (views: they must stay unchanged until `drained()`), and sends what it can.
   * Returns true if everything queued was handed to the connection, false if the caller should await `drained()`.
   */
  write(parts: readonly Uint8Array[]): boolean {
    if (this.over || this.endQueued) return true;
    for (const part of parts) {
      if (part.length === 0) continue;
      this.queue.push(part);
      this.queuedBytes += part.length;
    }
    this.host.pump();
    return this.queuedBytes === 0;
  }

  /** Ends the request (END_STREAM after the queued bytes). */
  end(): void {
    if (this.over || this.endQueued) return;
    this.endQueued = true;
    this.host.pump();
  }

  /** Resolves once everything queued (and END_STREAM, after `end()`) was handed to the connection, or the stream is over. */
  drained(): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stops granting flow-control window: the server stops once it has sent what it was granted. */
  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
    this.host.grant();
  }

  /** Cancels the stream (RST_STREAM `code`, CANCEL by default); no handler is called after this. */
  reset(code = 0x8): void {
    if (!this.over) this.host.reset(this, code);
  }

  /** Up to `n` queued bytes, as views, taken off the queue. */
  take(n: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    this.queuedBytes -= n;
    while (n > 0) {
      const part = this.queue[this.head]!;
      const available = part.length - this.offset;
      if (available <= n) {
        out.push(this.offset === 0 ? part : part.subarray(this.offset));
        n -= available;
        this.head++;
        this.offset = 0;
      } else {
        out.push(part.subarray(this.offset, this.offset + n));
        this.offset += n;
        n = 0;
      }
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    return out;
  }

  /** Marks the stream over and drops what it had queued. */
  finish(): void {
    this.over = true;
    this.queue.length = 0;
    this.head = 0;
    this.offset = 0;
    this.queuedBytes = 0;
    this.notifyDrained();
  }

  notifyDrained(): void {
    if (!this.isDrained()) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private isDrained(): boolean {
    return this.over || (this.queuedBytes === 0 && (!this.endQueued || this.endSent));
  }
}
