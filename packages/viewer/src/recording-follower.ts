import type { Recording } from "./recording.ts";
import type { ViewerNotification } from "./notifications-panel.ts";

/** What the viewer does as a recording loads. */
export interface RecordingFollower {
  /** The input holds another recording (`cat a.rrd b.rrd`): list it (and follow it too). */
  split(other: Recording): void;
  /** New data reached the recording's store. */
  data(recording: Recording): void;
  /** Loading progress or completion changed. */
  progress(recording: Recording): void;
  /** The name shown for the recording, or its application id, changed (e.g. its properties arrived). */
  renamed(recording: Recording): void;
  warning(text: string): void;
  notice(note: ViewerNotification): void;
}

/** Follows a recording's events; `label` gives the name shown for it (to notice renames). */
export function followRecording(
  recording: Recording,
  follower: RecordingFollower,
  label: (recording: Recording) => string,
): void {
  recording.on("split", (other) => follower.split(other));
  recording.on("data", () => follower.data(recording));
  let knownLabel: string | undefined;
  recording.on("progress", () => {
    follower.progress(recording);
    const shown = `${label(recording)}\u0000${recording.applicationId}`;
    if (shown !== knownLabel) {
      knownLabel = shown;
      follower.renamed(recording);
    }
  });
  recording.on("warning", (w) => follower.warning(w));
  recording.on("notice", (n) => follower.notice({ ...n, source: recording.source }));
}
