// @ts-check
/* global process */
// The `iris` command as one JavaScript file. Loading Iris's and its dependencies' ~530 ES modules one by one
// (apache-arrow alone is ~200) costs Node 0.4-0.5 s of CPU before a command starts (measured: `iris --version`
// from the tsc build in dist/, 0.45-0.6 s CPU; from one bundle, 0.13-0.17 s; through tsx on the sources
// 1.2-2 s). So `npm run build` writes dist/iris.mjs, which the published bin runs, and inside the repository
// bin/iris.js runs a bundle of the sources in .cache/ that it rebuilds whenever one of its inputs changed.
// Not published (package.json `files`); esbuild is a development dependency.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const cliDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(cliDir, "../..");

/**
 * Bundles packages/cli/src/main.ts (every @iris/* package from its sources through the repository tsconfig's
 * `paths`, and the third-party modules) into one ES module at `outfile`, written atomically (several `iris`
 * processes may build at once). `@duckdb/node-api` stays an import: it loads a native addon (and only `iris
 * sql` / `iris dataset` load it, on demand). `trailer` (a function of the absolute paths of every input file)
 * may append a last line.
 * @param {string} outfile
 * @param {(inputs: string[]) => string} [trailer]
 * @returns {Promise<void>}
 */
export async function bundleCli(outfile, trailer) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [join(cliDir, "src/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    tsconfig: join(repoRoot, "tsconfig.json"),
    external: ["@duckdb/node-api"],
    // CommonJS dependencies bundled into an ES module call `require` for Node's built-ins.
    banner: {
      js: 'import { createRequire as __irisCreateRequire } from "node:module";\nconst require = __irisCreateRequire(import.meta.url);',
    },
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error("esbuild wrote no bundle");
  const inputs = Object.keys(result.metafile.inputs).map((input) => resolve(repoRoot, input));
  mkdirSync(dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, trailer ? `${file.text}${trailer(inputs)}\n` : file.contents);
  renameSync(temporary, outfile);
}

const devBundle = join(cliDir, ".cache/iris.mjs");
const INPUTS_LINE = "//# irisBundleInputs=";

/**
 * The URL of a bundle of the current sources (for bin/iris.js inside the repository): .cache/iris.mjs when no
 * input changed since it was built (one stat per input, ~10 ms), else a new one (~0.3-1 s). Its last line lists
 * the inputs and when the build started, so bundle and list are replaced together. The inputs checked are the
 * bundle's source files plus this file, the tsconfig and package-lock.json (npm gives installed files old fixed
 * mtimes, so a dependency update shows only in the lock file).
 * @returns {Promise<string>}
 */
export async function freshDevBundle() {
  if (!isFresh()) {
    const builtAtMs = Date.now();
    const extra = [
      fileURLToPath(import.meta.url),
      join(repoRoot, "tsconfig.json"),
      join(repoRoot, "package-lock.json"),
    ];
    await bundleCli(
      devBundle,
      (inputs) => `${INPUTS_LINE}${JSON.stringify({ builtAtMs, inputs: [...inputs, ...extra] })}`,
    );
  }
  return pathToFileURL(devBundle).href;
}

function isFresh() {
  try {
    const text = readFileSync(devBundle, "utf8");
    const at = text.lastIndexOf(INPUTS_LINE);
    if (at < 0) return false;
    const { builtAtMs, inputs } = /** @type {{ builtAtMs: number, inputs: string[] }} */ (
      JSON.parse(text.slice(at + INPUTS_LINE.length))
    );
    return inputs.every((input) => statSync(input).mtimeMs <= builtAtMs);
  } catch {
    return false; // no bundle yet, or an input is gone
  }
}
