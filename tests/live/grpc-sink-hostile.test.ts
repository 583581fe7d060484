/**
 * `GrpcSink` against a raw HTTP/2 WriteMessages server written in the test (raw-write-server.ts on
 * raw-h2-server.ts), which chooses every frame: the sink must obey the server's flow control, frame size and
 * stream limit (audited frame by frame against what the server had allowed), survive GOAWAY, RST_STREAM, a
 * refusal and a server that breaks HTTP/2, and deliver every logged image intact (decoded from the DATA frames
 * with the server's own gRPC frame decoder and compared pixel for pixel). Cases 1, 3 and 5 also run on the
 * `node:http2` client.
 */
import type { RrdMessage } from "@iris/rrd";
import { Image, MemorySink, RecordingStream } from "@iris/sdk";
import { GrpcSink, type GrpcSinkEvent, type GrpcSinkOptions } from "@iris/sdk/node";
import { describe, expect, it } from "vitest";
import { imagesOf, liveTestContext } from "./live-helpers.ts";
import { Flag, FrameType, type H2Frame, Setting } from "./raw-h2-server.ts";
import {
  type WriteConnection,
  WriteServer,
  type WriteServerOptions,
  type WriteStream,
  until,
} from "./raw-write-server.ts";

const { cleanup } = liveTestContext();

const ErrorCode = { NO_ERROR: 0, PROTOCOL_ERROR: 1, FRAME_SIZE_ERROR: 6, REFUSED_STREAM: 7 } as const;
const MiB = 1024 ** 2;

/** A recording's messages: SetStoreInfo, then one ArrowMsg per image (frame i at `frame` = i). */
interface Frames {
  messages: RrdMessage[];
  /** Each image's pixels, by frame number. */
  pixels: Map<number, Uint8Array>;
}

/** `count` images of `width`×`height` (L or RGB), each filled with its own pseudo-random pattern. */
function frames(count: number, width: number, height: number, colorModel: "L" | "RGB" = "L"): Frames {
  const sink = new MemorySink();
  const rec = new RecordingStream({
    applicationId: "hostile",
    recordingId: "h",
    sink,
    sendProperties: false,
  });
  const pixels = new Map<number, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const bytes = new Uint8Array(width * height * (colorModel === "L" ? 1 : 3));
    let x = 0x9e3779b9 ^ (i * 7919 + 1);
    for (let j = 0; j < bytes.length; j++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      bytes[j] = x >>> 24;
    }
    pixels.set(i, bytes);
    rec.setTimeSequence("frame", i);
    rec.log("image", new Image(bytes, { width, height, colorModel }));
    rec.flush(); // one ArrowMsg per image
  }
  rec.close();
  expect(sink.messages.map((m) => m.kind)).toEqual([
    "setStoreInfo",
    ...[...pixels.keys()].map(() => "arrowMsg"),
  ]);
  return { messages: sink.messages, pixels };
}

async function start(options: WriteServerOptions): Promise<WriteServer> {
  const server = await new WriteServer(options).start();
  cleanup.push(() => server.close());
  return server;
}

type Client = "iris" | "node";

