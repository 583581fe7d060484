import type { logMsgPb } from "@iris/rrd";
import type { FrameLease } from "./frame-buffer-pool.ts";
import { type BacklogEntry, Deque, type DropReport, MessageBacklog } from "./message-backlog.ts";

type LogMsg = logMsgPb.LogMsg;

export interface MessageHubOptions {
  /** History memory limit (bytes). */
  backlogBytes: number;
  /** Per-viewer live send queue limit (bytes); a slow viewer loses its oldest non-persistent messages. */
  viewerQueueBytes: number;
  /** Something was dropped (history eviction or a slow viewer). */
  onDrop?: (report: DropReport & { where: "backlog" | "viewer" }) => void;
}

/**
 * Fans messages from producers out to viewers: every message goes into the bounded history and into each
 * connected viewer's bounded send queue. A new viewer first replays the history, then follows live.
 */
export class MessageHub {
  readonly backlog: MessageBacklog;
  private readonly subscribers = new Set<Subscription>();
  receivedMessages = 0;
  receivedBytes = 0;

  constructor(private readonly options: MessageHubOptions) {
    this.backlog = new MessageBacklog({
      maxBytes: options.backlogBytes,
      onDrop: (r) => options.onDrop?.({ ...r, where: "backlog" }),
    });
  }

  get viewerCount(): number {
    return this.subscribers.size;
  }

  /** Each connected viewer's live queue: bytes waiting to be sent and messages dropped because it was slow. */
  viewerQueues(): { queuedBytes: number; dropped: number }[] {
    return [...this.subscribers].map((s) => ({ queuedBytes: s.queuedBytes, dropped: s.dropped }));
  }

  /**
   * `frame`: the message as a gRPC `ReadMessagesResponse` frame if already known (see `BacklogEntry.frame`);
   * `lease`: the hold on their pooled memory, which the history and each viewer's queue retain.
   */
  publish(msg: LogMsg, frame?: Uint8Array, lease?: FrameLease): void {
    // Held while publishing: the history may evict the message at once, before the viewers' queues retain it.
    lease?.retain();
    const entry = this.backlog.add(msg, lease);
    this.receivedMessages++;
    this.receivedBytes += entry.bytes;
    if (frame !== undefined && entry.msg !== undefined) entry.frame = frame;
    // Live viewers get their own record (shared by all of them, with its own frame cache): evicting the message
    // from the history, or a message larger than the whole history limit, must not take it from viewers' live
    // queues, which have their own bound.
    const live: BacklogEntry = { seq: entry.seq, queue: entry.queue, bytes: entry.bytes, msg, frame, lease };
    for (const s of this.subscribers) s.enqueue(live);
    lease?.release();
  }

  subscribe(): Subscription {
    const subscription = new Subscription(
      this.backlog.snapshot(),
      this.options.viewerQueueBytes,
      (report) => this.options.onDrop?.({ ...report, where: "viewer" }),
      () => this.subscribers.delete(subscription),
    );
    this.subscribers.add(subscription);
    return subscription;
  }

  /** Ends every viewer stream (server shutdown). */
  closeAll(): void {
    for (const s of [...this.subscribers]) s.close();
  }
}

/** One viewer's view of the hub: history first, then a bounded live queue. */
export class Subscription {
  private historyIndex = 0;
  private readonly live = new Deque<BacklogEntry>();
  private liveBytes = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  dropped = 0;

  constructor(
    private history: BacklogEntry[],
    private readonly maxBytes: number,
    private readonly onDrop: (report: DropReport) => void,
    private readonly onClose: () => void,
  ) {}

  /** Bytes in the live queue (never above the limit, except for a single message larger than it). */
  get queuedBytes(): number {
    return this.liveBytes;
  }

  enqueue(entry: BacklogEntry): void {
    if (this.closed) return;
    entry.lease?.retain();
    this.live.push(entry);
    this.liveBytes += entry.bytes;
    while (this.liveBytes > this.maxBytes && this.live.length > 1) {
      const victim =
        this.live.removeFirst((e) => e.queue === "disposable") ??
        this.live.removeFirst((e) => e.queue === "static");
      if (!victim) break;
      victim.lease?.release();
      this.liveBytes -= victim.bytes;
      this.dropped++;
      this.onDrop({ messages: 1, bytes: victim.bytes, queue: victim.queue });
    }
    this.wake?.();
  }

  /**
   * The next message, or undefined when the subscription is closed or `signal` aborts. Its memory is never reused
   * (the lease is pinned): the caller may keep the message as long as it likes.
   */
  async next(signal?: AbortSignal): Promise<LogMsg | undefined> {
    const entry = await this.nextEntry(signal);
    entry?.lease?.pin();
    entry?.lease?.release();
    return entry?.msg;
  }

  /**
   * The next entry (its `msg` is set), or undefined when the subscription is closed or `signal` aborts. The entry
   * is shared with the history and other viewers: readers may cache its serialized form in `frame`. The caller
   * holds `entry.lease` (retained for it) and must release it once done with the entry's bytes.
   */
  async nextEntry(signal?: AbortSignal): Promise<(BacklogEntry & { msg: LogMsg }) | undefined> {
    for (;;) {
      if (this.closed || signal?.aborted) return undefined;
      while (this.historyIndex < this.history.length) {
        const entry = this.history[this.historyIndex++]!;
        if (hasMsg(entry)) {
          entry.lease?.retain();
          return entry;
        }
      }
      if (this.history.length > 0) this.history = [];
      const entry = this.live.shift();
      if (entry) {
        this.liveBytes -= entry.bytes;
        if (hasMsg(entry)) return entry;
        entry.lease?.release();
        continue;
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.wake = undefined;
          signal?.removeEventListener("abort", done);
          resolve();
        };
        this.wake = done;
        signal?.addEventListener("abort", done, { once: true });
      });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.history = [];
    for (let e = this.live.shift(); e !== undefined; e = this.live.shift()) e.lease?.release();
    this.liveBytes = 0;
    this.onClose();
    this.wake?.();
  }
}

function hasMsg(entry: BacklogEntry): entry is BacklogEntry & { msg: LogMsg } {
  return entry.msg !== undefined;
}
