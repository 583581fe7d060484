// connect(): the sink takes the logged pixels as views and copies each frame once, into its own (pooled) buffer,
// before `log` returns — so a producer that reuses its frame buffer at once still delivers every frame intact.
import { afterEach, describe, expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import { ProxyServer } from "@iris/server";
import { imagesOf, type Reader, startReader } from "./live-helpers.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe("GrpcSink frame copies", () => {
  it("delivers every frame intact although the producer overwrites one buffer after each log()", async () => {
    const server = new ProxyServer({ port: 0 });
    await server.listen();
    cleanup.push(() => server.close());
    const reader: Reader = startReader(server.url);
    cleanup.push(() => reader.stop());
    const rec = new RecordingStream({ applicationId: "copies", sendProperties: false });
    // Large enough that LZ4 is not tried (incompressible noise above 1 MiB): the payload is the logged array.
    const width = 1024;
    const height = 512;
    const buffer = new Uint8Array(width * height * 3);
    const sink = connect(server.proxyUrl, rec, { ackIntervalMs: 1_000 });
    let seed = 7;
    const frames: Uint8Array[] = [];
    for (let t = 0; t < 6; t++) {
      for (let i = 0; i < buffer.length; i++) {
        seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
        buffer[i] = seed >>> 24;
      }
      frames.push(buffer.slice());
      rec.setTimeSequence("time", t);
      rec.log("camera", new Image(buffer, { width, height, colorModel: "RGB" }));
      rec.flush(); // the frame is sent now; the next loop overwrites the logged buffer
    }
    await sink.flushed(20_000);
    await reader.waitFor((m) => imagesOf(m).length >= frames.length);
    const images = imagesOf(reader.messages);
    expect(images.map((i) => i.time)).toEqual(frames.map((_, t) => BigInt(t)));
    images.forEach((image, t) =>
      expect(
        image.pixels.length === frames[t]!.length && Buffer.compare(image.pixels, frames[t]!) === 0,
        `frame ${t}`,
      ).toBe(true),
    );
    await sink.closed();
  });
});
