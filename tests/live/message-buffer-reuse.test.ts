// iris serve receives producer messages into reused memory once the history evicted them and every gRPC reader's
// socket took them (`FrameBufferPool`): every reader — live over gRPC, and ones that connect late and replay the
// history over gRPC or gRPC-web (connect-node, whose messages are never reused) — still gets every frame intact.
import { Image, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import { expect, it } from "vitest";
import { imagesOf, liveTestContext, type Reader, startReader } from "./live-helpers.ts";

const { cleanup, startServer } = liveTestContext();

const SIDE = 320;
/** Frame `t`: noise (not compressible, so the payload is sent raw) from a seed that depends on t. */
function pixelsOf(t: number): Uint8Array {
  const pixels = new Uint8Array(SIDE * SIDE * 3);
  let seed = (t + 1) * 2654435761;
  for (let i = 0; i < pixels.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    pixels[i] = seed >>> 24;
  }
  return pixels;
}

it("reuses message memory without corrupting what any reader receives", async () => {
  // A history of about eight frames, so that frames are evicted (and their memory reused) all along.
  const server = await startServer({ backlogBytes: 8 * (SIDE * SIDE * 3 + 4096) });
  const reader = (protocol: "grpc" | "grpc-web"): Reader => {
    const r = startReader(server.url, protocol);
    cleanup.push(() => r.stop());
    return r;
  };
  const grpc = reader("grpc");
  const rec = new RecordingStream({ applicationId: "reuse", recordingId: "reuse", sendProperties: false });
  const sink = connect(server.proxyUrl, rec, { ackIntervalMs: 20, flushOnExit: false });
  cleanup.push(() => sink.closed(2_000));
  const frames = 40;
  let late: Reader | undefined;
  let grpcWeb: Reader | undefined;
  for (let t = 0; t < frames; t++) {
    if (t === 20) late = reader("grpc");
    if (t === 30) grpcWeb = reader("grpc-web");
    rec.setTimeSequence("time", t);
    rec.log("camera", new Image(pixelsOf(t), { width: SIDE, height: SIDE, colorModel: "RGB" }));
    rec.flush();
    // A burst (messages arrive while earlier ones are still queued for the readers' sockets), paced only so that
    // the late readers connect in the middle.
    if (t % 10 === 9) await sink.flushed(10_000);
  }
  const all = (m: Parameters<typeof imagesOf>[0]): boolean =>
    imagesOf(m).some((i) => i.time === BigInt(frames - 1));
  for (const r of [grpc, grpcWeb!, late!]) await r.waitFor(all);
  // In a burst the proxy may receive every frame before the readers' sockets have taken the first ones (all run in
  // this one process): a block is reused only once every holder is done. Then a paced frame reuses one.
  for (let t = frames; server.reusedMessageBuffers === 0 && t < frames + 8; t++) {
    rec.setTimeSequence("time", t);
    rec.log("camera", new Image(pixelsOf(t), { width: SIDE, height: SIDE, colorModel: "RGB" }));
    rec.flush();
    await sink.flushed(10_000);
    await grpc.waitFor((m) => imagesOf(m).some((i) => i.time === BigInt(t)));
  }
  expect(server.reusedMessageBuffers).toBeGreaterThan(0);
  for (const [name, r] of [
    ["gRPC", grpc],
    ["late gRPC-web", grpcWeb!],
    ["late gRPC", late!],
  ] as const) {
    const images = imagesOf(r.messages);
    if (name === "gRPC")
      expect(images.map((i) => Number(i.time)).slice(0, frames), name).toEqual([...Array(frames).keys()]);
    for (const image of images) {
      const expected = pixelsOf(Number(image.time));
      expect(Buffer.compare(image.pixels, expected) === 0, `${name} frame ${image.time}`).toBe(true);
    }
  }
});
