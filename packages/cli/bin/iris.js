#!/usr/bin/env node
/* global process, URL */
// The `iris` command. An installed @iris/cli runs its build output: dist/iris.mjs, the whole command in one
// file (see ../bundle.js for why; dist/main.js when a build made no bundle). Inside the Iris repository, where
// the sources are next to this file, it runs a bundle of them that ../bundle.js rebuilds when a source changed,
// so no build step is needed while developing; except the commands that serve the viewer (`iris view`, `iris
// serve`, `iris sql --view`), which may (re)build the
// viewer page by importing packages/viewer/build.ts, so run the sources through tsx with the repository's
// tsconfig (whose `paths` map every @iris/* package to its sources).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

let main;
if (existsSync(new URL("../src/main.ts", import.meta.url))) {
  // Commands that serve the viewer page: `view`, `serve`, and `sql --view`.
  const servesViewer =
    process.argv[2] === "view" || process.argv[2] === "serve" || process.argv.slice(3).includes("--view");
  if (servesViewer) {
    const { register } = await import("tsx/esm/api");
    register({ tsconfig: fileURLToPath(new URL("../../../tsconfig.json", import.meta.url)) });
    ({ main } = await import(new URL("../src/main.ts", import.meta.url).href));
  } else {
    const { freshDevBundle } = await import("../bundle.js");
    ({ main } = await import(await freshDevBundle()));
  }
} else if (existsSync(new URL("../dist/iris.mjs", import.meta.url))) {
  ({ main } = await import("../dist/iris.mjs"));
} else {
  ({ main } = await import("../dist/main.js"));
}
// A reader that goes away (`iris print x.rrd | head`) ends the output quietly, as in other command-line tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
