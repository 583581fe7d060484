// Runs `iris serve` as a child process (as a user would) and reads its URLs from stdout.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const irisBin = path.join(repoRoot, "packages/cli/bin/iris.js");

export interface ServeProcess {
  readonly child: ChildProcess;
  /** rerun+http://127.0.0.1:PORT/proxy */
  readonly proxyUrl: string;
  /** http://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** The viewer page (absent with --no-viewer). */
  readonly viewerUrl: string | undefined;
  readonly stderr: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startServe(args: readonly string[] = [], timeoutMs = 120_000): Promise<ServeProcess> {
  // With the V8 flag that `iris serve` would start its server process with (bin/iris.js), so that the server runs
  // in this child itself: the tests freeze (SIGSTOP) and kill it.
  const child = spawn(process.execPath, ["--initial-old-space-size=128", irisBin, "serve", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Uint8Array) => (out += new TextDecoder().decode(d)));
  child.stderr!.on("data", (d: Uint8Array) => (err += new TextDecoder().decode(d)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const proxy = /Iris proxy: (\S+)/.exec(out)?.[1];
    const viewer = /Iris viewer: (\S+)/.exec(out)?.[1];
    if (proxy && (viewer || args.includes("--no-viewer")) && out.includes("Ctrl-C")) {
      return {
        child,
        proxyUrl: proxy,
        baseUrl: proxy.replace(/^rerun\+/, "").replace(/\/proxy$/, ""),
        viewerUrl: viewer,
        stderr: () => err,
        async kill(signal = "SIGTERM") {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`iris serve did not start (exit ${child.exitCode}):\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
