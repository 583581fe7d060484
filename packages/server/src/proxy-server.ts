import { readFileSync, statSync } from "node:fs";
import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import { hostname } from "node:os";
import { extname, normalize, resolve, sep } from "node:path";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";

type NodeHandler = Parameters<typeof connectNodeAdapter>[0]["fallback"] & {};
type NodeServerRequest = Parameters<NodeHandler>[0];
type NodeServerResponse = Parameters<NodeHandler>[1];
import { sdkCommsPb } from "@iris/rrd";
import { concatBytes } from "@iris/types";
import { CorsPolicy } from "./cors.ts";
import { FrameBufferPool } from "./frame-buffer-pool.ts";
import { readMessagesFrame } from "./grpc-frame.ts";
import { GrpcH2Service } from "./grpc-h2-service.ts";
import { DecompressScratch, validateArrowPayload } from "./arrow-payload-validation.ts";
import {
  type ConnectionLimits,
  applyConnectionLimits,
  resolveConnectionLimits,
} from "./connection-limits.ts";
import { isAllowedHost, refusedHostText } from "./host-check.ts";
import { validateLogMsg } from "./log-msg-validation.ts";
import { stopSocketReads } from "./adopt-socket-reads.ts";
import { serveOwnH2c } from "./own-h2c-server.ts";
import { MessageHub } from "./message-hub.ts";
import { PartialMessageBudget } from "./partial-message-budget.ts";
import { guardRequestBody } from "./request-body-guard.ts";
import { ProxyError } from "./proxy-error.ts";

export const DEFAULT_PROXY_PORT = 9876;
export const DEFAULT_BACKLOG_BYTES = 1024 ** 3;
export const DEFAULT_VIEWER_QUEUE_BYTES = 256 * 1024 ** 2;
export const DEFAULT_MAX_MESSAGE_BYTES = 512 * 1024 ** 2;

export interface ProxyServerOptions {
  /** Address to bind; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** Default 9876; 0 picks a free port. */
  port?: number;
  /** The built viewer, served at `/` (the page opens this proxy). Without it only the gRPC service is served. */
  viewerDir?: string;
  /** History kept for viewers that connect late; default 1 GiB. */
  backlogBytes?: number;
  /** Per-viewer send queue; default 256 MiB. */
  viewerQueueBytes?: number;
  /** Largest gRPC message accepted or sent; default 512 MiB. */
  maxMessageBytes?: number;
  /**
   * Extra browser origins allowed by CORS (exact, or `scheme://host:*`). The server's own origins (the page it
   * serves, under the bound host, 127.0.0.1 and localhost) are always allowed.
   */
  allowedOrigins?: readonly string[];
  /** Human-readable notices (history eviction, slow viewers, rejected messages), rate-limited. */
  onNotice?: (text: string) => void;
  /** Extra names this server may be addressed by in `Host` (see `isAllowedHost`; IPs and localhost always are). */
  allowedHosts?: readonly string[];
  /** Connection count, idle and header timeouts (see `ConnectionLimits` for the defaults). */
  limits?: Partial<ConnectionLimits>;
  /**
   * Which HTTP/2 server answers cleartext HTTP/2 (h2c) connections: `"iris"` (the default), Iris's own, which
   * serves gRPC `WriteMessages`/`ReadMessages` only (other gRPC methods: UNIMPLEMENTED; other requests: 404), or
   * `"node"`, `node:http2` with connect-node, which also serves Connect, gRPC-web and the viewer's files over
   * h2c. HTTP/1.1 is served by `node:http` either way.
   */
  http2Server?: "iris" | "node";
}

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".json": "application/json",
};

const HTTP2_PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
/** HTTP/2 flow-control windows: large, so 1080p frames are not throttled to 64 KiB round trips. */
const WINDOW_BYTES = 32 * 1024 * 1024;
/**
 * SETTINGS_MAX_FRAME_SIZE: producers whose HTTP/2 stack honours it (Rust's h2 in Rerun's SDKs) send a 1080p frame
 * in 6 DATA frames instead of ~380; `iris serve` needed 5.0–5.5 instead of 5.1–6.4 CPU ms per frame from Rerun's
 * Python SDK (two interleaved pairs of runs). DATA is streamed, never buffered whole, by nghttp2.
 */
