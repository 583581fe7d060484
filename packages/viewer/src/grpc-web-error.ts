import { IrisError } from "@iris/types";

/**
 * How a gRPC-web call failed: `http-status` (the HTTP status was not 200), `grpc-status` (the server ended the call
 * with a non-zero gRPC status; `grpcStatus` holds it), `protocol` (the response is not a well-formed gRPC-web
 * stream: wrong content type, missing or malformed trailers, a body cut short, a message that does not decode),
 * `compressed` (a compressed message, which this client never asks for), `too-large` (a message over the limit).
 */
export type GrpcWebErrorKind = "http-status" | "grpc-status" | "protocol" | "compressed" | "too-large";

export class GrpcWebError extends IrisError<GrpcWebErrorKind> {
  constructor(
    kind: GrpcWebErrorKind,
    message: string,
    /** The gRPC status code the server sent (kind `grpc-status`). */
    readonly grpcStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(kind, message, options);
  }
}
