#!/usr/bin/env node
/* global process, URL */
// The `iris` command. An installed @iris/cli runs its build output: dist/iris.mjs, the whole command in one
// file (see ../bundle.js for why; dist/main.js when a build made no bundle). Inside the Iris repository, where
// the sources are next to this file, it runs a bundle of them that ../bundle.js rebuilds when a source changed,
// so no build step is needed while developing; except the commands that serve the viewer (`iris view`, `iris
// serve`, `iris sql --view`), which may (re)build the
// viewer page by importing packages/viewer/build.ts, so run the sources through tsx with the repository's
// tsconfig (whose `paths` map every @iris/* package to its sources).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// `iris serve` runs in a child process with a larger initial old generation. V8 sizes the old generation's limit
// from the JavaScript heap, which in the server is small (~20 MB), and counts the external memory allocated since
// the last full collection against that limit: the multi-MB messages and socket buffers of a live stream then
// start a full collection every few frames, and the server spends 2–3 times the CPU per frame (measured: 5–12 ms
// per 1080p frame without the flag, 4–6 ms with it). The flag cannot be set from inside the process, nor in
// NODE_OPTIONS. The child leaves when this process is gone.
const HEAP_FLAG = "--initial-old-space-size";
if (process.argv[2] === "serve" && !process.execArgv.some((arg) => arg.startsWith(HEAP_FLAG))) {
  const posix = process.platform !== "win32";
  const child = spawn(process.execPath, [...process.execArgv, `${HEAP_FLAG}=128`, ...process.argv.slice(1)], {
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    // Its own process group: a terminal's Ctrl-C reaches it once, forwarded from here, not twice.
    detached: posix,
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      // On Windows the console gives Ctrl-C to the child itself (and kill() would end it without a shutdown).
      if (!posix && signal === "SIGINT") return;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  const code = await new Promise((resolve) => {
    child.once("error", (error) => {
      process.stderr.write(`iris serve: cannot start the server process: ${error.message}\n`);
      resolve(1);
    });
    child.once("exit", (exitCode) => resolve(exitCode ?? 1));
  });
  process.exit(code);
}
if (process.channel !== undefined && process.argv[2] === "serve") {
  // The child of the above: shut down as on SIGTERM when the parent is gone (even killed outright).
  process.channel.unref();
  process.once("disconnect", () => process.kill(process.pid, "SIGTERM"));
}

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
