// Builds and packs every publishable package, then installs the tarballs into a new project outside the
// repository (os.tmpdir()), the way an outside user's `npm install @iris/sdk` would: no workspace links.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");

/** The packages that are published (every workspace but `examples`), in dependency order. */
export const publishedPackages = [
  "types",
  "chunk",
  "rrd",
  "store",
  "renderer",
  "viewer",
  "server",
  "sdk",
  "cli",
] as const;

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a process a user would start: without the npm-script variables of the `npm test` that
 * runs this suite (npm_package_*, npm_config_* …) and without NODE_OPTIONS.
 */
export function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([key]) => !/^npm_/i.test(key) || /^npm_config_cache$/i.test(key))
      .filter(([key]) => key !== "NODE_OPTIONS" && key !== "INIT_CWD"),
  );
}

/** Runs a command to completion (never throws on a non-zero exit; the caller asserts the code). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? userEnv(),
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

export function expectOk(result: RunResult, what: string): RunResult {
  if (result.code !== 0)
    throw new Error(`${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

export interface PackedFile {
  readonly path: string;
}

export interface Packed {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly PackedFile[];
}

export interface ScratchProject {
  readonly dir: string;
  readonly packed: readonly Packed[];
  /** What `npm install` printed (stdout + stderr). */
  readonly installLog: string;
}

/**
 * `npm run build`, `npm pack` of every published package into `<scratch>/tarballs`, and a scratch project that
 * depends on `@iris/sdk` and `@iris/viewer` only (the other packages come in as their dependencies, from the
 * tarballs through `overrides`). Third-party packages come from npm's cache when it has them.
 */
export async function createScratchProject(): Promise<ScratchProject> {
  expectOk(await run("npm", ["run", "build"], { cwd: repoRoot, timeoutMs: 300_000 }), "npm run build");
  const dir = await mkdtemp(join(tmpdir(), "iris-consumer-"));
  try {
    return await packAndInstall(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function packAndInstall(dir: string): Promise<ScratchProject> {
  const tarballs = join(dir, "tarballs");
  await mkdir(tarballs);
  const workspaces = publishedPackages.flatMap((name) => ["-w", `packages/${name}`]);
  const pack = expectOk(
    await run("npm", ["pack", "--json", "--pack-destination", tarballs, ...workspaces], { cwd: repoRoot }),
    "npm pack",
  );
  const packed = JSON.parse(pack.stdout) as Packed[];
  const tarball = (name: string): string => {
    const entry = packed.find((p) => p.name === `@iris/${name}`);
    if (!entry) throw new Error(`npm pack made no tarball for @iris/${name}`);
    return `file:./tarballs/${entry.filename}`;
  };
  const manifest = {
    name: "iris-consumer",
    private: true,
    type: "module",
    dependencies: { "@iris/sdk": tarball("sdk"), "@iris/viewer": tarball("viewer") },
    overrides: Object.fromEntries(
      publishedPackages.filter((n) => n !== "sdk" && n !== "viewer").map((n) => [`@iris/${n}`, tarball(n)]),
    ),
  };
  await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const install = expectOk(
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: dir,
      timeoutMs: 300_000,
    }),
    "npm install",
  );
  return { dir, packed, installLog: install.stdout + install.stderr };
}

/** The first ```js block after `heading` in README.md: the program a new user copies. */
export async function readmeProgram(heading: string): Promise<string> {
  const readme = await readFile(join(repoRoot, "README.md"), "utf8");
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README.md has no "${heading}" section`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error(`README.md has no js block after "${heading}"`);
  return block[1]!;
}
