// Bundles the Iris web viewer page into packages/viewer/dist/page (index.html + iris-viewer.js), with esbuild.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { viewerIndexHtml } from "./src/index-html.ts";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "dist", "page");

/** Builds the viewer; returns the output directory. */
export async function buildViewer(options: { minify?: boolean } = {}): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, "src/main.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: options.minify ?? true,
    sourcemap: true,
    // The lz4-wasm binary (src/load-wasm-lz4.ts), inlined as bytes.
    loader: { ".wasm": "binary" },
    outfile: join(outDir, "iris-viewer.js"),
    logLevel: "warning",
  });
  writeFileSync(join(outDir, "index.html"), viewerIndexHtml);
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`built ${await buildViewer()}\n`);
}
