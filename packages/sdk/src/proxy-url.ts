import { IrisError } from "@iris/types";

export const DEFAULT_PROXY_URL = "rerun+http://127.0.0.1:9876/proxy";

/**
 * Problems of the live-streaming sinks (`connect`, `spawn`, in-page viewer sinks) and of `readMessages`:
 * "unreachable" (the connection failed), "status" (the proxy ended the call with a gRPC error status),
 * "protocol" (a response that is not what gRPC `ReadMessages` sends).
 */
export type LiveErrorKind =
  "bad-url" | "spawn-failed" | "timeout" | "closed" | "rejected" | "unreachable" | "status" | "protocol";

export class LiveError extends IrisError<LiveErrorKind> {}

/**
 * The gRPC base URL of a Rerun proxy URL (rrd-format.md §6.1): `rerun+http://h:p/proxy` → `http://h:p`,
 * `rerun://` and `rerun+https://` → `https://`. Plain `http(s)://h:p[/proxy]` is accepted too.
 */
export function grpcBaseUrl(url: string): string {
  const m = /^(rerun\+https?|rerun|https?):\/\/([^/?#]+)(\/[^?#]*)?$/i.exec(url.trim());
  if (!m)
    throw new LiveError("bad-url", `not a proxy URL: ${JSON.stringify(url)} (expected ${DEFAULT_PROXY_URL})`);
  const scheme = m[1]!.toLowerCase();
  const path = m[3] ?? "";
  if (path !== "" && path !== "/" && path !== "/proxy") {
    throw new LiveError("bad-url", `${url}: the path must be /proxy, got ${path}`);
  }
  const http = scheme === "rerun+http" || scheme === "http" ? "http" : "https";
  return `${http}://${m[2]}`;
}
