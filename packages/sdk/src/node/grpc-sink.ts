import { Code, ConnectError } from "@connectrpc/connect";
import { type RrdMessage, storeKey, writeMessagesRequestFrameParts } from "@iris/rrd";
import { BlockPool } from "@iris/rrd/node";
import { DEFAULT_PROXY_URL, LiveError, grpcBaseUrl } from "../proxy-url.ts";
import type { LogSink } from "../sinks/log-sink.ts";
import type { GrpcSinkOptions, GrpcSinkStats } from "./grpc-sink-options.ts";
import { H2WriteSession } from "./h2-write-session.ts";
import { fastestLz4 } from "./native-lz4.ts";
import { NodeWriteSession } from "./node-write-session.ts";
import { SendQueue, type WriteRequest } from "./send-queue.ts";
import type { WriteCall, WriteSession, WriteSessionOptions } from "./write-session.ts";

const REQUEST_OVERHEAD_BYTES = 256;

/** Acknowledged frame copies kept for reuse. */
const POOLED_FRAME_BYTES = 128 * 1024 ** 2;
/** HTTP/2 flow-control window asked of the server (its responses are tiny; the server's own window governs sends). */
const WINDOW_BYTES = 32 * 1024 * 1024;
/** Ended write streams whose status may still be awaited while the next ones are written. */
const MAX_CALLS_AWAITING_STATUS = 4;

/** A write stream whose request was sent in full and whose status (the acknowledgement) is awaited. */
interface AwaitedCall {
  stream: number;
  /** Set when the server answered OK. */
  ok: boolean;
  /** Settles (never rejects) when the status arrived or the call failed. */
  settled: Promise<void>;
}

/**
 * Streams a recording to a Rerun-compatible message proxy (`iris serve`, or `rerun` itself) with gRPC
 * `WriteMessages` over HTTP/2. `send` never blocks: messages go into a bounded queue that a background pump
 * writes out. Each write stream is closed every `ackIntervalMs`; its OK response acknowledges every message it
 * carried. The streams are pipelined: the next one is written as soon as the previous one's request was handed to
 * the connection, without waiting a round trip for its status (at most `MAX_CALLS_AWAITING_STATUS` wait), and
 * acknowledgements are applied in stream order. If a stream fails or the server goes away, the pump waits for
 * the other streams' statuses, reconnects with back-off and resends everything not acknowledged (delivery is
 * at-least-once; the `SetStoreInfo` messages are repeated first on every new connection).
 */
export class GrpcSink implements LogSink {
  /** `send` copies what it keeps (see `send`), so the recording hands over views of the logged arrays. */
  readonly consumesSynchronously = true;
  readonly url: string;
  /** Buffers for the copies of logged frames, reused once acknowledged. */
  private readonly pool = new BlockPool(POOLED_FRAME_BYTES);
  private readonly session: WriteSession;
  private readonly options: GrpcSinkOptions;
  private readonly queue = new SendQueue();
  private readonly storeInfos = new Map<string, WriteRequest>();
  private replayStoreInfos = false;
  private streamCounter = 0;
  /** Ended write streams, oldest first, whose status is awaited. */
  private readonly awaited: AwaitedCall[] = [];
  /** The first write stream that failed since the last reconnect, handled by the pump. */
  private failure: { stream: number; error: unknown } | undefined;
  private backoff = 0;
  private wake: (() => void) | undefined;
  private flushRequested = false;
  private closing = false;
  private aborted = false;
  private readonly abort = new AbortController();
  private readonly pump: Promise<void>;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly queueWaiters: { maxBytes: number; resolve: () => void }[] = [];
  private readonly stats_ = {
    sentMessages: 0,
    ackedMessages: 0,
    ackedBytes: 0,
    droppedMessages: 0,
    rejectedMessages: 0,
    reconnects: 0,
    connected: false,
  };

