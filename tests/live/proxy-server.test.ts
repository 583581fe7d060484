// The gRPC message proxy (`iris serve`'s server) with a Node producer (`connect()`) and gRPC / gRPC-web readers.
import { request } from "node:http";
import * as net from "node:net";
import type { Http2Server, Http2ServerRequest } from "node:http2";
import { createClient, ConnectError, Code } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { type RrdMessage, sdkCommsPb, writeMessagesRequestFrameParts } from "@iris/rrd";
import { Image, MemorySink, RecordingStream } from "@iris/sdk";
import { connect } from "@iris/sdk/node";
import { MessageBacklog, ProxyServer } from "@iris/server";
import { imageRowUpdates } from "../../examples/src/image_row_updates.ts";
import { FRAME_COUNT, movingRectangleFrame } from "../../examples/src/moving-rectangle.ts";
import { concatBytes } from "@iris/types";
import { imagesOf, type Reader, startReader } from "./live-helpers.ts";
import { Flag, FrameType, Setting, frameBytes, hpackBlock } from "./raw-h2-server.ts";

const servers: ProxyServer[] = [];
const readers: Reader[] = [];
const cleanup: (() => void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) f();
  for (const r of readers.splice(0)) r.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function startServer(options: ConstructorParameters<typeof ProxyServer>[0] = {}): Promise<ProxyServer> {
  const server = new ProxyServer({ port: 0, ...options });
  await server.listen();
  servers.push(server);
  return server;
}

function reader(url: string, protocol: "grpc" | "grpc-web" = "grpc"): Reader {
  const r = startReader(url, protocol);
  readers.push(r);
  return r;
}

const allFrames = (m: readonly RrdMessage[]): boolean => imagesOf(m).length >= FRAME_COUNT;

