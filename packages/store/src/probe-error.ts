import { IrisError } from "@iris/types";

export type ProbeErrorKind =
  /** The entity path has no data in the store. */
  | "unknown-entity"
  /** No data was ever stored on the timeline. */
  | "unknown-timeline"
  /** The entity holds no Image, DepthImage or SegmentationImage. */
  | "not-an-image"
  /** The entity holds an EncodedImage, whose pixels only exist after decoding the file bytes. */
  | "encoded-image"
  /** The entity's image is static or logged on other timelines only. */
  | "no-temporal-data"
  /** The pixel or rectangle is not a valid region (negative, not an integer, empty). */
  | "invalid-region"
  /** The region lies (partly) outside the image at every time the image is logged. */
  | "out-of-bounds";

/** A probe the store cannot answer: what was asked, and what the recording holds instead. */
export class ProbeError extends IrisError<ProbeErrorKind> {}
