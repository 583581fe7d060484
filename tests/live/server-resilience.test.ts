/**
 * The proxy survives producers that disconnect in the middle of a message: the half-sent message never reaches
 * viewers, and the next producer's frames all do.
 */
import * as http2 from "node:http2";
import { request } from "node:http";
import { expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import type { ProxyServer } from "@iris/server";
import { imagesOf, liveTestContext, type Reader, startReader } from "./live-helpers.ts";

const { cleanup, startServer } = liveTestContext();

function reader(url: string): Reader {
  const r = startReader(url);
  cleanup.push(() => r.stop());
  return r;
}

/** A gRPC length-prefixed frame header: flag 0 and a big-endian length. */
function grpcFrameHeader(length: number): Uint8Array {
  const h = new Uint8Array(5);
  new DataView(h.buffer).setUint32(1, length, false);
  return h;
}

const PATH = "/rerun.sdk_comms.v1alpha1.MessageProxyService";

async function logFrames(
  server: ProxyServer,
  recordingId: string,
  frames: number,
  size: number,
): Promise<void> {
  const rec = new RecordingStream({ applicationId: "resilience", recordingId });
  const sink = connect(server.proxyUrl, rec);
  for (let t = 0; t < frames; t++) {
    rec.setTimeSequence("time", t);
    rec.log("image", new Image(new Uint8Array(size * size).fill(t % 256), { width: size, height: size }));
    rec.flush();
  }
  await sink.flushed();
  rec.close();
}

it("survives producers that disconnect mid-message over gRPC (h2c) and gRPC-web (HTTP/1.1)", async () => {
  const server = await startServer();
  // gRPC over h2c: a WriteMessages call announcing a 10 MB message, 1000 bytes of it, then the connection dies.
  const session = http2.connect(server.url);
  await new Promise<void>((ok, fail) => {
    session.once("connect", () => ok());
    session.once("error", fail);
  });
  const stream = session.request({
    ":method": "POST",
    ":path": `${PATH}/WriteMessages`,
    "content-type": "application/grpc",
    te: "trailers",
  });
  stream.on("error", () => undefined);
  stream.write(grpcFrameHeader(10_000_000));
  stream.write(new Uint8Array(1000).fill(7));
  await new Promise((r) => setTimeout(r, 100));
  session.destroy();

  // gRPC-web over HTTP/1.1: the same, the socket is destroyed mid-body.
  const { hostname, port } = new URL(server.url);
  await new Promise<void>((ok) => {
    const req = request({
      hostname,
      port,
      method: "POST",
      path: `${PATH}/WriteMessages`,
      headers: { "content-type": "application/grpc-web+proto", "content-length": 10_000_005 },
    });
    req.on("error", () => ok());
    req.write(grpcFrameHeader(10_000_000));
    req.write(new Uint8Array(5000).fill(9));
    setTimeout(() => {
      req.destroy();
      ok();
    }, 100);
  });

  // The server still works: a new producer's frames all reach a reader, and nothing of the torn messages does.
  const live = reader(server.url);
  await logFrames(server, "after-disconnects", 5, 16);
  await live.waitFor((m) => imagesOf(m).length >= 5, 60_000);
  expect(imagesOf(live.messages).map((i) => i.pixels[0])).toEqual([0, 1, 2, 3, 4]);
  expect(
    live.messages.every((m) => m.kind !== "arrowMsg" || m.storeId.recordingId === "after-disconnects"),
  ).toBe(true);
}, 120_000);
