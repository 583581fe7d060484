/** The gRPC method `GrpcSink` calls: client streaming, one `WriteMessagesRequest` per message. */
export const WRITE_MESSAGES_PATH = "/rerun.sdk_comms.v1alpha1.MessageProxyService/WriteMessages";

/** The request headers of a `WriteMessages` call, after the pseudo-headers. */
export const WRITE_MESSAGES_HEADERS: readonly (readonly [string, string])[] = [
  ["content-type", "application/grpc+proto"],
  ["te", "trailers"],
  ["user-agent", "iris-sdk"],
];

export interface WriteSessionOptions {
  /** HTTP/2 flow-control window asked of the server for its responses (stream and session). */
  windowBytes: number;
  /** How long an unused connection stays open, in ms. */
  idleTimeoutMs: number;
  /** Ping the server this often while a call is open; a ping unanswered within `pingTimeoutMs` drops the connection. */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  /** For https: the certificate authorities to trust (default: Node's). */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
}

/**
 * One HTTP/2 connection to a gRPC `MessageProxyService`, carrying client-streaming `WriteMessages` calls whose
 * request frames are written as given, so that the message bytes, payload views included, reach the connection
 * without being copied or re-serialized in user space. Reconnects on `open` after the connection was lost.
 */
export interface WriteSession {
  /** Starts a `WriteMessages` call (connecting first if needed). */
  open(signal: AbortSignal): WriteCall;
  /** Closes the connection; open calls end with `Code.Canceled`. */
  close(): void;
}

/**
 * One `WriteMessages` call: `write` the request frames (as parts), then `finish` to end the request and get the
 * status. `done` settles when the call is over: resolves on OK, rejects with a `ConnectError` otherwise.
 */
export interface WriteCall {
  readonly done: Promise<void>;
  /**
   * Writes one request frame given as parts (views, kept unchanged until the call is over), and waits while the
   * connection cannot take more (HTTP/2 flow control, TCP back-pressure). Throws the call's error if it has ended.
   */
  write(parts: readonly Uint8Array[]): Promise<void>;
  /**
   * Ends the request and resolves once its last bytes were handed to the connection (or the call is over),
   * without waiting for the server's status (`done`). A call opened on the same connection after this writes
   * its DATA frames behind all of this call's, so the server receives the two requests' messages in order.
   */
  end(): Promise<void>;
  /** Ends the request and waits for the status: resolves on OK, throws a `ConnectError` otherwise. */
  finish(): Promise<void>;
}
