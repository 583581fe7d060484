// Iris's own HTTP/2 server (`H2cConnection`, `iris serve`'s default for h2c) against clients that break HTTP/2 or
// flood it: each violation ends the connection with GOAWAY and the code RFC 9113 names, or resets the one stream,
// and the server keeps serving others. Responses are read with node:http2 (nghttp2), an independent client; the
// violations are written as raw frames (tests/live/raw-h2-server.ts's encoder).
import * as http2 from "node:http2";
import * as net from "node:net";
import { expect, it } from "vitest";
import { Flag, FrameType, Setting, frameBytes, hpackBlock, settingsPayload } from "./raw-h2-server.ts";
import { liveTestContext } from "./live-helpers.ts";
import { GrpcSink } from "@iris/sdk/node";
import { Image, RecordingStream } from "@iris/sdk";

const { cleanup, startServer } = liveTestContext();
const PATH = "/rerun.sdk_comms.v1alpha1.MessageProxyService";
const PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const ErrorCode = {
  NO_ERROR: 0,
  PROTOCOL_ERROR: 1,
  FLOW_CONTROL_ERROR: 3,
  STREAM_CLOSED: 5,
  FRAME_SIZE_ERROR: 6,
  REFUSED_STREAM: 7,
  COMPRESSION_ERROR: 9,
  ENHANCE_YOUR_CALM: 11,
} as const;

interface Seen {
  type: number;
  flags: number;
  streamId: number;
  payload: Uint8Array;
}

