import { describe, expect, it } from "vitest";
import { H2cStream, type H2cStreamHost } from "./h2c-stream.ts";

/** A stream whose host records the frames written through `sendSome` (header bytes and payload views). */
function stream(sendWindow: number): { stream: H2cStream; written: Uint8Array[]; closed: boolean[] } {
  const closed: boolean[] = [];
  const host: H2cStreamHost = {
    writeFrame: () => undefined,
    pump: () => undefined,
    closed: () => closed.push(true),
  };
  return { stream: new H2cStream(1, host, sendWindow, 65_535), written: [], closed };
}

describe("H2cStream.sendSome", () => {
  it("sends nothing while the stream's window is zero or negative, then DATA within it, in frames of maxFrame", () => {
    const { stream: s, written } = stream(-5);
    const done: number[] = [];
    s.write(new Uint8Array(10).fill(7), () => done.push(1));
    const write = (bytes: Uint8Array): number => written.push(bytes);
    expect(s.sendSome(write, 1000, 4)).toBe(0);
    expect(written).toEqual([]);
    s.sendWindow += 12; // now 7
    expect(s.sendSome((b, d) => (write(b), d?.()), 1000, 4)).toBe(7);
    // Two DATA frames: 9-byte header + 4 bytes, 9-byte header + 3 bytes; the message is not done yet.
    expect(written.map((b) => b.length)).toEqual([9, 4, 9, 3]);
    expect(done).toEqual([]);
    s.sendWindow += 100;
    expect(s.sendSome((b, d) => (write(b), d?.()), 1000, 4)).toBe(3);
    expect(done).toEqual([1]);
  });

  it("stops at the connection window, and sends the trailers only after the last DATA", () => {
    const { stream: s, written } = stream(65_535);
    s.write(new Uint8Array(10));
    s.end([["grpc-status", "0"]]);
    const write = (bytes: Uint8Array): number => written.push(bytes);
    expect(s.sendSome(write, 6, 1024)).toBe(6);
    expect(written.length).toBe(2); // no trailers yet
    expect(s.sendSome(write, 4, 1024)).toBe(4);
    const trailers = written.at(-1)!;
    expect([trailers[3], trailers[4]]).toEqual([0x1, 0x5]); // HEADERS, END_STREAM | END_HEADERS
  });
});
