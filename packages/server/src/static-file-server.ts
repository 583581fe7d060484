import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, extname, normalize, resolve, sep } from "node:path";
import { parseByteRange } from "./byte-range.ts";
import { isAllowedHost, refusedHostText } from "./host-check.ts";
import { ServerError } from "./server-error.ts";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".rrd": "application/octet-stream",
  ".png": "image/png",
  ".json": "application/json",
};

export interface ViewerServerOptions {
  /** The built viewer (served at /). */
  viewerDir: string;
  /** Address to bind; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Host names besides IP literals, localhost and `host` that requests may use (see `isAllowedHost`). */
  allowedHosts?: readonly string[];
}

/**
 * A small HTTP server for the viewer page and the recordings it opens: the viewer build at `/`, and each
 * registered file at `/recordings/<n>/<name>`. Only registered files are reachable; paths are normalised and
 * must stay inside the viewer directory (no traversal). Requests whose `Host` is not an address of this server are
 * refused with 421 (DNS rebinding); `close()` also ends open connections, so a process stops at once.
 */
export class ViewerServer {
  private readonly files = new Map<string, string>();
  private server: Server | undefined;
  url = "";

  constructor(private readonly options: ViewerServerOptions) {}

  /** Makes a local file downloadable; returns its URL path. */
  addFile(path: string): string {
    const urlPath = `/recordings/${this.files.size}/${encodeURIComponent(basename(path))}`;
    this.files.set(urlPath, resolve(path));
    return urlPath;
  }

  async listen(): Promise<string> {
    const host = this.options.host ?? "127.0.0.1";
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((ok, fail) => {
      server.once("error", (cause) =>
        fail(
          new ServerError("listen-failed", `cannot listen on ${host}:${this.options.port ?? 0}`, { cause }),
        ),
      );
      server.listen(this.options.port ?? 0, host, () => ok());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
    return this.url;
  }

  /** Stops listening and ends every connection, idle or busy (an open browser tab does not keep it alive). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((ok) => server.close(() => ok()));
    server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (!isAllowedHost(req.headers.host, this.options.host ?? "127.0.0.1", this.options.allowedHosts)) {
      return this.send(res, 421, refusedHostText(req.headers.host));
    }
    if (req.method !== "GET" && req.method !== "HEAD") return this.send(res, 405, "method not allowed");
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return this.send(res, 400, "bad path");
    }
    const registered = this.files.get(encodePath(path));
    const file = registered ?? this.insideViewer(path === "/" ? "/index.html" : path);
    if (!file) return this.send(res, 404, "not found");
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) return this.send(res, 404, "not found");
      size = stat.size;
    } catch {
      return this.send(res, 404, "not found");
    }
    const headers = {
      "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
      "Accept-Ranges": "bytes",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    };
    const range = parseByteRange(req.headers.range, size);
    if (range.kind === "unsatisfiable") {
      res.writeHead(416, {
        ...headers,
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Range": `bytes */${size}`,
      });
      return void res.end(req.method === "HEAD" ? undefined : `range not satisfiable: ${range.reason}`);
    }
    if (range.kind === "range") {
      res.writeHead(206, {
        ...headers,
        "Content-Length": range.last - range.first + 1,
        "Content-Range": `bytes ${range.first}-${range.last}/${size}`,
      });
      if (req.method === "HEAD") return void res.end();
      return void createReadStream(file, { start: range.first, end: range.last }).pipe(res);
    }
    res.writeHead(200, { ...headers, "Content-Length": size });
    if (req.method === "HEAD") return void res.end();
    createReadStream(file).pipe(res);
  }

  /** The file for a URL path inside the viewer directory, or undefined if it would escape it. */
  private insideViewer(urlPath: string): string | undefined {
    const root = resolve(this.options.viewerDir);
    const target = resolve(root, `.${normalize(urlPath)}`);
    return target === root || target.startsWith(root + sep) ? target : undefined;
  }

  private send(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(text);
  }
}

function encodePath(decoded: string): string {
  const parts = decoded.split("/");
  return parts.map((p, i) => (i === parts.length - 1 ? encodeURIComponent(p) : p)).join("/");
}
