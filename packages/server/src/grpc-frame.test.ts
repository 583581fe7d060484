import * as http2 from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { GrpcFrameDecoder, commonPb, logMsgPb, logMsgArrowPayloadOffset, sdkCommsPb } from "@iris/rrd";
import { afterEach, describe, expect, it } from "vitest";
import { readMessagesFrame } from "./grpc-frame.ts";
import { ProxyServer } from "./proxy-server.ts";
import { ChunkBuilder, chunkToIpc } from "@iris/chunk";
import { ImageBufferType, ImageDescriptors, batch, concatBytes, defaultTuidGenerator } from "@iris/types";

type LogMsg = logMsgPb.LogMsg;

function storeId(): commonPb.StoreId {
  return create(commonPb.StoreIdSchema, {
    kind: commonPb.StoreKind.RECORDING,
    recordingId: "rec",
    applicationId: { id: "frames" },
  });
}

function arrowMessage(payloadBytes: number, extra: { isStatic?: boolean; chunkId?: boolean } = {}): LogMsg {
  // A real chunk (the proxy decodes every ArrowMsg's IPC) holding an image buffer of about `payloadBytes`.
  const pixels = new Uint8Array(Math.max(1, payloadBytes - 1200));
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + 7) & 0xff;
  const payload = chunkToIpc(
    new ChunkBuilder("/frames")
      .addRow(defaultTuidGenerator.next(), new Map(), [
        batch(ImageDescriptors.buffer, ImageBufferType, [pixels]),
      ])
      .build(),
  );
  const arrow = create(logMsgPb.ArrowMsgSchema, {
    storeId: storeId(),
    compression: commonPb.Compression.NONE,
    uncompressedSize: BigInt(payload.length),
    encoding: logMsgPb.Encoding.ARROW_IPC,
    payload,
  });
  if (extra.isStatic !== undefined) arrow.isStatic = extra.isStatic;
  if (extra.chunkId ?? true) arrow.chunkId = create(commonPb.TuidSchema, { timeNs: 123n, inc: 456n });
  return create(logMsgPb.LogMsgSchema, { msg: { case: "arrowMsg", value: arrow } });
}

function storeInfoMessage(): LogMsg {
  const value = create(logMsgPb.SetStoreInfoSchema, {
    rowId: { timeNs: 1n, inc: 2n },
    info: { storeId: storeId(), storeSource: {} },
  });
  return create(logMsgPb.LogMsgSchema, { msg: { case: "setStoreInfo", value } });
}

/** What connect-node writes for one ReadMessagesResponse: the frame header, then `toBinary`. */
function expectedFrame(msg: LogMsg): Uint8Array {
  return frameOf(
    toBinary(
      sdkCommsPb.ReadMessagesResponseSchema,
      create(sdkCommsPb.ReadMessagesResponseSchema, { logMsg: msg }),
    ),
  );
}

function writeRequestFrame(msg: LogMsg): Uint8Array {
  return frameOf(
    toBinary(
      sdkCommsPb.WriteMessagesRequestSchema,
      create(sdkCommsPb.WriteMessagesRequestSchema, { logMsg: msg }),
    ),
  );
}

function frameOf(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + bytes.length);
  new DataView(out.buffer).setUint32(1, bytes.length);
  out.set(bytes, 5);
  return out;
}

function cases(): [string, LogMsg][] {
  return [
    ["small ArrowMsg", arrowMessage(100)],
    ["300 kB ArrowMsg (3-byte lengths)", arrowMessage(300_003)],
    ["static ArrowMsg", arrowMessage(5000, { isStatic: true })],
    ["non-static ArrowMsg, no chunk id", arrowMessage(300, { isStatic: false, chunkId: false })],
    ["SetStoreInfo", storeInfoMessage()],
  ];
}

