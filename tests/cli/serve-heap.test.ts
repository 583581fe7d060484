// `iris serve` runs its server in a child process with a larger initial old generation (see bin/iris.js), and
// that child never outlives the `iris` process. Linux: the process tree is read from /proc.
import { existsSync, readFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { exited, startIris } from "./run-cli.ts";

const children: ChildProcess[] = [];
const orphans: number[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  for (const pid of orphans.splice(0)) if (existsSync(`/proc/${pid}`)) process.kill(pid, "SIGKILL");
});

function childPids(pid: number | undefined): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return text === "" ? [] : text.split(/\s+/).map(Number);
}

function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
}

/** Whether process `pid` is gone (or a zombie) within 10 s. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (!existsSync(`/proc/${pid}`)) return true;
    if (/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe.runIf(process.platform === "linux")("iris serve's server process", () => {
  it("runs with --initial-old-space-size=128 and ends when iris is killed outright", async () => {
    const { child, match } = await startIris(
      ["serve", "--port", "0", "--no-viewer"],
      /Iris proxy: (\S+)[\s\S]*Ctrl-C/,
    );
    children.push(child);
    const [server] = childPids(child.pid);
    expect(server).toBeDefined();
    orphans.push(server!);
    expect(commandLine(server!)).toContain("--initial-old-space-size=128");
    expect(commandLine(child.pid!)).not.toContain("--initial-old-space-size=128");
    const base = match[1]!.replace(/^rerun\+/, "").replace(/\/proxy$/, "");
    expect((await fetch(`${base}/`)).status).toBe(404); // the server answers (no viewer page)
    child.kill("SIGKILL");
    expect(await gone(server!)).toBe(true);
    await expect(fetch(`${base}/`)).rejects.toThrow();
  });

  it("SIGTERM to iris ends the server too, with exit code 0", async () => {
    const { child } = await startIris(["serve", "--port", "0", "--no-viewer"], /Ctrl-C/);
    children.push(child);
    const [server] = childPids(child.pid);
    orphans.push(server!);
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
    expect(await gone(server!)).toBe(true);
  });

  it("runs in the process itself when node was started with the flag", async () => {
    const { child } = await startIris(["serve", "--port", "0", "--no-viewer"], /Ctrl-C/, [
      "--initial-old-space-size=64",
    ]);
    children.push(child);
    expect(childPids(child.pid)).toEqual([]);
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
  });
});
