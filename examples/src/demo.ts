// The Quick start's main job: logs the five seed examples to .rrd files, then serves the Iris viewer on
// 127.0.0.1 with all of them open (one recording selector entry each). `--no-serve` only writes the files.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { ServerError, ViewerServer, viewerDistDir } from "@iris/server";
import { allExamples } from "./all-examples.ts";
import { writeExample } from "./run-example.ts";

const DEFAULT_PORT = 9090;
const args = process.argv.slice(2);
const portFlag = args.indexOf("--port");
const positional = args.filter((a, i) => !a.startsWith("--") && !(portFlag >= 0 && i === portFlag + 1));

/** Stops with one line on stderr (no stack trace): the demo is the first thing a new user runs. */
function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}

const portText = portFlag >= 0 ? args[portFlag + 1] : undefined;
const requestedPort = portText === undefined ? undefined : Number(portText);
if (portFlag >= 0 && !(Number.isInteger(requestedPort) && requestedPort! >= 0 && requestedPort! <= 65535)) {
  fail(`--port expects a TCP port 0…65535; got ${JSON.stringify(portText ?? "")}`);
}
const outDir = resolve(positional[0] ?? "examples/out");
mkdirSync(outDir, { recursive: true });
const written: string[] = [];
for (const example of allExamples) {
  written.push(await writeExample(example, resolve(outDir, `${example.name}.rrd`)));
}
process.stdout.write(
  [`Iris wrote ${written.length} recordings:`, ...written.map((p) => `  ${p}`), ""].join("\n"),
);

const addressInUse = (error: unknown): boolean =>
  error instanceof ServerError && (error.cause as { code?: unknown } | undefined)?.code === "EADDRINUSE";

/** Serves the viewer with every written recording open; returns the page's URL. */
async function serve(port: number): Promise<string> {
  const server = new ViewerServer({ viewerDir: await viewerDistDir(), host: "127.0.0.1", port });
  const urls = written.map((p) => server.addFile(p));
  const page = new URL(`${await server.listen()}/`);
  for (const u of urls) page.searchParams.append("url", u);
  return page.toString();
}

if (args.includes("--no-serve")) {
  process.stdout.write("Open them with `npx iris view <file>.rrd`, or in the Rerun viewer.\n");
} else {
  let page: string;
  try {
    page = await serve(requestedPort ?? DEFAULT_PORT);
  } catch (error) {
    if (requestedPort === undefined && addressInUse(error)) {
      // The default port is taken (another viewer, an earlier demo): any free port will do.
      process.stdout.write(`\nPort ${DEFAULT_PORT} is in use; serving on a free port instead.\n`);
      page = await serve(0).catch((e: unknown) => fail(describe(e)));
    } else {
      fail(
        addressInUse(error)
          ? `port ${requestedPort} is in use: choose another with --port N, or --port 0 for any free one`
          : describe(error),
      );
    }
  }
  process.stdout.write(`\nIris viewer with all five recordings: ${page}\n(press Ctrl-C to stop)\n`);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
