// `iris view` and `iris serve` as real processes: SIGTERM / SIGINT end them while a browser-like client holds
// connections open (an idle keep-alive connection, a download it stopped reading, a request never finished).
import { type IncomingMessage, Agent, get } from "node:http";
import { connect, type Socket } from "node:net";
import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { type ChildProcess, spawn } from "node:child_process";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { exited, irisBin, startIris } from "./run-cli.ts";

/**
 * A liveness bound, not a speed test: exit takes ~0.1 s here; before the fix `iris view` never exited and
 * `iris serve` lingered 10 s (a protocol-sniffing timer of a destroyed socket kept the process alive).
 */
const HANG_MS = 8000;

async function exitedWithin(child: ChildProcess): Promise<number | NodeJS.Signals | null | "still running"> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"still running">(
    (resolve) => (timer = setTimeout(() => resolve("still running"), HANG_MS)),
  );
  try {
    return await Promise.race([exited(child), hang]);
  } finally {
    clearTimeout(timer);
  }
}

const dir = mkdtempSync(join(tmpdir(), "iris-cli-signals-"));
const big = join(dir, "big.rrd");
writeFileSync(big, new Uint8Array([0x52, 0x52, 0x46, 0x32]));
truncateSync(big, 256 * 1024 * 1024); // sparse: a download far larger than any socket buffer

const children: ChildProcess[] = [];
const clients: Socket[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const s of clients.splice(0)) s.destroy();
});

/** Opens the three kinds of held connection against `base` and resolves once all are established. */
async function holdConnections(base: string, downloadPath: string): Promise<void> {
  const { hostname, port } = new URL(base);
  const agent = new Agent({ keepAlive: true });
  // 1. An idle keep-alive connection after a finished request.
  await new Promise<void>((resolve, reject) => {
    get({ hostname, port, path: "/", agent }, (res) => {
      res.resume();
      res.on("end", resolve);
      res.socket.on("error", () => undefined);
    }).on("error", reject);
  });
  // 2. A download the client stops reading: the server is stuck writing into a full socket.
  await new Promise<void>((resolve, reject) => {
    get({ hostname, port, path: downloadPath }, (res: IncomingMessage) => {
      clients.push(res.socket);
      res.on("error", () => undefined); // the server ends it on shutdown
      res.once("data", () => {
        res.pause();
        resolve();
      });
    }).on("error", reject);
  });
  // 3. A connection that never sends anything, and a request whose headers never end.
  const silent = connect(Number(port), hostname);
  silent.on("error", () => undefined);
  clients.push(silent);
  await new Promise<void>((resolve) => silent.once("connect", resolve));
  const raw = connect(Number(port), hostname);
  raw.on("error", () => undefined);
  clients.push(raw);
  await new Promise<void>((resolve) => raw.once("connect", resolve));
  raw.write(`GET / HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`);
  for (const s of (agent as unknown as { freeSockets: Record<string, Socket[]> }).freeSockets[
    `${hostname}:${port}:`
  ] ?? []) {
    clients.push(s);
  }
}

describe("iris view and iris serve stop on a signal with connections open", () => {
  it("iris view exits with 0 on SIGTERM", async () => {
    const { child, match } = await startIris(
      ["view", big, "--port", "0", "--no-open"],
      /Iris viewer: (http:\/\/[^/\s]+)\/\S*\n/,
    );
    children.push(child);
    await holdConnections(match[1]!, "/recordings/0/big.rrd");
    const start = performance.now();
    child.kill("SIGTERM");
    expect(await exitedWithin(child)).toBe(0);
    console.log(`iris view: exited ${(performance.now() - start).toFixed(0)} ms after SIGTERM`);
  });

  it("iris serve exits with 0 on SIGINT (Ctrl-C)", async () => {
    const { child, match } = await startIris(
      ["serve", "--port", "0"],
      /Iris viewer: (http:\/\/[^/\s]+)\/\S*\n/,
    );
    children.push(child);
    await holdConnections(match[1]!, "/iris-viewer.js");
    const start = performance.now();
    child.kill("SIGINT");
    expect(await exitedWithin(child)).toBe(0);
    console.log(`iris serve: exited ${(performance.now() - start).toFixed(0)} ms after SIGINT`);
  });
});

describe("iris with a reader that goes away", () => {
  it("ends quietly when stdout is closed early (iris print --verbose | head)", async () => {
    const file = join(dir, "many-rows.rrd");
    const rec = new RecordingStream({
      applicationId: "many",
      sink: new FileSink(file),
      defaultTimelines: false,
    });
    for (let i = 0; i < 3000; i++) {
      rec.setTimeSequence("frame", i);
      rec.log("img", new Image(new Uint8Array([i & 255]), { width: 1, height: 1 }));
    }
    rec.close();
    const child = spawn(process.execPath, [irisBin, "print", "--verbose", file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let err = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
    await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
    child.stdout!.destroy(); // like `head` exiting after its first lines
    expect(await exitedWithin(child)).toBe(0);
    expect(err).toBe("");
  });
});
