import { DEFAULT_BACKLOG_BYTES, DEFAULT_PROXY_PORT, ProxyServer, viewerDistDir } from "@iris/server";
import { type ParsedArgs, flagString } from "../args.ts";
import { type CliIo, UsageError } from "../io.ts";
import { openBrowser } from "../open-browser.ts";

export const serveUsage = `  serve [--port 9876] [--bind 127.0.0.1] [--memory-limit 1GiB] [--allow-origin ORIGIN,…] [--open] [--no-viewer]
                                  Rerun-compatible gRPC proxy (rerun+http://HOST:PORT/proxy) + live web viewer
`;

export const serveValuedFlags = [
  "port",
  "bind",
  "memory-limit",
  "viewer-queue",
  "max-message",
  "allow-origin",
];

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
  const port = flagString(args, "port");
  if (port !== undefined && !/^\d+$/.test(port)) throw new UsageError(`--port needs a number, got ${port}`);
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
  const server = new ProxyServer({
    host: flagString(args, "bind") ?? "127.0.0.1",
    port: port === undefined ? DEFAULT_PROXY_PORT : Number(port),
    backlogBytes,
    ...(viewerQueueBytes === undefined ? {} : { viewerQueueBytes }),
    ...(maxMessageBytes === undefined ? {} : { maxMessageBytes }),
    ...(args.flags.has("no-viewer") ? {} : { viewerDir: await viewerDistDir() }),
    allowedOrigins: origins,
    onNotice: (text) => io.stderr(`iris serve: ${text}\n`),
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
  io.stdout(`Iris proxy: ${server.proxyUrl}\n`);
  if (!args.flags.has("no-viewer")) io.stdout(`Iris viewer: ${server.viewerUrl}\n`);
  io.stdout("(press Ctrl-C to stop)\n");
  if (args.flags.has("open") && !args.flags.has("no-viewer")) openBrowser(server.viewerUrl);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return 0;
}
