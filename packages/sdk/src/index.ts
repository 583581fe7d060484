export * from "@iris/types";
export {
  RecordingStream,
  type RecordingStreamOptions,
  type LogOptions,
  IRIS_SDK_VERSION,
} from "./recording-stream.ts";
export { Batcher, type BatcherOptions } from "./batcher.ts";
export { TimeColumn, type TimeColumnValues } from "./time-column.ts";
export type { TimeValue } from "./time-state.ts";
export { SdkError, type SdkErrorKind } from "./sdk-error.ts";
export type { LogSink } from "./sinks/log-sink.ts";
export { MemorySink } from "./sinks/memory-sink.ts";
export { BytesSink } from "./sinks/bytes-sink.ts";
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
