import { Code, ConnectError } from "@connectrpc/connect";
import { escapeTerminal } from "@iris/types";

/**
 * The gRPC status in a response's headers or trailers (`get` looks a lower-case name up): undefined when they
 * carry no `grpc-status`, null for OK, else a `ConnectError` whose message is the server's `grpc-message`,
 * percent-decoded, with control characters escaped.
 */
export function grpcStatus(get: (name: string) => string | undefined): ConnectError | null | undefined {
  const status = get("grpc-status");
  if (status === undefined) return undefined;
  const code = Number(status);
  if (code === 0) return null;
  let message = get("grpc-message") ?? "";
  try {
    message = decodeURIComponent(message);
  } catch {
    // not percent-encoded: keep as is
  }
  return new ConnectError(
    escapeTerminal(message), // the server's text: no terminal escapes passed on
    Number.isInteger(code) && code > 0 && code <= 16 ? code : Code.Unknown,
  );
}

/** A response that ended without a grpc-status but with HTTP status `status` (not 200). */
export function httpStatusError(status: number): ConnectError {
  return new ConnectError(`HTTP status ${status}`, codeOfHttpStatus(status));
}

/** gRPC's mapping of HTTP statuses when a response carries no grpc-status (doc/http-grpc-status-mapping.md). */
function codeOfHttpStatus(status: number): Code {
  switch (status) {
    case 400:
      return Code.Internal;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.Unimplemented;
    case 429:
    case 502:
    case 503:
    case 504:
      return Code.Unavailable;
    default:
      return Code.Unknown;
  }
}
