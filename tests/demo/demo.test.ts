// The Quick start's main job (`npm run demo`) as a user runs it: it must serve even when its default port is
// taken, and fail in one line, not a stack trace, when the port the user asked for is.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "iris-demo-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}
function startDemo(...args: string[]): Run {
  const child = spawn(process.execPath, ["--import", "tsx", "examples/src/demo.ts", outDir, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Uint8Array) => (out += new TextDecoder().decode(d)));
  child.stderr!.on("data", (d: Uint8Array) => (err += new TextDecoder().decode(d)));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

/** Holds `port` on 127.0.0.1 (undefined when something else already does, which serves the test as well). */
async function hold(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe("npm run demo", () => {
  it("serves on a free port when 9090 is taken, with the five recordings", async () => {
    const blocker = await hold(9090);
    const demo = startDemo();
    try {
      for (let i = 0; i < 1200 && !demo.out().includes("Ctrl-C"); i++) {
        if (demo.child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(demo.err()).toBe("");
      expect(demo.out()).toContain("Port 9090 is in use; serving on a free port instead.");
      const url = /Iris viewer with all five recordings: (\S+)/.exec(demo.out())?.[1];
      expect(url).toBeDefined();
      const page = new URL(url!);
      expect(page.port).not.toBe("9090");
      expect(page.searchParams.getAll("url")).toHaveLength(5);
      const recording = await fetch(new URL(page.searchParams.getAll("url")[0]!, page));
      expect(recording.status).toBe(200);
      expect(new Uint8Array(await recording.arrayBuffer()).subarray(0, 4)).toEqual(
        new TextEncoder().encode("RRF2"),
      );
    } finally {
      demo.child.kill("SIGINT");
      await demo.exited;
      blocker?.close();
    }
  });

  it("fails in one line when the port asked for is taken", async () => {
    const blocker = await hold(0);
    const { port } = blocker!.address() as { port: number };
    try {
      const demo = startDemo("--port", String(port));
      expect(await demo.exited).toBe(1);
      expect(demo.err()).toBe(
        `demo: port ${port} is in use: choose another with --port N, or --port 0 for any free one\n`,
      );
    } finally {
      blocker!.close();
    }
  });

  it("refuses a port that is not one", async () => {
    const demo = startDemo("--port", "http");
    expect(await demo.exited).toBe(1);
    expect(demo.err()).toBe('demo: --port expects a TCP port 0…65535; got "http"\n');
  });
});
