// The Quick start's main job: logs the five seed examples to .rrd files and says how to look at them.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { allExamples } from "./all-examples.ts";
import { writeExample } from "./run-example.ts";

const outDir = resolve(process.argv[2] ?? "examples/out");
mkdirSync(outDir, { recursive: true });
const written: string[] = [];
for (const example of allExamples) {
  written.push(await writeExample(example, resolve(outDir, `${example.name}.rrd`)));
}
process.stdout.write(
  [
    `Iris wrote ${written.length} recordings:`,
    ...written.map((p) => `  ${p}`),
    "",
    "Open them in the Rerun viewer 0.33 (native: `rerun <file>.rrd`, or drag a file onto the Rerun web viewer).",
    "The Iris web viewer (`iris view`) comes with the viewer issue.",
    "",
  ].join("\n"),
);
