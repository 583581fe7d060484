import type { logMsgPb } from "@iris/rrd";
import type { FrameLease } from "./frame-buffer-pool.ts";

type LogMsg = logMsgPb.LogMsg;

/**
 * Which history queue a message lives in (as in Rerun's `re_grpc_server`): `persistent` (SetStoreInfo,
 * BlueprintActivationCommand, every blueprint ArrowMsg), `static` (ArrowMsg with `is_static`) and `disposable`
 * (other recording data, dropped first when the memory limit is reached).
 */
export type BacklogQueue = "persistent" | "static" | "disposable";

/** One message as the proxy keeps it: shared between the backlog and every viewer's send queue. */
export interface BacklogEntry {
  /** Arrival order (1, 2, …). */
  readonly seq: number;
  readonly queue: BacklogQueue;
  /** Approximate memory held (payload plus a fixed overhead). */
  readonly bytes: number;
  /** Undefined once evicted: the payload is released and readers still replaying history skip it. */
  msg: LogMsg | undefined;
  /**
   * The message as a serialized gRPC `ReadMessagesResponse` frame, made by the first gRPC reader and shared by all
   * (see `grpc-frame.ts`); released with `msg`.
   */
  frame?: Uint8Array | undefined;
  /**
   * The hold on the pooled memory of `msg` and `frame`, when they view a received message (`FrameBufferPool`):
   * whoever keeps the entry retains it, and releases it once done with the bytes.
   */
  lease?: FrameLease | undefined;
}

export interface DropReport {
  messages: number;
  bytes: number;
  queue: BacklogQueue;
}

/** Fixed per-message overhead counted on top of the payload (object headers, ids, descriptors). */
const MESSAGE_OVERHEAD_BYTES = 256;

export function queueOf(msg: LogMsg): BacklogQueue {
  switch (msg.msg.case) {
    case "arrowMsg": {
      const arrow = msg.msg.value;
      // StoreKind.BLUEPRINT = 2
      if (arrow.storeId?.kind === 2) return "persistent";
      return arrow.isStatic ? "static" : "disposable";
    }
    default:
      return "persistent";
  }
}

export function approximateBytes(msg: LogMsg): number {
  return MESSAGE_OVERHEAD_BYTES + (msg.msg.case === "arrowMsg" ? msg.msg.value.payload.byteLength : 0);
}

/** A FIFO with O(1) push and shift. */
export class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes the oldest item matching `predicate` (O(n)). */
  removeFirst(predicate: (item: T) => boolean): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i]!;
      if (predicate(item)) {
        this.items.splice(i, 1);
        return item;
      }
    }
    return undefined;
  }

  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }
}

export interface MessageBacklogOptions {
  /** Memory limit for the history; oldest disposable data is dropped first, then static, then persistent. */
  maxBytes: number;
  /** Called for every eviction. */
  onDrop?: (report: DropReport) => void;
}

/**
 * The proxy's bounded history, so that a viewer connecting late sees what was already logged. Messages are
 * replayed in arrival order.
 */
export class MessageBacklog {
  private readonly queues: Record<BacklogQueue, Deque<BacklogEntry>> = {
    persistent: new Deque(),
    static: new Deque(),
    disposable: new Deque(),
  };
  private nextSeq = 1;
  totalBytes = 0;
  droppedMessages = 0;
  droppedBytes = 0;

  constructor(private readonly options: MessageBacklogOptions) {}

  get length(): number {
    return this.queues.persistent.length + this.queues.static.length + this.queues.disposable.length;
  }

  /** Adds `msg` to the history, which holds `lease` (retained here) until the message is evicted. */
  add(msg: LogMsg, lease?: FrameLease): BacklogEntry {
    const entry: BacklogEntry = {
      seq: this.nextSeq++,
      queue: queueOf(msg),
      bytes: approximateBytes(msg),
      msg,
      lease,
    };
    lease?.retain();
    this.queues[entry.queue].push(entry);
    this.totalBytes += entry.bytes;
    this.evict();
    return entry;
  }

  /** The history, oldest first (entries evicted later read as `msg === undefined`). */
  snapshot(): BacklogEntry[] {
    const lists = [
      this.queues.persistent.toArray(),
      this.queues.static.toArray(),
      this.queues.disposable.toArray(),
    ];
    const out: BacklogEntry[] = [];
    const index = [0, 0, 0];
    for (;;) {
      let best = -1;
      for (let q = 0; q < 3; q++) {
        const candidate = lists[q]![index[q]!];
        if (candidate && (best < 0 || candidate.seq < lists[best]![index[best]!]!.seq)) best = q;
      }
      if (best < 0) return out;
      out.push(lists[best]![index[best]!++]!);
    }
  }

  private evict(): void {
    while (this.totalBytes > this.options.maxBytes) {
      const queue: BacklogQueue | undefined =
        this.queues.disposable.length > 0
          ? "disposable"
          : this.queues.static.length > 0
            ? "static"
            : this.queues.persistent.length > 1
              ? "persistent"
              : undefined;
      if (queue === undefined) return; // a single message larger than the limit stays until the next one
      const entry = this.queues[queue].shift()!;
      entry.msg = undefined;
      entry.frame = undefined;
      // The lease stays on the entry: a reader replaying it from the history still holds it and releases it.
      entry.lease?.release();
      this.totalBytes -= entry.bytes;
      this.droppedMessages++;
      this.droppedBytes += entry.bytes;
      this.options.onDrop?.({ messages: 1, bytes: entry.bytes, queue });
    }
  }
}
