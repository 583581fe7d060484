// Runs `iris` in-process (main with captured output) or as a real process (bin/iris.js through node).
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { main } from "@iris/cli";

export const irisBin = join(import.meta.dirname, "../../packages/cli/bin/iris.js");

export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

/**
 * Starts `node NODE_ARGS bin/iris.js ARGS` and resolves with the process once a stdout line matches `ready`.
 */
export function startIris(
  args: readonly string[],
  ready: RegExp,
  nodeArgs: readonly string[] = [],
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [...nodeArgs, irisBin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    });
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.once("exit", (code) =>
      reject(new Error(`iris exited with ${code} before it was ready:\n${out}\n${err}`)),
    );
  });
}

/** Resolves with the exit code (or signal) once `child` has exited. */
export function exited(child: ChildProcess): Promise<number | NodeJS.Signals | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
}
