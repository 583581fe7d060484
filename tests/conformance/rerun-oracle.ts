import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The project's venv with the real rerun-sdk 0.41.0 (scripts/ensure-rerun-venv.sh makes it; CI has it). */
const VENV = join(import.meta.dirname, "..", "..", ".venv-rerun", "bin");

export const RERUN_PYTHON = join(VENV, "python");
export const RERUN_CLI = join(VENV, "rerun");

export function hasRerunVenv(): boolean {
  return existsSync(RERUN_PYTHON) && existsSync(RERUN_CLI);
}

/** Runs a Python program with the real Rerun SDK; throws with its stderr if it fails. */
export function runRerunPython(program: string): string {
  return execFileSync(RERUN_PYTHON, ["-c", program], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `rerun rrd <args>`: exit code and both outputs (never throws on a non-zero exit). */
export function rerunRrd(...args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(RERUN_CLI, ["rrd", ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}