  constructor(url: string = DEFAULT_PROXY_URL, options: GrpcSinkOptions = {}) {
    this.url = url;
    // LZ4 with the native codec when it is available (the pure TypeScript one otherwise).
    this.options = { ...options, lz4: options.lz4 ?? fastestLz4() };
    // Requests are written as gRPC frames in parts, without gRPC message compression (payloads are LZ4 or raw
    // pixels already; Rerun sends uncompressed gRPC too).
    const sessionOptions: WriteSessionOptions = {
      windowBytes: WINDOW_BYTES,
      idleTimeoutMs: 2_000,
      pingIntervalMs: 10_000,
      pingTimeoutMs: 5_000,
      ca: options.ca,
    };
    this.session =
      options.http2Client === "node"
        ? new NodeWriteSession(grpcBaseUrl(url), sessionOptions)
        : new H2WriteSession(grpcBaseUrl(url), sessionOptions);
    this.pump = this.run();
  }

  get stats(): GrpcSinkStats {
    return { ...this.stats_, queuedMessages: this.queue.length, queuedBytes: this.queue.bytes };
  }

  /**
   * Queues a message. The gRPC frame is encoded in parts around the payload; if any part views the caller's
   * arrays (an uncompressed payload logged as `ipcParts`), the frame is copied once, into a pooled buffer, before
   * `send` returns: the caller may reuse its arrays at once, and the copy is all the sink keeps.
   */
  send(message: RrdMessage): void {
    if (this.closing) throw new LiveError("closed", `the sink to ${this.url} is closed`);
    const frame = writeMessagesRequestFrameParts(message, this.options);
    const { lengthBytes } = frame;
    let request: WriteRequest = frame.parts;
    let owned: Uint8Array | undefined;
    if (message.kind === "arrowMsg" && message.ipcParts !== undefined) {
      const callers = new Set(message.ipcParts.map((p) => p.buffer));
      if (frame.parts.some((p) => callers.has(p.buffer))) {
        owned = this.pool.acquire(lengthBytes);
        let at = 0;
        for (const part of frame.parts) {
          owned.set(part, at);
          at += part.length;
        }
        request = [owned];
      }
    }
    const maxMessageBytes = this.options.maxMessageBytes ?? 512 * 1024 ** 2;
    if (lengthBytes - 5 > maxMessageBytes) {
      this.stats_.sentMessages++;
      this.stats_.rejectedMessages++;
      this.options.onEvent?.({
        type: "rejected",
        messages: 1,
        error: `the message is ${lengthBytes - 5} bytes, over maxMessageBytes ${maxMessageBytes}`,
      });
      return;
    }
    const bytes = REQUEST_OVERHEAD_BYTES + lengthBytes;
    const store = "storeId" in message ? storeKey(message.storeId) : undefined;
    if (message.kind === "setStoreInfo") this.storeInfos.set(store!, request);
    this.queue.push({ request, owned, bytes, stream: 0, store });
    this.stats_.sentMessages++;
    this.dropOverflow();
    if (this.queueWaiters.length > 0) this.notifyIdle();
    this.wake?.();
  }

  /** Ends the current write stream soon, so that everything sent so far gets acknowledged. */
  flush(): void {
    this.flushRequested = true;
    this.wake?.();
  }

  /**
   * Resolves once the messages waiting for an acknowledgement (`stats.queuedBytes`) take at most `maxBytes`, or
   * the sink is torn down: back-pressure for a producer that logs faster than the server takes, which, unlike
   * `flushed()`, keeps the write streams full while it waits.
   */
  queueBelow(maxBytes: number): Promise<void> {
    if (this.queue.bytes <= maxBytes || this.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => this.queueWaiters.push({ maxBytes, resolve }));
  }

