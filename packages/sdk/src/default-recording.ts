import type { AsComponents, ComponentBatch, ComponentColumn, EntityPath } from "@iris/types";
import { type LogOptions, RecordingStream, type RecordingStreamOptions } from "./recording-stream.ts";
import { SdkError } from "./sdk-error.ts";
import type { TimeColumn } from "./time-column.ts";
import type { TimeValue } from "./time-state.ts";

let current: RecordingStream | undefined;

/**
 * Creates the module-level default recording, mirroring Rerun's Python `rr.init(application_id)`.
 * Later `iris.log(...)` calls go to it.
 */
export function init(
  applicationId: string,
  options: Omit<RecordingStreamOptions, "applicationId"> = {},
): RecordingStream {
  current?.flush();
  current = new RecordingStream({ ...options, applicationId });
  return current;
}

/** The default recording; throws if `init` was not called. */
export function getDefaultRecording(): RecordingStream {
  if (!current)
    throw new SdkError("invalid-option", "no default recording: call iris.init(applicationId) first");
  return current;
}

export function setDefaultRecording(recording: RecordingStream | undefined): void {
  current = recording;
}

export const log = (
  entityPath: string | EntityPath,
  data: AsComponents | readonly ComponentBatch[],
  options?: LogOptions,
): void => getDefaultRecording().log(entityPath, data, options);
export const sendColumns = (
  entityPath: string | EntityPath,
  indexes: readonly TimeColumn[],
  columns: readonly ComponentColumn[],
): void => getDefaultRecording().sendColumns(entityPath, indexes, columns);
export const setTime = (timeline: string, value: TimeValue): void =>
  getDefaultRecording().setTime(timeline, value);
export const setTimeSequence = (timeline: string, sequence: number | bigint): void =>
  getDefaultRecording().setTimeSequence(timeline, sequence);
export const setTimeSeconds = (timeline: string, seconds: number): void =>
  getDefaultRecording().setTimeSeconds(timeline, seconds);
export const setTimeNanos = (timeline: string, nanos: bigint | number): void =>
  getDefaultRecording().setTimeNanos(timeline, nanos);
export const setTimestamp = (timeline: string, timestamp: Date | number | bigint): void =>
  getDefaultRecording().setTimestamp(timeline, timestamp);
export const disableTimeline = (timeline: string): void => getDefaultRecording().disableTimeline(timeline);
export const resetTime = (): void => getDefaultRecording().resetTime();
export const flush = (): void => getDefaultRecording().flush();