describe("readMessagesFrame", () => {
  it("is byte-identical to the frame header + protobuf-es toBinary, and keeps the message's content", () => {
    for (const [name, msg] of cases()) {
      const expected = expectedFrame(msg);
      const frame = readMessagesFrame(msg);
      expect(sameBytes(frame, expected), name).toBe(true);
      // The payload now views the frame, with unchanged content: serializing the message again gives the same.
      expect(sameBytes(expectedFrame(msg), expected), name).toBe(true);
    }
  });

  it("forwards a canonical producer frame without copying it, and re-encodes one that is not canonical", () => {
    for (const [name, msg] of cases()) {
      const expected = expectedFrame(msg);
      const decoder = new GrpcFrameDecoder(1 << 30, () => new Error("too large"));
      const wire = writeRequestFrame(msg);
      const frames = [];
      for (let at = 0; at < wire.length; at += 7777)
        frames.push(...decoder.push(wire.subarray(at, at + 7777)));
      expect(frames, name).toHaveLength(1);
      const received = frames[0]!;
      const decoded = fromBinary(sdkCommsPb.WriteMessagesRequestSchema, received.bytes);
      const out = readMessagesFrame(decoded.logMsg!, received.frame);
      expect(out, name).toBe(received.frame);
      expect(sameBytes(out, expected), name).toBe(true);

      // An unknown field appended by a (hypothetical) newer producer: the proxy writes the canonical bytes.
      const extended = frameOf(concat(received.bytes, Uint8Array.of((15 << 3) | 0, 1)));
      const [ext] = new GrpcFrameDecoder(1 << 30, () => new Error("too large")).push(extended);
      const extMsg = fromBinary(sdkCommsPb.WriteMessagesRequestSchema, ext!.bytes).logMsg!;
      const rebuilt = readMessagesFrame(extMsg, ext!.frame);
      expect(rebuilt, name).not.toBe(ext!.frame);
      expect(sameBytes(rebuilt, expected), name).toBe(true);
    }
  });
});

describe("GrpcFrameDecoder", () => {
  it("splits frames across and within chunks of any size, and refuses a length over the limit", () => {
    const msgs = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(20_000).fill(9)];
    const wire = concat(...msgs.map(frameOf));
    for (const step of [1, 3, 5, 6, 1000, wire.length]) {
      const decoder = new GrpcFrameDecoder(100_000, () => new Error("too large"));
      const got: Uint8Array[] = [];
      for (let at = 0; at < wire.length; at += step) {
        for (const f of decoder.push(wire.subarray(at, at + step))) {
          expect(f.bytes.buffer).toBe(f.frame.buffer);
          got.push(f.bytes);
        }
      }
      expect(got.length, `step ${step}`).toBe(msgs.length);
      got.forEach((g, i) => expect(sameBytes(g, msgs[i]!), `step ${step}`).toBe(true));
      expect(decoder.atBoundary).toBe(true);
    }
    const small = new GrpcFrameDecoder(10, (n) => new Error(`too large: ${n}`));
    expect(() => small.push(frameOf(new Uint8Array(11)).subarray(0, 5))).toThrow("too large: 11");
    const partial = new GrpcFrameDecoder(100, () => new Error("too large"));
    partial.push(frameOf(new Uint8Array(8)).subarray(0, 9));
    expect(partial.atBoundary).toBe(false);
  });
});

