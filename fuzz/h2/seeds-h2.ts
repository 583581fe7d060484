// The HTTP/2 fuzzer's seeds: valid server transcripts. For `readMessages`, ReadMessages responses carrying real
// messages made with the SDK (a SetStoreInfo and small images logged with a RecordingStream), framed in every
// legal way (split and merged DATA, padding, PRIORITY, CONTINUATION, HPACK indexing and Huffman, interleaved
// control frames, GOAWAY, resets, error statuses). For `GrpcSink`, a WriteMessages server's replies: SETTINGS,
// WINDOW_UPDATEs, response HEADERS, trailers, GOAWAY and RST_STREAM sequences.
import { create, toBinary } from "@bufbuild/protobuf";
import { type RrdMessage, grpcFrame, rrdMessageToProto, sdkCommsPb } from "@iris/rrd";
import { Image, MemorySink, RecordingStream } from "@iris/sdk";
import {
  Flag,
  FrameType,
  Setting,
  frameBytes,
  padded,
  settingsPayload,
} from "../../tests/live/raw-h2-server.ts";
import { type HpackOp, hpackEncode } from "./hpack-encode.ts";
import type { Segment, Transcript } from "./transcript.ts";

/**
 * A small recording made with the SDK: SetStoreInfo, then one ArrowMsg per image (8×6 L, 4×3 RGB, 16×2 L, and one
 * of 160×120 L, larger than a 16 KiB frame and the default 64 KiB window is not).
 */
export function sdkMessages(): RrdMessage[] {
  const sink = new MemorySink();
  const rec = new RecordingStream({
    applicationId: "fuzz-h2",
    recordingId: "r",
    sink,
    sendProperties: false,
  });
  const shapes: [number, number, "L" | "RGB"][] = [
    [8, 6, "L"],
    [4, 3, "RGB"],
    [16, 2, "L"],
    [160, 120, "L"],
  ];
  shapes.forEach(([width, height, colorModel], i) => {
    const bytes = new Uint8Array(width * height * (colorModel === "L" ? 1 : 3));
    let x = 0x9e3779b9 ^ (i * 7919 + 1); // pseudo-random pixels: LZ4 does not shrink them
    for (let j = 0; j < bytes.length; j++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      bytes[j] = x >>> 24;
    }
    rec.setTimeSequence("frame", i);
    rec.log("image", new Image(bytes, { width, height, colorModel }));
    rec.flush();
  });
  rec.close();
  return sink.messages;
}

/** A ReadMessagesResponse carrying `message`, as a gRPC frame. */
export function responseFrame(message: RrdMessage): Uint8Array {
  const response = create(sdkCommsPb.ReadMessagesResponseSchema, {
    logMsg: { msg: rrdMessageToProto(message) },
  });
  return grpcFrame(toBinary(sdkCommsPb.ReadMessagesResponseSchema, response), 0);
}

export interface H2Seed {
  name: string;
  transcript: Transcript;
  /** What the unmutated seed must give: every message and a clean end ("ok"), or a LiveError / counted outcome. */
  expect: "ok" | "error";
}

const f = frameBytes;
const settings = (s: readonly (readonly [number, number])[]): Uint8Array =>
  f(FrameType.SETTINGS, 0, 0, settingsPayload(s));
const SETTINGS_ACK = f(FrameType.SETTINGS, Flag.ACK, 0);
const u32 = (n: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0);
  return out;
};
const windowUpdate = (streamId: number, n: number): Uint8Array =>
  f(FrameType.WINDOW_UPDATE, 0, streamId, u32(n));
const goaway = (last: number, code: number, debug = ""): Uint8Array =>
  f(FrameType.GOAWAY, 0, 0, Buffer.concat([u32(last), u32(code), new TextEncoder().encode(debug)]));
