import { existsSync } from "node:fs";
import { ViewerServer, viewerDistDir } from "@iris/server";
import { type ParsedArgs, flagString } from "../args.ts";
import type { CommandSpec } from "../command-spec.ts";
import { type CliIo, CliError, UsageError } from "../io.ts";
import { openBrowser } from "../open-browser.ts";
import { parsePort } from "../parse-port.ts";
import { parseByteSize } from "./serve.ts";
import { untilInterrupted } from "../until-interrupted.ts";

export const DEFAULT_VIEW_PORT = 9090;

export const viewSpec: CommandSpec = {
  name: "view",
  summary: "serve the Iris web viewer with local recordings or URLs and open it",
  synopsis:
    "FILE|URL… [--port 9090] [--bind 127.0.0.1] [--allow-host NAME]… [--memory-budget 512MiB] [--no-open]",
  description:
    "Starts a small HTTP server for the Iris web viewer and the given recordings (local .rrd files, or http(s)\n" +
    "URLs the page downloads itself) and opens it in the browser. Only the listed files are served. Requests\n" +
    "must address the server by an IP address, localhost, the --bind name or an --allow-host name (DNS-rebinding\n" +
    "defence). Runs until interrupted (Ctrl-C or SIGTERM), then closes every connection and exits.",
  options: {
    port: {
      type: "string",
      value: "PORT",
      description: `TCP port (default ${DEFAULT_VIEW_PORT}; 0 picks a free one)`,
    },
    bind: {
      type: "string",
      value: "ADDRESS",
      description: "address to listen on (default 127.0.0.1, this machine only)",
    },
    "allow-host": {
      type: "string",
      multiple: true,
      value: "NAME",
      description:
        "also accept requests addressed to NAME (e.g. this machine's LAN name with --bind 0.0.0.0)",
    },
    "memory-budget": {
      type: "string",
      value: "SIZE",
      description: "chunk bytes kept for a recording read on demand (default 512MiB)",
    },
    "no-open": { type: "boolean", description: "print the URL but do not open a browser" },
  },
  positionals: { min: 1, max: Infinity, name: "at least one FILE or URL" },
  run: viewCommand,
};

/** Where each recording comes from: a local file to serve, or an http(s) URL the page fetches itself. */
export function classifySource(
  source: string,
): { kind: "file"; path: string } | { kind: "url"; url: string } {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(source)?.[1]?.toLowerCase();
  if (scheme && scheme.length > 1) {
    if (scheme === "http" || scheme === "https") return { kind: "url", url: source };
    throw new UsageError(
      `refusing ${JSON.stringify(source)}: only http(s) URLs and local files can be viewed`,
    );
  }
  if (!existsSync(source)) throw new CliError(`cannot open ${source}: no such file`);
  return { kind: "file", path: source };
}

/**
 * `iris view FILE|URL… [--port N] [--bind ADDR] [--no-open]`: serves the Iris viewer on 127.0.0.1 and opens it
 * with the recordings; runs until SIGINT/SIGTERM, then closes every connection (or returns the server in tests
 * via `startViewer`).
 */
export async function viewCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const { url, server } = await startViewer(args);
  const interrupted = untilInterrupted();
  io.stdout(`Iris viewer: ${url}\n(press Ctrl-C to stop)\n`);
  if (!args.flags.has("no-open")) openBrowser(url);
  await interrupted;
  await server.close();
  return 0;
}

export async function startViewer(args: ParsedArgs): Promise<{ url: string; server: ViewerServer }> {
  const port = parsePort(flagString(args, "port")) ?? DEFAULT_VIEW_PORT;
  const sources = args.positional.map(classifySource);
  const budget = flagString(args, "memory-budget");
  const budgetBytes = budget === undefined ? undefined : parseByteSize(budget, "memory-budget");
  const server = new ViewerServer({
    viewerDir: await viewerDistDir(),
    host: flagString(args, "bind") ?? "127.0.0.1",
    port,
    allowedHosts: args.lists.get("allow-host") ?? [],
  });
  const urls = sources.map((s) => (s.kind === "file" ? server.addFile(s.path) : s.url));
  const base = await server.listen();
  const page = new URL(`${base}/`);
  for (const u of urls) page.searchParams.append("url", u);
  if (budgetBytes !== undefined) page.searchParams.set("memoryBudgetMB", String(budgetBytes / (1024 * 1024)));
  return { url: page.toString(), server };
}