describe("GrpcFrameDecoder payload alignment", () => {
  it("places each uncompressed ArrowMsg payload on an 8-byte boundary, whatever the chunking", () => {
    for (const [name, msg] of cases()) {
      const wire = writeRequestFrame(msg);
      const body = wire.subarray(5);
      const decoded = fromBinary(sdkCommsPb.WriteMessagesRequestSchema, body).logMsg!.msg;
      const offset = logMsgArrowPayloadOffset(body);
      if (decoded.case !== "arrowMsg") {
        expect(offset, name).toBe(-1);
        continue;
      }
      // The offset found by walking the fields is where the payload's bytes are.
      const payload = decoded.value.payload;
      expect(payload.byteOffset - body.byteOffset, name).toBe(offset);
      for (const step of [1, 2, 13, 511, 512, 513, wire.length]) {
        const decoder = new GrpcFrameDecoder(1 << 30, () => new Error("too large"));
        const frames = [];
        for (let at = 0; at < wire.length; at += step)
          frames.push(...decoder.push(wire.subarray(at, at + step)));
        expect(frames, `${name}, step ${step}`).toHaveLength(1);
        const f = frames[0]!;
        expect(sameBytes(f.frame, wire), `${name}, step ${step}`).toBe(true);
        expect((f.bytes.byteOffset + offset) % 8, `${name}, step ${step}`).toBe(0);
        const got = fromBinary(sdkCommsPb.WriteMessagesRequestSchema, f.bytes).logMsg!.msg;
        expect(got.case === "arrowMsg" && got.value.payload.byteOffset % 8, name).toBe(0);
      }
    }
    // Not an ArrowMsg, cut short, or garbage: no offset.
    expect(logMsgArrowPayloadOffset(new Uint8Array(0))).toBe(-1);
    expect(logMsgArrowPayloadOffset(Uint8Array.of(0x0a, 0x05, 0x12))).toBe(-1);
    expect(logMsgArrowPayloadOffset(Uint8Array.of(0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(-1);
    expect(logMsgArrowPayloadOffset(Uint8Array.of(0x0a, 0x04, 0x12, 0x02, 0x0b, 0x00))).toBe(-1);
  });
});

const servers: ProxyServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe("ReadMessages over gRPC (h2c)", () => {
  it("sends every reader, live or late, the same bytes: protobuf-es toBinary of each message", async () => {
    const server = new ProxyServer({ port: 0 });
    servers.push(server);
    await server.listen();
    const messages = [storeInfoMessage(), arrowMessage(3_000_000), arrowMessage(10, { isStatic: true })];
    const expected = concat(...messages.map(expectedFrame));

    const live = [rawReader(server.url), rawReader(server.url)];
    await new Promise((r) => setTimeout(r, 200)); // both calls registered
    const client = createClient(sdkCommsPb.MessageProxyService, createGrpcTransport({ baseUrl: server.url }));
    await client.writeMessages(
      (async function* () {
        for (const logMsg of messages) yield create(sdkCommsPb.WriteMessagesRequestSchema, { logMsg });
      })(),
    );
    const late = rawReader(server.url);
    const results = await Promise.all([...live, late].map((r) => r.until(expected.length)));
    for (const bytes of results) expect(sameBytes(bytes, expected)).toBe(true);
    // Served by the shared-frame path: each message was serialized once, for all readers.
    expect(server.hub.backlog.snapshot().map((e) => e.frame !== undefined)).toEqual([true, true, true]);
    for (const r of [...live, late]) r.close();
  });
});

/** A bare HTTP/2 gRPC ReadMessages call that collects the raw response body. */
function rawReader(url: string): { until: (bytes: number) => Promise<Uint8Array>; close: () => void } {
  const session = http2.connect(url);
  session.on("error", () => undefined);
  const stream = session.request({
    ":method": "POST",
    ":path": "/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages",
    "content-type": "application/grpc",
    te: "trailers",
  });
  stream.on("error", () => undefined);
  stream.end(new Uint8Array(5));
  const chunks: Uint8Array[] = [];
  let length = 0;
  let wake: (() => void) | undefined;
  stream.on("data", (chunk: Uint8Array) => {
    chunks.push(chunk);
    length += chunk.length;
    wake?.();
  });
  return {
    until: async (bytes) => {
      while (length < bytes) await new Promise<void>((r) => (wake = r));
      return concat(...chunks);
    },
    close: () => {
      stream.close();
      session.close();
    },
  };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** Byte equality (`toEqual` on multi-MB arrays is slow). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
