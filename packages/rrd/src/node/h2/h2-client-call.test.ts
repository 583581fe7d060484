import { createHash, randomBytes } from "node:crypto";
import * as http2 from "node:http2";
import * as net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type H2CallEnd, H2ClientCall } from "./h2-client-call.ts";

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => server.close());
  return (server.address() as net.AddressInfo).port;
}

/** A node:http2 server (nghttp2) answering every stream with `answer`. */
async function h2Server(
  answer: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void,
): Promise<number> {
  const server = http2.createServer();
  const sessions: http2.ServerHttp2Session[] = [];
  server.on("session", (s) => sessions.push(s));
  server.on("stream", answer);
  cleanup.push(() => sessions.forEach((s) => s.destroy()));
  return listen(server);
}

interface Received {
  headers: [string, string][][];
  bytes: number;
  hash: string;
  buffers: Set<ArrayBufferLike>;
  end: H2CallEnd;
}

function call(port: number, windowBytes = 1 << 20): { call: H2ClientCall; done: Promise<Received> } {
  const hash = createHash("sha256");
  const got: Omit<Received, "end" | "hash"> = { headers: [], bytes: 0, buffers: new Set() };
  let resolve: (r: Received) => void = () => undefined;
  const done = new Promise<Received>((r) => (resolve = r));
  const c = new H2ClientCall(
    {
      host: "127.0.0.1",
      port,
      authority: `127.0.0.1:${port}`,
      path: "/test",
      headers: [["content-type", "application/grpc"]],
      body: Uint8Array.of(0, 0, 0, 0, 0),
      windowBytes,
    },
    {
      headers: (fields) => got.headers.push([...fields]),
      data(bytes) {
        got.bytes += bytes.length;
        got.buffers.add(bytes.buffer);
        hash.update(bytes);
      },
      end: (end) => resolve({ ...got, hash: hash.digest("hex"), end }),
    },
  );
  cleanup.push(() => c.close());
  return { call: c, done };
}

describe("H2ClientCall against node:http2's server", () => {
  it("receives a 40 MB body intact through one reused read buffer, with headers, trailers and window updates", async () => {
    const body = randomBytes(40 << 20);
    const requestBody: number[] = [];
    const port = await h2Server((stream) => {
      stream.on("data", (b: Buffer) => requestBody.push(...b));
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(body);
    });
    const { done } = call(port); // a 1 MiB window: the server needs ~40 grants
    const got = await done;
    expect(got.end).toEqual({ kind: "ended" });
    expect(got.bytes).toBe(body.length);
    expect(got.hash).toBe(createHash("sha256").update(body).digest("hex"));
    expect(got.buffers.size).toBe(1); // every DATA byte arrived in the same memory
    expect(got.headers[0]).toContainEqual([":status", "200"]);
    expect(got.headers[0]).toContainEqual(["content-type", "application/grpc"]);
    expect(got.headers[1]).toEqual([["grpc-status", "0"]]);
    expect(requestBody).toEqual([0, 0, 0, 0, 0]);
  });

  it("sends the request's method, path, authority and headers", async () => {
    let seen: http2.IncomingHttpHeaders | undefined;
    const port2 = await h2Server((stream, headers) => {
      seen = headers;
      stream.respond({ ":status": 204 }, { endStream: true });
    });
    const got = await call(port2).done;
    expect(got.end).toEqual({ kind: "ended" });
    expect(seen?.[":method"]).toBe("POST");
    expect(seen?.[":path"]).toBe("/test");
    expect(seen?.[":authority"]).toBe(`127.0.0.1:${port2}`);
    expect(seen?.[":scheme"]).toBe("http");
    expect(seen?.["content-type"]).toBe("application/grpc");
  });

  it("cancels the stream with RST_STREAM CANCEL when closed, and reports nothing after", async () => {
    let resolveCode: (code: number) => void = () => undefined;
    const code = new Promise<number>((r) => (resolveCode = r));
    let first: () => void = () => undefined;
    const started = new Promise<void>((r) => (first = r));
    const port = await h2Server((stream) => {
      stream.on("close", () => resolveCode(stream.rstCode));
      stream.respond({ ":status": 200 });
      stream.write(new Uint8Array(10), first);
    });
    const ends: H2CallEnd[] = [];
    const c = new H2ClientCall(
      {
        host: "127.0.0.1",
        port,
        authority: "x",
        path: "/",
        headers: [],
        body: new Uint8Array(0),
        windowBytes: 1 << 16,
      },
      { headers: () => undefined, data: () => undefined, end: (e) => ends.push(e) },
    );
    await started;
    c.close();
    expect(await code).toBe(http2.constants.NGHTTP2_CANCEL);
    await new Promise((r) => setTimeout(r, 50));
    expect(ends).toEqual([]);
  });

  it("says so when the server is not an HTTP/2 server", async () => {
    const server = net.createServer((socket) => {
      socket.on("error", () => undefined);
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    });
    const port = await listen(server);
    const got = await call(port).done;
    expect(got.end.kind).toBe("violation");
    expect(got.end.kind === "violation" && got.end.error.message).toMatch(
      /did not begin with an HTTP\/2 SETTINGS frame \(not an HTTP\/2 server\?\)/,
    );
  });

  it("reports a refused connection as a socket error", async () => {
    const server = net.createServer();
    const port = await listen(server);
    server.close();
    await new Promise((r) => setTimeout(r, 20));
    const got = await call(port).done;
    expect(got.end.kind).toBe("socket");
  });
});
