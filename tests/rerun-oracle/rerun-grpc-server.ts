// `rerun --serve-grpc` (Rerun 0.41's own gRPC message proxy, Rust h2/tonic) as a test peer.
import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../live/live-helpers.ts";
import { rerunBin, requireVenv } from "./rerun-venv.ts";

export interface RerunGrpcServer {
  port: number;
  /** rerun+http://127.0.0.1:PORT/proxy */
  proxyUrl: string;
  /** What the server printed so far (stdout and stderr). */
  log(): string;
  /** Stops the server and everything in its process group. */
  stop(): Promise<void>;
}

/** Starts `rerun --serve-grpc ARGS…` on a free port of 127.0.0.1, once it says it listens (at most 60 s). */
export async function startRerunGrpcServer(args: readonly string[] = []): Promise<RerunGrpcServer> {
  requireVenv();
  const port = await freePort();
  // Its own process group: `.venv-rerun/bin/rerun` is a Python launcher that runs the native binary as a child,
  // so signalling the launcher alone would leave the server running.
  const server: ChildProcess = spawn(
    rerunBin,
    ["--serve-grpc", "--port", String(port), "--bind", "127.0.0.1", ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RERUN_ANALYTICS: "0" }, detached: true },
  );
  let log = "";
  server.stdout!.on("data", (d: Uint8Array) => (log += new TextDecoder().decode(d)));
  server.stderr!.on("data", (d: Uint8Array) => (log += new TextDecoder().decode(d)));
  const exited = new Promise<void>((r) => server.once("exit", () => r()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-server.pid!, signal);
    } catch {
      // no process left in the group
    }
  };
  const stop = async (): Promise<void> => {
    signalGroup("SIGTERM");
    const killer = setTimeout(() => signalGroup("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killer);
    // The launcher is gone; make sure nothing of the group (the native server) outlives the test.
    signalGroup("SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  while (!log.includes(`Listening for gRPC connections on 127.0.0.1:${port}`)) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`rerun --serve-grpc did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, proxyUrl: `rerun+http://127.0.0.1:${port}/proxy`, log: () => log, stop };
}
