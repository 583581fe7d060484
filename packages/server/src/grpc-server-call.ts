import type { ConnectError } from "@connectrpc/connect";
import type { H2InPlaceBody } from "@iris/rrd/node";

/**
 * One gRPC call of the proxy's hot methods, on whichever HTTP/2 server carries it (`node:http2`'s, or Iris's own
 * `H2cConnection`): what `GrpcH2Service` needs of the transport.
 */
export interface GrpcServerCall {
  /** Aborted when the stream is closed or reset (the client went away). */
  readonly closed: AbortSignal;
  /** The request's `grpc-encoding`, if it has one. */
  readonly encoding: string | undefined;
  /**
   * Hands the request body to `onData` as it arrives, then calls `onEnd`; returns a function that stops it.
   * `inPlace`: where body bytes may be read straight into the message they belong to (Iris's own server only).
   */
  readBody(onData: (chunk: Uint8Array) => void, onEnd: () => void, inPlace?: H2InPlaceBody): () => void;
  /** Reads and drops what is left of the request body. */
  discardBody(): void;
  /** Sends the response headers (once). */
  sendHeaders(): void;
  /**
   * Writes `bytes`, then waits until the stream takes more (flow control) or is closed. `written` is called once
   * the bytes are no longer needed: written to the socket, or not written because the stream ended.
   */
  write(bytes: Uint8Array, written?: () => void): Promise<void>;
  /** Ends the call with a status: trailers after a body, or a trailers-only response. */
  finish(error: ConnectError | undefined, body?: Uint8Array): void;
}

/** The gRPC status fields for `error` (none: OK), its message cut to `maxMessageChars` before encoding. */
export function grpcStatusFields(
  error: ConnectError | undefined,
  maxMessageChars = Number.POSITIVE_INFINITY,
): Record<string, string> {
  if (error === undefined) return { "grpc-status": "0" };
  const message =
    error.rawMessage.length > maxMessageChars ? error.rawMessage.slice(0, maxMessageChars) : error.rawMessage;
  return { "grpc-status": String(error.code), "grpc-message": encodeURIComponent(message) };
}
