// connect(): write streams are pipelined — the next WriteMessages call is written while the previous one's status
// (its acknowledgement) is still awaited — and acknowledgements are still applied in stream order; when an earlier
// pipelined stream fails, nothing it or the streams behind it carried is lost. The server here is a bare HTTP/2
// one that answers each call only when the test says so.
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { fromBinary } from "@bufbuild/protobuf";
import { sdkCommsPb } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { GrpcSink, connect } from "@iris/sdk/node";
import { expect, it } from "vitest";
import { liveTestContext } from "./live-helpers.ts";

const { cleanup } = liveTestContext();

/** One WriteMessages call as the server saw it: its messages, once the request has ended. */
interface Call {
  messages: sdkCommsPb.WriteMessagesRequest[];
  ended: Promise<void>;
  ok(): void;
  fail(code: number, message?: string): void;
}

/** Splits a gRPC request body into WriteMessagesRequests. */
function decode(body: Uint8Array): sdkCommsPb.WriteMessagesRequest[] {
  const out: sdkCommsPb.WriteMessagesRequest[] = [];
  for (let at = 0; at < body.length;) {
    const length = new DataView(body.buffer, body.byteOffset + at + 1, 4).getUint32(0);
    out.push(fromBinary(sdkCommsPb.WriteMessagesRequestSchema, body.subarray(at + 5, at + 5 + length)));
    at += 5 + length;
  }
  return out;
}

/** A WriteMessages server whose calls wait for `ok()`/`fail()`; `autoOk` answers calls from that index on at once. */
async function heldServer(): Promise<{
  url: string;
  calls: Call[];
  nextCall(): Promise<Call>;
  autoOkFrom: number;
}> {
  const calls: Call[] = [];
  const waiters: ((c: Call) => void)[] = [];
  const state = { url: "", calls, autoOkFrom: Number.POSITIVE_INFINITY, nextCall: undefined as never };
  const server = http2.createServer();
  server.on("stream", (stream) => {
    const chunks: Uint8Array[] = [];
    let endedResolve: () => void = () => undefined;
    const call: Call = {
      messages: [],
      ended: new Promise<void>((r) => (endedResolve = r)),
      ok() {
        stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
        stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end(new Uint8Array(5)); // an empty WriteMessagesResponse
      },
      fail(code, message = "held") {
        stream.respond(
          {
            ":status": 200,
            "content-type": "application/grpc",
            "grpc-status": String(code),
            "grpc-message": message,
          },
          { endStream: true },
        );
      },
    };
    stream.on("data", (c: Uint8Array) => chunks.push(c));
    stream.on("end", () => {
      call.messages = decode(Buffer.concat(chunks));
      endedResolve();
      if (calls.indexOf(call) >= state.autoOkFrom) call.ok();
    });
    stream.on("error", () => undefined);
    calls.push(call);
    waiters.shift()?.(call);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        // Sessions the sink left open end with the server.
        for (const s of sessions) s.destroy();
      }),
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => sessions.add(s));
  state.url = `rerun+http://127.0.0.1:${(server.address() as AddressInfo).port}/proxy`;
  let taken = 0;
  return Object.assign(state, {
    nextCall: (): Promise<Call> => {
      const i = taken++;
      return i < calls.length ? Promise.resolve(calls[i]!) : new Promise<Call>((r) => waiters.push(r));
    },
  });
}

function producer(url: string): { rec: RecordingStream; sink: GrpcSink; logFrame(i: number): void } {
  // No recording properties: the messages are SetStoreInfo, then one ArrowMsg per flushed frame.
  const rec = new RecordingStream({ applicationId: "pipelining", recordingId: "p", sendProperties: false });
  const sink = connect(url, rec, {
    ackIntervalMs: 60_000,
    minBackoffMs: 10,
    maxBackoffMs: 20,
    flushOnExit: false,
  });
  cleanup.push(() => sink.closed(1_000));
  return {
    rec,
    sink,
    logFrame(i) {
      rec.setTimeSequence("frame", i);
      rec.log("frame", new Image(new Uint8Array(64).fill(i), { width: 8, height: 8, colorModel: "L" }));
      rec.flush(); // ends the current write stream once the frame is written
    },
  };
}

const kinds = (call: Call): (string | undefined)[] => call.messages.map((m) => m.logMsg?.msg.case);
const payloads = (calls: Call[]): Uint8Array[] =>
  calls.flatMap((c) =>
    c.messages.flatMap((m) => (m.logMsg?.msg.case === "arrowMsg" ? [m.logMsg.msg.value.payload] : [])),
  );

it("writes the next stream while the previous one's status is awaited, and acknowledges in stream order", async () => {
  const server = await heldServer();
  const { sink, logFrame } = producer(server.url);
  logFrame(0);
  const first = await server.nextCall();
  await first.ended;
  logFrame(1);
  // Without pipelining the sink would wait for the first call's status before opening this one.
  const second = await server.nextCall();
  await second.ended;
  expect(kinds(first)).toEqual(["setStoreInfo", "arrowMsg"]);
  expect(kinds(second)).toEqual(["arrowMsg"]);
  expect(sink.stats.ackedMessages).toBe(0);
  // The second call's OK alone acknowledges nothing: the first call's messages come first.
  second.ok();
  const flushed = sink.flushed();
  await new Promise((r) => setTimeout(r, 50));
  expect(sink.stats.ackedMessages).toBe(0);
  first.ok();
  await flushed;
  expect(sink.stats).toMatchObject({ ackedMessages: 3, queuedMessages: 0, reconnects: 0 });
});

