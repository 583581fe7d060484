import { existsSync } from "node:fs";
import { ViewerServer, viewerDistDir } from "@iris/server";
import { type ParsedArgs, flagString } from "../args.ts";
import { type CliIo, UsageError } from "../io.ts";
import { openBrowser } from "../open-browser.ts";

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
  if (!existsSync(source)) throw new UsageError(`no such file: ${source}`);
  return { kind: "file", path: source };
}

/**
 * `iris view FILE|URL… [--port N] [--bind ADDR] [--no-open]`: serves the Iris viewer on 127.0.0.1 and opens it
 * with the recordings; runs until interrupted (or returns the server in tests via `startViewer`).
 */
export async function viewCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const { url, server } = await startViewer(args);
  io.stdout(`Iris viewer: ${url}\n(press Ctrl-C to stop)\n`);
  if (!args.flags.has("no-open")) openBrowser(url);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}

export async function startViewer(args: ParsedArgs): Promise<{ url: string; server: ViewerServer }> {
  const sources = args.positional.map(classifySource);
  const port = flagString(args, "port");
  if (port !== undefined && !/^\d+$/.test(port)) throw new UsageError(`--port needs a number, got ${port}`);
  const server = new ViewerServer({
    viewerDir: await viewerDistDir(),
    host: flagString(args, "bind") ?? "127.0.0.1",
    port: port === undefined ? 9090 : Number(port),
  });
  const urls = sources.map((s) => (s.kind === "file" ? server.addFile(s.path) : s.url));
  const base = await server.listen();
  const page = new URL(`${base}/`);
  for (const u of urls) page.searchParams.append("url", u);
  return { url: page.toString(), server };
}