describe("ProxyServer + connect()", () => {
  it("forwards image_row_updates from a Node producer to a live gRPC reader, last frame intact", async () => {
    const server = await startServer();
    const live = reader(server.url);
    const rec = new RecordingStream({ applicationId: imageRowUpdates.applicationId, recordingId: "live-1" });
    const sink = connect(server.proxyUrl, rec);
    await imageRowUpdates.run(rec);
    rec.flush();
    await sink.flushed(10_000);
    expect(sink.stats).toMatchObject({
      ackedMessages: sink.stats.sentMessages,
      droppedMessages: 0,
      queuedMessages: 0,
    });
    await live.waitFor((m) => imagesOf(m).length >= FRAME_COUNT);
    expect(live.messages[0]!.kind).toBe("setStoreInfo");
    const images = imagesOf(live.messages);
    expect(images.map((i) => i.time)).toEqual(Array.from({ length: FRAME_COUNT }, (_, t) => BigInt(t)));
    expect(images.at(-1)!.pixels).toEqual(movingRectangleFrame(FRAME_COUNT - 1));
    expect(
      live.messages.every(
        (m) => m.kind !== "arrowMsg" || m.storeId.applicationId === imageRowUpdates.applicationId,
      ),
    ).toBe(true);
    await sink.closed();
  });

  it("on node:http2 (--http2-server node), reads WriteMessages bodies from the HTTP/2 stream itself, never through the compatibility request", async () => {
    const server = await startServer({ http2Server: "node" });
    // Whether each WriteMessages compatibility request was flowing when its body ended (Node dumps an unread one
    // when the stream closes, later). The HTTP/2 server is private: the test only watches the requests it hands on.
    const flowingAtEnd: (boolean | null)[] = [];
    (server["h2"] as Http2Server).on("request", (req: Http2ServerRequest) => {
      if (req.url.endsWith("/WriteMessages"))
        req.stream.once("end", () => flowingAtEnd.push(req.readableFlowing));
    });
    const rec = new RecordingStream({ applicationId: "raw-stream", recordingId: "raw-1" });
    const sink = connect(server.proxyUrl, rec);
    const pixels = new Uint8Array(640 * 480 * 3).map((_, i) => i * 7);
    for (let t = 0; t < 3; t++) {
      rec.setTimeSequence("frame", t);
      rec.log("camera", new Image(pixels, { width: 640, height: 480, colorModel: "RGB" }));
    }
    rec.flush();
    await sink.flushed(10_000);
    expect(sink.stats.ackedMessages).toBe(sink.stats.sentMessages);
    expect(server.hub.receivedMessages).toBe(sink.stats.sentMessages);
    await sink.closed();
    // A compatibility request that was read would be flowing (true); never read, it is still null.
    expect(flowingAtEnd.length).toBeGreaterThan(0);
    expect(flowingAtEnd).toEqual(flowingAtEnd.map(() => null));
  });

  it("lets producers send DATA frames of up to 1 MiB (as Rust's h2 does when allowed), and takes such a frame whole", async () => {
    const server = await startServer();
    const live = reader(server.url);
    const rec = new RecordingStream({ applicationId: "big-frames", recordingId: "big-1" });
    const memory = new MemorySink();
    rec.setSink(memory);
    const pixels = new Uint8Array(1920 * 1080 * 3).map((_, i) => (i * 13) >> 3);
    rec.setTimeSequence("time", 0);
    rec.log("camera", new Image(pixels, { width: 1920, height: 1080, colorModel: "RGB" }));
    rec.flush();
    const body = concatBytes(memory.drain().flatMap((m) => writeMessagesRequestFrameParts(m).parts));

    // A raw HTTP/2 client (frames from tests/live/raw-h2-server.ts's encoder): it reads the server's SETTINGS and
    // connection WINDOW_UPDATE, then sends the whole request in DATA frames of the largest size allowed.
    const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
    cleanup.push(() => socket.destroy());
    let received: Uint8Array = new Uint8Array(0);
    const settings = new Map<number, number>();
    let connectionWindow = 65_535;
    let responseEnded = false;
    const changed: (() => void)[] = [];
    socket.on("data", (chunk: Uint8Array) => {
      received = concatBytes([received, chunk]);
      while (received.length >= 9) {
        const length = (received[0]! << 16) | (received[1]! << 8) | received[2]!;
        if (received.length < 9 + length) break;
        const [type, flags] = [received[3]!, received[4]!];
        const streamId =
          (((received[5]! & 0x7f) << 24) | (received[6]! << 16) | (received[7]! << 8) | received[8]!) >>> 0;
        const payload = received.subarray(9, 9 + length);
        const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
        if (type === FrameType.SETTINGS && !(flags & Flag.ACK)) {
          for (let at = 0; at < length; at += 6) settings.set(view.getUint16(at), view.getUint32(at + 2));
        } else if (type === FrameType.WINDOW_UPDATE && streamId === 0) {
          connectionWindow += view.getUint32(0);
        } else if (type === FrameType.HEADERS && flags & Flag.END_STREAM) {
          responseEnded = true;
        }
        received = received.slice(9 + length);
      }
      for (const f of changed.splice(0)) f();
    });
    const until = async (ready: () => boolean): Promise<void> => {
      while (!ready()) await new Promise<void>((resolve) => changed.push(resolve));
    };
    // The server speaks once it has the preface (it tells HTTP/1.1 from HTTP/2 by the first bytes).
    socket.write(
      concatBytes([
        new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        frameBytes(FrameType.SETTINGS, 0, 0),
      ]),
    );
    await until(() => settings.size > 0 && connectionWindow >= body.length);
    expect(settings.get(Setting.MAX_FRAME_SIZE)).toBe(1 << 20);
    const headers = hpackBlock([
      [":method", "POST"],
      [":scheme", "http"],
      [":path", "/rerun.sdk_comms.v1alpha1.MessageProxyService/WriteMessages"],
      [":authority", new URL(server.url).host],
      ["content-type", "application/grpc"],
      ["te", "trailers"],
    ]);
    const frames = [
      frameBytes(FrameType.SETTINGS, Flag.ACK, 0),
      frameBytes(FrameType.HEADERS, Flag.END_HEADERS, 1, headers),
    ];
    for (let at = 0; at < body.length; at += 1 << 20) {
      const end = Math.min(body.length, at + (1 << 20));
      frames.push(
        frameBytes(FrameType.DATA, end === body.length ? Flag.END_STREAM : 0, 1, body.subarray(at, end)),
      );
    }
    expect(frames.length).toBe(2 + Math.ceil(body.length / (1 << 20))); // 6.2 MB in 1 MiB DATA frames
    socket.write(concatBytes(frames));
    await until(() => responseEnded);
    await live.waitFor((m) => imagesOf(m).length >= 1);
    expect(Buffer.compare(imagesOf(live.messages)[0]!.pixels, pixels)).toBe(0);
  });

  it("replays the history to a viewer that connects late, then streams live (gRPC-web over HTTP/1.1 too)", async () => {
    const server = await startServer();
    const rec = new RecordingStream({ applicationId: "late_app", recordingId: "late" });
    const sink = connect(server.proxyUrl, rec);
    await imageRowUpdates.run(rec);
    rec.flush();
    await sink.flushed(10_000);
    const late = reader(server.url, "grpc");
    const web = reader(server.url, "grpc-web");
    await late.waitFor(allFrames);
    await web.waitFor(allFrames);
    expect(imagesOf(web.messages).at(-1)!.pixels).toEqual(movingRectangleFrame(FRAME_COUNT - 1));
    // …and then live messages.
    rec.setTimeSequence("time", 100);
    rec.log("image", new Image(movingRectangleFrame(3), { width: 300, height: 200, colorModel: "RGB" }));
    rec.flush();
    await late.waitFor((m) => imagesOf(m).length === FRAME_COUNT + 1);
    await web.waitFor((m) => imagesOf(m).length === FRAME_COUNT + 1);
    expect(imagesOf(web.messages).at(-1)!.time).toBe(100n);
    await sink.closed();
  });

  it("rejects an undecodable message with InvalidArgument and keeps it from the viewers", async () => {
    const server = await startServer();
    const live = reader(server.url);
    const client = createClient(sdkCommsPb.MessageProxyService, createGrpcTransport({ baseUrl: server.url }));
    async function* bad() {
      yield { logMsg: { msg: { case: "arrowMsg" as const, value: { payload: new Uint8Array([1, 2, 3]) } } } };
    }
    const error = await client.writeMessages(bad()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
    expect((error as ConnectError).message).toMatch(/store_id is missing/);
    expect(server.rejectedMessages).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(live.messages).toEqual([]);
    expect(live.error).toBeUndefined();
  });

  it("answers CORS preflights only for allowed origins", async () => {
    const server = await startServer({ allowedOrigins: ["http://localhost:*", "https://app.rerun.io"] });
    const port = Number(new URL(server.url).port);
    const preflight = (origin: string) =>
      new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            method: "OPTIONS",
            path: "/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages",
            headers: {
              origin,
              "access-control-request-method": "POST",
              "access-control-request-headers": "content-type,x-grpc-web,x-user-agent",
            },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, headers: res.headers });
          },
        );
        req.on("error", reject);
        req.end();
      });
    for (const origin of [server.url, "http://localhost:5173", "https://app.rerun.io"]) {
      const r = await preflight(origin);
      expect(r.status, origin).toBe(204);
      expect(r.headers["access-control-allow-origin"]).toBe(origin);
      expect(String(r.headers["access-control-allow-headers"])).toContain("x-grpc-web");
    }
    for (const origin of [
      "http://evil.example",
      "https://app.rerun.io.evil.example",
      "http://localhost.evil:80",
    ]) {
      const r = await preflight(origin);
      expect(r.status, origin).toBe(403);
      expect(r.headers["access-control-allow-origin"]).toBeUndefined();
    }
  });

  it("serves the viewer page and redirects / to the live proxy URL", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "iris-proxy-viewer-"));
    writeFileSync(join(dir, "index.html"), "<!doctype html><title>viewer</title>");
    const server = await startServer({ viewerDir: dir });
    const root = await fetch(`${server.url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe(`/?url=${encodeURIComponent(server.proxyUrl)}`);
    const page = await fetch(server.viewerUrl);
    expect(await page.text()).toContain("<title>viewer</title>");
    expect((await fetch(`${server.url}/../../etc/passwd`)).status).toBe(404);
  });
});

describe("MessageBacklog", () => {
  const arrow = (isStatic: boolean, size: number) =>
    ({
      $typeName: "rerun.log_msg.v1alpha1.LogMsg",
      msg: {
        case: "arrowMsg",
        value: { storeId: { kind: 1 }, isStatic, payload: new Uint8Array(size) },
      },
    }) as unknown as Parameters<MessageBacklog["add"]>[0];
  const info = {
    $typeName: "rerun.log_msg.v1alpha1.LogMsg",
    msg: { case: "setStoreInfo", value: {} },
  } as unknown as Parameters<MessageBacklog["add"]>[0];

  it("drops the oldest disposable data first, keeps store info and static data, reports every drop", () => {
    const drops: string[] = [];
    const backlog = new MessageBacklog({ maxBytes: 10_000, onDrop: (d) => drops.push(d.queue) });
    backlog.add(info);
    backlog.add(arrow(true, 1000));
    for (let i = 0; i < 10; i++) backlog.add(arrow(false, 2000));
    expect(backlog.totalBytes).toBeLessThanOrEqual(10_000);
    const kept = backlog.snapshot();
    expect(kept[0]!.queue).toBe("persistent");
    expect(kept[1]!.queue).toBe("static");
    expect(kept.slice(2).every((e) => e.queue === "disposable")).toBe(true);
    // The newest disposable messages are the ones kept, in order.
    expect(kept.at(-1)!.seq).toBe(12);
    expect(kept.map((e) => e.seq)).toEqual([...kept.map((e) => e.seq)].sort((a, b) => a - b));
    expect(drops.length).toBe(backlog.droppedMessages);
    expect(new Set(drops)).toEqual(new Set(["disposable"]));
  });
});