/** A raw client: writes frames as given, parses what the server sends, and tells when it closed. */
async function rawClient(url: string) {
  const socket = net.connect(Number(new URL(url).port), "127.0.0.1");
  cleanup.push(() => socket.destroy());
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const frames: Seen[] = [];
  let buffered = new Uint8Array(0);
  let closed = false;
  const changed: (() => void)[] = [];
  socket.on("data", (chunk: Uint8Array) => {
    const all = new Uint8Array(buffered.length + chunk.length);
    all.set(buffered);
    all.set(chunk, buffered.length);
    let at = 0;
    while (all.length - at >= 9) {
      const length = (all[at]! << 16) | (all[at + 1]! << 8) | all[at + 2]!;
      if (all.length - at < 9 + length) break;
      const streamId = new DataView(all.buffer, at + 5, 4).getUint32(0) & 0x7fffffff;
      frames.push({
        type: all[at + 3]!,
        flags: all[at + 4]!,
        streamId,
        payload: all.slice(at + 9, at + 9 + length),
      });
      at += 9 + length;
    }
    buffered = all.slice(at);
    for (const f of changed.splice(0)) f();
  });
  socket.on("error", () => undefined);
  socket.on("close", () => {
    closed = true;
    for (const f of changed.splice(0)) f();
  });
  const until = async (ready: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!ready()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        changed.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  const code = (f: Seen, at: number): number =>
    new DataView(f.payload.buffer, f.payload.byteOffset).getUint32(at);
  return {
    socket,
    frames,
    write: (...parts: Uint8Array[]): boolean => socket.write(Buffer.concat(parts)),
    /** The GOAWAY's error code, once the server sent it and closed the connection. */
    async goaway(what = ""): Promise<number> {
      await until(
        () => closed && frames.some((f) => f.type === FrameType.GOAWAY),
        `GOAWAY and close (${what})`,
      );
      return code(
        frames.find((f) => f.type === FrameType.GOAWAY)!,
        4,
      );
    },
    /** The error code of the RST_STREAM the server sent on `streamId`. */
    async reset(streamId: number): Promise<number> {
      await until(
        () => frames.some((f) => f.type === FrameType.RST_STREAM && f.streamId === streamId),
        "RST_STREAM",
      );
      return code(
        frames.find((f) => f.type === FrameType.RST_STREAM && f.streamId === streamId)!,
        0,
      );
    },
    until,
  };
}

const start = (): Uint8Array[] => [PREFACE, frameBytes(FrameType.SETTINGS, 0, 0)];
const request = (path: string, authority: string, extra: [string, string][] = []): Uint8Array =>
  hpackBlock([
    [":method", "POST"],
    [":scheme", "http"],
    [":path", path],
    [":authority", authority],
    ["content-type", "application/grpc"],
    ["te", "trailers"],
    ...extra,
  ]);

/** The proxy still takes a producer's messages: the connection that broke the rules hurt no other. */
async function stillServes(url: string): Promise<void> {
  const sink = new GrpcSink(`rerun+${url}/proxy`);
  const rec = new RecordingStream({ applicationId: "after", recordingId: "after" });
  rec.setSink(sink);
  rec.log("camera", new Image(new Uint8Array(12), { width: 2, height: 2, colorModel: "RGB" }));
  rec.flush();
  await sink.flushed(10_000);
  expect(sink.stats.ackedMessages).toBe(sink.stats.sentMessages);
  await sink.closed();
}

it("ends the connection with the error RFC 9113 names for each broken rule, and keeps serving others", async () => {
  const server = await startServer();
  const host = new URL(server.url).host;
  const cases: { name: string; frames: Uint8Array[]; code: number }[] = [
    {
      name: "first frame not SETTINGS",
      frames: [PREFACE, frameBytes(FrameType.PING, 0, 0, new Uint8Array(8))],
      code: ErrorCode.PROTOCOL_ERROR,
    },
    {
      name: "a stream with an even id",
      frames: [
        ...start(),
        frameBytes(FrameType.HEADERS, Flag.END_HEADERS, 2, request(`${PATH}/ReadMessages`, host)),
      ],
      code: ErrorCode.PROTOCOL_ERROR,
    },
    {
      name: "a frame over SETTINGS_MAX_FRAME_SIZE (1 MiB)",
      frames: [...start(), frameBytes(FrameType.DATA, 0, 1, new Uint8Array((1 << 20) + 1))],
      code: ErrorCode.FRAME_SIZE_ERROR,
    },
    {
      name: "DATA on an idle stream",
      frames: [...start(), frameBytes(FrameType.DATA, 0, 7, new Uint8Array(5))],
      code: ErrorCode.PROTOCOL_ERROR,
    },
    {
      name: "a PING of 7 bytes",
      frames: [...start(), frameBytes(FrameType.PING, 0, 0, new Uint8Array(7))],
      code: ErrorCode.FRAME_SIZE_ERROR,
    },
    {
      name: "SETTINGS_INITIAL_WINDOW_SIZE over 2^31-1",
      frames: [
        PREFACE,
        frameBytes(FrameType.SETTINGS, 0, 0, settingsPayload([[Setting.INITIAL_WINDOW_SIZE, 2 ** 31]])),
      ],
      code: ErrorCode.FLOW_CONTROL_ERROR,
    },
    {
      name: "a connection WINDOW_UPDATE of 0",
      frames: [...start(), frameBytes(FrameType.WINDOW_UPDATE, 0, 0, new Uint8Array(4))],
      code: ErrorCode.PROTOCOL_ERROR,
    },
    {
      name: "PUSH_PROMISE from a client",
      frames: [...start(), frameBytes(FrameType.PUSH_PROMISE, Flag.END_HEADERS, 1, new Uint8Array(4))],
      code: ErrorCode.PROTOCOL_ERROR,
    },
    {
      name: "a frame inside a header block",
      frames: [
        ...start(),
        frameBytes(FrameType.HEADERS, 0, 1, request(`${PATH}/ReadMessages`, host)),
        frameBytes(FrameType.PING, 0, 0, new Uint8Array(8)),
      ],
      code: ErrorCode.PROTOCOL_ERROR,
    },
    {
      name: "a header block that does not decode (an index beyond both tables)",
      frames: [
        ...start(),
        frameBytes(FrameType.HEADERS, Flag.END_HEADERS, 1, Uint8Array.of(0xff, 0x80, 0x7f)),
      ],
      code: ErrorCode.COMPRESSION_ERROR,
    },
    {
      name: "a flood of empty CONTINUATION frames",
      frames: [
        ...start(),
        frameBytes(FrameType.HEADERS, 0, 1, request(`${PATH}/ReadMessages`, host)),
        ...Array.from({ length: 100 }, () => frameBytes(FrameType.CONTINUATION, 0, 1)),
      ],
      code: ErrorCode.ENHANCE_YOUR_CALM,
    },
    {
      name: "a flood of PINGs (20,000 in one write)",
      frames: [
        ...start(),
        ...Array.from({ length: 20_000 }, () => frameBytes(FrameType.PING, 0, 0, new Uint8Array(8))),
      ],
      code: ErrorCode.ENHANCE_YOUR_CALM,
    },
    {
      name: "a flood of unknown frame types",
      frames: [...start(), ...Array.from({ length: 20_000 }, () => frameBytes(0x42, 0, 0))],
      code: ErrorCode.ENHANCE_YOUR_CALM,
    },
    {
      name: "streams opened and reset at once (rapid reset)",
      frames: [
        ...start(),
        ...Array.from({ length: 300 }, (_, i) => [
          frameBytes(
            FrameType.HEADERS,
            Flag.END_HEADERS | Flag.END_STREAM,
            2 * i + 1,
            request(`${PATH}/ReadMessages`, host),
          ),
          frameBytes(FrameType.RST_STREAM, 0, 2 * i + 1, Uint8Array.of(0, 0, 0, 8)),
        ]).flat(),
      ],
      code: ErrorCode.ENHANCE_YOUR_CALM,
    },
  ];
  for (const c of cases) {
    const client = await rawClient(server.url);
    client.write(...c.frames);
    expect(await client.goaway(c.name), c.name).toBe(c.code);
  }
  await stillServes(server.url);
});

it("resets one stream for a stream-level error and keeps the connection", async () => {
  const server = await startServer();
  const host = new URL(server.url).host;
  const client = await rawClient(server.url);
  client.write(
    ...start(),
    // An upper-case field name: malformed (RFC 9113 §8.2.1).
    frameBytes(
      FrameType.HEADERS,
      Flag.END_HEADERS,
      1,
      request(`${PATH}/ReadMessages`, host, [["X-Upper", "1"]]),
    ),
    // A connection-specific field (§8.2.2).
    frameBytes(
      FrameType.HEADERS,
      Flag.END_HEADERS,
      3,
      request(`${PATH}/ReadMessages`, host, [["connection", "close"]]),
    ),
    // No :path.
    frameBytes(
      FrameType.HEADERS,
      Flag.END_HEADERS,
      5,
      hpackBlock([
        [":method", "POST"],
        [":scheme", "http"],
      ]),
    ),
  );
  expect(await client.reset(1)).toBe(ErrorCode.PROTOCOL_ERROR);
  expect(await client.reset(3)).toBe(ErrorCode.PROTOCOL_ERROR);
  expect(await client.reset(5)).toBe(ErrorCode.PROTOCOL_ERROR);
  // Still open: a PING is answered.
  client.write(frameBytes(FrameType.PING, 0, 0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)));
  await client.until(
    () => client.frames.some((f) => f.type === FrameType.PING && f.flags & Flag.ACK),
    "PING ack",
  );
  expect(client.socket.destroyed).toBe(false);
});

