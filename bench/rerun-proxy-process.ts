// Starts Rerun 0.41's own gRPC message proxy (`rerun --serve-grpc`, native Rust: tonic/h2) from the oracle venv
// (scripts/ensure-rerun-venv.sh) as the live benchmark's peer proxy. The native binary is started directly, not
// through the venv's Python launcher, so that the CPU time read from /proc for the child is the server's.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** The native `rerun` binary of the venv's rerun-sdk wheel (`rerun_cli/rerun`). */
export function rerunNativeBin(): string {
  const lib = resolve(".venv-rerun/lib");
  const python = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith("python")) : undefined;
  const bin = python && join(lib, python, "site-packages/rerun_cli/rerun");
  if (!bin || !existsSync(bin)) {
    throw new Error("the Rerun oracle venv is missing; run scripts/ensure-rerun-venv.sh");
  }
  return bin;
}

/** `rerun --serve-grpc --port PORT --bind 127.0.0.1 ARGS…`, once it says it listens (at most 60 s). */
export async function startRerunProxy(
  port: number,
  args: readonly string[] = [],
): Promise<{ child: ChildProcess; proxyUrl: string }> {
  const child = spawn(
    rerunNativeBin(),
    ["--serve-grpc", "--port", String(port), "--bind", "127.0.0.1", ...args],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RERUN_ANALYTICS: "0" } },
  );
  let log = "";
  const append = (d: Uint8Array): void => {
    // Only the start-up lines are needed; later output is read and dropped (a full pipe would block the server).
    if (log.length < 64 * 1024) log += new TextDecoder().decode(d);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const deadline = Date.now() + 60_000;
  while (!log.includes(`Listening for gRPC connections on 127.0.0.1:${port}`)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`rerun --serve-grpc did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, proxyUrl: `rerun+http://127.0.0.1:${port}/proxy` };
}
