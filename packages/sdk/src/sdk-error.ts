import { IrisError } from "@iris/types";

export type SdkErrorKind =
  | "invalid-entity-path"
  | "invalid-archetype"
  | "column-length-mismatch"
  | "timeline-type-mismatch"
  | "invalid-time-column"
  | "invalid-option"
  | "closed";

/** Misuse of the logging API (what was wrong, expected vs actual). */
export class SdkError extends IrisError<SdkErrorKind> {}
