import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ServerError } from "./server-error.ts";

const viewerDir = dirname(fileURLToPath(import.meta.resolve("@iris/viewer/package.json")));
const packagesDir = join(viewerDir, "..");
const bundledPackages = ["viewer", "renderer", "store", "rrd", "chunk", "types"];

/**
 * The directory holding the built viewer page (index.html + iris-viewer.js): `@iris/viewer`'s `dist/page`.
 * An installed package ships it prebuilt. Inside the Iris repository (where the viewer's `src/` exists) it is
 * (re)built with esbuild when missing or older than any source file it bundles.
 */
export async function viewerDistDir(): Promise<string> {
  const page = join(viewerDir, "dist", "page");
  const bundle = join(page, "iris-viewer.js");
  if (!existsSync(join(viewerDir, "src"))) {
    if (existsSync(bundle)) return page;
    throw new ServerError("viewer-build-failed", `the viewer page is missing from ${page}`);
  }
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSourceMs()) return page;
  try {
    const { buildViewer } = (await import(join(viewerDir, "build.ts"))) as {
      buildViewer(options?: { minify?: boolean }): Promise<string>;
    };
    return await buildViewer();
  } catch (cause) {
    throw new ServerError("viewer-build-failed", `could not build the viewer in ${viewerDir}`, { cause });
  }
}

function newestSourceMs(): number {
  let newest = 0;
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const name of bundledPackages) walk(join(packagesDir, name, "src"));
  return newest;
}
