#!/usr/bin/env node
/* global process, URL */
// The `iris` command. An installed @iris/cli runs its build output (dist/). Inside the Iris repository, where
// the sources are next to this file, it runs them through tsx with the repository's tsconfig (whose `paths`
// map every @iris/* package to its sources), so no build step is needed while developing.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = new URL("../src/main.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: fileURLToPath(new URL("../../../tsconfig.json", import.meta.url)) });
  ({ main } = await import(source.href));
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
