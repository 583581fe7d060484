// `npm run bench` argument handling: --help and bad arguments run nothing and write no report.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "iris-bench-args-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(...args: string[]): { status: number | null; stdout: string; stderr: string; wrote: boolean } {
  const out = join(dir, `report-${Math.random().toString(36).slice(2)}.md`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", ...args, "--out", out], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, wrote: existsSync(out) };
}

describe("bench/run.ts arguments", () => {
  it("--help prints the usage and exits 0 without running or writing anything", () => {
    const r = bench("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--quick");
    expect(r.stdout).toContain("--only LIST");
    expect(r.wrote).toBe(false);
  });

  it.each([
    [["--bogus"], "Unknown option '--bogus'"],
    [["--only", "files"], 'got "files"'],
    [["--only", ","], 'got ","'],
    [["extra"], "Unexpected argument 'extra'"],
  ])("%j is refused with exit 2 and the usage", (args, message) => {
    const r = bench(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("Usage: npm run bench");
    expect(r.wrote).toBe(false);
  });
});
