export { IrisError } from "./iris-error.ts";
export { Tuid, TuidGenerator, defaultTuidGenerator } from "./tuid.ts";
export { wallClockNanos } from "./wall-clock.ts";
export { EntityPath, EntityPathError } from "./entity-path.ts";
export {
  type TimeType,
  type Timeline,
  TimelineError,
  TIME_MIN,
  TIME_MAX,
  checkTimelineName,
  checkTimeValue,
  toTimeInt,
  secondsToNanos,
  arrowTypeOfTimeType,
  timeTypeOfArrowType,
} from "./timeline.ts";
export type { ComponentDescriptor } from "./component-descriptor.ts";
export type { ComponentType } from "./component-type.ts";
export {
  type ComponentBatch,
  type ComponentColumn,
  type AsComponents,
  batch,
  column,
} from "./component-batch.ts";
export * from "./components/arrow-builders.ts";
export * from "./components/primitive-types.ts";
export { ImageBufferType, BlobType } from "./components/blob.ts";
export { ImageFormatType } from "./components/image-format-type.ts";
export * from "./image/index.ts";
export * from "./archetypes/image.ts";
export * from "./archetypes/image-extensions.ts";
export * from "./archetypes/encoded-image.ts";
export { guessMediaType } from "./archetypes/media-type.ts";
export { descriptor } from "./archetypes/archetype-descriptors.ts";
export * from "./components/spatial-types.ts";
export * from "./components/annotation-context-type.ts";
export {
  ArchetypeError,
  type ArchetypeErrorKind,
  type ColorLike,
  packColor,
} from "./archetypes/archetype-values.ts";
export * from "./archetypes/pinhole.ts";
export * from "./archetypes/transform3d.ts";
export * from "./archetypes/annotation-context.ts";
export {
  DepthImage,
  DepthImageDescriptors,
  type DepthImageOptions,
  Colormap,
  parseColormap,
} from "./archetypes/depth-image.ts";
export * from "./archetypes/segmentation-image.ts";
export * from "./archetypes/arrows3d.ts";
export { concatBytes } from "./concat-bytes.ts";
export { escapeTerminal, escapeTerminalLines, terminalSafeJson } from "./terminal-text.ts";
