#!/usr/bin/env node
/* global process */
// The `iris` command. Iris ships TypeScript sources; tsx compiles them on the fly.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
