// Runs example programs (`npx tsx examples/src/<name>.ts --out <tmp>/<name>.rrd`) as separate processes, two at a
// time, so they overlap with Chromium's start; each test awaits its own recording.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

export interface ExamplePrograms {
  /** The recording of each example, keyed by name; a failed or missing program rejects with its name. */
  readonly recordings: ReadonlyMap<string, Promise<Uint8Array>>;
  /** Waits for every program and removes the temporary directory. */
  dispose(): Promise<void>;
}

export async function startExamplePrograms(
  names: readonly string[],
  tmpPrefix: string,
): Promise<ExamplePrograms> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), tmpPrefix));
  const write = async (name: string): Promise<Uint8Array> => {
    const out = path.join(tmpDir, `${name}.rrd`);
    try {
      await run("npx", ["tsx", `examples/src/${name}.ts`, "--out", out], { cwd: repoRoot, timeout: 120_000 });
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new Error(`example program examples/src/${name}.ts failed or is missing: ${detail}`, { cause });
    }
    return new Uint8Array(await readFile(out));
  };
  const recordings = new Map<string, Promise<Uint8Array>>();
  const lanes: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
  names.forEach((name, i) => {
    const lane = i % 2;
    const next = lanes[lane]!.then(
      () => write(name),
      () => write(name),
    );
    next.catch(() => undefined); // reported by the test that awaits it
    recordings.set(name, next);
    lanes[lane] = next;
  });
  return {
    recordings,
    async dispose() {
      await Promise.allSettled(recordings.values());
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}