const MAX_FRAME_BYTES = 1 << 20;

/**
 * Rerun's `rerun.sdk_comms.v1alpha1.MessageProxyService` on one port: gRPC over h2c (SDKs, the native viewer),
 * gRPC-web and Connect over HTTP/1.1 or h2c (web viewers, with a CORS allow-list), and the Iris viewer build.
 * Producers call `WriteMessages`; viewers call `ReadMessages` and get the bounded history, then live messages.
 */
export class ProxyServer {
  readonly hub: MessageHub;
  private readonly options: ProxyServerOptions;
  private tcp: net.Server | undefined;
  private readonly h1: http.Server;
  private readonly h2: http2.Http2Server;
  private readonly sockets = new Set<net.Socket>();
  private cors = new CorsPolicy([]);
  private readonly maxMessageBytes: number;
  /** gRPC over h2c for `WriteMessages`/`ReadMessages` (the hot path); connect-node serves the rest. */
  private readonly grpc: GrpcH2Service;
  private notices = new NoticeLimiter();
  private readonly limits: ConnectionLimits;
  private readonly headTimers = new WeakMap<net.Socket, ReturnType<typeof setTimeout>>();
  /** Unfinished incoming messages count against the memory limit too. */
  readonly partialBudget: PartialMessageBudget;
  /** Memory of received messages, reused once every holder released it (`FrameLease`). */
  private readonly pool: FrameBufferPool;
  /** Where LZ4 payloads are decompressed for validation (reused). */
  private readonly scratch = new DecompressScratch();
  rejectedMessages = 0;
  /** `http://host:port` once listening. */
  url = "";

