import { IrisError } from "@iris/types";

export type StoreErrorKind =
  | "timeline-type-mismatch"
  | "invalid-chunk"
  | "unknown-timeline"
  | "arrow-type-mismatch"
  | "unsupported-arrow-type"
  | "invalid-query"
  | "listener-failed";

/** A chunk the store cannot take, a query it cannot answer, or Arrow data it cannot combine. */
export class StoreError extends IrisError<StoreErrorKind> {}
