// The proxy's gRPC service called by an independent gRPC implementation, @grpc/grpc-js (its own HTTP/2 client,
// headers and framing), rather than by connect-node: WriteMessages (client streaming) and ReadMessages (server
// streaming) with the real protobuf messages, status codes for refused messages, and several readers.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { expect, it } from "vitest";
import { type RrdMessage, rrdMessageFromProto, rrdMessageToProto, sdkCommsPb } from "@iris/rrd";
import { Image, MemorySink, RecordingStream } from "@iris/sdk";
import { imagesOf, liveTestContext, recordingMessages, startReader } from "./live-helpers.ts";

const { cleanup, startServer } = liveTestContext();
const SERVICE = "/rerun.sdk_comms.v1alpha1.MessageProxyService";

function client(serverUrl: string): grpc.Client {
  const c = new grpc.Client(new URL(serverUrl).host, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 64 * 1024 * 1024,
    "grpc.max_send_message_length": 64 * 1024 * 1024,
  });
  cleanup.push(() => c.close());
  return c;
}

/** WriteMessages from grpc-js; resolves with the status code (0 = OK) and message. */
function write(
  c: grpc.Client,
  requests: readonly sdkCommsPb.WriteMessagesRequest[],
): Promise<{ code: number; details: string }> {
  return new Promise((resolve) => {
    const call = c.makeClientStreamRequest(
      `${SERVICE}/WriteMessages`,
      (m: sdkCommsPb.WriteMessagesRequest) => Buffer.from(toBinary(sdkCommsPb.WriteMessagesRequestSchema, m)),
      (b: Buffer) => fromBinary(sdkCommsPb.WriteMessagesResponseSchema, b),
      (error) => resolve({ code: error?.code ?? 0, details: error?.details ?? "" }),
    );
    call.on("error", () => undefined);
    for (const r of requests) call.write(r);
    call.end();
  });
}

/** ReadMessages from grpc-js: the decoded messages as they arrive. */
function read(c: grpc.Client): { messages: RrdMessage[]; call: grpc.ClientReadableStream<unknown> } {
  const messages: RrdMessage[] = [];
  const call = c.makeServerStreamRequest(
    `${SERVICE}/ReadMessages`,
    (m: sdkCommsPb.ReadMessagesRequest) => Buffer.from(toBinary(sdkCommsPb.ReadMessagesRequestSchema, m)),
    (b: Buffer) => fromBinary(sdkCommsPb.ReadMessagesResponseSchema, b),
    create(sdkCommsPb.ReadMessagesRequestSchema),
  );
  call.on("data", (r: sdkCommsPb.ReadMessagesResponse) => {
    if (r.logMsg) messages.push(rrdMessageFromProto(r.logMsg.msg));
  });
  call.on("error", () => undefined);
  cleanup.push(() => call.cancel());
  return { messages, call };
}

/** A recording of `frames` 64×48 RGB images whose first byte is the frame number (LZ4 on). */
function frameRequests(recordingId: string, frames: number): sdkCommsPb.WriteMessagesRequest[] {
  const sink = new MemorySink();
  const rec = new RecordingStream({ applicationId: "grpc-js", recordingId, sink });
  for (let t = 0; t < frames; t++) {
    rec.setTimeSequence("time", t);
    const px = new Uint8Array(64 * 48 * 3).fill(t * 7);
    px[0] = t;
    rec.log("camera/image", new Image(px, { width: 64, height: 48, colorModel: "RGB" }));
    rec.flush();
  }
  rec.close();
  return sink.messages.map((m) => ({
    $typeName: "rerun.sdk_comms.v1alpha1.WriteMessagesRequest",
    logMsg: { $typeName: "rerun.log_msg.v1alpha1.LogMsg", msg: rrdMessageToProto(m) },
  }));
}

async function until(what: string, predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("grpc-js producers and readers interoperate with the proxy (live, history, several readers)", async () => {
  const server = await startServer();
  const c = client(server.url);
  const live = read(c);
  const connectReader = startReader(server.url);
  cleanup.push(() => connectReader.stop());
  await until("two readers", () => server.hub.viewerCount === 2);

  expect(await write(c, frameRequests("grpc-js-run", 12))).toEqual({ code: 0, details: "" });
  const expected = [...Array(12).keys()];
  await until("12 frames on the grpc-js reader", () => imagesOf(live.messages).length >= 12);
  await connectReader.waitFor((m) => imagesOf(m).length >= 12);
  for (const messages of [live.messages, connectReader.messages]) {
    const images = imagesOf(messages);
    expect(images.map((i) => Number(i.time))).toEqual(expected);
    expect(images.map((i) => i.pixels[0])).toEqual(expected);
    expect(images.every((i, t) => i.pixels.length === 64 * 48 * 3 && i.pixels[1] === (t * 7) % 256)).toBe(
      true,
    );
  }
  // A grpc-js reader that connects late gets the history first.
  const late = read(c);
  await until("the history on a late grpc-js reader", () => imagesOf(late.messages).length >= 12);
  expect(imagesOf(late.messages).map((i) => i.pixels[0])).toEqual(expected);
  expect(late.messages[0]?.kind).toBe("setStoreInfo");
});

it("grpc-js gets gRPC status codes for refused messages, and the proxy keeps serving", async () => {
  const server = await startServer({ maxMessageBytes: 256 * 1024 });
  const c = client(server.url);
  const tooBig = await write(c, recordingMessages("too-big", 600)); // 360 KB uncompressed message
  expect(tooBig.code, tooBig.details).toBe(grpc.status.RESOURCE_EXHAUSTED);
  const garbage = await write(c, [
    create(sdkCommsPb.WriteMessagesRequestSchema, {
      logMsg: { msg: { case: "arrowMsg", value: { payload: new Uint8Array([1, 2, 3]) } } },
    }),
  ]);
  expect(garbage.code).toBe(grpc.status.INVALID_ARGUMENT);
  expect(garbage.details).toMatch(/store_id is missing/);
  expect(await write(c, frameRequests("after", 2))).toEqual({ code: 0, details: "" });
  const reader = read(c);
  await until("the accepted frames", () => imagesOf(reader.messages).length >= 2);
  const arrowRecordings = reader.messages.flatMap((m) =>
    m.kind === "arrowMsg" ? [m.storeId.recordingId] : [],
  );
  expect(new Set(arrowRecordings)).toEqual(new Set(["after"]));
});