const ping = (ack: boolean): Uint8Array =>
  f(FrameType.PING, ack ? Flag.ACK : 0, 0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
const headers = (block: Uint8Array, flags = 0, streamId = 1): Uint8Array =>
  f(FrameType.HEADERS, Flag.END_HEADERS | flags, streamId, block);
const trailersBlock = (code = 0, message?: string): Uint8Array =>
  hpackEncode([
    { op: "literal", name: "grpc-status", value: String(code), indexing: "without" },
    ...(message === undefined
      ? []
      : [{ op: "literal", name: "grpc-message", value: message, indexing: "never" } satisfies HpackOp]),
  ]);
const trailers = (code = 0, message?: string): Uint8Array =>
  headers(trailersBlock(code, message), Flag.END_STREAM);

/** Response headers: plain literals. */
const RESPONSE_PLAIN = hpackEncode([
  { op: "literal", name: ":status", value: "200", indexing: "without" },
  { op: "literal", name: "content-type", value: "application/grpc", indexing: "without" },
]);
/** Response headers as a real server writes them: indexed :status, Huffman, incremental indexing. */
const RESPONSE_INDEXED = hpackEncode([
  { op: "size", size: 4096 },
  { op: "indexed", index: 8 }, // :status 200
  { op: "literal", name: 31, value: "application/grpc", indexing: "incremental", huffman: true }, // content-type
  {
    op: "literal",
    name: "grpc-accept-encoding",
    value: "identity,gzip",
    indexing: "incremental",
    huffman: true,
  },
  { op: "literal", name: "date", value: "Thu, 03 Dec 2026 11:00:00 GMT", indexing: "never", huffman: true },
]);
/** Trailers after RESPONSE_INDEXED, naming a field of its dynamic table by index (62 = the newest entry). */
const TRAILERS_INDEXED = hpackEncode([
  { op: "literal", name: "grpc-status", value: "0", indexing: "incremental", huffman: true },
  { op: "indexed", index: 62 }, // grpc-status: 0, just added
  { op: "indexed", index: 63 }, // grpc-accept-encoding
]);

/** `bytes` split into pieces of `size`. */
function pieces(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

function readSeed(
  name: string,
  connect: Uint8Array[],
  request: Uint8Array[],
  expect: "ok" | "error" = "ok",
): H2Seed {
  const segments: Segment[] = [
    { after: "connect", writes: connect },
    { after: "request", writes: request },
  ];
  return { name, expect, transcript: { target: "read", seed: name, segments, windowBytes: 32 << 20 } };
}

/** The readMessages seeds, over `messages` (sdkMessages()). */
export function readSeeds(messages: readonly RrdMessage[]): H2Seed[] {
  const frames = messages.map(responseFrame);
  const body = Buffer.concat(frames);
  const data = (payload: Uint8Array, flags = 0): Uint8Array => f(FrameType.DATA, flags, 1, payload);
  const oneEach = frames.map((m) => data(m));
  return [
    readSeed("read-basic", [settings([])], [headers(RESPONSE_PLAIN), ...oneEach, trailers()]),
    readSeed(
      "read-indexed-huffman",
      [
        settings([
          [Setting.HEADER_TABLE_SIZE, 4096],
          [Setting.MAX_CONCURRENT_STREAMS, 100],
        ]),
        SETTINGS_ACK,
      ],
      [headers(RESPONSE_INDEXED), ...oneEach, headers(TRAILERS_INDEXED, Flag.END_STREAM), goaway(1, 0)],
    ),
    readSeed(
      "read-split-data",
      [settings([[Setting.MAX_FRAME_SIZE, 16384]])],
      [headers(RESPONSE_PLAIN), ...pieces(body, 97).map((p) => data(p)), data(new Uint8Array(0)), trailers()],
    ),
    readSeed(
      "read-merged-end-stream-data",
      [settings([]), windowUpdate(0, 1 << 20)],
      // everything in one DATA frame, then trailers; a last empty DATA could end it instead: here trailers do
      [headers(RESPONSE_PLAIN), data(body), trailers()],
    ),
    readSeed(
      "read-padded-priority",
      [settings([[Setting.INITIAL_WINDOW_SIZE, 1 << 20]])],
      [
        f(
          FrameType.HEADERS,
          Flag.END_HEADERS | Flag.PADDED | Flag.PRIORITY,
          1,
          Buffer.concat([Uint8Array.of(3, 0, 0, 0, 0, 15), RESPONSE_PLAIN, new Uint8Array(3)]),
        ),
        ...frames.map((m, i) => f(FrameType.DATA, Flag.PADDED, 1, padded(m, i * 7))),
        f(FrameType.PRIORITY, 0, 1, Uint8Array.of(0, 0, 0, 0, 20)),
        trailers(),
      ],
    ),
    readSeed(
      "read-continuation",
      [settings([])],
      [
        f(FrameType.HEADERS, 0, 1, RESPONSE_INDEXED.subarray(0, 5)),
        f(FrameType.CONTINUATION, 0, 1, RESPONSE_INDEXED.subarray(5, 20)),
        f(FrameType.CONTINUATION, Flag.END_HEADERS, 1, RESPONSE_INDEXED.subarray(20)),
        ...oneEach,
        f(FrameType.HEADERS, Flag.END_STREAM, 1, TRAILERS_INDEXED.subarray(0, 3)),
        f(FrameType.CONTINUATION, Flag.END_HEADERS, 1, TRAILERS_INDEXED.subarray(3)),
      ],
    ),
    readSeed(
      "read-interleaved-control",
      [settings([[Setting.ENABLE_PUSH, 0]]), ping(false)],
      [
        headers(RESPONSE_PLAIN),
        data(frames[0]!),
        ping(false),
        settings([
          [Setting.INITIAL_WINDOW_SIZE, 1000],
          [Setting.HEADER_TABLE_SIZE, 0],
        ]),
        data(frames[1]!),
        f(0x20, 0xff, 1, Uint8Array.of(9, 9, 9)), // an unknown frame type: ignored
        SETTINGS_ACK,
        windowUpdate(1, 5000),
        data(frames[2]!),
        ping(true),
        data(frames[3]!),
        data(frames[4]!),
        trailers(),
      ],
    ),
    readSeed(
      "read-end-stream-on-data",
      [settings([])],
      [
        headers(RESPONSE_PLAIN),
        ...oneEach,
        // trailers-less end: the client must call this a missing status (an error), not a clean end
        data(new Uint8Array(0), Flag.END_STREAM),
      ],
      "error",
    ),
    readSeed(
      "read-status-error",
      [settings([])],
      [headers(RESPONSE_PLAIN), oneEach[0]!, trailers(14, "unavailable%20now")],
      "error",
    ),
    readSeed(
      "read-trailers-only",
      [settings([])],
      [headers(Buffer.concat([RESPONSE_PLAIN, trailersBlock(5)]), Flag.END_STREAM)],
      "error",
    ),
    readSeed(
      "read-rst-stream",
      [settings([])],
      [headers(RESPONSE_PLAIN), oneEach[0]!, f(FrameType.RST_STREAM, 0, 1, u32(2))],
      "error",
    ),
    readSeed(
      "read-goaway-mid-stream",
      [settings([])],
      [headers(RESPONSE_PLAIN), oneEach[0]!, oneEach[1]!, goaway(0, 0, "bye")],
      "error",
    ),
    readSeed(
      "read-http-503",
      [settings([])],
      [
        headers(hpackEncode([{ op: "indexed", index: 14 }]), Flag.END_STREAM), // :status 500
      ],
      "error",
    ),
  ];
}

function sinkSeed(name: string, segments: Segment[], sinkOptions?: Transcript["sinkOptions"]): H2Seed {
  const transcript: Transcript = { target: "sink", seed: name, segments, windowBytes: 32 << 20 };
  return {
    name,
    expect: "ok",
    transcript: sinkOptions === undefined ? transcript : { ...transcript, sinkOptions },
  };
}

/** An OK answer on `streamId`: response headers, an empty WriteMessagesResponse, trailers with grpc-status 0. */
function okAnswer(streamId = 1, indexed = false): Uint8Array[] {
  return [
    headers(indexed ? RESPONSE_INDEXED : RESPONSE_PLAIN, 0, streamId),
    f(FrameType.DATA, 0, streamId, new Uint8Array(5)),
    headers(indexed ? TRAILERS_INDEXED : trailersBlock(0), Flag.END_STREAM, streamId),
  ];
}

/** A server that lets the sink send ~1 MiB at once (its messages are ~100 KB, over the default windows). */
const GENEROUS = [settings([[Setting.INITIAL_WINDOW_SIZE, 1 << 20]]), windowUpdate(0, 1 << 20)];

/**
 * The GrpcSink seeds. Whatever the first connection does, the next ones reach a well-behaved server (see
 * transcript-server.ts), so every message ends delivered, or counted as dropped or rejected.
 */
export function sinkSeeds(): H2Seed[] {
  return [
    sinkSeed("sink-ok", [
      { after: "connect", writes: GENEROUS },
      { after: "request-end", writes: [...okAnswer(), goaway(1, 0)] },
    ]),
    sinkSeed("sink-small-windows", [
      {
        after: "connect",
        writes: [
          settings([
            [Setting.INITIAL_WINDOW_SIZE, 100],
            [Setting.MAX_FRAME_SIZE, 16384],
            [Setting.MAX_CONCURRENT_STREAMS, 1],
          ]),
        ],
      },
      {
        after: "request",
        writes: [
          windowUpdate(0, 200),
          windowUpdate(1, 300),
          windowUpdate(1, 1 << 17),
          windowUpdate(0, 1 << 17),
        ],
      },
      { after: "request-end", writes: [...okAnswer(1, true), goaway(1, 0)] },
    ]),
    sinkSeed("sink-window-zero-then-raised", [
      { after: "connect", writes: [settings([[Setting.INITIAL_WINDOW_SIZE, 0]])] },
      {
        after: "request",
        writes: [
          ping(false),
          settings([[Setting.INITIAL_WINDOW_SIZE, 1 << 20]]),
          SETTINGS_ACK,
          windowUpdate(0, 1 << 20),
        ],
      },
      { after: "request-end", writes: [...okAnswer(), goaway(1, 0)] },
    ]),
    sinkSeed("sink-refused", [
      { after: "connect", writes: [settings([])] },
      { after: "request", writes: [f(FrameType.RST_STREAM, 0, 1, u32(7)), goaway(1, 0)] }, // REFUSED_STREAM
    ]),
    // Write streams closed every millisecond: answers for three pipelined streams, interleaved, a refused fourth.
    sinkSeed(
      "sink-pipelined",
      [
        { after: "connect", writes: GENEROUS },
        {
          after: "request-end",
          writes: [
            ...okAnswer(1).slice(0, 2),
            ...okAnswer(3, true).slice(0, 1),
            okAnswer(1)[2]!,
            ...okAnswer(3, true).slice(1),
            ...okAnswer(5),
            f(FrameType.RST_STREAM, 0, 7, u32(7)),
            goaway(5, 0),
          ],
        },
      ],
      { ackIntervalMs: 1 },
    ),
    sinkSeed("sink-goaway-first", [{ after: "connect", writes: [settings([]), goaway(0, 0, "draining")] }]),
    sinkSeed("sink-invalid-argument", [
      { after: "connect", writes: GENEROUS },
      { after: "request-end", writes: [headers(RESPONSE_PLAIN), trailers(3, "bad%20request"), goaway(1, 0)] },
    ]),
    sinkSeed("sink-unavailable-trailers-only", [
      { after: "connect", writes: [settings([])] },
      {
        after: "request",
        writes: [headers(Buffer.concat([RESPONSE_PLAIN, trailersBlock(14)]), Flag.END_STREAM)],
      },
    ]),
    sinkSeed("sink-protocol-error", [
      { after: "connect", writes: [settings([])] },
      { after: "request", writes: [goaway(1, 1, "protocol error")] },
    ]),
  ];
}
