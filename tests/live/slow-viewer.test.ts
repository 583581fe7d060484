/**
 * Viewers that stop reading: the proxy keeps each viewer's send queue under its limit (dropping that viewer's
 * oldest frames), the producer and the other viewers are not slowed down or starved, and a stalled viewer that
 * starts reading again gets the newest frames.
 *
 * Stalled viewers are raw clients that never consume: an h2c gRPC call with a 64 KiB flow-control window that
 * is never reopened, and a gRPC-web call over HTTP/1.1 whose socket is paused (TCP back-pressure).
 */
import * as http from "node:http";
import * as http2 from "node:http2";
import { fromBinary } from "@bufbuild/protobuf";
import { expect, it } from "vitest";
import { rrdMessageFromProto, type RrdMessage, sdkCommsPb } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import { imagesOf, liveTestContext, startReader } from "./live-helpers.ts";

const { cleanup, startServer } = liveTestContext();

const READ_PATH = "/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages";
const QUEUE_BYTES = 4 * 1024 ** 2;
const SIZE = 512; // 512×512 L8 frames of noise: 256 KiB each, LZ4 cannot shrink them
const FRAMES = 160;

/** Deterministic noise (xorshift32) with the frame number in the first byte. */
function noiseFrame(t: number): Uint8Array {
  const out = new Uint8Array(SIZE * SIZE);
  let x = (t + 1) * 2654435761;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out[0] = t;
  return out;
}

/** Splits gRPC length-prefixed frames out of raw bytes; returns the decoded messages and the leftover bytes. */
function parseGrpcFrames(bytes: Uint8Array, out: RrdMessage[]): Uint8Array {
  let at = 0;
  while (bytes.length - at >= 5) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, 5);
    const length = view.getUint32(1, false);
    if (bytes.length - at - 5 < length) break;
    if (view.getUint8(0) === 0) {
      const body = bytes.subarray(at + 5, at + 5 + length);
      const response = fromBinary(sdkCommsPb.ReadMessagesResponseSchema, body);
      if (response.logMsg) out.push(rrdMessageFromProto(response.logMsg.msg));
    }
    at += 5 + length;
  }
  return bytes.slice(at);
}

async function waitUntil(what: string, predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("bounds the queues of viewers that stop reading and keeps serving the others", async () => {
  const server = await startServer({ viewerQueueBytes: QUEUE_BYTES, backlogBytes: QUEUE_BYTES });
  const { hostname, port } = new URL(server.url);

  // Stalled viewer 1: gRPC over h2c, 64 KiB stream window, never read.
  const session = http2.connect(server.url, { settings: { initialWindowSize: 65_535 } });
  session.on("error", () => undefined);
  cleanup.push(() => session.destroy());
  const h2Stream = session.request({
    ":method": "POST",
    ":path": READ_PATH,
    "content-type": "application/grpc",
    te: "trailers",
  });
  h2Stream.on("error", () => undefined);
  h2Stream.end(new Uint8Array(5)); // an empty ReadMessagesRequest
  h2Stream.pause();

  // Stalled viewer 2: gRPC-web over HTTP/1.1, the response socket paused.
  let webResponse: http.IncomingMessage | undefined;
  const webRequest = http.request({
    hostname,
    port,
    method: "POST",
    path: READ_PATH,
    headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
  });
  webRequest.on("response", (res) => {
    webResponse = res;
    res.pause();
  });
  webRequest.on("error", () => undefined);
  webRequest.end(new Uint8Array(5));
  cleanup.push(() => webRequest.destroy());

  // A healthy viewer.
  const healthy = startReader(server.url);
  cleanup.push(() => healthy.stop());
  await waitUntil("three viewers", () => server.hub.viewerCount === 3);

  const rec = new RecordingStream({ applicationId: "slow-viewer", recordingId: "slow-viewer" });
  const sink = connect(server.proxyUrl, rec);
  for (let t = 0; t < FRAMES; t++) {
    rec.setTimeSequence("time", t);
    rec.log("image", new Image(noiseFrame(t), { width: SIZE, height: SIZE }));
    rec.flush();
    // Paced so the healthy viewer keeps up (its own queue is as small as the stalled ones').
    if (t % 4 === 3) await healthy.waitFor((m) => imagesOf(m).length > t, 30_000);
  }
  // The producer is not held back by the stalled viewers.
  await sink.flushed();
  rec.close();

  // The healthy viewer gets every frame, in order.
  await healthy.waitFor((m) => imagesOf(m).length >= FRAMES, 60_000);
  expect(imagesOf(healthy.messages).map((i) => Number(i.time))).toEqual([...Array(FRAMES).keys()]);

  // Both stalled viewers are still connected, their queues stayed bounded and they lost old frames.
  expect(webResponse).toBeDefined();
  const queues = server.hub.viewerQueues();
  expect(queues).toHaveLength(3);
  const frameBytes = SIZE * SIZE;
  for (const q of queues) expect(q.queuedBytes).toBeLessThanOrEqual(QUEUE_BYTES + 2 * frameBytes);
  const stalled = queues.filter((q) => q.dropped > 0);
  expect(stalled).toHaveLength(2);
  const total = FRAMES * frameBytes;
  for (const q of stalled) expect(q.dropped * frameBytes).toBeGreaterThan(total / 2);

  // The stalled h2c viewer starts reading: it gets the newest frame, and frames arrive in order.
  const got: RrdMessage[] = [];
  let pending: Uint8Array = new Uint8Array(0);
  h2Stream.on("data", (chunk: Uint8Array) => {
    const joined = new Uint8Array(pending.length + chunk.length);
    joined.set(pending);
    joined.set(chunk, pending.length);
    pending = parseGrpcFrames(joined, got);
  });
  h2Stream.resume();
  await waitUntil("the newest frame on the resumed viewer", () =>
    imagesOf(got).some((i) => i.time === BigInt(FRAMES - 1)),
  );
  const times = imagesOf(got).map((i) => Number(i.time));
  expect(times.length).toBeLessThan(FRAMES);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
  expect(imagesOf(got).every((i) => i.pixels[0] === Number(i.time) % 256)).toBe(true);
}, 120_000);
