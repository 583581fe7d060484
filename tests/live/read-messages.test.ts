/**
 * `readMessages` (@iris/sdk/node), Iris's own gRPC ReadMessages client: against a real proxy, checked against
 * connect-node's client reading the same stream, and against hand-made HTTP/2 responses for every way a
 * response can be wrong.
 */
import * as http2 from "node:http2";
import { type RrdMessage, grpcFrame } from "@iris/rrd";
import { Image, LiveError, RecordingStream } from "@iris/sdk";
import { connect, readMessages } from "@iris/sdk/node";
import { describe, expect, it } from "vitest";
import { freePort, imagesOf, liveTestContext, startReader } from "./live-helpers.ts";
import { collect, failure, responseFrame, storeInfo } from "./read-messages-fixtures.ts";

const { cleanup, startServer } = liveTestContext();

const frameOf = (flags: number, bytes: Uint8Array): Uint8Array => grpcFrame(bytes, flags);

/** An HTTP/2 server whose every stream is answered by `answer`; returns its base URL. */
async function fakeProxy(answer: (stream: http2.ServerHttp2Stream) => void): Promise<string> {
  const server = http2.createServer();
  server.on("stream", (stream) => {
    stream.on("error", () => undefined);
    stream.resume();
    answer(stream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  cleanup.push(() => {
    for (const s of sessions) s.destroy();
  });
  const sessions: http2.ServerHttp2Session[] = [];
  server.on("session", (s) => sessions.push(s));
  const { port } = server.address() as { port: number };
  return `rerun+http://127.0.0.1:${port}/proxy`;
}

describe("readMessages against a proxy", () => {
  it("yields what connect-node's client reads from the same proxy: 1080p frames, LZ4 and raw", async () => {
    const server = await startServer({ viewerQueueBytes: 1024 ** 3 });
    const oracle = startReader(server.url);
    cleanup.push(() => oracle.stop());
    const abort = new AbortController();
    const ours: RrdMessage[] = [];
    // A third reader with reused memory keeps copies (the bytes are valid only until it asks for the next).
    const reused: RrdMessage[] = [];
    const reusedBuffers = new Set<ArrayBufferLike>();
    const readingReused = (async () => {
      for await (const m of readMessages(server.proxyUrl, { signal: abort.signal, reuseMemory: true })) {
        if (m.kind === "arrowMsg") reusedBuffers.add(m.ipc.buffer);
        reused.push(m.kind === "arrowMsg" ? { ...m, ipc: m.ipc.slice() } : m);
      }
    })();
    const reading = (async () => {
      for await (const m of readMessages(server.proxyUrl, { signal: abort.signal })) ours.push(m);
    })();
    await new Promise((r) => setTimeout(r, 200)); // both calls are registered before the first message
    const rec = new RecordingStream({
      applicationId: "read_messages",
      recordingId: "r1",
      sendProperties: false,
    });
    const width = 1920;
    const height = 1080;
    for (const [i, compression] of (["none", "lz4"] as const).entries()) {
      const sink = connect(server.proxyUrl, rec, { compression, flushOnExit: false });
      for (let f = 0; f < 3; f++) {
        const pixels = new Uint8Array(width * height * 3);
        // Frame 0 of each run is noise (stays raw even with LZ4), the others compress.
        for (let p = 0; p < pixels.length; p += 1 + f * 7) pixels[p] = (p * 2654435761 + i + f) >>> 24;
        rec.setTimeSequence("frame", i * 3 + f);
        rec.log("camera", new Image(pixels, { width, height, colorModel: "RGB" }));
        rec.flush();
      }
      await sink.flushed(30_000);
      await sink.closed();
    }
    await oracle.waitFor((m) => imagesOf(m, "frame").length === 6, 60_000);
    const deadline = Date.now() + 60_000;
    while (imagesOf(ours, "frame").length < 6 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    while (imagesOf(reused, "frame").length < 6 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    abort.abort();
    await reading;
    await readingReused;
    // (Byte comparisons: vitest's deep equality walks a multi-MB array element by element, for minutes.)
    expect(reused.length).toBe(ours.length);
    reused.forEach((m, i) => {
      const o = ours[i]!;
      if (m.kind === "arrowMsg" && o.kind === "arrowMsg") {
        expect({ ...m, ipc: undefined }).toEqual({ ...o, ipc: undefined });
        expect(Buffer.compare(m.ipc, o.ipc), `message ${i}`).toBe(0);
      } else {
        expect(m).toEqual(o);
      }
    });
    // Six multi-MB messages went through fewer distinct blocks of memory (at most the back-pressure depth + 1).
    expect(reusedBuffers.size).toBeLessThan(6);
    expect(ours.length).toBe(oracle.messages.length);
    ours.forEach((m, i) => {
      const o = oracle.messages[i]!;
      expect(m.kind).toBe(o.kind);
      if (m.kind === "arrowMsg" && o.kind === "arrowMsg") {
        expect(m.storeId).toEqual(o.storeId);
        expect(Buffer.compare(m.ipc, o.ipc), `message ${i}`).toBe(0);
      } else {
        expect(m).toEqual(o);
      }
    });
    expect(imagesOf(ours, "frame").map((x) => x.time)).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
  }, 120_000);

  it("fails as unreachable when nothing listens", async () => {
    const port = await freePort();
    const error = await failure(`rerun+http://127.0.0.1:${port}/proxy`);
    expect(error.kind).toBe("unreachable");
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it("reads from a proxy on an IPv6 address, with either HTTP/2 client", async () => {
    const server = http2.createServer();
    let authority: string | undefined;
    server.on("stream", (s, headers) => {
      authority = headers[":authority"];
      s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
      s.end(responseFrame(storeInfo("v6")));
    });
    await new Promise<void>((resolve) => server.listen(0, "::1", resolve));
    cleanup.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as { port: number };
    const url = `rerun+http://[::1]:${port}/proxy`;
    expect(await collect(url)).toEqual([storeInfo("v6")]);
    expect(authority).toBe(`[::1]:${port}`);
    expect(await collect(url, { http2Client: "node" })).toEqual([storeInfo("v6")]);
  });

  it("refuses a URL that is not a proxy URL", async () => {
    const error = await failure("ftp://example/proxy");
    expect(error.kind).toBe("bad-url");
  });
});

describe("readMessages against malformed responses", () => {
  it("reports a trailers-only error status with its decoded message", async () => {
    const url = await fakeProxy((s) =>
      s.respond(
        {
          ":status": 200,
          "content-type": "application/grpc",
          "grpc-status": "8",
          "grpc-message": "too%20many%20readers",
        },
        { endStream: true },
      ),
    );
    const error = await failure(url);
    expect(error.kind).toBe("status");
    expect(error.message).toContain("gRPC status 8: too many readers");
  });

  it("reports an error status in the trailers after messages, having yielded the messages", async () => {
    const url = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "14", "grpc-message": "going away" }));
      s.end(responseFrame(storeInfo("a")));
    });
    const got: RrdMessage[] = [];
    await expect(
      (async () => {
        for await (const m of readMessages(url)) got.push(m);
      })(),
    ).rejects.toThrow(/gRPC status 14: going away/);
    expect(got).toEqual([storeInfo("a")]);
  });

  it("ends quietly on status 0 after the messages", async () => {
    const url = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
      // Two messages cut into awkward pieces.
      const wire = Buffer.concat([responseFrame(storeInfo("a")), responseFrame(storeInfo("b"))]);
      for (let at = 0; at < wire.length; at += 3) s.write(wire.subarray(at, at + 3));
      s.end();
    });
    expect(await collect(url)).toEqual([storeInfo("a"), storeInfo("b")]);
  });

  it("refuses a non-200 HTTP status, a non-gRPC content type, a body cut inside a message, and no status", async () => {
    const notFound = await fakeProxy((s) => s.respond({ ":status": 404 }, { endStream: true }));
    expect((await failure(notFound)).message).toContain("expected HTTP status 200, got 404");

    const html = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "text/html" });
      s.end("<html>");
    });
    expect((await failure(html)).message).toContain(
      'expected content-type application/grpc, got "text/html"',
    );

    const cut = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
      s.end(responseFrame(storeInfo("a")).subarray(0, 9));
    });
    const cutError = await failure(cut);
    expect(cutError.kind).toBe("protocol");
    expect(cutError.message).toContain("ended inside a message");

    const noStatus = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" });
      s.end(responseFrame(storeInfo("a")));
    });
    expect((await failure(noStatus)).message).toContain("ended without a gRPC status");
  });

  it("refuses a message over the size limit before allocating it, and a compressed message", async () => {
    const huge = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" });
      const header = new Uint8Array(5);
      new DataView(header.buffer).setUint32(1, 0xfffffff0);
      s.write(header); // a 4 GiB claim, never followed by its bytes
    });
    const hugeError = await failure(huge, { maxMessageBytes: 1 << 20 });
    expect(hugeError.kind).toBe("protocol");
    expect(hugeError.message).toContain(`${0xfffffff0} bytes, more than the limit of ${1 << 20}`);

    const compressed = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" });
      s.write(frameOf(1, Uint8Array.of(1, 2, 3)));
    });
    const compressedError = await failure(compressed, { onInvalidMessage: () => undefined });
    expect(compressedError.message).toContain("compressed message");
  });

  it("fails on an undecodable message, or skips it and goes on when onInvalidMessage is given", async () => {
    const answer = (s: http2.ServerHttp2Stream): void => {
      s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
      s.write(responseFrame(storeInfo("a")));
      s.write(frameOf(0, Uint8Array.of(0x0a, 0x05, 0xff))); // log_msg claims 5 bytes, has 1
      s.end(responseFrame(storeInfo("b")));
    };
    const url = await fakeProxy(answer);
    const error = await failure(url);
    expect(error.kind).toBe("protocol");
    expect(error.message).toContain("undecodable message");
    const skipped: LiveError[] = [];
    expect(await collect(url, { onInvalidMessage: (e) => skipped.push(e) })).toEqual([
      storeInfo("a"),
      storeInfo("b"),
    ]);
    expect(skipped.map((e) => e.kind)).toEqual(["protocol"]);
  });

  it("pauses the connection while the consumer is behind, losing nothing", async () => {
    const total = 60;
    let written = 0;
    const url = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
      const padding = new Uint8Array(1 << 20); // 1 MiB of extra bytes per message (store source payload)
      for (let i = 0; i < total; i++) {
        const m = storeInfo(`r${i}`);
        if (m.kind === "setStoreInfo") m.storeSource = { kind: 6, extra: padding };
        s.write(responseFrame(m), () => written++);
      }
      s.end();
    });
    const abortless = readMessages(url, { windowBytes: 1 << 20, bufferedMessages: 2 });
    const first = await abortless.next();
    expect(first.done).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    // 60 MiB cannot have left the server: the reader holds a 1 MiB window and a few messages, and the kernel a few MB.
    expect(written).toBeLessThan(total);
    let count = 1;
    for await (const m of abortless) {
      expect(m.kind === "setStoreInfo" && m.storeId.recordingId).toBe(`r${count}`);
      count++;
    }
    expect(count).toBe(total);
  });

  it("with reused memory, gives each message its own bytes when one chunk completes many messages", async () => {
    const total = 20;
    const url = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
      const frames = Array.from({ length: total }, (_, i) => {
        const m = storeInfo(`r${i}`);
        if (m.kind === "setStoreInfo") m.storeSource = { kind: 6, extra: new Uint8Array(5000).fill(i) };
        return responseFrame(m);
      });
      s.end(Buffer.concat(frames)); // one write: the reader gets several messages per chunk
    });
    let count = 0;
    for await (const m of readMessages(url, { reuseMemory: true, bufferedMessages: 4 })) {
      expect(m.kind === "setStoreInfo" && m.storeId.recordingId).toBe(`r${count}`);
      const extra = m.kind === "setStoreInfo" ? m.storeSource?.extra : undefined;
      expect(extra?.length).toBe(5000);
      expect(
        extra!.every((b) => b === count),
        `message ${count}`,
      ).toBe(true);
      count++;
      await new Promise((r) => setImmediate(r)); // let more chunks arrive while this one is held
    }
    expect(count).toBe(total);
  });

  it("ends quietly when its signal aborts, closing the call", async () => {
    let closed = false;
    const url = await fakeProxy((s) => {
      s.respond({ ":status": 200, "content-type": "application/grpc" });
      s.write(responseFrame(storeInfo("a")));
      s.on("close", () => (closed = true));
    });
    const abort = new AbortController();
    const got: RrdMessage[] = [];
    for await (const m of readMessages(url, { signal: abort.signal })) {
      got.push(m);
      abort.abort();
    }
    expect(got).toEqual([storeInfo("a")]);
    const deadline = Date.now() + 5_000;
    while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(true);
  });
});
