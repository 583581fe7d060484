import { IrisError } from "@iris/types";

/** Why a recording could not be read piece by piece. */
export type LazySourceErrorKind =
  /** The HTTP server answered a Range request with the whole body (200) or without a usable Content-Range. */
  | "range-unsupported"
  /** An HTTP request failed or answered with an unexpected status. */
  | "http-failed"
  /** A response had other bytes than asked for (length, range or total size changed). */
  | "bad-response"
  /** A read outside the source. */
  | "out-of-bounds";

export class LazySourceError extends IrisError<LazySourceErrorKind> {}
