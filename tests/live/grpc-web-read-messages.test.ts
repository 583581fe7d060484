// The viewer's gRPC-web ReadMessages client (readMessages, over Node's fetch: HTTP/1.1) against a real ProxyServer.
import { type RrdMessage, rrdMessageFromProto, type sdkCommsPb } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import { describe, expect, it } from "vitest";
import { FRAME_COUNT, movingRectangleFrame } from "../../examples/src/moving-rectangle.ts";
import { GrpcWebError } from "../../packages/viewer/src/grpc-web-error.ts";
import { readMessages } from "../../packages/viewer/src/grpc-web-read-messages.ts";
import { mulberry32 } from "../mulberry32.ts";
import { imagesOf, liveTestContext } from "./live-helpers.ts";

const { cleanup, startServer } = liveTestContext();

interface WebReader {
  readonly responses: sdkCommsPb.ReadMessagesResponse[];
  readonly messages: RrdMessage[];
  /** Settles when readMessages does: undefined when it resolved, else the error. */
  readonly done: Promise<unknown>;
  stop(): void;
  waitFor(predicate: (messages: readonly RrdMessage[]) => boolean): Promise<void>;
}

function startWebReader(baseUrl: string, options: { maxMessageBytes?: number } = {}): WebReader {
  const abort = new AbortController();
  const responses: sdkCommsPb.ReadMessagesResponse[] = [];
  const messages: RrdMessage[] = [];
  let settled: { error: unknown } | undefined;
  const done = readMessages(
    baseUrl,
    (response) => {
      responses.push(response);
      messages.push(rrdMessageFromProto(response.logMsg!.msg));
    },
    { signal: abort.signal, ...options },
  ).then(
    () => (settled = { error: undefined }).error,
    (error: unknown) => (settled = { error }).error,
  );
  cleanup.push(() => abort.abort());
  return {
    responses,
    messages,
    done,
    stop: () => abort.abort(),
    async waitFor(predicate) {
      const deadline = Date.now() + 20_000;
      while (!predicate(messages)) {
        if (settled)
          throw new Error(`the reader ended (${String(settled.error)}) before the condition was met`);
        if (Date.now() > deadline)
          throw new Error(`condition not met after 20 s (${messages.length} messages)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** Incompressible RGB pixels (LZ4 leaves noise as it is, so the frame crosses the wire at full size). */
function noise(width: number, height: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  return Uint8Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256));
}

/** Compared in a loop: element-wise deep equality of megabytes is very slow. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function logFrames(rec: RecordingStream, from: number, to: number): void {
  for (let t = from; t < to; t++) {
    rec.setTimeSequence("time", t);
    rec.log("image", new Image(movingRectangleFrame(t), { width: 300, height: 200, colorModel: "RGB" }));
  }
}

describe("readMessages against a ProxyServer (gRPC-web over HTTP/1.1)", () => {
  it("reads the history, then live messages, each frame intact and its payload 8-byte aligned", async () => {
    const server = await startServer();
    const rec = new RecordingStream({ applicationId: "web_reader", recordingId: "web-1" });
    const sink = connect(server.proxyUrl, rec);
    const half = FRAME_COUNT / 2;
    logFrames(rec, 0, half);
    rec.flush();
    await sink.flushed(10_000);

    const reader = startWebReader(server.url);
    await reader.waitFor((m) => imagesOf(m).length === half);
    logFrames(rec, half, FRAME_COUNT);
    rec.flush();
    await sink.flushed(10_000);
    await reader.waitFor((m) => imagesOf(m).length === FRAME_COUNT);

    expect(reader.messages[0]!.kind).toBe("setStoreInfo");
    const images = imagesOf(reader.messages);
    expect(images.map((i) => i.time)).toEqual(Array.from({ length: FRAME_COUNT }, (_, t) => BigInt(t)));
    for (const [t, image] of images.entries())
      expect(image.pixels, `frame ${t}`).toEqual(movingRectangleFrame(t));
    for (const r of reader.responses) {
      if (r.logMsg?.msg.case === "arrowMsg") expect(r.logMsg.msg.value.payload.byteOffset % 8).toBe(0);
    }
    await sink.closed();
  });

  it("reads a 1080p RGB frame (6.2 MB) whole", async () => {
    const server = await startServer();
    const rec = new RecordingStream({ applicationId: "web_reader", recordingId: "web-big" });
    const sink = connect(server.proxyUrl, rec);
    const reader = startWebReader(server.url);
    const pixels = noise(1920, 1080, 7);
    rec.setTimeSequence("time", 1);
    rec.log("image", new Image(pixels, { width: 1920, height: 1080, colorModel: "RGB" }));
    rec.flush();
    await sink.flushed(10_000);
    await reader.waitFor((m) => m.some((x) => x.kind === "arrowMsg" && x.ipc.length > pixels.length));
    const images = imagesOf(reader.messages);
    expect(images).toHaveLength(1);
    expect(sameBytes(images[0]!.pixels, pixels)).toBe(true);
    await sink.closed();
  });

  it("refuses a message over its limit with a too-large error", async () => {
    const server = await startServer();
    const rec = new RecordingStream({ applicationId: "web_reader", recordingId: "web-limit" });
    const sink = connect(server.proxyUrl, rec);
    rec.log("image", new Image(noise(300, 200, 1), { width: 300, height: 200, colorModel: "RGB" }));
    rec.flush();
    await sink.flushed(10_000);
    const reader = startWebReader(server.url, { maxMessageBytes: 100_000 });
    const error = await reader.done;
    expect(error).toBeInstanceOf(GrpcWebError);
    expect((error as GrpcWebError).kind).toBe("too-large");
    expect((error as GrpcWebError).message).toMatch(
      /a message of \d+ bytes is over the limit of 100000 bytes/,
    );
    // The messages before the image (store info, recording properties) came through.
    expect(reader.messages.map((m) => m.kind)).toContain("setStoreInfo");
    expect(imagesOf(reader.messages)).toEqual([]);
    await sink.closed();
  });

  it("ends with the abort reason when aborted while waiting for live messages", async () => {
    const server = await startServer();
    const rec = new RecordingStream({ applicationId: "web_reader", recordingId: "web-abort" });
    const sink = connect(server.proxyUrl, rec);
    logFrames(rec, 0, 1);
    rec.flush();
    await sink.flushed(10_000);
    const reader = startWebReader(server.url);
    await reader.waitFor((m) => imagesOf(m).length === 1);
    reader.stop();
    const error = await reader.done;
    expect((error as Error).name).toBe("AbortError");
    await sink.closed();
  });

  it("ends with the abort reason when aborted from onMessage (no read pending, no more data coming)", async () => {
    const server = await startServer();
    const rec = new RecordingStream({ applicationId: "web_reader", recordingId: "web-abort-inside" });
    const sink = connect(server.proxyUrl, rec);
    logFrames(rec, 0, 2);
    rec.flush();
    await sink.flushed(10_000);
    const abort = new AbortController();
    const received: string[] = [];
    const error = await readMessages(
      server.url,
      (response) => {
        received.push(response.logMsg?.msg.case ?? "none");
        if (received.filter((c) => c === "arrowMsg").length === 2) abort.abort();
      },
      { signal: abort.signal },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe("AbortError");
    await sink.closed();
  });

  it("reports an HTTP status other than 200 (no proxy at that path)", async () => {
    const server = await startServer();
    const error = await startWebReader(`${server.url}/not-here`).done;
    expect(error).toBeInstanceOf(GrpcWebError);
    expect((error as GrpcWebError).kind).toBe("http-status");
    expect((error as GrpcWebError).message).toMatch(/HTTP status 405 Method Not Allowed \(expected 200\)$/);
  });

  it("fails, rather than hangs, when the server closes", async () => {
    const server = await startServer();
    const reader = startWebReader(server.url);
    await new Promise((r) => setTimeout(r, 200));
    await server.close();
    const error = await reader.done;
    expect(error, String(error)).toBeDefined();
  });
});
