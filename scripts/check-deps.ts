// Checks that internal dependencies point one way (ARCHITECTURE.md): every @iris/* import in a package's
// sources, and every @iris/* dependency in its package.json, must be in the allowed list below.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const allowed: Record<string, readonly string[]> = {
  types: [],
  chunk: ["types"],
  rrd: ["types", "chunk"],
  store: ["types", "chunk"],
  renderer: [],
  viewer: ["types", "chunk", "rrd", "store", "renderer"],
  sdk: ["types", "chunk", "rrd"],
  server: ["types", "chunk", "rrd", "viewer"],
  cli: ["types", "chunk", "rrd", "store", "server"],
};
/** package.json-only dependencies: `spawn()` in @iris/sdk starts @iris/cli's `iris serve` as a process. */
const processOnly: Record<string, readonly string[]> = { sdk: ["cli"] };

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules") continue;
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (path.endsWith(".ts")) yield path;
  }
}

const problems: string[] = [];
for (const [pkg, deps] of Object.entries(allowed)) {
  const root = join("packages", pkg);
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    const m = /^@iris\/(.+)$/.exec(dep);
    if (m && !deps.includes(m[1]!) && !processOnly[pkg]?.includes(m[1]!))
      problems.push(`${root}/package.json depends on ${dep}`);
  }
  for (const file of walk(join(root, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/from\s+["']@iris\/([a-z-]+)/g)) {
      if (m[1] !== pkg && !deps.includes(m[1]!)) problems.push(`${file} imports @iris/${m[1]}`);
    }
  }
}
if (problems.length > 0) {
  process.stderr.write(`dependency direction violated:\n  ${problems.join("\n  ")}\n`);
  process.exit(1);
}
process.stdout.write("dependency direction ok\n");
