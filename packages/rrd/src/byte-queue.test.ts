import { describe, expect, it } from "vitest";
import { ByteQueue } from "./byte-queue.ts";

describe("ByteQueue", () => {
  it("returns views within one chunk and copies across chunks", () => {
    const queue = new ByteQueue();
    const a = Uint8Array.of(1, 2, 3);
    queue.push(a);
    queue.push(Uint8Array.of(4, 5));
    const view = queue.take(2);
    expect(view).toEqual(Uint8Array.of(1, 2));
    expect(view.buffer).toBe(a.buffer);
    expect(queue.take(2)).toEqual(Uint8Array.of(3, 4));
    expect(queue.offset).toBe(4);
    expect(queue.length).toBe(1);
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.offset).toBe(5);
  });

  it("handles many one-byte chunks", () => {
    const queue = new ByteQueue();
    for (let i = 0; i < 5000; i++) queue.push(Uint8Array.of(i & 0xff));
    expect(queue.take(3000)[2999]).toBe(2999 & 0xff);
    expect(queue.peek(2000)[0]).toBe(3000 & 0xff);
  });

  it("releases fully consumed chunks at once, long before compaction", () => {
    const queue = new ByteQueue();
    for (let i = 0; i < 10; i++) queue.push(new Uint8Array(1000));
    queue.skip(2500);
    expect(queue.retainedBytes).toBe(8000); // chunks 0 and 1 released, chunk 2 partly read
    queue.clear();
    expect(queue.retainedBytes).toBe(0);
  });
});
