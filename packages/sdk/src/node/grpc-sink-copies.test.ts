// Copies of a frame's pixels in the producer on the live path (ARCHITECTURE.md, "Streaming live"): the recording
// hands the sink views of the logged array; the sink copies the gRPC frame once, into a pooled buffer, and that
// buffer is what goes to the HTTP/2 stream: Iris's own client hands the socket views of it, in DATA frames of up to
// 1 MiB; `node:http2` copies it into nghttp2's 16 KiB frames. A pooled buffer is reused for a later frame once its
// message was acknowledged.
import * as http2 from "node:http2";
import * as net from "node:net";
import type { AddressInfo } from "node:net";
import type { RrdMessage } from "@iris/rrd";
import { afterEach, expect, it, vi } from "vitest";
import { Image } from "@iris/types";
import { RecordingStream } from "../recording-stream.ts";
import { connect } from "./connect.ts";
import { H2WriteSession } from "./h2-write-session.ts";
import { NodeWriteSession } from "./node-write-session.ts";
import type { WriteCall } from "./write-session.ts";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  vi.restoreAllMocks();
});

/** A WriteMessages server that answers OK when each request ends. */
async function okServer(): Promise<string> {
  // As `iris serve`: a large window, DATA frames of up to 1 MiB.
  const server = http2.createServer({
    settings: { initialWindowSize: 32 * 1024 * 1024, maxFrameSize: 1 << 20 },
  });
  server.on("session", (s) => s.setLocalWindowSize(32 * 1024 * 1024));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => sessions.add(s));
  server.on("stream", (stream) => {
    stream.resume();
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(new Uint8Array(5));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sessions) s.destroy();
      }),
  );
  return `rerun+http://127.0.0.1:${(server.address() as AddressInfo).port}/proxy`;
}

const clients = [
  ["iris", H2WriteSession],
  ["node", NodeWriteSession],
] as const;

it.each(clients)(
  "%s client: a 1080p frame is copied once in the producer: the logged array's views, then one pooled gRPC frame",
  async (client, Session) => {
    const url = await okServer();
    const rec = new RecordingStream({ applicationId: "copies", sendProperties: false });
    const sink = connect(url, rec, { compression: "none", flushOnExit: false, http2Client: client });
    cleanup.push(() => sink.closed(2_000));
    const sent: RrdMessage[] = [];
    const send = sink.send.bind(sink);
    vi.spyOn(sink, "send").mockImplementation((m) => {
      sent.push(m);
      send(m);
    });
    const written: (readonly Uint8Array[])[] = [];
    const open = Session.prototype.open;
    vi.spyOn(Session.prototype, "open").mockImplementation(function (
      this: InstanceType<typeof Session>,
      signal,
    ) {
      const call: WriteCall = open.call(this, signal);
      const write = call.write.bind(call);
      call.write = (parts) => {
        written.push(parts);
        return write(parts);
      };
      return call;
    });
    // What reaches the socket (the sink's own client writes to it directly).
    const toSocket: Uint8Array[] = [];
    const socketWrite = net.Socket.prototype.write;
    vi.spyOn(net.Socket.prototype, "write").mockImplementation(function (
      this: net.Socket,
      ...args: Parameters<typeof socketWrite>
    ) {
      if (args[0] instanceof Uint8Array) toSocket.push(args[0]);
      return socketWrite.apply(this, args);
    });

    const width = 1920;
    const height = 1080;
    const frames = [0, 1].map((f) => {
      const pixels = new Uint8Array(width * height * 3);
      for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + f * 13) & 0xff;
      return pixels;
    });
    const frameWrites: Uint8Array[][] = [];
    for (const [t, pixels] of frames.entries()) {
      written.length = 0;
      toSocket.length = 0;
      rec.setTimeSequence("frame", t);
      rec.log("camera", new Image(pixels, { width, height, colorModel: "RGB" }));
      rec.flush();
      await sink.flushed(10_000);
      // The recording gave the sink the logged array itself (a view), not a copy.
      const arrow = sent.at(-1)!;
      expect(arrow.kind).toBe("arrowMsg");
      expect(arrow.kind === "arrowMsg" && arrow.ipcParts?.some((p) => p.buffer === pixels.buffer)).toBe(true);
      // The HTTP/2 stream got the frame as one buffer: the sink's single copy, holding the pixels.
      const big = written.filter((parts) => parts.reduce((n, p) => n + p.length, 0) > pixels.length);
      expect(big.length).toBe(1);
      expect(big[0]!.length).toBe(1);
      const frame = big[0]![0]!;
      expect(frame.buffer).not.toBe(pixels.buffer);
      expect(Buffer.from(frame.buffer, frame.byteOffset, frame.length).indexOf(pixels)).toBeGreaterThan(0);
      frameWrites.push([frame]);
      // Iris's client: the socket got that buffer itself, as views in frames of 1 MiB, never a copy of it.
      const views = toSocket.filter((chunk) => chunk.buffer === frame.buffer);
      if (client === "iris") {
        expect(views.reduce((n, v) => n + v.length, 0)).toBe(frame.length);
        // DATA frames of 1 MiB, except the last and, before the server's SETTINGS arrive, 16 KiB frames in the
        // default 64 KiB window.
        expect(views.filter((v) => v.length !== 1 << 20).length).toBeLessThanOrEqual(t === 0 ? 5 : 1);
        expect(toSocket.filter((c) => c.length > 64 * 1024 && c.buffer !== frame.buffer)).toEqual([]);
      }
    }
    // The second frame was copied into the first one's buffer, given back when the first was acknowledged.
    expect(frameWrites[1]![0]!.buffer).toBe(frameWrites[0]![0]!.buffer);
  },
);
