/**
 * `@iris/sdk`: log images on the Rerun data model, in Node and in browsers. This entry point holds what a
 * program logs with (Rerun's `rr.*`): recordings, `log` / `sendColumns` / `setTime*`, the archetypes, their
 * enums, sinks and errors. Files, live streaming and `spawn` are in `@iris/sdk/node`; browser helpers in
 * `@iris/sdk/browser`; the low-level pieces (component types, Arrow conversion, TUIDs, the batcher) in
 * `@iris/sdk/advanced`.
 * @packageDocumentation
 */

// Recordings, timelines and the Python-style module API (rr.init, rr.log, rr.set_time, rr.send_columns …).
export {
  RecordingStream,
  type RecordingStreamOptions,
  type LogOptions,
  IRIS_SDK_VERSION,
} from "./recording-stream.ts";
export { TimeColumn, type TimeColumnValues } from "./time-column.ts";
export type { TimeValue } from "./time-state.ts";
export {
  init,
  getDefaultRecording,
  setDefaultRecording,
  log,
  sendColumns,
  setTime,
  setTimeSequence,
  setTimeSeconds,
  setTimeNanos,
  setTimestamp,
  disableTimeline,
  resetTime,
  flush,
} from "./default-recording.ts";

// Sinks: where a recording's messages go (files and network sinks are in @iris/sdk/node).
export type { LogSink } from "./sinks/log-sink.ts";
export { MemorySink } from "./sinks/memory-sink.ts";
export { BytesSink } from "./sinks/bytes-sink.ts";

// Archetypes, with their options and enums.
export {
  Image,
  type ImageOptions,
  type ImageStyle,
  type ImageFields,
  type ImageDataLike,
  type BayerImageOptions,
  type UyvyImageOptions,
  EncodedImage,
  DepthImage,
  type DepthImageOptions,
  Colormap,
  SegmentationImage,
  type SegmentationImageOptions,
  Pinhole,
  type PinholeOptions,
  type PinholeStyle,
  ViewDir,
  RDF,
  type ViewCoordinatesLike,
  Transform3D,
  type Transform3DOptions,
  TransformRelation,
  type RotationLike,
  AnnotationContext,
  type AnnotationInfoLike,
  type ClassDescriptionLike,
  type ClassLike,
  Arrows3D,
  type ColorLike,
  ColorModel,
  ChannelDatatype,
  PixelFormat,
  MagnificationFilter,
  type ImageFormat,
  type ImageFormatInput,
  type PixelArray,
  type AsComponents,
} from "@iris/types";

// Errors: every invalid input throws one of these, with `kind`, and `expected` / `actual` where they apply.
export { SdkError, type SdkErrorKind } from "./sdk-error.ts";
export { LiveError, type LiveErrorKind } from "./proxy-url.ts";
export {
  IrisError,
  ImageFormatError,
  type ImageFormatErrorKind,
  ArchetypeError,
  type ArchetypeErrorKind,
  EntityPathError,
  TimelineError,
} from "@iris/types";
