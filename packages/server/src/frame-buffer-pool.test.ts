// The proxy reuses a received message's memory only once nothing can read it any more: the history evicted it,
// every gRPC reader's queue let go of it and every write of it finished; a message handed out by `next()` (kept
// by connect-node's readers for as long as they like) is never reused.
import { create } from "@bufbuild/protobuf";
import { commonPb, logMsgPb } from "@iris/rrd";
import { describe, expect, it } from "vitest";
import { FrameBufferPool, type FrameLease } from "./frame-buffer-pool.ts";
import { MessageHub } from "./message-hub.ts";

const BYTES = 300_000;

/** A recording ArrowMsg whose payload is a pooled buffer of BYTES bytes, tagged with `tag`. */
function pooledMessage(pool: FrameBufferPool, tag: number): { msg: logMsgPb.LogMsg; lease: FrameLease } {
  const frame = pool.acquire(BYTES, 3);
  frame.fill(tag);
  const msg = create(logMsgPb.LogMsgSchema, {
    msg: {
      case: "arrowMsg",
      value: {
        storeId: { kind: commonPb.StoreKind.RECORDING, recordingId: "r", applicationId: { id: "a" } },
        compression: commonPb.Compression.NONE,
        uncompressedSize: BigInt(BYTES),
        encoding: logMsgPb.Encoding.ARROW_IPC,
        payload: frame,
      },
    },
  });
  return { msg, lease: pool.lease(frame) };
}

/** History for one message (BYTES + 256 counted each): publishing a second evicts the first. */
const hubOptions = { backlogBytes: 400_000, viewerQueueBytes: 10_000_000 };

describe("FrameBufferPool with MessageHub", () => {
  it("reuses a block only after the history evicted it and the gRPC reader released it", async () => {
    const pool = new FrameBufferPool(1 << 20);
    const hub = new MessageHub(hubOptions);
    const reader = hub.subscribe();
    const first = pooledMessage(pool, 1);
    hub.publish(first.msg, undefined, first.lease);
    const entry = (await reader.nextEntry())!;
    expect(entry.lease).toBe(first.lease);
    const second = pooledMessage(pool, 2); // evicts the first from the history
    hub.publish(second.msg, undefined, second.lease);
    expect(hub.backlog.length).toBe(1);
    expect(first.lease.reused).toBe(false); // the reader is still writing it
    entry.lease!.release();
    expect(first.lease.reused).toBe(true);
    expect(pool.pooledBytes).toBeGreaterThanOrEqual(BYTES);
    // The next message gets that block.
    const firstBlock = (first.msg.msg.value as logMsgPb.ArrowMsg).payload.buffer;
    expect(pool.acquire(BYTES, 3).buffer).toBe(firstBlock);
  });

  it("keeps a block while a late reader replays it from the history, and while it waits in a reader's queue", async () => {
    const pool = new FrameBufferPool(1 << 20);
    const hub = new MessageHub(hubOptions);
    const first = pooledMessage(pool, 1);
    hub.publish(first.msg, undefined, first.lease);
    const late = hub.subscribe(); // replays the first from the history
    const queued = hub.subscribe();
    const replayed = (await late.nextEntry())!;
    const second = pooledMessage(pool, 2);
    hub.publish(second.msg, undefined, second.lease); // evicts the first; queued for both readers
    expect(first.lease.reused).toBe(false);
    replayed.lease!.release();
    expect(first.lease.reused).toBe(true); // `queued` subscribed after it: never held it
    const third = pooledMessage(pool, 3);
    hub.publish(third.msg, undefined, third.lease); // evicts the second from the history
    expect(second.lease.reused).toBe(false); // still in both readers' queues
    late.close();
    expect(second.lease.reused).toBe(false);
    const fromQueue = (await queued.nextEntry())!;
    expect(fromQueue.lease).toBe(second.lease);
    fromQueue.lease!.release();
    expect(second.lease.reused).toBe(true);
    // A closed reader's queue gives back what it held: the third is then held by the history alone.
    queued.close();
    const fourth = pooledMessage(pool, 4);
    hub.publish(fourth.msg, undefined, fourth.lease);
    expect(third.lease.reused).toBe(true);
  });

  it("gives back what a slow reader's queue dropped", async () => {
    const pool = new FrameBufferPool(1 << 20);
    const hub = new MessageHub({ backlogBytes: 400_000, viewerQueueBytes: 650_000 }); // a queue of two
    const slow = hub.subscribe();
    const messages = [1, 2, 3, 4].map((tag) => pooledMessage(pool, tag));
    for (const m of messages) hub.publish(m.msg, undefined, m.lease);
    expect(slow.dropped).toBe(2);
    expect(messages.map((m) => m.lease.reused)).toEqual([true, true, false, false]);
    slow.close();
  });

  it("never reuses a message handed out by next() (readers that keep messages)", async () => {
    const pool = new FrameBufferPool(1 << 20);
    const hub = new MessageHub(hubOptions);
    const reader = hub.subscribe();
    const first = pooledMessage(pool, 1);
    hub.publish(first.msg, undefined, first.lease);
    const kept = await reader.next();
    const second = pooledMessage(pool, 2);
    hub.publish(second.msg, undefined, second.lease); // evicts the first
    expect(first.lease.reused).toBe(false);
    expect(pool.pooledBytes).toBe(0);
    expect((kept!.msg.value as logMsgPb.ArrowMsg).payload[0]).toBe(1);
    reader.close();
  });

  it("gives small messages fresh memory, and a block only to a message of at least 3/4 its size", () => {
    const pool = new FrameBufferPool(1 << 22);
    for (const bytes of [1000, BYTES]) {
      const lease = pool.lease(pool.acquire(bytes, 0));
      lease.retain();
      lease.release();
    }
    const block = roundedUp(BYTES);
    expect(pool.pooledBytes).toBe(block); // the 1000-byte block was not kept
    expect(pool.acquire(1000, 0).buffer.byteLength).toBe(1000);
    expect(pool.acquire(BYTES / 2, 0).buffer.byteLength).toBe(BYTES / 2); // under 256 KiB: fresh, exact
    expect(pool.pooledBytes).toBe(block);
    expect(pool.acquire(block - 8, 8).buffer.byteLength).toBe(block);
    expect(pool.pooledBytes).toBe(0);
  });

  it("keeps at most maxPooledBytes, letting the block given back longest ago go", () => {
    const pool = new FrameBufferPool(roundedUp(BYTES) + 10);
    const a = pool.acquire(BYTES, 0);
    const b = pool.acquire(BYTES, 0);
    for (const view of [a, b]) {
      const lease = pool.lease(view);
      lease.retain();
      lease.release();
    }
    expect(pool.pooledBytes).toBe(roundedUp(BYTES));
    expect(pool.acquire(BYTES, 0).buffer).toBe(b.buffer);
  });
});

/** The size of a new pooled block for `bytes` (BlockPool rounds up to 64 KiB). */
function roundedUp(bytes: number): number {
  return Math.ceil(bytes / 65536) * 65536;
}
