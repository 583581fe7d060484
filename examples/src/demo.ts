// The Quick start's main job: logs the five seed examples to .rrd files, then serves the Iris viewer on
// 127.0.0.1 with all of them open (one recording selector entry each). `--no-serve` only writes the files.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { ViewerServer, viewerDistDir } from "@iris/server";
import { allExamples } from "./all-examples.ts";
import { writeExample } from "./run-example.ts";

const args = process.argv.slice(2);
const portFlag = args.indexOf("--port");
const positional = args.filter((a, i) => !a.startsWith("--") && !(portFlag >= 0 && i === portFlag + 1));
const outDir = resolve(positional[0] ?? "examples/out");
mkdirSync(outDir, { recursive: true });
const written: string[] = [];
for (const example of allExamples) {
  written.push(await writeExample(example, resolve(outDir, `${example.name}.rrd`)));
}
process.stdout.write(
  [`Iris wrote ${written.length} recordings:`, ...written.map((p) => `  ${p}`), ""].join("\n"),
);

if (args.includes("--no-serve")) {
  process.stdout.write("Open them with `npx iris view <file>.rrd`, or in the Rerun viewer 0.33.\n");
} else {
  const server = new ViewerServer({
    viewerDir: await viewerDistDir(),
    host: "127.0.0.1",
    port: portFlag >= 0 ? Number(args[portFlag + 1]) : 9090,
  });
  const urls = written.map((p) => server.addFile(p));
  const base = await server.listen();
  const page = new URL(`${base}/`);
  for (const u of urls) page.searchParams.append("url", u);
  process.stdout.write(`\nIris viewer with all five recordings: ${page}\n(press Ctrl-C to stop)\n`);
}
