// `npm run build`: every package to ESM JavaScript + .d.ts + source maps (with their sources inlined) in
// packages/*/dist through TypeScript project references (tsconfig.build.json), then the viewer page
// (packages/viewer/dist/page) and the `iris` command as one file (packages/cli/dist/iris.mjs, which its bin runs;
// see packages/cli/bundle.js). Inside the repository nothing needs this build (see ARCHITECTURE.md,
// "Packages and builds"); `npm pack` / publishing and the consumer test do.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { bundleCli } from "../packages/cli/bundle.js";
import { buildViewer } from "../packages/viewer/build.ts";

const root = join(import.meta.dirname, "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

const result = spawnSync(process.execPath, [tsc, "-b", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
if (result.status !== 0) process.exit(result.status ?? 1);

// TypeScript rewrites `./x.ts` to `./x.js` in the emitted JavaScript (rewriteRelativeImportExtensions) but
// keeps the sources' specifiers in declaration files; give them the `.js` a published package should have.
const relativeTs = /((?:from\s+|import\(\s*|declare module\s+)["'])(\.{1,2}\/[^"']*)\.ts(["'])/g;
let rewritten = 0;
for (const pkg of readdirSync(join(root, "packages"))) {
  for (const file of declarationFiles(join(root, "packages", pkg, "dist"))) {
    const text = readFileSync(file, "utf8");
    const fixed = text.replace(relativeTs, "$1$2.js$3");
    if (fixed !== text) {
      writeFileSync(file, fixed);
      rewritten++;
    }
  }
}

const page = await buildViewer({ minify: true });
const cli = join(root, "packages/cli/dist/iris.mjs");
await bundleCli(cli);
process.stdout.write(
  `built packages/*/dist (${rewritten} declaration files rewritten), ${page} and ${cli}\n`,
);

function declarationFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isFile() && e.name.endsWith(".d.ts")).map((e) => join(e.parentPath, e.name));
}
