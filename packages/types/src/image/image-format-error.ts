import { IrisError } from "../iris-error.ts";

/** Machine-readable reasons an image format, buffer or pixel array is rejected. */
export type ImageFormatErrorKind =
  | "size-mismatch"
  | "invalid-dimension"
  | "unknown-enum"
  | "conflicting-format"
  | "missing-format"
  | "float16-backing"
  | "element-size"
  | "datatype-mismatch"
  | "unsupported-array"
  | "out-of-bounds"
  | "invalid-range";

/** What was expected and what was found; both end up in the message. */
export interface ImageFormatErrorDetails {
  expected?: string | number;
  actual?: string | number;
  cause?: unknown;
}

/**
 * Error thrown by the image format maths. `expected` and `actual` repeat, in machine-readable form, the values
 * the message names (e.g. `Image buffer has 1000 bytes, expected 180000 (300×200 RGB U8)`).
 */
export class ImageFormatError extends IrisError<ImageFormatErrorKind> {
  readonly expected?: string | number;
  readonly actual?: string | number;

  constructor(kind: ImageFormatErrorKind, message: string, details: ImageFormatErrorDetails = {}) {
    super(kind, message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.expected !== undefined) this.expected = details.expected;
    if (details.actual !== undefined) this.actual = details.actual;
  }
}
