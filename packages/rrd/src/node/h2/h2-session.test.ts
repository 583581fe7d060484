// H2Session's sending side against node:http2's server (nghttp2), which enforces HTTP/2 on what it receives: a DATA
// frame beyond the window it granted, or larger than its SETTINGS_MAX_FRAME_SIZE, or a stream beyond its
// SETTINGS_MAX_CONCURRENT_STREAMS ends the stream or the connection with an error, which these tests would see.
import { createHash, randomBytes } from "node:crypto";
import * as http2 from "node:http2";
import * as netModule from "node:net";
import type * as net from "node:net";
import { afterEach, expect, it } from "vitest";
import { H2Session } from "./h2-session.ts";
import type { H2Stream, H2StreamEnd } from "./h2-stream.ts";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** What the server received on one stream: the sha256 of the body and its length. */
interface Upload {
  path: string;
  bytes: number;
  hash: string;
}

/**
 * A node:http2 server with `settings` that hashes every request body and answers 200 with the hash when the request
 * ends. `uploads` lists them in the order they ended; `maxOpen` is the most streams seen open at once;
 * `frameSizes` the sizes of the body pieces nghttp2 handed over (at most one DATA frame each).
 */
async function uploadServer(
  settings: http2.Settings,
  /** The connection's receive window (RFC 9113 §6.9.2: SETTINGS cannot change it), if not the default 64 KiB. */
  connectionWindow?: number,
): Promise<{
  port: number;
  uploads: Upload[];
  maxOpen: () => number;
  frameSizes: number[];
}> {
  const server = http2.createServer({ settings });
  const uploads: Upload[] = [];
  const frameSizes: number[] = [];
  let open = 0;
  let maxOpen = 0;
  const sessions: http2.ServerHttp2Session[] = [];
  server.on("session", (s) => {
    sessions.push(s);
    if (connectionWindow !== undefined) s.setLocalWindowSize(connectionWindow);
  });
  server.on("stream", (stream, headers) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    const hash = createHash("sha256");
    let bytes = 0;
    stream.on("data", (chunk: Uint8Array) => {
      frameSizes.push(chunk.length);
      bytes += chunk.length;
      hash.update(chunk);
    });
    stream.on("end", () => {
      if (stream.destroyed) return; // reset by the client: no upload
      const digest = hash.digest("hex");
      uploads.push({ path: String(headers[":path"]), bytes, hash: digest });
      stream.respond({ ":status": 200 });
      stream.end(digest);
    });
    stream.on("close", () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => {
    sessions.forEach((s) => s.destroy());
    server.close();
  });
  const port = (server.address() as net.AddressInfo).port;
  return { port, uploads, maxOpen: () => maxOpen, frameSizes };
}

function session(port: number): H2Session {
  const s = new H2Session({ host: "127.0.0.1", port, authority: `127.0.0.1:${port}`, windowBytes: 1 << 20 });
  cleanup.push(() => s.close());
  return s;
}

/** Opens a stream to `path`; `done` resolves with the response body (text) and how the stream ended. */
function upload(
  s: H2Session,
  path: string,
): { stream: H2Stream; done: Promise<{ body: string; end: H2StreamEnd }> } {
  let body = "";
  let resolve: (r: { body: string; end: H2StreamEnd }) => void = () => undefined;
  const done = new Promise<{ body: string; end: H2StreamEnd }>((r) => (resolve = r));
  const stream = s.request(path, [], {
    headers: () => undefined,
    data: (bytes) => (body += new TextDecoder().decode(bytes)),
    end: (end) => resolve({ body, end }),
  });
  return { stream, done };
}

/** Writes `body` in `parts` pieces, waiting for `drained()` when the stream says so, then ends the stream. */
async function send(stream: H2Stream, body: Uint8Array, parts: number): Promise<void> {
  const size = Math.ceil(body.length / parts);
  for (let at = 0; at < body.length; at += size) {
    if (!stream.write([body.subarray(at, at + size)])) await stream.drained();
  }
  stream.end();
  await stream.drained();
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

it("sends bodies through a server's default 64 KiB windows and 16 KiB frames, intact, on three streams at once", async () => {
  const server = await uploadServer({});
  const s = session(server.port);
  const bodies = [randomBytes(3 << 20), randomBytes(5 << 20), randomBytes(100_000)];
  const calls = bodies.map((_, i) => upload(s, `/upload/${i}`));
  await Promise.all(calls.map((c, i) => send(c.stream, bodies[i]!, 7)));
  const results = await Promise.all(calls.map((c) => c.done));
  for (const [i, r] of results.entries()) {
    expect(r.end).toEqual({ kind: "ended" });
    expect(r.body).toBe(sha256(bodies[i]!));
  }
  expect(server.uploads.map((u) => u.bytes).sort((a, b) => a - b)).toEqual(
    bodies.map((b) => b.length).sort((a, b) => a - b),
  );
});

it("sends DATA frames as large as the server allows (1 MiB), and no larger", async () => {
  const server = await uploadServer({ maxFrameSize: 1 << 20, initialWindowSize: 32 << 20 });
  const s = session(server.port);
  // Wait for the server's SETTINGS (and window) before sending, as a long-lived connection would have them.
  const warm = upload(s, "/warm");
  await send(warm.stream, new Uint8Array(10), 1);
  await warm.done;
  const body = randomBytes(6_220_805);
  const call = upload(s, "/frame");
  await send(call.stream, body, 1);
  expect((await call.done).body).toBe(sha256(body));
  // nghttp2 hands each DATA frame's payload to the stream in one piece (from the one read that holds it).
  const big = server.frameSizes.filter((n) => n > 16_384);
  expect(big.length).toBeGreaterThan(0);
  expect(Math.max(...server.frameSizes)).toBeLessThanOrEqual(1 << 20);
});

it("hands a body sent as 16 KiB DATA frames to the socket in batches, not in a system call per frame", async () => {
  // Rerun's gRPC server keeps the default SETTINGS_MAX_FRAME_SIZE (16 KiB): a 1080p frame is ~380 DATA frames. Each
  // frame written on its own was one writev each (measured against `rerun --serve-grpc` 0.41: ~330 per frame).
  const server = await uploadServer({ initialWindowSize: 32 << 20 }, 32 << 20);
  const s = session(server.port);
  const warm = upload(s, "/warm");
  await send(warm.stream, new Uint8Array(10), 1);
  await warm.done;
  const writes: number[] = [];
  const proto = netModule.Socket.prototype as unknown as {
    _write(chunk: unknown, encoding: unknown, cb: unknown): void;
    _writev(chunks: unknown[], cb: unknown): void;
  };
  const ownWrite = proto._write;
  const ownWritev = proto._writev;
  const ours = (socket: netModule.Socket): boolean => socket.remotePort === server.port;
  proto._write = function (this: netModule.Socket, chunk, encoding, cb) {
    if (ours(this)) writes.push(1);
    ownWrite.call(this, chunk, encoding, cb);
  };
  proto._writev = function (this: netModule.Socket, chunks, cb) {
    if (ours(this)) writes.push(chunks.length);
    ownWritev.call(this, chunks, cb);
  };
  cleanup.push(() => {
    proto._write = ownWrite;
    proto._writev = ownWritev;
  });
  const body = randomBytes(6_220_805);
  const call = upload(s, "/frame");
  await send(call.stream, body, 1);
  expect((await call.done).body).toBe(sha256(body));
  proto._write = ownWrite;
  proto._writev = ownWritev;
  // Every DATA frame is a header and a view of the body, so ~760 parts went out; at most 16 KiB each per frame.
  expect(Math.max(...server.frameSizes)).toBeLessThanOrEqual(16_384);
  expect(writes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2 * Math.ceil(body.length / 16_384));
  expect(writes.length).toBeLessThan(40);
});

it("opens no more streams than the server's SETTINGS_MAX_CONCURRENT_STREAMS; the others wait their turn", async () => {
  const server = await uploadServer({ maxConcurrentStreams: 1 });
  const s = session(server.port);
  // Let the server's SETTINGS arrive first: until then the client may assume no limit (RFC 9113 §6.5.2).
  const warm = upload(s, "/warm");
  await send(warm.stream, new Uint8Array(10), 1);
  await warm.done;
  const bodies = [randomBytes(1 << 20), randomBytes(2 << 20), randomBytes(300_000)];
  const calls = bodies.map((_, i) => upload(s, `/upload/${i}`));
  await Promise.all(calls.map((c, i) => send(c.stream, bodies[i]!, 3)));
  const results = await Promise.all(calls.map((c) => c.done));
  for (const [i, r] of results.entries()) expect(r.body).toBe(sha256(bodies[i]!));
  expect(server.maxOpen()).toBe(1);
  expect(server.uploads.map((u) => u.path)).toEqual(["/warm", "/upload/0", "/upload/1", "/upload/2"]);
});

it("a stream reset by the caller does not disturb the others on the connection", async () => {
  const server = await uploadServer({});
  const s = session(server.port);
  const a = upload(s, "/a");
  const b = upload(s, "/b");
  a.stream.write([randomBytes(200_000)]);
  a.stream.reset();
  await a.stream.drained(); // resolves: the stream is over
  const body = randomBytes(1 << 20);
  await send(b.stream, body, 4);
  expect((await b.done).body).toBe(sha256(body));
  expect(server.uploads.map((u) => u.path)).toEqual(["/b"]);
});

it("after the server's GOAWAY, new streams end at once as closed and the session says it is closed", async () => {
  const server = http2.createServer();
  server.on("session", (session) => session.goaway(0, 0));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => server.close());
  const port = (server.address() as net.AddressInfo).port;
  const s = session(port);
  const first = upload(s, "/first");
  first.stream.end();
  const end = (await first.done).end;
  expect(end.kind).toBe("closed");
  expect(s.closed).toBe(true);
  const later = upload(s, "/later");
  expect((await later.done).end.kind).toBe("closed");
});