  /**
   * Resolves once every message sent so far was acknowledged by the server (or dropped/rejected). Rejects with
   * a `LiveError` "timeout" after `timeoutMs` (default: wait for as long as it takes, reconnecting).
   */
  async flushed(timeoutMs?: number): Promise<void> {
    this.flush();
    if (this.queue.length === 0) return;
    const done = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (timeoutMs === undefined) return done;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new LiveError(
              "timeout",
              `${this.queue.length} message(s) not acknowledged by ${this.url} after ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops accepting messages; the pump keeps delivering what is queued (see `closed`). */
  close(): void {
    this.closing = true;
    this.wake?.();
  }

  /**
   * Closes and waits until the queue is delivered, or gives up after `timeoutMs` (default 10 s): then the
   * connection is torn down and what is left is counted as dropped.
   */
  async closed(timeoutMs = 10_000): Promise<void> {
    this.close();
    try {
      await this.flushed(timeoutMs);
    } catch {
      // fall through: abandon the rest
    }
    this.aborted = true;
    this.notifyIdle(); // `queueBelow` waiters
    this.abort.abort();
    this.wake?.();
    await this.pump;
    this.session.close();
    this.countDropped(this.queue.clear());
  }

  private dropOverflow(): void {
    this.countDropped(this.queue.dropOverflow(this.options.maxQueueBytes ?? 512 * 1024 ** 2));
  }

  /** Counts `n` messages as dropped and reports it. */
  private countDropped(n: number): void {
    if (n === 0) return;
    this.stats_.droppedMessages += n;
    this.options.onEvent?.({ type: "dropped", messages: n, totalDropped: this.stats_.droppedMessages });
  }

  private async run(): Promise<void> {
    for (;;) {
      while (this.queue.allWritten && !this.aborted && this.failure === undefined) {
        this.notifyIdle();
        if (this.closing && this.queue.length === 0 && this.awaited.length === 0) return;
        await this.sleep(undefined);
      }
      if (this.aborted) return;
      if (this.failure === undefined) {
        if (this.awaited.length >= MAX_CALLS_AWAITING_STATUS) {
          await this.awaited[0]!.settled;
          continue;
        }
        const stream = ++this.streamCounter;
        try {
          const call = this.session.open(this.abort.signal);
          await this.writeStream(call, stream);
          await call.end();
          this.await(call, stream);
          continue;
        } catch (error) {
          if (this.aborted) return;
          this.failure ??= { stream, error };
        }
      }
      await this.recover();
      if (this.aborted) return;
    }
  }

  /** Applies the status of an ended write stream when it arrives (acknowledgements in stream order). */
  private await(call: WriteCall, stream: number): void {
    const awaited: AwaitedCall = {
      stream,
      ok: false,
      settled: call.done.then(
        () => {
          awaited.ok = true;
          this.acknowledgeAwaited();
        },
        (error: unknown) => {
          if (this.aborted) return;
          this.failure ??= { stream, error };
          this.wake?.();
        },
      ),
    };
    this.awaited.push(awaited);
  }

  /** Acknowledges the oldest awaited streams that were answered OK, up to the first that was not (yet). */
  private acknowledgeAwaited(): void {
    while (this.awaited[0]?.ok === true) this.acknowledge(this.awaited.shift()!.stream);
    this.backoff = 0;
    if (!this.stats_.connected) {
      this.stats_.connected = true;
      this.options.onEvent?.({ type: "connected" });
    }
    this.notifyIdle();
    this.wake?.(); // a closing pump waits for the last statuses
  }

  /**
   * After a failed write stream: waits for the statuses of the streams before it, drops the messages of a stream
   * the server refused as invalid (retrying would fail the same way), and otherwise backs off before everything
   * unacknowledged is resent on a new stream.
   */
  private async recover(): Promise<void> {
    await Promise.all(this.awaited.map((a) => a.settled));
    if (this.aborted) return;
    const { stream, error } = this.failure!;
    this.failure = undefined;
    const code = error instanceof ConnectError ? error.code : Code.Unknown;
    const text = error instanceof Error ? error.message : String(error);
    if (code === Code.InvalidArgument || code === Code.ResourceExhausted || code === Code.Unimplemented) {
      const n = this.queue.remove(stream);
      this.stats_.rejectedMessages += n;
      this.options.onEvent?.({ type: "rejected", messages: n, error: text });
      // Streams pipelined behind the refused one that were answered OK acknowledge their messages.
      for (const a of this.awaited.splice(0)) if (a.ok) this.acknowledge(a.stream);
      this.restartFromHead();
      this.notifyIdle();
      return;
    }
    this.awaited.length = 0;
    this.restartFromHead();
    this.stats_.reconnects++;
    this.stats_.connected = false;
    const min = this.options.minBackoffMs ?? 100;
    this.backoff = Math.min(this.options.maxBackoffMs ?? 5_000, this.backoff === 0 ? min : this.backoff * 2);
    const delay = Math.round(this.backoff * (0.75 + Math.random() * 0.5));
    this.options.onEvent?.({ type: "disconnected", error: text, retryInMs: delay });
    await this.sleep(delay, false);
  }

  /**
   * Writes the requests of one write stream: SetStoreInfo replays after a reconnect, then queued messages, until
   * `ackIntervalMs` or `ackBytes` is reached, or a flush or close asks for an acknowledgement.
   */
  private async writeStream(call: WriteCall, stream: number): Promise<void> {
    if (this.replayStoreInfos) {
      // Cleared now, not on the acknowledgement: a later stream pipelined behind this one need not repeat them
      // (a failure sets it again).
      this.replayStoreInfos = false;
      // A store whose first unacknowledged message is its SetStoreInfo gets it from the queue, in order.
      const firstOfStore = this.queue.firstOfEachStore();
      for (const [store, r] of this.storeInfos) if (firstOfStore.get(store) !== r) await call.write(r);
    }
    const ackIntervalMs = this.options.ackIntervalMs ?? 100;
    const ackBytes = this.options.ackBytes ?? 64 * 1024 ** 2;
    const deadline = Date.now() + ackIntervalMs;
    let bytes = 0;
    // A call that ends while the pump waits for messages (a reset, GOAWAY, a lost connection) ends the wait: its
    // failure is handled at once, not when the interval is over.
    let over = false;
    const ended = (): void => {
      over = true;
      this.wake?.();
    };
    void call.done.then(ended, ended);
    for (;;) {
      if (this.aborted || over) return;
      const entry = this.queue.nextFor(stream);
      if (entry !== undefined) {
        bytes += entry.bytes;
        await call.write(entry.request);
        if (bytes >= ackBytes) return;
        continue;
      }
      const now = Date.now();
      if (this.flushRequested || this.closing || now >= deadline) {
        this.flushRequested = false;
        return;
      }
      await this.sleep(deadline - now);
    }
  }

  /** Everything the stream carried is on the server: forget it. */
  private acknowledge(stream: number): void {
    const done = this.queue.acknowledge(stream);
    for (const e of done) {
      if (e.owned !== undefined) this.pool.release(e.owned);
      this.stats_.ackedBytes += e.bytes;
    }
    this.stats_.ackedMessages += done.length;
  }

  /** After a failed stream, everything unacknowledged is sent again, after the SetStoreInfo messages. */
  private restartFromHead(): void {
    this.queue.rewind();
    this.replayStoreInfos = true;
    // A `flushed()` still waiting asked for the acknowledgement of what is resent: end that stream as soon as it is.
    if (this.idleWaiters.length > 0) this.flushRequested = true;
  }

  private notifyIdle(): void {
    for (let i = this.queueWaiters.length - 1; i >= 0; i--) {
      const waiter = this.queueWaiters[i]!;
      if (this.queue.bytes <= waiter.maxBytes || this.aborted) {
        this.queueWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
    if (this.queue.length > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Waits for `send`/`flush`/`close`, or `ms`. The timer is unref'd: pending work keeps the process alive. */
  private sleep(ms: number | undefined, wakeable = true): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === wake) this.wake = undefined;
        this.abort.signal.removeEventListener("abort", done);
        resolve();
      };
      // A back-off sleep only ends early when the sink is torn down, not on every send.
      const wake = wakeable ? done : undefined;
      this.abort.signal.addEventListener("abort", done, { once: true });
      if (ms !== undefined) {
        timer = setTimeout(done, ms);
        // While messages wait, keep the process alive; when idle, let it exit.
        if (this.queue.length === 0) timer.unref();
      }
      this.wake = wake;
    });
  }
}
