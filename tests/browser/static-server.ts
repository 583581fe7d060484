import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { HarnessError } from "./harness-error.ts";

/** A directory served under a URL prefix (`prefix` starts and ends with "/", e.g. "/pkg/"; "/" for the root). */
export interface StaticRoot {
  readonly prefix: string;
  readonly dir: string;
}

/** A file held in memory, served at an exact URL path (e.g. "/data/image_simple.rrd"). */
export interface MemoryFile {
  readonly body: Uint8Array;
  readonly contentType?: string;
}

export interface StaticServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Adds or replaces an in-memory file at `urlPath`. */
  putFile(urlPath: string, file: MemoryFile): void;
  /** Removes an in-memory file. */
  deleteFile(urlPath: string): void;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  readonly roots: readonly StaticRoot[];
  readonly files?: ReadonlyMap<string, MemoryFile>;
  /** 0 (default) picks an ephemeral port. */
  readonly port?: number;
}

const mimeTypes: Readonly<Record<string, string>> = {
  ".wasm": "application/wasm",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".rrd": "application/octet-stream",
  ".ts": "text/plain; charset=utf-8",
};

/** Content type for a file name; unknown extensions are served as bytes. */
export function mimeTypeOf(fileName: string): string {
  return mimeTypes[path.extname(fileName).toLowerCase()] ?? "application/octet-stream";
}

/**
 * Maps a URL path below a root's prefix to a file inside `dir`. Returns undefined when the normalised path
 * would leave the root (path traversal, encoded or not) or is malformed.
 */
export function resolveInsideRoot(root: StaticRoot, urlPath: string): string | undefined {
  if (!urlPath.startsWith(root.prefix)) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.slice(root.prefix.length));
  } catch {
    return undefined;
  }
  if (relative.includes("\0")) return undefined;
  const base = path.resolve(root.dir);
  const resolved = path.resolve(base, `.${path.posix.sep}${relative}`);
  if (resolved !== base && !resolved.startsWith(base + path.sep)) return undefined;
  return resolved;
}

async function isFile(filePath: string): Promise<number | undefined> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the file for `urlPath`: the exact file, else `<path>.js` (the Rerun web viewer's `index.js` does
 * `import("./re_viewer")` without an extension), else `<path>/index.html`.
 */
async function findFile(
  roots: readonly StaticRoot[],
  urlPath: string,
): Promise<{ filePath: string; sizeBytes: number } | undefined> {
  for (const root of roots) {
    const resolved = resolveInsideRoot(root, urlPath);
    if (resolved === undefined) continue;
    for (const candidate of [resolved, `${resolved}.js`, path.join(resolved, "index.html")]) {
      const sizeBytes = await isFile(candidate);
      if (sizeBytes !== undefined) return { filePath: candidate, sizeBytes };
    }
  }
  return undefined;
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(text);
}

/** Starts a tiny static HTTP server on 127.0.0.1 (GET/HEAD only). */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  for (const root of options.roots) {
    if (!root.prefix.startsWith("/") || !root.prefix.endsWith("/")) {
      throw new HarnessError(
        "server-start-failed",
        `root prefix must start and end with "/": ${root.prefix}`,
      );
    }
  }
  const files = new Map<string, MemoryFile>(options.files ?? []);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "method not allowed");
      return;
    }
    const urlPath = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const memory = files.get(urlPath);
    if (memory !== undefined) {
      res.writeHead(200, {
        "Content-Type": memory.contentType ?? mimeTypeOf(urlPath),
        "Content-Length": memory.body.byteLength,
        "Cache-Control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : memory.body);
      return;
    }
    const found = await findFile(options.roots, urlPath);
    if (found === undefined) {
      send(res, 404, "not found");
      return;
    }
    res.writeHead(200, {
      "Content-Type": mimeTypeOf(found.filePath),
      "Content-Length": found.sizeBytes,
      // The 47 MB viewer wasm never changes during a run; let Chromium cache it (and its compiled code).
      "Cache-Control": "max-age=3600",
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    createReadStream(found.filePath)
      .on("error", () => res.destroy())
      .pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, "internal error");
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (cause) =>
      reject(new HarnessError("server-start-failed", "static server failed to listen", { cause })),
    );
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    putFile: (urlPath, file) => files.set(urlPath, file),
    deleteFile: (urlPath) => void files.delete(urlPath),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
      }),
  };
}
