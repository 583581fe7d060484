import { spawn as spawnProcess } from "node:child_process";
import { connect as tcpConnect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LiveError } from "../proxy-url.ts";
import type { RecordingStream } from "../recording-stream.ts";
import { type ConnectOptions, connect } from "./connect.ts";
import type { GrpcSink } from "./grpc-sink.ts";

export interface SpawnOptions extends ConnectOptions {
  /** Port of the proxy; default 9876. */
  port?: number;
  /** `iris serve --memory-limit` for a newly started server (e.g. "1GiB"). */
  memoryLimit?: string;
  /** Open the viewer in a browser when a server is started (default true for `spawn`, false for `serveWeb`). */
  open?: boolean;
  /** How long to wait for a new server to accept connections; default 60 s (it may build the viewer first). */
  startTimeoutMs?: number;
  /** The `iris` CLI entry; default the workspace's `@iris/cli` bin. */
  irisBin?: string;
}

export interface Spawned {
  sink: GrpcSink;
  /** rerun+http://127.0.0.1:PORT/proxy */
  proxyUrl: string;
  /** The Iris viewer page that follows the proxy. */
  viewerUrl: string;
  /** False when a server was already running on the port. */
  started: boolean;
  /** The process id of the server this call started (undefined when one was already running). */
  pid: number | undefined;
}

/**
 * Rerun's `rec.spawn()`: makes sure an `iris serve` is listening on 127.0.0.1:`port` (starting it as a detached
 * process, with the viewer opened in the browser, if nothing answers there), then `connect()`s the recording.
 */
export async function spawn(options: SpawnOptions = {}, recording?: RecordingStream): Promise<Spawned> {
  const port = options.port ?? 9876;
  let started = false;
  let pid: number | undefined;
  if (!(await accepts(port))) {
    const bin = options.irisBin ?? defaultIrisBin();
    const args = [bin, "serve", "--port", String(port)];
    if (options.memoryLimit !== undefined) args.push("--memory-limit", options.memoryLimit);
    if (options.open ?? true) args.push("--open");
    let child;
    try {
      child = spawnProcess(process.execPath, args, { detached: true, stdio: "ignore" });
      child.unref();
    } catch (cause) {
      throw new LiveError("spawn-failed", `could not start ${bin} serve`, { cause });
    }
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    while (!(await accepts(port))) {
      if (child.exitCode !== null)
        throw new LiveError("spawn-failed", `iris serve exited with ${child.exitCode}`);
      if (Date.now() > deadline)
        throw new LiveError("timeout", `iris serve did not listen on port ${port} in time`);
      await new Promise((r) => setTimeout(r, 100));
    }
    started = true;
    pid = child.pid;
  }
  const proxyUrl = `rerun+http://127.0.0.1:${port}/proxy`;
  const sink = connect(proxyUrl, recording, options);
  return {
    sink,
    proxyUrl,
    viewerUrl: `http://127.0.0.1:${port}/?url=${encodeURIComponent(proxyUrl)}`,
    started,
    pid,
  };
}

/**
 * Rerun's `serve_web()` convenience: like `spawn` but does not open a browser; print or open `viewerUrl`
 * yourself. (The server runs in its own process: the SDK does not depend on the server package.)
 */
export function serveWeb(options: SpawnOptions = {}, recording?: RecordingStream): Promise<Spawned> {
  return spawn({ ...options, open: options.open ?? false }, recording);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function defaultIrisBin(): string {
  try {
    return join(dirname(fileURLToPath(import.meta.resolve("@iris/cli/package.json"))), "bin", "iris.js");
  } catch (cause) {
    throw new LiveError("spawn-failed", "cannot find the iris CLI (@iris/cli); pass irisBin", { cause });
  }
}
