import { IrisError } from "@iris/types";

/** Every way reading or writing `.rrd` bytes can fail hard. Recoverable problems are `RrdWarning`s instead. */
export type RrdErrorKind =
  /** The first bytes are not an `RRF2` stream header. */
  | "not-rrd"
  /** An `RRF0`/`RRF1` stream from a Rerun older than 0.23. */
  | "old-version"
  /** An `RRF2` header claiming a version this reader cannot read (older than 0.23). */
  | "incompatible-version"
  /** The header's serializer byte is not 2 (Protobuf). */
  | "unsupported-serializer"
  /** The header's compression byte is neither 0 nor 1. */
  | "unsupported-compression"
  /** The header's reserved bytes are not zero. */
  | "bad-reserved-bytes"
  /** Not enough bytes for a fixed-size structure. */
  | "truncated"
  /** A StreamFooter whose magic or entry count is wrong. */
  | "corrupt-footer"
  /** A protobuf payload that does not decode, or lacks a required field. */
  | "invalid-payload"
  /** LZ4 decompression failed or no codec was configured. */
  | "lz4-failed"
  /** Decompressing would exceed the decoder's budget of decompressed bytes (an LZ4 bomb). */
  | "decompression-limit"
  /** A value that cannot be written (e.g. a version byte out of range), or a call out of order (push after end). */
  | "invalid-argument"
  /** `write` after `finish`. */
  | "encoder-finished";

export class RrdError extends IrisError<RrdErrorKind> {}

/** Checks the name and kind rather than `instanceof`, so it also works across duplicate package copies. */
export function isRrdError(error: unknown): error is RrdError {
  return (
    error instanceof Error &&
    error.name === "RrdError" &&
    typeof (error as { kind?: unknown }).kind === "string"
  );
}