it("resends everything unacknowledged, SetStoreInfo first, when an earlier pipelined stream fails", async () => {
  const server = await heldServer();
  const { sink, logFrame } = producer(server.url);
  logFrame(0);
  const first = await server.nextCall();
  await first.ended;
  logFrame(1);
  const second = await server.nextCall();
  await second.ended;
  server.autoOkFrom = 2;
  second.ok();
  first.fail(14); // UNAVAILABLE: retried
  await sink.flushed(10_000);
  const retry = server.calls.slice(2);
  expect(retry.length).toBeGreaterThan(0);
  // SetStoreInfo first on the new connection, once: it was still queued, so it is not replayed a second time.
  expect(retry.flatMap(kinds)).toEqual(["setStoreInfo", "arrowMsg", "arrowMsg"]);
  // The same two frames, in order: nothing lost, nothing reordered.
  expect(payloads(retry)).toEqual(payloads([first, second]));
  expect(sink.stats).toMatchObject({ ackedMessages: 3, queuedMessages: 0, reconnects: 1 });
});

it("replays an acknowledged SetStoreInfo before resending the rest on a new connection", async () => {
  const server = await heldServer();
  const { sink, logFrame } = producer(server.url);
  logFrame(0);
  const first = await server.nextCall();
  await first.ended;
  first.ok(); // SetStoreInfo and frame 0 are on the server
  await new Promise((r) => setTimeout(r, 50));
  logFrame(1);
  const second = await server.nextCall();
  await second.ended;
  server.autoOkFrom = 2;
  second.fail(14);
  await sink.flushed(10_000);
  const retry = server.calls.slice(2);
  expect(retry.flatMap(kinds)).toEqual(["setStoreInfo", "arrowMsg"]);
  expect(payloads(retry)).toEqual(payloads([second]));
});

it("reports a refusal with the server's message, its control characters escaped", async () => {
  const server = await heldServer();
  const events: string[] = [];
  const rec = new RecordingStream({ applicationId: "refused", recordingId: "r", sendProperties: false });
  const sink = connect(server.url, rec, {
    ackIntervalMs: 60_000,
    flushOnExit: false,
    onEvent: (e) => {
      if (e.type === "rejected") events.push(e.error);
    },
  });
  cleanup.push(() => sink.closed(1_000));
  rec.log("frame", new Image(new Uint8Array(64), { width: 8, height: 8, colorModel: "L" }));
  rec.flush();
  const call = await server.nextCall();
  await call.ended;
  call.fail(3, "bad%1B%5D0%3Bpwned%07 frame"); // INVALID_ARGUMENT: not retried, reported
  await sink.flushed(5_000);
  expect(events).toHaveLength(1);
  expect(events[0]).toContain("bad\\x1b]0;pwned\\x07 frame");
  expect([...events[0]!].filter((c) => c < " " || (c >= "\u007f" && c <= "\u009f"))).toEqual([]);
});

it("queueBelow resolves once acknowledgements bring the queue down to the bound, without a flush", async () => {
  const server = await heldServer();
  const { sink, logFrame } = producer(server.url);
  logFrame(0);
  const first = await server.nextCall();
  await first.ended;
  logFrame(1);
  const second = await server.nextCall();
  await second.ended;
  const queued = sink.stats.queuedBytes;
  await sink.queueBelow(queued); // already there
  let below = false;
  const waiting = sink.queueBelow(queued - 1).then(() => (below = true));
  await new Promise((r) => setTimeout(r, 50));
  expect(below).toBe(false);
  first.ok();
  await waiting;
  expect(sink.stats.queuedBytes).toBeLessThan(queued);
  expect(sink.stats.queuedMessages).toBe(1); // the second call's frame still awaits its OK
  second.ok();
  await sink.flushed(5_000);
});

it("replays the SetStoreInfo of every recording on the sink, even of two whose ids differ only in where a '/' falls", async () => {
  const server = await heldServer();
  const sink = new GrpcSink(server.url, { ackIntervalMs: 60_000, minBackoffMs: 10, maxBackoffMs: 20 });
  cleanup.push(() => sink.closed(1_000));
  // Read as `APP/REC`, both are "cam/left/run": one sink must still keep the two SetStoreInfos apart.
  const recs = [
    new RecordingStream({ applicationId: "cam/left", recordingId: "run", sendProperties: false, sink }),
    new RecordingStream({ applicationId: "cam", recordingId: "left/run", sendProperties: false, sink }),
  ];
  const logBoth = (i: number): void => {
    for (const rec of recs) {
      rec.setTimeSequence("frame", i);
      rec.log("frame", new Image(new Uint8Array(64).fill(i), { width: 8, height: 8, colorModel: "L" }));
      rec.flush();
    }
  };
  logBoth(0);
  const firsts: Call[] = [];
  while (firsts.flatMap(kinds).length < 4) {
    const call = await server.nextCall();
    await call.ended;
    firsts.push(call);
  }
  for (const call of firsts) call.ok(); // both SetStoreInfos and frame 0 of each are on the server
  await sink.flushed(10_000);
  logBoth(1);
  const failed = await server.nextCall();
  await failed.ended;
  server.autoOkFrom = server.calls.length;
  failed.fail(14);
  await sink.flushed(10_000);
  const retried = server.calls.slice(server.calls.indexOf(failed) + 1).flatMap((c) => c.messages);
  const infos = retried.flatMap((m) =>
    m.logMsg?.msg.case === "setStoreInfo" ? [m.logMsg.msg.value.info?.storeId] : [],
  );
  expect(infos.map((id) => [id?.applicationId?.id, id?.recordingId])).toEqual(
    expect.arrayContaining([
      ["cam/left", "run"],
      ["cam", "left/run"],
    ]),
  );
});