  constructor(options: ProxyServerOptions = {}) {
    this.options = options;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    for (const [name, v] of Object.entries({
      backlogBytes: options.backlogBytes,
      viewerQueueBytes: options.viewerQueueBytes,
      maxMessageBytes: options.maxMessageBytes,
    })) {
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
        throw new ProxyError("invalid-option", `${name} must be a positive number, got ${v}`);
      }
    }
    this.partialBudget = new PartialMessageBudget(options.backlogBytes ?? DEFAULT_BACKLOG_BYTES);
    // Reused message memory, on top of --memory-limit: at most a quarter of it, and 64 MiB.
    this.pool = new FrameBufferPool(
      Math.min(64 * 1024 ** 2, Math.floor((options.backlogBytes ?? DEFAULT_BACKLOG_BYTES) / 4)),
    );
    this.hub = new MessageHub({
      backlogBytes: options.backlogBytes ?? DEFAULT_BACKLOG_BYTES,
      viewerQueueBytes: options.viewerQueueBytes ?? DEFAULT_VIEWER_QUEUE_BYTES,
      onDrop: (r) =>
        this.notice(
          r.where,
          r.bytes,
          r.where === "backlog"
            ? `memory limit reached: dropped the oldest ${r.queue} messages from the history`
            : `a viewer is too slow: dropped its oldest ${r.queue} messages`,
        ),
    });
    this.grpc = new GrpcH2Service({
      hub: this.hub,
      readMaxBytes: this.maxMessageBytes + 1024,
      accept: (request, frame) => this.accept(request, frame),
      partialBudget: this.partialBudget,
      pool: this.pool,
    });
    const rpc = connectNodeAdapter({
      routes: (router) => this.routes(router),
      readMaxBytes: this.maxMessageBytes + 1024,
      writeMaxBytes: this.maxMessageBytes + 1024,
      // No gRPC message compression, as Rerun's proxy: payloads are already LZ4 or raw pixels, and gzipping
      // every 6 MB frame for every reader cost most of the live throughput.
      acceptCompression: [],
      fallback: (req, res) => this.serveStatic(req, res),
    });
    const handler = (
      req: http.IncomingMessage | http2.Http2ServerRequest,
      res: http.ServerResponse | http2.Http2ServerResponse,
    ): void => {
      if ("socket" in req && req.socket) clearTimeout(this.headTimers.get(req.socket as net.Socket));
      if (!this.checkHost(req, res)) return;
      if (!this.applyCors(req, res)) return;
      if (this.grpc.handle(req, res)) return;
      const { partialBudget, maxMessageBytes, limits } = this;
      if (req.method === "POST") {
        // gRPC-web / Connect bodies count against --memory-limit too, with a body timeout.
        const bodyTimeoutMs = limits.bodyTimeoutMs;
        guardRequestBody(req, { budget: partialBudget, readMaxBytes: maxMessageBytes + 1024, bodyTimeoutMs });
      }
      rpc(req, res);
    };
    this.limits = resolveConnectionLimits(options.limits);
    this.h1 = http.createServer(
      {
        maxHeaderSize: this.limits.maxHeaderBytes,
        // How often header timeouts are checked (Node's default, 30 s, would let held connections pile up).
        connectionsCheckingInterval: Math.max(50, Math.min(1_000, this.limits.headersTimeoutMs / 2)),
      },
      handler,
    );
    this.h1.requestTimeout = 0; // ReadMessages over gRPC-web is one long response
    this.h2 = http2.createServer(
      {
        settings: {
          initialWindowSize: WINDOW_BYTES,
          maxFrameSize: MAX_FRAME_BYTES,
          maxHeaderListSize: this.limits.maxHeaderBytes,
        },
        maxSessionMemory: 1024,
        maxHeaderListPairs: 128,
      },
      handler,
    );
    applyConnectionLimits(this.h1, this.h2, this.limits);
    this.h2.on("session", (session) => {
      session.on("connect", () => session.setLocalWindowSize(WINDOW_BYTES));
      session.on("error", () => undefined);
    });
  }

  async listen(): Promise<string> {
    const host = this.options.host ?? "127.0.0.1";
    const port = this.options.port ?? DEFAULT_PROXY_PORT;
    const tcp = net.createServer((socket) => this.sniff(socket));
    await new Promise<void>((ok, fail) => {
      tcp.once("error", (cause) =>
        fail(new ProxyError("listen-failed", `cannot listen on ${host}:${port}`, { cause })),
      );
      tcp.listen(port, host, () => ok());
    });
    this.tcp = tcp;
    const bound = (tcp.address() as net.AddressInfo).port;
    const hostInUrl = host.includes(":") ? `[${host}]` : host;
    this.url = `http://${hostInUrl}:${bound}`;
    const own = [this.url, `http://127.0.0.1:${bound}`, `http://localhost:${bound}`, `http://[::1]:${bound}`];
    this.cors = new CorsPolicy([...own, ...(this.options.allowedOrigins ?? [])]);
    return this.url;
  }

  /** `rerun+http://host:port/proxy`, the URL SDKs and viewers connect to. */
  /** Producer messages received into memory reused from an earlier, released one (`FrameBufferPool`). */
  get reusedMessageBuffers(): number {
    return this.pool.reuses;
  }

  get proxyUrl(): string {
    return `${this.url.replace(/^http/, "rerun+http")}/proxy`;
  }

  /** The viewer page following this proxy live. */
  get viewerUrl(): string {
    return `${this.url}/?url=${encodeURIComponent(this.proxyUrl)}`;
  }

  async close(): Promise<void> {
    this.hub.closeAll();
    const tcp = this.tcp;
    this.tcp = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => (tcp ? tcp.close(() => ok()) : ok()));
  }

  private routes(router: ConnectRouter): void {
    router.service(sdkCommsPb.MessageProxyService, {
      writeMessages: async (requests) => {
        for await (const request of requests) this.accept(request);
        return {};
      },
      readMessages: (_request, context) => this.readMessages(context.signal),
      writeTable: () => {
        throw new ConnectError("tables are not supported by the Iris proxy", Code.Unimplemented);
      },
    });
  }

  /**
   * Validates a producer's message and publishes it; throws InvalidArgument (the call ends) if it is malformed.
   * `frame`: the gRPC frame it was decoded from, forwarded to gRPC readers as is when it is canonical.
   */
  private accept(request: sdkCommsPb.WriteMessagesRequest, frame?: Uint8Array): void {
    let msg;
    try {
      msg = validateLogMsg(request.logMsg, this.maxMessageBytes * 4);
      if (msg.msg.case === "arrowMsg")
        validateArrowPayload(msg.msg.value, this.maxMessageBytes * 4, this.scratch);
    } catch (error) {
      this.rejectedMessages++;
      const text = (error as Error).message;
      this.notice("rejected", 0, `rejected a message from a producer: ${text}`);
      throw new ConnectError(text, Code.InvalidArgument);
    }
    const out = frame && readMessagesFrame(msg, frame);
    // The proxy forwards the received buffer itself: it goes back to the pool when every holder is done with it.
    this.hub.publish(msg, out, out !== undefined && out === frame ? this.pool.lease(frame) : undefined);
  }

  private async *readMessages(signal: AbortSignal): AsyncGenerator<sdkCommsPb.ReadMessagesResponse> {
    const subscription = this.hub.subscribe();
    try {
      for (;;) {
        const logMsg = await subscription.next(signal);
        if (logMsg === undefined) return;
        yield { $typeName: "rerun.sdk_comms.v1alpha1.ReadMessagesResponse", logMsg };
      }
    } finally {
      subscription.close();
    }
  }

  /** DNS-rebinding defence: answers 421 and returns false when `Host`/`:authority` is not a name of this server. */
  private checkHost(
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ): boolean {
    const host = req.headers[":authority"] ?? req.headers.host;
    const hostHeader = typeof host === "string" ? host : undefined;
    if (this.allowsHost(hostHeader)) return true;
    res.writeHead(421, { "content-type": "text/plain; charset=utf-8" });
    res.end(refusedHostText(hostHeader));
    return false;
  }

  private allowsHost(hostHeader: string | undefined): boolean {
    const bound = this.options.host ?? "127.0.0.1";
    const extra = [...(this.options.allowedHosts ?? [])];
    // Bound to every interface: the machine's own name is one of its addresses too.
    if (bound === "0.0.0.0" || bound === "::") extra.push(hostname());
    return isAllowedHost(hostHeader, bound, extra);
  }

  /** Returns false when the request was answered here (preflight, forbidden origin). */
  private applyCors(
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ): boolean {
    const origin = req.headers.origin;
    if (typeof origin !== "string") return true;
    if (!this.cors.allows(origin)) {
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8" });
      res.end(`origin ${origin} is not allowed (see --allow-origin)`);
      return false;
    }
    if (req.method === "OPTIONS") {
      const requested = req.headers["access-control-request-headers"];
      res.writeHead(
        204,
        this.cors.preflightHeaders(origin, typeof requested === "string" ? requested : undefined),
      );
      res.end();
      return false;
    }
    for (const [k, v] of Object.entries(this.cors.responseHeaders(origin))) res.setHeader(k, v);
    return true;
  }

  /**
   * HTTP/1.1 header timeout. Node checks `headersTimeout` only for connections of a server that listens itself,
   * and this one is handed sockets by `sniff`: a connection whose first request head is not complete within
   * `headersTimeoutMs` (slowloris) is closed here. Later requests on a kept-alive connection are bounded by
   * `keepAliveTimeout`.
   */
  private awaitFirstRequest(socket: net.Socket): void {
    const timer = setTimeout(() => socket.destroy(), this.limits.headersTimeoutMs);
    this.headTimers.set(socket, timer);
    socket.once("close", () => clearTimeout(timer));
  }

  /** Peeks at the first bytes: the HTTP/2 connection preface goes to the h2c server, anything else to HTTP/1.1. */
  private sniff(socket: net.Socket): void {
    if (this.sockets.size >= this.limits.maxConnections) {
      // Over the connection limit: refuse at once (held connections must not deny service forever).
      this.notice(
        "connections",
        0,
        `refused a connection: ${this.limits.maxConnections} connections are open`,
      );
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let seen: Uint8Array = new Uint8Array(0);
    const timer = setTimeout(() => socket.destroy(), this.limits.headersTimeoutMs);
    socket.once("close", () => {
      this.sockets.delete(socket);
      clearTimeout(timer); // a socket destroyed by close() must not keep the process alive
    });
    const onData = (chunk: Uint8Array): void => {
      seen = concatBytes([seen, chunk]);
      const n = Math.min(seen.length, HTTP2_PREFACE.length);
      let isH2Prefix = true;
      for (let i = 0; i < n && isH2Prefix; i++) isH2Prefix = seen[i] === HTTP2_PREFACE[i];
      if (isH2Prefix && seen.length < HTTP2_PREFACE.length) return; // need more bytes to decide
      clearTimeout(timer);
      socket.removeListener("data", onData);
      socket.removeListener("error", onError);
      socket.pause();
      if (isH2Prefix && this.options.http2Server !== "node") {
        // Nothing is read until the connection is handed over, after this 'data' event (at its end Node would stop
        // the reads of the handle the new socket takes over); an error in between closes the socket.
        stopSocketReads(socket);
        socket.on("error", () => socket.destroy());
        process.nextTick(() =>
          serveOwnH2c(socket, seen, {
            windowBytes: WINDOW_BYTES,
            maxFrameBytes: MAX_FRAME_BYTES,
            limits: this.limits,
            track: (adopted) => {
              this.sockets.add(adopted);
              adopted.once("close", () => this.sockets.delete(adopted));
            },
            allowsHost: (host) => this.allowsHost(host),
            grpc: this.grpc,
          }),
        );
        return;
      }
      socket.unshift(seen);
      if (!isH2Prefix) this.awaitFirstRequest(socket);
      (isH2Prefix ? this.h2 : this.h1).emit("connection", socket);
      process.nextTick(() => socket.resume());
    };
    const onError = (): void => {
      clearTimeout(timer);
      socket.destroy();
    };
    socket.on("data", onData);
    socket.on("error", onError);
  }

  private serveStatic(req: NodeServerRequest, res: NodeServerResponse): void {
    const send = (status: number, text: string): void => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(text);
    };
    const dir = this.options.viewerDir;
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed");
    if (!dir) return send(404, "not found (this server has no viewer)");
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      return send(400, "bad path");
    }
    if (url.pathname === "/" && !url.searchParams.has("url")) {
      res.writeHead(302, { location: `/?url=${encodeURIComponent(this.proxyUrl)}` });
      res.end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname);
    } catch {
      return send(400, "bad path");
    }
    const root = resolve(dir);
    const file = resolve(root, `.${normalize(path)}`);
    if (!file.startsWith(root + sep)) return send(404, "not found");
    let body: Uint8Array;
    try {
      if (!statSync(file).isFile()) return send(404, "not found");
      body = readFileSync(file); // the viewer build is a few small files
    } catch {
      return send(404, "not found");
    }
    res.writeHead(200, {
      "content-type": MIME[extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    if (req.method === "HEAD") res.end();
    else res.end(body);
  }

  private notice(key: string, bytes: number, text: string): void {
    const line = this.notices.add(key, bytes, text);
    if (line !== undefined) this.options.onNotice?.(line);
  }
}

/** Aggregates repeated notices: the first one is reported at once, then a summary at most every 5 s per key. */
class NoticeLimiter {
  private readonly state = new Map<string, { lastMs: number; count: number; bytes: number }>();

  add(key: string, bytes: number, text: string): string | undefined {
    const now = Date.now();
    const s = this.state.get(key) ?? { lastMs: 0, count: 0, bytes: 0 };
    s.count++;
    s.bytes += bytes;
    this.state.set(key, s);
    if (now - s.lastMs < 5_000) return undefined;
    s.lastMs = now;
    const summary = `${text} (${s.count} message(s), ${(s.bytes / 1e6).toFixed(1)} MB since the last notice)`;
    s.count = 0;
    s.bytes = 0;
    return summary;
  }
}
