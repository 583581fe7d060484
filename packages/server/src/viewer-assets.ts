import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ServerError } from "./server-error.ts";

const viewerDir = join(dirname(fileURLToPath(import.meta.resolve("@iris/viewer"))), "..");
const packagesDir = join(viewerDir, "..");
const bundledPackages = ["viewer", "renderer", "store", "rrd", "chunk", "types"];

/**
 * The directory holding the built viewer (index.html + iris-viewer.js). It is (re)built with esbuild when
 * missing or older than any source file it bundles.
 */
export async function viewerDistDir(): Promise<string> {
  const dist = join(viewerDir, "dist");
  const bundle = join(dist, "iris-viewer.js");
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSourceMs()) return dist;
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
