// Security defaults of the proxy (`iris serve`): loopback-only binding, a message size cap, and no path traversal
// through the viewer files it serves. (CORS is covered in proxy-server.test.ts.)
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { expect, it } from "vitest";
import { sdkCommsPb } from "@iris/rrd";
import { rawGet } from "../raw-get.ts";
import { imagesOf, liveTestContext, recordingMessages, startReader } from "./live-helpers.ts";

const { cleanup, startServer } = liveTestContext();

async function write(
  client: ReturnType<typeof createClient<typeof sdkCommsPb.MessageProxyService>>,
  requests: sdkCommsPb.WriteMessagesRequest[],
): Promise<unknown> {
  async function* body() {
    yield* requests;
  }
  return client.writeMessages(body()).then(
    () => undefined,
    (e: unknown) => e,
  );
}

it("binds 127.0.0.1 unless told otherwise: not reachable on the machine's other addresses", async () => {
  const server = await startServer();
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const { port } = new URL(server.url);
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === "IPv4" && !a.internal);
  // A machine with only loopback has nothing else to try; the URL check above still holds.
  if (external === undefined) return;
  const outcome = await new Promise<string>((resolve) => {
    const socket = net.connect({ host: external.address, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
  });
  expect(outcome).toBe("ECONNREFUSED");
});

it("refuses messages over the size cap (gRPC and gRPC-web) and keeps serving", async () => {
  const server = await startServer({ maxMessageBytes: 256 * 1024 });
  const live = startReader(server.url);
  cleanup.push(() => live.stop());
  const transports = {
    grpc: createGrpcTransport({ baseUrl: server.url }),
    "grpc-web": createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1" }),
  };
  for (const [name, transport] of Object.entries(transports)) {
    const client = createClient(sdkCommsPb.MessageProxyService, transport);
    // A 360 KB uncompressed message: over the gRPC message cap.
    const error = await write(client, recordingMessages(`too-big-${name}`, 600));
    expect(error, name).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code, `${name}: ${(error as Error).message}`).toBe(Code.ResourceExhausted);
    // A tiny LZ4 message (zeros) that would expand past 4× the cap: refused from its header, before decompression.
    const bomb = await write(client, recordingMessages(`bomb-${name}`, 1100, "lz4"));
    expect((bomb as ConnectError).code, name).toBe(Code.InvalidArgument);
    expect((bomb as Error).message).toMatch(/uncompressed_size \d+ exceeds 1048576/);
  }
  // The server still accepts a message under the cap, and the reader sees only that recording's image.
  const client = createClient(sdkCommsPb.MessageProxyService, transports.grpc);
  expect(await write(client, recordingMessages("small", 64))).toBeUndefined();
  await live.waitFor((m) => imagesOf(m).length >= 1);
  await new Promise((r) => setTimeout(r, 100));
  expect(imagesOf(live.messages)).toHaveLength(1);
  const arrowRecordings = live.messages.flatMap((m) =>
    m.kind === "arrowMsg" ? [m.storeId.recordingId] : [],
  );
  expect(new Set(arrowRecordings)).toEqual(new Set(["small"]));
});

it("serves only files inside the viewer directory: path traversal in every spelling is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "iris-proxy-security-"));
  const viewerDir = join(dir, "viewer");
  mkdirSync(viewerDir);
  writeFileSync(join(viewerDir, "index.html"), "<!doctype html>viewer");
  writeFileSync(join(dir, "secret.txt"), "top secret");
  const server = await startServer({ viewerDir });
  expect((await rawGet(server.url, "/index.html")).body).toBe("<!doctype html>viewer");
  for (const path of [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/index.html/../../secret.txt",
    "/%2e%2e%2f%2e%2e%2fetc/passwd",
    "/....//secret.txt",
    "/..%5csecret.txt",
  ]) {
    const res = await rawGet(server.url, path);
    expect(res.body, path).not.toContain("top secret");
    expect(res.status, path).toBe(404);
  }
});