it("refuses streams beyond SETTINGS_MAX_CONCURRENT_STREAMS (100) with REFUSED_STREAM", async () => {
  const server = await startServer();
  const host = new URL(server.url).host;
  const client = await rawClient(server.url);
  const opens = Array.from({ length: 101 }, (_, i) =>
    frameBytes(
      FrameType.HEADERS,
      Flag.END_HEADERS | Flag.END_STREAM,
      2 * i + 1,
      request(`${PATH}/ReadMessages`, host),
    ),
  );
  client.write(...start(), ...opens);
  expect(await client.reset(201)).toBe(ErrorCode.REFUSED_STREAM);
  const settings = client.frames.find((f) => f.type === FrameType.SETTINGS && !(f.flags & Flag.ACK))!;
  const values = new Map<number, number>();
  const view = new DataView(settings.payload.buffer, settings.payload.byteOffset);
  for (let at = 0; at < settings.payload.length; at += 6)
    values.set(view.getUint16(at), view.getUint32(at + 2));
  expect(values.get(Setting.MAX_CONCURRENT_STREAMS)).toBe(100);
  expect(client.frames.filter((f) => f.type === FrameType.RST_STREAM).map((f) => f.streamId)).toEqual([201]);
});

it("answers other requests with what they are: 421 for a foreign Host, 404 off gRPC, UNIMPLEMENTED for other methods, 431 for big headers", async () => {
  const server = await startServer({ limits: { maxHeaderBytes: 4096 } });
  const session = http2.connect(server.url);
  cleanup.push(() => session.destroy());
  const ask = (
    headers: http2.OutgoingHttpHeaders,
  ): Promise<http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader> =>
    new Promise((resolve, reject) => {
      const stream = session.request(headers, { endStream: true });
      stream.on("response", resolve);
      stream.on("error", reject);
      stream.resume();
    });
  expect((await ask({ ":path": "/", ":authority": "attacker.example" }))[":status"]).toBe(421);
  expect((await ask({ ":path": "/index.html" }))[":status"]).toBe(404);
  const other = await ask({
    ":method": "POST",
    ":path": `${PATH}/WriteTable`,
    "content-type": "application/grpc",
  });
  expect([other[":status"], other["grpc-status"]]).toEqual([200, "12"]);
  expect((await ask({ ":path": "/", "x-big": "a".repeat(5000) }))[":status"]).toBe(431);
});
