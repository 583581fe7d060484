// Inside the repository, bin/iris.js runs a bundle of the sources (packages/cli/.cache/iris.mjs, made by
// packages/cli/bundle.js) and must rebuild it whenever one of the files it was built from changes.
import { execFile } from "node:child_process";
import { readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { irisBin } from "./run-cli.ts";

const cliDir = join(import.meta.dirname, "../../packages/cli");
const bundle = join(cliDir, ".cache/iris.mjs");
const version = (JSON.parse(readFileSync(join(cliDir, "package.json"), "utf8")) as { version: string })
  .version;

async function irisVersion(): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [irisBin, "--version"]);
  return stdout;
}

/** The inputs the bundle lists on its last line. */
function bundleInputs(): string[] {
  const text = readFileSync(bundle, "utf8");
  const marker = "//# irisBundleInputs=";
  return (JSON.parse(text.slice(text.lastIndexOf(marker) + marker.length)) as { inputs: string[] }).inputs;
}

describe("the repository's bin/iris.js", () => {
  it("runs a bundle of the sources, rebuilt when an input changes and reused otherwise", async () => {
    expect(await irisVersion()).toBe(`iris ${version}\n`);
    const inputs = bundleInputs();
    const source = join(cliDir, "src/help.ts");
    expect(inputs).toContain(source);
    expect(inputs).toContain(join(cliDir, "../rrd/src/rrd-decoder.ts")); // @iris/* from sources, not dist/
    const before = statSync(bundle).mtimeMs;

    // Touched (content unchanged): newer than the bundle, so the next run rebuilds it.
    const now = new Date();
    utimesSync(source, now, now);
    expect(await irisVersion()).toBe(`iris ${version}\n`);
    const rebuilt = statSync(bundle).mtimeMs;
    expect(rebuilt).toBeGreaterThan(before);

    expect(await irisVersion()).toBe(`iris ${version}\n`);
    expect(statSync(bundle).mtimeMs).toBe(rebuilt);
  });
});
