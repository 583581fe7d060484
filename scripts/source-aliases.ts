// In-repository resolution of `@iris/*` to TypeScript sources, for Vite/Vitest. The packages' `exports` maps
// point at their build output (dist/), as published; inside the repository every tool reads the sources
// instead, from one table: the `paths` of the root tsconfig.json (used by tsc, tsx and esbuild directly, and
// turned into exact-match aliases here). See ARCHITECTURE.md, "Packages and builds".
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");

/** `{ find: /^@iris\/sdk$/, replacement: "/abs/packages/sdk/src/index.ts" }` for every tsconfig path. */
export function irisSourceAliases(): { find: RegExp; replacement: string }[] {
  const tsconfig = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")) as {
    compilerOptions: { paths: Record<string, [string]> };
  };
  return Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => ({
    find: new RegExp(`^${name.replace(/[/.]/g, "\\$&")}$`),
    replacement: join(root, target),
  }));
}
