import { IrisError } from "@iris/types";

export type SdkErrorKind =
  | "invalid-entity-path"
  | "invalid-archetype"
  /** A component batch or value that is not what its component type takes (null, sparse, wrong shape). */
  | "invalid-component"
  /** A logged typed array whose ArrayBuffer was transferred or detached before `log`. */
  | "detached-buffer"
  /** A logged typed array that lies outside its resizable ArrayBuffer, which was shrunk after the view was made. */
  | "resized-buffer"
  | "column-length-mismatch"
  | "timeline-type-mismatch"
  | "invalid-time-column"
  /** A `setTime` value that is not `{ sequence | duration | timestamp }`. */
  | "invalid-time-value"
  | "invalid-option"
  /** Rows that could not be turned into a chunk, or a sink that failed, during a flush (`cause` says why). */
  | "flush-failed"
  /** Another FileSink (in this or another process) is writing the same file. */
  | "file-locked"
  | "closed";

/** Misuse of the logging API (what was wrong, expected vs actual). */
export class SdkError extends IrisError<SdkErrorKind> {}
