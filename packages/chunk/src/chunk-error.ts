import { IrisError } from "@iris/types";

export type ChunkErrorKind =
  | "missing-chunk-id"
  | "missing-entity-path"
  | "missing-row-id"
  | "row-id-not-first"
  | "index-after-data"
  | "bad-row-id-type"
  | "unsupported-time-type"
  | "time-has-nulls"
  | "duplicate-column"
  | "length-mismatch"
  | "unknown-column-kind"
  | "not-a-list"
  | "timeline-mismatch"
  | "bad-ipc";

/** A chunk that does not follow the Sorbet 0.1.3 rules (what was wrong, expected vs actual). */
export class ChunkError extends IrisError<ChunkErrorKind> {}
