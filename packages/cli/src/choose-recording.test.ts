import { describe, expect, it } from "vitest";
import type { StoreId } from "@iris/rrd";
import { type RecordingEntry, RecordingChoiceError, chooseRecording } from "./choose-recording.ts";

const store = (applicationId: string, recordingId: string): StoreId => ({
  kind: "recording",
  applicationId,
  recordingId,
});
const entries = (...ids: StoreId[]): RecordingEntry[] => ids.map((storeId) => ({ storeId, chunkCount: 1 }));

function choiceError(run: () => unknown): RecordingChoiceError {
  try {
    run();
  } catch (error) {
    if (error instanceof RecordingChoiceError) return error;
    throw error;
  }
  throw new Error("expected a RecordingChoiceError");
}

describe("chooseRecording", () => {
  it("takes the only recording, or none, without --recording", () => {
    expect(chooseRecording(entries(store("app", "r1")), { path: "f.rrd" })).toEqual(store("app", "r1"));
    expect(chooseRecording([], { path: "f.rrd" })).toBeUndefined();
    const none = choiceError(() => chooseRecording([], { path: "f.rrd", wanted: "r1" }));
    expect(none.kind).toBe("no-matching-recording");
    expect(none.message).toBe(
      '--recording "r1" matches no recording of f.rrd (expected a recording id or an application id); ' +
        "it holds no recording",
    );
  });

  it("prefers a recording id to an application id, and resolves a recording id two applications share", () => {
    // "x" is one recording's id and another's application id: the recording id wins.
    const list = entries(store("app", "x"), store("x", "r2"), store("other", "x"));
    const shared = choiceError(() => chooseRecording(list, { path: "f.rrd", wanted: "x" }));
    expect(shared.kind).toBe("ambiguous-recording");
    expect(shared.message).toBe(
      '--recording "x" matches the recording id of 2 recordings of f.rrd, expected one; choose by ' +
        'APPLICATION_ID/RECORDING_ID:\n  application id "app", recording id "x" (1 chunk)\n' +
        '  application id "other", recording id "x" (1 chunk)',
    );
    expect(chooseRecording(list, { path: "f.rrd", wanted: "other/x" })).toEqual(store("other", "x"));
    expect(chooseRecording(list, { path: "f.rrd", wanted: "r2" })).toEqual(store("x", "r2"));
    expect(chooseRecording(entries(store("app", "x"), store("x", "r2")), { path: "f", wanted: "x" })).toEqual(
      store("app", "x"),
    );
  });

  it("escapes the ids from the file and the name given", () => {
    const list = entries(store("a\u001b]0;t\u0007", "r\n1"), store("b", "r2"));
    const several = choiceError(() => chooseRecording(list, { path: "f.rrd" }));
    expect(several.kind).toBe("several-recordings");
    expect(several.message).toContain('  application id "a\\x1b]0;t\\x07", recording id "r\\x0a1" (1 chunk)');
    expect(several.message.split("\n")).toHaveLength(3);
    const wrong = choiceError(() => chooseRecording(list, { path: "f.rrd", wanted: "\u202ez" }));
    expect(wrong.message).toMatch(/^--recording "\\u202ez" matches no recording/);
  });
});
