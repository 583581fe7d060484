import type * as http from "node:http";
import type * as http2 from "node:http2";
import { ProxyError } from "./proxy-error.ts";

/** Limits that keep held, idle or slow connections from denying service to everyone else. */
export interface ConnectionLimits {
  /** Open TCP connections at most; more are closed at once (default 1024). */
  maxConnections: number;
  /**
   * Time to receive a request head: the first bytes (to tell HTTP/1.1 from HTTP/2) and, on HTTP/1.1, the whole
   * header block (default 10 s).
   */
  headersTimeoutMs: number;
  /**
   * An HTTP/2 connection with no open stream, or an HTTP/1.1 keep-alive connection between requests, is closed
   * after this long without traffic (default 60 s). Streams in progress (a viewer waiting for messages) are not
   * idle.
   */
  idleTimeoutMs: number;
  /** Largest request header block (default 16 KiB). */
  maxHeaderBytes: number;
  /**
   * A request message (gRPC-web/Connect body read by connect-node) whose first byte arrived must be complete within
   * this time plus 1 s per MiB it declares (default 30 s): a slowloris body is closed (`request-body-guard.ts`).
   */
  bodyTimeoutMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 1024,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxHeaderBytes: 16 * 1024,
  bodyTimeoutMs: 30_000,
};

export function resolveConnectionLimits(partial: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new ProxyError(
        "invalid-option",
        `connection limit ${name} must be a positive number, got ${value}`,
      );
    }
  }
  return limits;
}

/** Applies the header and idle limits to the HTTP/1.1 and HTTP/2 servers behind the proxy's socket sniffer. */
export function applyConnectionLimits(
  h1: http.Server,
  h2: http2.Http2Server,
  limits: ConnectionLimits,
): void {
  h1.headersTimeout = limits.headersTimeoutMs;
  h1.keepAliveTimeout = Math.min(limits.idleTimeoutMs, 5_000);
  h2.on("session", (session: http2.ServerHttp2Session) => {
    let open = 0;
    session.on("stream", (stream: http2.ServerHttp2Stream) => {
      open++;
      stream.once("close", () => open--);
    });
    // Fires after idleTimeoutMs without any frame; only a session without streams is idle.
    session.setTimeout(limits.idleTimeoutMs, () => {
      if (open === 0) session.destroy();
    });
  });
}