function sinkTo(
  server: WriteServer,
  options: GrpcSinkOptions = {},
): { sink: GrpcSink; events: GrpcSinkEvent[] } {
  const events: GrpcSinkEvent[] = [];
  const sink = new GrpcSink(server.url, {
    compression: "none",
    minBackoffMs: 10,
    maxBackoffMs: 50,
    ...options,
    onEvent: (e) => events.push(e),
  });
  cleanup.push(() => sink.closed(1_000));
  return { sink, events };
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

/** Every image of the streams the server acknowledged is one of `expected`, intact, and none is missing. */
function expectDelivered(server: WriteServer, expected: Map<number, Uint8Array>): void {
  const got = new Map<number, Uint8Array[]>();
  for (const image of imagesOf(server.delivered(), "frame")) {
    const t = Number(image.time);
    got.set(t, [...(got.get(t) ?? []), image.pixels]);
  }
  expect([...got.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
  for (const [t, copies] of got) {
    for (const pixels of copies) expect(equalBytes(pixels, expected.get(t)!), `frame ${t} intact`).toBe(true);
  }
}

/** No handler error, and on every connection nothing sent beyond what the server allowed. */
function expectObeyed(server: WriteServer): void {
  expect(server.errors).toEqual([]);
  for (const c of server.connections) expect(c.audit.catchUp().violations).toEqual([]);
}

const isSettingsAck = (f: H2Frame): boolean => f.type === FrameType.SETTINGS && (f.flags & Flag.ACK) !== 0;

/** Resolves once the client acknowledged `count` SETTINGS frames of the server on connection `c`. */
function acknowledged(server: WriteServer, index: number, count = 1): Promise<void> {
  return until(
    () => (server.connections[index]?.clientFrames(isSettingsAck).length ?? 0) >= count,
    `the client's SETTINGS ACK #${count} on connection ${index}`,
  );
}

const arrowCount = (s: WriteStream): number =>
  s.requests.filter((r) => r.logMsg?.msg.case === "arrowMsg").length;

const types = (events: readonly GrpcSinkEvent[]): string[] => events.map((e) => e.type);

/**
 * Waits for everything to be acknowledged after a write stream failed. The sinks in these tests end a write stream
 * only after a minute (`ackIntervalMs`) unless flushed: the failure must be noticed while the pump waits for
 * messages, without a flush (it once was noticed only at the stream's next write or end).
 */
async function flushedAfterFailure(sink: GrpcSink, events: readonly GrpcSinkEvent[]): Promise<void> {
  await until(() => events.some((e) => e.type === "disconnected"), "the sink reports the failure");
  await sink.flushed(10_000);
}

/** A race against `ms`: fails the test if `promise` has not settled by then. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe.each<Client>(["iris", "node"])("GrpcSink (%s HTTP/2 client) against a hostile server", (client) => {
  it("obeys small flow-control windows granted back slowly in small WINDOW_UPDATEs, and delivers intact", async () => {
    const STREAM_STEP = 700;
    const CONNECTION_STEP = 1_500;
    const scheduled = new Set<WriteConnection>();
    // Once a window is used up, a few ms later, a small grant: just enough for the client to go on.
    const grantSlowly = (c: WriteConnection): void => {
      if (scheduled.has(c)) return;
      scheduled.add(c);
      setTimeout(() => {
        scheduled.delete(c);
        const audit = c.audit.catchUp();
        if (audit.connectionWindow <= 0) c.grant(0, CONNECTION_STEP - audit.connectionWindow);
        for (const [id, s] of audit.streams)
          if (!s.clientEnded && s.window <= 0) c.grant(id, STREAM_STEP - s.window);
        c.audit.catchUp();
      }, 2);
    };
    const server = await start({
      settings: [[Setting.INITIAL_WINDOW_SIZE, 1_000]],
      grant: "none",
      onRead: grantSlowly,
    });
    const { messages, pixels } = frames(24, 100, 100);
    const { sink } = sinkTo(server, { http2Client: client });
    sink.send(messages[0]!);
    await acknowledged(server, 0);
    for (const m of messages.slice(1)) sink.send(m);
    await sink.flushed(30_000);
    expectObeyed(server);
    // The windows held the client back, again and again.
    expect(server.connections[0]!.audit.exhausted).toBeGreaterThan(100);
    expectDelivered(server, pixels);
    expect(sink.stats).toMatchObject({ ackedMessages: 25, droppedMessages: 0, reconnects: 0 });
  });

  it("never has two request streams open under SETTINGS_MAX_CONCURRENT_STREAMS 1", async () => {
    // Each answer waits a little: a client that ignored the limit would open its next (pipelined) stream meanwhile.
    const server = await start({
      settings: [[Setting.MAX_CONCURRENT_STREAMS, 1]],
      onRequestEnd: (s) => setTimeout(() => s.ok(), 20),
    });
    const { messages, pixels } = frames(8, 32, 32);
    const { sink } = sinkTo(server, { http2Client: client, ackIntervalMs: 60_000 });
    sink.send(messages[0]!);
    for (let i = 0; i < 8; i++) {
      sink.send(messages[1 + i]!);
      sink.flush();
      await until(
        () => server.streams.filter((s) => s.clientEnded).reduce((n, s) => n + arrowCount(s), 0) > i,
        `the request carrying frame ${i} ended`,
      );
    }
    await sink.flushed(10_000);
    expectObeyed(server);
    expect(server.streams.length).toBeGreaterThanOrEqual(8);
    expect(server.connections.map((c) => c.audit.maxOpen)).toEqual([1]);
    expectDelivered(server, pixels);
  });

  it("resends a stream above a GOAWAY's last-stream-id on a new connection; nothing lost", async () => {
    const server = await start({
      onRead: (c) => {
        if (c.index !== 0 || c.lastStreamId !== Number.POSITIVE_INFINITY) return;
        // The second request stream, once it carried two images: the server goes away without processing it.
        const second = [...c.streams.values()].find((s) => arrowCount(s) >= 2);
        if (second !== undefined) c.goaway(second.id - 2, ErrorCode.NO_ERROR);
      },
    });
    const { messages, pixels } = frames(3, 64, 64);
    const { sink, events } = sinkTo(server, { http2Client: client, ackIntervalMs: 60_000 });
    sink.send(messages[0]!);
    sink.send(messages[1]!);
    await sink.flushed(10_000); // stream 1: SetStoreInfo and frame 0, acknowledged
    sink.send(messages[2]!);
    sink.send(messages[3]!); // frames 1 and 2 on the next stream, left open
    await until(() => server.connections[0]!.lastStreamId === 1, "the GOAWAY");
    await flushedAfterFailure(sink, events);
    const [first, second] = server.connections;
    const goneAway = [...first!.streams.values()].filter((s) => s.id > first!.lastStreamId);
    expect(goneAway.map((s) => [arrowCount(s), s.answer])).toEqual([[2, undefined]]);
    expect([...second!.streams.values()].flatMap((s) => s.messages()).map((m) => m.kind)).toEqual([
      "setStoreInfo",
      "arrowMsg",
      "arrowMsg",
    ]);
    expect(types(events)).toEqual(["connected", "disconnected", "connected"]);
    if (client === "iris") {
      expect(events[1]).toMatchObject({ error: expect.stringMatching(/GOAWAY NO_ERROR/) as unknown });
    }
    expectObeyed(server);
    expectDelivered(server, pixels);
    expect(sink.stats).toMatchObject({ ackedMessages: 4, queuedMessages: 0, reconnects: 1 });
  });
});

describe("GrpcSink (iris HTTP/2 client) against a hostile server", () => {
  it("sends DATA frames of at most 16384 bytes by default, and of exactly 1 MiB when the server allows it", async () => {
    const { messages, pixels } = frames(3, 1920, 1080, "RGB");
    for (const maxFrame of [16_384, MiB]) {
      const server = await start({
        settings: [
          ...(maxFrame !== 16_384 ? [[Setting.MAX_FRAME_SIZE, maxFrame] as const] : []),
          [Setting.INITIAL_WINDOW_SIZE, 64 * MiB],
        ],
        grant: "auto",
        onConnection: (c) => c.grant(0, 64 * MiB),
      });
      const { sink } = sinkTo(server);
      sink.send(messages[0]!);
      await acknowledged(server, 0);
      for (const m of messages.slice(1)) sink.send(m);
      await sink.flushed(30_000);
      expectObeyed(server); // no DATA frame over SETTINGS_MAX_FRAME_SIZE
      expectDelivered(server, pixels);
      // Every DATA frame is as large as allowed, except the last before the client ran out of bytes to send:
      // it ends where a message ends.
      let full = 0;
      for (const s of server.streams) {
        let offset = 0;
        for (const n of s.dataFrames) {
          offset += n;
          if (n === maxFrame) full++;
          else if (n > 0)
            expect(s.messageEnds.has(offset), `a ${n}-byte DATA frame on stream ${s.id}`).toBe(true);
        }
      }
      const messageBytes = 1920 * 1080 * 3;
      expect(full).toBeGreaterThanOrEqual(3 * Math.floor(messageBytes / maxFrame));
      await sink.closed(1_000);
    }
  });

  it("sends no DATA while SETTINGS_INITIAL_WINDOW_SIZE 0 leaves no window, and completes once it is raised", async () => {
    const server = await start({ grant: "auto" });
    const { messages, pixels } = frames(6, 64, 64);
    const { sink } = sinkTo(server, { ackIntervalMs: 60_000 });
    sink.send(messages[0]!);
    sink.send(messages[1]!);
    await until(() => server.streams[0] !== undefined && arrowCount(server.streams[0]) === 1, "frame 0");
    const c = server.connections[0]!;
    c.settings([[Setting.INITIAL_WINDOW_SIZE, 0]]); // mid-call: stream 1 is open
    await acknowledged(server, 0, 2);
    const ackAt = c.raw.frames.lastIndexOf(c.clientFrames(isSettingsAck).at(-1)!);
    for (const m of messages.slice(2)) sink.send(m);
    sink.flush();
    await new Promise((r) => setTimeout(r, 300)); // what the client does with no window
    const held = sink.stats.queuedMessages;
    const dataWhileShut = c.raw.frames
      .slice(ackAt + 1)
      .filter((f) => f.type === FrameType.DATA && f.payload.length > 0);
    expect(dataWhileShut).toEqual([]);
    expect(held).toBe(7); // SetStoreInfo and frame 0 (their stream could not end), frames 1 to 5
    c.settings([[Setting.INITIAL_WINDOW_SIZE, 1 * MiB]]);
    await sink.flushed(10_000);
    expectObeyed(server);
    expectDelivered(server, pixels);
  });

  it("resends a stream reset with REFUSED_STREAM on a new stream; nothing lost", async () => {
    let refused: WriteStream | undefined;
    const server = await start({
      onRead: (c) => {
        if (refused !== undefined) return;
        refused = [...c.streams.values()].find((s) => arrowCount(s) >= 2);
        refused?.reset(ErrorCode.REFUSED_STREAM);
      },
    });
    const { messages, pixels } = frames(3, 64, 64);
    const { sink, events } = sinkTo(server, { ackIntervalMs: 60_000 });
    sink.send(messages[0]!);
    sink.send(messages[1]!);
    await sink.flushed(10_000);
    sink.send(messages[2]!);
    sink.send(messages[3]!);
    await until(() => refused !== undefined, "the refused stream");
    await flushedAfterFailure(sink, events);
    const after = server.streams.slice(server.streams.indexOf(refused!) + 1);
    expect(after.flatMap((s) => s.messages()).map((m) => m.kind)).toEqual([
      "setStoreInfo",
      "arrowMsg",
      "arrowMsg",
    ]);
    expect(after.every((s) => s.answer === "ok")).toBe(true);
    expect(types(events)).toEqual(["connected", "disconnected", "connected"]);
    expect(events[1]).toMatchObject({ error: expect.stringMatching(/RST_STREAM REFUSED_STREAM/) as unknown });
    expectObeyed(server);
    expectDelivered(server, pixels);
    expect(sink.stats).toMatchObject({ ackedMessages: 4, queuedMessages: 0, reconnects: 1 });
  });

  it("a flushed() waiting when its stream is refused resolves once the resent messages are acknowledged", async () => {
    let refused: WriteStream | undefined;
    const server = await start({
      // The first request that carries an image is refused when it ends, i.e. after the flush ended it.
      onRequestEnd: (s) => {
        if (refused === undefined && arrowCount(s) > 0) {
          refused = s;
          s.reset(ErrorCode.REFUSED_STREAM);
        } else s.ok();
      },
    });
    const { messages, pixels } = frames(1, 64, 64);
    const { sink, events } = sinkTo(server, { ackIntervalMs: 60_000 });
    sink.send(messages[0]!);
    sink.send(messages[1]!);
    // The stream that resends the refused messages must end at once for this wait (it once stayed open until
    // `ackIntervalMs`: the flush had been used up by the refused stream).
    await sink.flushed(10_000);
    expect(refused).toBeDefined();
    expect(types(events)).toEqual(["disconnected", "connected"]);
    expectDelivered(server, pixels);
    expect(sink.stats).toMatchObject({ ackedMessages: 2, queuedMessages: 0, reconnects: 1 });
  });

  it("counts a stream refused with grpc-status 3 in its trailers as rejected, and keeps working", async () => {
    const server = await start({
      onRequestEnd: (s) => {
        // The stream carrying frame 1 is refused as invalid.
        const frame1 = s
          .messages()
          .some((m) => m.kind === "arrowMsg" && imagesOf([m], "frame")[0]?.time === 1n);
        if (frame1) s.fail(3, "bad frame");
        else s.ok();
      },
    });
    const { messages, pixels } = frames(3, 64, 64);
    const { sink, events } = sinkTo(server, { ackIntervalMs: 60_000 });
    sink.send(messages[0]!);
    sink.send(messages[1]!);
    await sink.flushed(10_000);
    sink.send(messages[2]!);
    await sink.flushed(10_000); // a rejection settles the wait too
    expect(events.filter((e) => e.type === "rejected")).toEqual([
      { type: "rejected", messages: 1, error: expect.stringContaining("bad frame") as unknown },
    ]);
    sink.send(messages[3]!);
    await sink.flushed(10_000);
    const rejected = server.streams.filter((s) => s.answer === "error");
    expect(rejected).toHaveLength(1);
    // The client had ended that request before the answer: it must not reset the closed stream.
    const c = rejected[0]!.connection;
    expect(c.clientFrames((f) => f.type === FrameType.RST_STREAM && f.streamId === rejected[0]!.id)).toEqual(
      [],
    );
    expect(sink.stats).toMatchObject({
      ackedMessages: 3,
      rejectedMessages: 1,
      reconnects: 0,
      queuedMessages: 0,
    });
    expect(server.connections).toHaveLength(1);
    expectObeyed(server);
    pixels.delete(1);
    expectDelivered(server, pixels);
  });

  it("stays within maxQueueBytes when the server never grants window, and closes within its timeout", async () => {
    const server = await start({ settings: [[Setting.INITIAL_WINDOW_SIZE, 10_000]], grant: "none" });
    const { messages } = frames(100, 64, 64);
    const maxQueueBytes = 100_000;
    const { sink, events } = sinkTo(server, { maxQueueBytes });
    let maxQueued = 0;
    for (const m of messages) {
      sink.send(m);
      maxQueued = Math.max(maxQueued, sink.stats.queuedBytes);
      await new Promise((r) => setImmediate(r)); // the sink's pump and the socket get their turn
    }
    await until(
      () => server.connections[0]?.raw.frames.some((f) => f.type === FrameType.DATA) === true,
      "DATA",
    );
    const stats = sink.stats;
    expect(maxQueued).toBeLessThanOrEqual(maxQueueBytes);
    expect(stats.droppedMessages).toBeGreaterThan(0);
    expect(stats.droppedMessages + stats.queuedMessages).toBe(stats.sentMessages);
    expect(events.filter((e) => e.type === "dropped").at(-1)).toMatchObject({
      totalDropped: stats.droppedMessages,
    });
    await within(sink.closed(500), 5_000, "closed(500)");
    expect(sink.stats.ackedMessages).toBe(0);
    // What closed() gave up on is counted as dropped, and reported.
    expect(sink.stats).toMatchObject({ queuedMessages: 0, droppedMessages: stats.sentMessages });
    expect(events.at(-1)).toEqual({
      type: "dropped",
      messages: stats.queuedMessages,
      totalDropped: stats.sentMessages,
    });
    expectObeyed(server);
    const sent = server.connections.flatMap((c) => c.raw.frames).filter((f) => f.type === FrameType.DATA);
    expect(sent.reduce((n, f) => n + f.payload.length, 0)).toBeLessThanOrEqual(65_535);
  });

  for (const breach of ["DATA on a stream never opened", "a frame over SETTINGS_MAX_FRAME_SIZE"] as const) {
    it(`goes away with the right error when the server sends ${breach}, and delivers on the next connection`, async () => {
      const server = await start({
        onRead: (c, frames) => {
          const request = frames.find((f) => f.type === FrameType.HEADERS);
          if (c.index !== 0 || request === undefined) return;
          if (breach === "DATA on a stream never opened")
            c.raw.send(FrameType.DATA, 0, 99, new Uint8Array(10));
          else {
            const max = c.raw.clientSettings.get(Setting.MAX_FRAME_SIZE) ?? 16_384;
            c.raw.send(FrameType.DATA, 0, request.streamId, new Uint8Array(max + 1));
          }
        },
        onRequestEnd: (s) => {
          if (s.connection.index > 0) s.ok();
        },
      });
      const { messages, pixels } = frames(3, 64, 64);
      const { sink, events } = sinkTo(server);
      for (const m of messages) sink.send(m);
      await sink.flushed(10_000);
      const [first] = server.connections;
      const goaway = first!.clientFrames((f) => f.type === FrameType.GOAWAY);
      expect(goaway).toHaveLength(1);
      const code = new DataView(goaway[0]!.payload.buffer).getUint32(4);
      const [expectedCode, text] =
        breach === "DATA on a stream never opened"
          ? [ErrorCode.PROTOCOL_ERROR, /DATA on stream 99, which we did not open/]
          : [ErrorCode.FRAME_SIZE_ERROR, /has 1048577 bytes, more than our SETTINGS_MAX_FRAME_SIZE 1048576/];
      expect(code).toBe(expectedCode);
      expect(types(events)).toEqual(["disconnected", "connected"]);
      expect(events[0]).toMatchObject({ error: expect.stringMatching(text) as unknown });
      expect(server.connections).toHaveLength(2);
      expectObeyed(server);
      expectDelivered(server, pixels);
      expect(server.acknowledged.every((s) => s.connection.index === 1)).toBe(true);
    });
  }
});
