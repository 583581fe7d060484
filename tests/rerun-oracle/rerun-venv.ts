// The real Rerun 0.41 (Python SDK + native CLI) in the project-local venv made by scripts/ensure-rerun-venv.sh,
// run as child processes by the oracle tests.
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const venvPython = path.join(repoRoot, ".venv-rerun/bin/python");
export const rerunBin = path.join(repoRoot, ".venv-rerun/bin/rerun");
export const oracleScripts = path.join(repoRoot, "scripts/rerun-oracle");

export interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Throws a clear error when the venv is missing (the tests never skip silently). */
export function requireVenv(): void {
  if (!existsSync(venvPython) || !existsSync(rerunBin)) {
    throw new Error(
      `the Rerun oracle venv is missing (${venvPython}); run scripts/ensure-rerun-venv.sh (npm test's pretest does)`,
    );
  }
}

/** Runs a program; never rejects on a non-zero exit (the result carries the code and both outputs). */
export function runProcess(
  file: string,
  args: readonly string[],
  timeoutMs = 120_000,
  env: NodeJS.ProcessEnv = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: repoRoot,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, RERUN_ANALYTICS: "0", ...env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        if (error && typeof error.code !== "number") {
          reject(new Error(`${file} ${args.join(" ")} failed to run: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `rerun <args>` (the native CLI of rerun-sdk 0.41.0). */
export function rerun(args: readonly string[], timeoutMs = 120_000): Promise<ProcessResult> {
  requireVenv();
  return runProcess(rerunBin, args, timeoutMs);
}

/** Runs `scripts/rerun-oracle/<script>` with the venv's Python; rejects with its stderr when it fails. */
export async function python(script: string, args: readonly string[], timeoutMs = 120_000): Promise<string> {
  requireVenv();
  const result = await runProcess(venvPython, [path.join(oracleScripts, script), ...args], timeoutMs);
  if (result.code !== 0) {
    throw new Error(`${script} ${args.join(" ")} exited with ${result.code}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** Runs a Python program text with the venv's Python (the real Rerun SDK); throws with its stderr if it fails. */
export function runRerunPython(program: string): string {
  requireVenv();
  return execFileSync(venvPython, ["-c", program], {
    cwd: repoRoot,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RERUN_ANALYTICS: "0" },
  });
}

/** `rerun rrd <args>`, synchronously: exit code and both outputs (never throws on a non-zero exit). */
export function rerunRrd(...args: string[]): { code: number; out: string } {
  requireVenv();
  try {
    const out = execFileSync(rerunBin, ["rrd", ...args], {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, RERUN_ANALYTICS: "0" },
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** One item logged by log_format_space.py (see its docstring). */
export interface OracleItem {
  readonly entity: string;
  readonly file: "formats" | "scene" | "updates";
  readonly archetype:
    | "Image"
    | "EncodedImage"
    | "DepthImage"
    | "SegmentationImage"
    | "Pinhole"
    | "Transform3D"
    | "AnnotationContext";
  readonly width?: number;
  readonly height?: number;
  readonly colorModel?: string;
  readonly datatype?: string;
  readonly pixelFormat?: string;
  readonly static?: boolean;
  readonly staticFormat?: boolean;
  readonly timeline?: string;
  readonly time?: number;
  /** Decimal strings: int64 nanoseconds do not fit a JSON number. */
  readonly times?: Readonly<Record<string, string>>;
  readonly buffer?: string;
  readonly blob?: string;
  readonly decoded?: string;
  readonly mediaType?: string;
  readonly opacity?: number;
  readonly drawOrder?: number;
  readonly meter?: number;
  readonly colormap?: number;
  readonly depthRange?: readonly number[];
  readonly imageFromCamera?: readonly number[];
  readonly resolution?: readonly number[];
  readonly imagePlaneDistance?: number;
  readonly translation?: readonly number[];
  readonly quaternion?: readonly number[];
  readonly scale?: readonly number[];
  readonly mat3x3?: readonly number[];
  readonly classes?: readonly (readonly [number, string, readonly number[]])[];
}

export interface OracleFile {
  readonly applicationId: string;
  readonly recordingId: string;
  readonly recordingName?: string;
  readonly startTimeNs?: string;
  readonly blueprint?: boolean;
  readonly properties?: readonly string[];
}

export interface FormatSpace {
  readonly dir: string;
  readonly rerunVersion: string;
  readonly files: Readonly<Record<string, OracleFile>>;
  readonly items: readonly OracleItem[];
  /** The path of `<name>.rrd`. */
  rrd(name: string): string;
  /** The bytes of a reference file named in the manifest (`arrays/<name>.bin`). */
  bytes(rel: string): Promise<Uint8Array>;
}

/** Runs log_format_space.py once into a new temporary directory and reads its manifest. */
export async function logFormatSpace(): Promise<FormatSpace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "iris-rerun-oracle-"));
  await python("log_format_space.py", [dir]);
  const manifest = JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as {
    rerunVersion: string;
    files: Record<string, OracleFile>;
    items: OracleItem[];
  };
  return {
    dir,
    ...manifest,
    rrd: (name) => path.join(dir, `${name}.rrd`),
    bytes: async (rel) => new Uint8Array(await readFile(path.join(dir, rel))),
  };
}
