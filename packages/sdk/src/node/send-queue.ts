/** One `WriteMessagesRequest` as a complete gRPC frame, in parts (the payload parts are the logged bytes). */
export type WriteRequest = readonly Uint8Array[];

export interface QueuedMessage {
  request: WriteRequest;
  /** The sink's own copy of the frame (from its pool), given back when the message is acknowledged. */
  owned: Uint8Array | undefined;
  bytes: number;
  /** The write stream that carried it (0 = not sent yet on the current connection attempt). */
  stream: number;
  /** The store the message belongs to, if any. */
  store: string | undefined;
}

/**
 * `GrpcSink`'s messages that await an acknowledgement, oldest first: those written on a write stream (marked with
 * it), then those not written yet (from `cursor`). Bounded by bytes: the oldest are dropped beyond the bound.
 */
export class SendQueue {
  private readonly entries: QueuedMessage[] = [];
  /** Index of the next message to write. */
  private cursor = 0;
  private bytes_ = 0;

  get length(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.bytes_;
  }

  /** Whether every queued message was written (none waits for a write stream). */
  get allWritten(): boolean {
    return this.cursor >= this.entries.length;
  }

  push(message: QueuedMessage): void {
    this.entries.push(message);
    this.bytes_ += message.bytes;
  }

  /** Drops the oldest messages (keeping the newest) while the queue holds more than `maxBytes`; returns how many. */
  dropOverflow(maxBytes: number): number {
    let dropped = 0;
    while (this.bytes_ > maxBytes && this.entries.length > 1) {
      const victim = this.entries.shift()!;
      this.bytes_ -= victim.bytes;
      if (this.cursor > 0) this.cursor--;
      dropped++;
    }
    return dropped;
  }

  /** The next message to write, marked as carried by `stream` (undefined when all were written). */
  nextFor(stream: number): QueuedMessage | undefined {
    const entry = this.entries[this.cursor];
    if (entry === undefined) return undefined;
    entry.stream = stream;
    this.cursor++;
    return entry;
  }

  /** Each store's first queued message. */
  firstOfEachStore(): Map<string, WriteRequest> {
    const first = new Map<string, WriteRequest>();
    for (const e of this.entries)
      if (e.store !== undefined && !first.has(e.store)) first.set(e.store, e.request);
    return first;
  }

  /** Removes the messages `stream` carried, from the head (it was acknowledged), and returns them. */
  acknowledge(stream: number): QueuedMessage[] {
    const done: QueuedMessage[] = [];
    while (this.entries.length > 0 && this.entries[0]!.stream === stream) {
      const e = this.entries.shift()!;
      this.bytes_ -= e.bytes;
      done.push(e);
    }
    this.cursor -= done.length;
    return done;
  }

  /** Removes the messages `stream` carried wherever they are (the server refused them); returns how many. */
  remove(stream: number): number {
    const before = this.entries.length;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]!.stream === stream) {
        this.bytes_ -= this.entries[i]!.bytes;
        this.entries.splice(i, 1);
        if (i < this.cursor) this.cursor--;
      }
    }
    return before - this.entries.length;
  }

  /** Removes every message; returns how many there were. */
  clear(): number {
    const n = this.entries.length;
    this.entries.length = 0;
    this.cursor = 0;
    this.bytes_ = 0;
    return n;
  }

  /** Everything unacknowledged is to be written again (after a failed stream). */
  rewind(): void {
    for (const e of this.entries) e.stream = 0;
    this.cursor = 0;
  }
}
