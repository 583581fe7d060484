// `readMessages` and `GrpcSink` over TLS (`rerun+https://`): Iris's own HTTP/2 client (ALPN "h2") and node:http2,
// against a node:http2 secure server with the self-signed certificate in tests/fixtures/tls/.
import { readFileSync } from "node:fs";
import * as http2 from "node:http2";
import * as tls from "node:tls";
import { fromBinary } from "@bufbuild/protobuf";
import { GrpcFrameDecoder, rrdMessageFromProto, sdkCommsPb } from "@iris/rrd";
import { GrpcSink } from "@iris/sdk/node";
import { afterEach, describe, expect, it } from "vitest";
import { collect, failure, responseFrame, storeInfo } from "./read-messages-fixtures.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), "latin1");
const cert = fixture("localhost-cert.pem");
const key = fixture("localhost-key.pem");

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** A gRPC ReadMessages answer over HTTP/2 + TLS: two messages, then status 0. Returns the port. */
async function secureProxy(): Promise<{ port: number; schemes: string[] }> {
  const server = http2.createSecureServer({ key, cert });
  const schemes: string[] = [];
  const sessions: http2.ServerHttp2Session[] = [];
  server.on("session", (s) => sessions.push(s));
  server.on("stream", (stream, headers) => {
    schemes.push(String(headers[":scheme"]));
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
    stream.write(responseFrame(storeInfo("a")));
    stream.end(responseFrame(storeInfo("b")));
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => {
    sessions.forEach((s) => s.destroy());
    server.close();
  });
  return { port: (server.address() as { port: number }).port, schemes };
}

describe("readMessages over TLS", () => {
  it.each(["iris", "node"] as const)(
    "reads a rerun+https proxy with the %s HTTP/2 client",
    async (http2Client) => {
      const { port, schemes } = await secureProxy();
      const url = `rerun+https://127.0.0.1:${port}/proxy`;
      expect(await collect(url, { ca: cert, http2Client })).toEqual([storeInfo("a"), storeInfo("b")]);
      expect(schemes).toEqual(["https"]);
    },
  );

  it("refuses a certificate it does not trust, as unreachable, saying why", async () => {
    const { port } = await secureProxy();
    const error = await failure(`rerun+https://127.0.0.1:${port}/proxy`);
    expect(error.kind).toBe("unreachable");
    expect(error.message).toMatch(/self.signed certificate/i);
  });

  it("refuses a TLS server that does not agree to HTTP/2 (ALPN): none offered, or only http/1.1", async () => {
    const start = async (alpn: string[] | undefined): Promise<number> => {
      const server = tls.createServer({ key, cert, ...(alpn && { ALPNProtocols: alpn }) }, (socket) => {
        socket.on("error", () => undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      cleanup.push(() => server.close());
      return (server.address() as { port: number }).port;
    };
    const none = await failure(`rerun+https://127.0.0.1:${await start(undefined)}/proxy`, { ca: cert });
    expect(none.kind).toBe("protocol");
    expect(none.message).toContain('did not agree to HTTP/2 over TLS (ALPN: "none", expected "h2")');
    // A server that knows ALPN ends the handshake itself (alert "no application protocol").
    const h1 = await failure(`rerun+https://127.0.0.1:${await start(["http/1.1"])}/proxy`, { ca: cert });
    expect(h1.kind).toBe("unreachable");
    expect(h1.message).toMatch(/no application protocol/i);
  });
});

describe("GrpcSink over TLS", () => {
  it.each(["iris", "node"] as const)(
    "writes to a rerun+https proxy with the %s HTTP/2 client, trusting `ca`, and is acknowledged",
    async (http2Client) => {
      const server = http2.createSecureServer({ key, cert });
      const sessions: http2.ServerHttp2Session[] = [];
      const received: string[] = [];
      server.on("session", (s) => sessions.push(s));
      server.on("stream", (stream, headers) => {
        const decoder = new GrpcFrameDecoder(1 << 20, (n) => new Error(`${n} bytes`));
        stream.on("data", (chunk: Uint8Array) => {
          for (const frame of decoder.push(chunk)) {
            const request = fromBinary(sdkCommsPb.WriteMessagesRequestSchema, frame.bytes);
            const message = rrdMessageFromProto(request.logMsg!.msg);
            if (message.kind === "setStoreInfo") {
              received.push(`${String(headers[":scheme"])} ${message.storeId.recordingId}`);
            }
          }
        });
        stream.on("end", () => {
          stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
          stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
          stream.end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      cleanup.push(() => {
        sessions.forEach((s) => s.destroy());
        server.close();
      });
      const port = (server.address() as { port: number }).port;
      const sink = new GrpcSink(`rerun+https://127.0.0.1:${port}/proxy`, { ca: cert, http2Client });
      sink.send(storeInfo("tls"));
      await sink.flushed(10_000);
      expect(sink.stats).toMatchObject({ ackedMessages: 1, reconnects: 0 });
      expect(received).toEqual(["https tls"]);
      await sink.closed(2_000);
    },
  );
});
