// Large messages are read from the socket straight into the memory they end up in, on both ends of the live path:
// `iris serve`'s own HTTP/2 server (a producer's WriteMessages) and Iris's own client (`readMessages`). Counted at
// the gRPC message decoder: bytes copied in through `push` against bytes the socket wrote in place (`filled`).
import { afterEach, expect, it, vi } from "vitest";
import { GrpcFrameDecoder } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { GrpcSink, readMessages } from "@iris/sdk/node";
import { imagesOf, liveTestContext } from "./live-helpers.ts";

const { startServer } = liveTestContext();
afterEach(() => vi.restoreAllMocks());

/** Bytes each decoder took through `push` (copied) and `filled` (read in place), by decoder. */
function countDecoderBytes(): Map<GrpcFrameDecoder, { pushed: number; filled: number }> {
  const counts = new Map<GrpcFrameDecoder, { pushed: number; filled: number }>();
  const of = (d: GrpcFrameDecoder) => counts.get(d) ?? counts.set(d, { pushed: 0, filled: 0 }).get(d)!;
  const push = GrpcFrameDecoder.prototype.push;
  const filled = GrpcFrameDecoder.prototype.filled;
  vi.spyOn(GrpcFrameDecoder.prototype, "push").mockImplementation(function (
    this: GrpcFrameDecoder,
    chunk,
    out,
  ) {
    of(this).pushed += chunk.length;
    return push.call(this, chunk, out);
  });
  vi.spyOn(GrpcFrameDecoder.prototype, "filled").mockImplementation(function (
    this: GrpcFrameDecoder,
    n,
    out,
  ) {
    of(this).filled += n;
    return filled.call(this, n, out);
  });
  return counts;
}

const FRAME_BYTES = 1920 * 1080 * 3;

async function logFrames(proxyUrl: string, frames: number): Promise<Uint8Array[]> {
  const sink = new GrpcSink(proxyUrl);
  const rec = new RecordingStream({ applicationId: "in_place", recordingId: "r" });
  rec.setSink(sink);
  const sent: Uint8Array[] = [];
  for (let t = 0; t < frames; t++) {
    // Noise (a fixed xorshift sequence): LZ4 leaves it as it is, so the message is the size of the frame.
    let x = 0x9e3779b9 ^ t;
    const pixels = new Uint8Array(FRAME_BYTES).map(() => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x & 0xff;
    });
    sent.push(pixels);
    rec.setTimeSequence("time", t);
    rec.log("camera", new Image(pixels, { width: 1920, height: 1080, colorModel: "RGB" }));
    rec.flush();
  }
  await sink.flushed(30_000);
  await sink.closed();
  return sent;
}

it("iris serve reads a producer's 6 MB frames in place, not through its read buffer", async () => {
  const counts = countDecoderBytes();
  const server = await startServer();
  await logFrames(server.proxyUrl, 3);
  const [server3] = [...counts.values()].filter((c) => c.pushed + c.filled > 3 * FRAME_BYTES);
  expect(server3).toBeDefined();
  // Only the frame's first bytes, DATA frames' edges and small messages go through `push`.
  expect(server3!.filled / (server3!.pushed + server3!.filled)).toBeGreaterThan(0.9);
});

it("readMessages reads 6 MB messages in place, and they arrive intact", async () => {
  const server = await startServer();
  const counts = countDecoderBytes();
  const sent = await logFrames(server.proxyUrl, 3);
  const received: Uint8Array[] = [];
  for await (const message of readMessages(server.proxyUrl)) {
    for (const image of imagesOf([message])) received.push(image.pixels);
    if (received.length === 3) break;
  }
  expect(received.map((p, i) => Buffer.compare(p, sent[i]!))).toEqual([0, 0, 0]);
  // The reader's decoder is the last one to have been given bytes (the server's took the producer's first).
  const reader = [...counts.values()].at(-1);
  expect(reader).toBeDefined();
  expect(reader!.filled / (reader!.pushed + reader!.filled)).toBeGreaterThan(0.9);
});
