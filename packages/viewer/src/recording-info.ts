import { int64Component, utf8Component } from "@iris/types";
import type { Recording } from "./recording.ts";

/** The recording-properties entity Rerun's SDKs write (`RecordingInfo` archetype). */
export const PROPERTIES_ENTITY = "/__properties";

const Utf8Type = utf8Component("rerun.components.Name");
const TimestampType = int64Component("rerun.components.Timestamp");

/** What the recordings panel shows of a recording. */
export interface RecordingSummary {
  readonly applicationId: string | undefined;
  readonly recordingId: string | undefined;
  /** `RecordingInfo:name` when logged, else the file or URL name. */
  readonly name: string;
  /** `RecordingInfo:start_time` when logged, else the earliest time of a timestamp timeline (ns since epoch). */
  readonly startTimeNanos: bigint | undefined;
  readonly source: string;
}

/** `RecordingInfo:name` at `/__properties`, if logged. */
export function loggedRecordingName(recording: Recording): string | undefined {
  const row = recording.store.latestStatic(PROPERTIES_ENTITY, "RecordingInfo:name");
  return row?.chunk.componentValues("RecordingInfo:name", row.row, Utf8Type)?.[0];
}

/**
 * How the recording selector and status line name a recording. A file or URL: the name it was opened under. A
 * live recording: its logged `RecordingInfo:name`, else its application id (its generated name — the proxy URL
 * or recording id — means nothing to the user), else that generated name until the store info arrives.
 */
export function recordingLabel(recording: Recording, live: boolean): string {
  if (!live) return recording.name;
  return loggedRecordingName(recording) ?? recording.applicationId ?? recording.name;
}

export function recordingSummary(recording: Recording): RecordingSummary {
  const store = recording.store;
  const startRow = store.latestStatic(PROPERTIES_ENTITY, "RecordingInfo:start_time");
  const loggedName = loggedRecordingName(recording);
  let start = startRow?.chunk.componentValues("RecordingInfo:start_time", startRow.row, TimestampType)?.[0];
  if (start === undefined) {
    for (const t of store.timelines().values())
      if (t.type === "timestamp" && (start === undefined || t.min < start)) start = t.min;
  }
  return {
    applicationId: recording.applicationId,
    recordingId: recording.recordingId,
    name: loggedName ?? recording.name,
    startTimeNanos: start,
    source: recording.source,
  };
}

/** A start time as the panel shows it (UTC, to the second). */
export function formatStartTime(nanos: bigint | undefined): string {
  if (nanos === undefined) return "no start time";
  const date = new Date(Number(nanos / 1_000_000n));
  return Number.isNaN(date.getTime())
    ? `${nanos} ns`
    : `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
