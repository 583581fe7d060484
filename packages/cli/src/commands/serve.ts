import { DEFAULT_BACKLOG_BYTES, DEFAULT_PROXY_PORT, ProxyServer, viewerDistDir } from "@iris/server";
import { type ParsedArgs, flagString } from "../args.ts";
import type { CommandSpec } from "../command-spec.ts";
import { type CliIo, UsageError } from "../io.ts";
import { openBrowser } from "../open-browser.ts";
import { parsePort } from "../parse-port.ts";
import { escapeTerminal } from "@iris/types";
import { untilInterrupted } from "../until-interrupted.ts";

export const serveSpec: CommandSpec = {
  name: "serve",
  summary: "Rerun-compatible gRPC proxy (rerun+http://HOST:PORT/proxy) with a live web viewer",
  synopsis:
    "[--port 9876] [--bind 127.0.0.1] [--memory-limit 1GiB] [--viewer-queue SIZE] [--max-message SIZE]\n" +
    "                  [--allow-origin ORIGIN,…] [--http2-server iris|node] [--open] [--no-viewer]",
  description:
    "Hosts Rerun's MessageProxyService: SDKs (Iris, or Rerun's with rr.connect_grpc) send to\n" +
    "rerun+http://HOST:PORT/proxy, and viewers (the Iris viewer served on the same port, or Rerun's) follow it\n" +
    "live; late viewers get the history kept within --memory-limit. Runs until interrupted (Ctrl-C or\n" +
    "SIGTERM), then closes every connection and exits. Sizes are bytes or e.g. 512MiB, 1GiB, 300MB.",
  options: {
    port: {
      type: "string",
      value: "PORT",
      description: `TCP port (default ${DEFAULT_PROXY_PORT}; 0 picks a free one)`,
    },
    bind: {
      type: "string",
      value: "ADDRESS",
      description: "address to listen on (default 127.0.0.1, this machine only)",
    },
    "memory-limit": {
      type: "string",
      value: "SIZE",
      description: `history kept for late viewers (default ${DEFAULT_BACKLOG_BYTES / 1024 ** 3} GiB)`,
    },
    "viewer-queue": { type: "string", value: "SIZE", description: "most bytes queued for one slow viewer" },
    "max-message": { type: "string", value: "SIZE", description: "largest message accepted from a producer" },
    "allow-origin": {
      type: "string",
      value: "ORIGIN,…",
      description: "web origins (scheme://host[:port|:*]) allowed to connect besides this server's own",
    },
    "http2-server": {
      type: "string",
      value: "iris|node",
      description:
        "cleartext HTTP/2 server: iris (default; gRPC WriteMessages/ReadMessages only, faster) or node (also Connect, gRPC-web and files over h2c)",
    },
    open: { type: "boolean", description: "open the viewer in the browser" },
    "no-viewer": { type: "boolean", description: "serve only the gRPC proxy, not the viewer page" },
  },
  positionals: { min: 0, max: 0, name: "no arguments" },
  run: serveCommand,
};

/** Parses `512MiB`, `1GiB`, `300MB`, `1e9` (bytes). */
export function parseByteSize(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?$/i.exec(text.trim());
  const units: Record<string, number> = {
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
  };
  const value = m ? Number(m[1]) * units[(m[2] ?? "b").toLowerCase()]! : NaN;
  if (!Number.isFinite(value) || value < 1)
    throw new UsageError(`--${flag} needs a size like 512MiB, got ${text}`);
  return Math.floor(value);
}

/** Starts the proxy (and viewer) described by the flags; `serveCommand` runs it until interrupted. */
export async function startProxy(args: ParsedArgs, io: CliIo): Promise<ProxyServer> {
  if (args.positional.length > 0)
    throw new UsageError(`serve takes no files, got ${args.positional.join(" ")}`);
  const port = parsePort(flagString(args, "port"));
  const size = (flag: string): number | undefined => {
    const v = flagString(args, flag);
    return v === undefined ? undefined : parseByteSize(v, flag);
  };
  const backlogBytes = size("memory-limit") ?? DEFAULT_BACKLOG_BYTES;
  const viewerQueueBytes = size("viewer-queue");
  const maxMessageBytes = size("max-message");
  const origins = (flagString(args, "allow-origin") ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  for (const o of origins) {
    if (!/^https?:\/\/[^/]+$/.test(o))
      throw new UsageError(`--allow-origin needs scheme://host[:port|:*], got ${o}`);
  }
  const http2Server = flagString(args, "http2-server") ?? "iris";
  if (http2Server !== "iris" && http2Server !== "node") {
    throw new UsageError(`--http2-server takes iris or node, got ${escapeTerminal(http2Server)}`);
  }
  const server = new ProxyServer({
    http2Server,
    host: flagString(args, "bind") ?? "127.0.0.1",
    port: port ?? DEFAULT_PROXY_PORT,
    backlogBytes,
    ...(viewerQueueBytes === undefined ? {} : { viewerQueueBytes }),
    ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
    ...(args.flags.has("no-viewer") ? {} : { viewerDir: await viewerDistDir() }),
    allowedOrigins: origins,
    // Notices quote what producers sent (ids, error text): escaped like everything else from outside.
    onNotice: (text) => io.stderr(`iris serve: ${escapeTerminal(text)}\n`),
  });
  await server.listen();
  return server;
}

/**
 * `iris serve`: hosts Rerun's `MessageProxyService` on 127.0.0.1:9876 (gRPC for SDKs, gRPC-web for web
 * viewers) and the Iris viewer page that follows it; runs until interrupted.
 */
export async function serveCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const server = await startProxy(args, io);
  const interrupted = untilInterrupted();
  io.stdout(`Iris proxy: ${server.proxyUrl}\n`);
  if (!args.flags.has("no-viewer")) io.stdout(`Iris viewer: ${server.viewerUrl}\n`);
  io.stdout("(press Ctrl-C to stop)\n");
  if (args.flags.has("open") && !args.flags.has("no-viewer")) openBrowser(server.viewerUrl);
  await interrupted;
  await server.close();
  return 0;
}
