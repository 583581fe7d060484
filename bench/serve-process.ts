// Starts `iris serve` as a separate process, as in real use, for the benchmarks that stream through it.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const irisBin = join(fileURLToPath(new URL("..", import.meta.url)), "packages/cli/bin/iris.js");

/** The node flag `iris serve` starts its server process with (packages/cli/bin/iris.js). */
export const SERVE_NODE_FLAG = "--initial-old-space-size=128";

export interface ServeProcess {
  child: ChildProcess;
  /** rerun+http://127.0.0.1:PORT/proxy */
  proxyUrl: string;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
}

/** `iris serve --port PORT --no-viewer ARGS…`, once it says it is listening (at most 60 s). */
export async function startServe(port: number, args: readonly string[] = []): Promise<ServeProcess> {
  // The V8 flag that `iris serve` gives the server process it starts (see bin/iris.js), given here so that the
  // server runs in this child itself and the CPU time read from /proc is the server's.
  const argv = [SERVE_NODE_FLAG, irisBin, "serve", "--port", String(port), "--no-viewer", ...args];
  const child = spawn(process.execPath, argv, {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (d: Uint8Array) => (out += new TextDecoder().decode(d)));
  for (let i = 0; i < 1200 && !out.includes("Ctrl-C"); i++) await new Promise((r) => setTimeout(r, 50));
  const proxyUrl = /Iris proxy: (\S+)/.exec(out)?.[1];
  if (!proxyUrl) throw new Error(`iris serve did not start: ${out}`);
  return { child, proxyUrl, baseUrl: proxyUrl.replace(/^rerun\+/, "").replace(/\/proxy$/, "") };
}
