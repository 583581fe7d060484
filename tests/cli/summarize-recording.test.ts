// `iris print` without --verbose summarizes chunks as they are read (RecordingSummarizer) instead of reading the
// whole recording first (summarizeRecording); the two must give the same summary, stores in the same order.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeExample } from "../../examples/src/run-example.ts";
import { imageRowUpdates } from "../../examples/src/image_row_updates.ts";
import { imageSimple } from "../../examples/src/image_simple.ts";
import { readRecording } from "../../packages/cli/src/read-recording.ts";
import { RecordingSummarizer, summarizeRecording } from "../../packages/cli/src/summarize-recording.ts";

const fixtures = join(import.meta.dirname, "../fixtures/rerun-written");

describe("RecordingSummarizer", () => {
  it("gives summarizeRecording's summary however messages and chunks interleave", async () => {
    // Four streams of three recordings, concatenated: two Iris examples, a file Rerun 0.23.4 wrote, the first again.
    const dir = mkdtempSync(join(tmpdir(), "iris-summarize-"));
    await writeExample(imageSimple, join(dir, "simple.rrd"));
    await writeExample(imageRowUpdates, join(dir, "rows.rrd"));
    const simple = readFileSync(join(dir, "simple.rrd"));
    const rows = readFileSync(join(dir, "rows.rrd"));
    const rerun = readFileSync(join(fixtures, "rerun-0.23.4.rrd"));
    const recording = readRecording(new Uint8Array(Buffer.concat([simple, rows, rerun, simple])));
    // Also without the first store's SetStoreInfo: summarizeRecording lists stores without one last, although
    // that store's chunks come first in the file.
    const first = recording.chunks[0]!.storeId;
    const withoutInfo = {
      ...recording,
      messages: recording.messages.filter(
        (m) => m.message.kind !== "setStoreInfo" || m.message.storeId.recordingId !== first.recordingId,
      ),
    };
    for (const input of [recording, withoutInfo]) {
      const expected = summarizeRecording(input).stores;
      expect(expected.length).toBe(3);
      expect(expected.reduce((n, s) => n + s.chunks, 0)).toBe(input.chunks.length);
      const byOffset = [
        ...input.messages.map((m) => ({
          offset: m.offset,
          rank: 0,
          add: (s: RecordingSummarizer) => s.addMessage(m.message),
        })),
        ...input.chunks.map((c) => ({
          offset: c.offset,
          rank: 1,
          add: (s: RecordingSummarizer) => s.addChunk(c.chunk, c.storeId),
        })),
      ].sort((x, y) => x.offset - y.offset || x.rank - y.rank);
      // Messages stay in file order among themselves, and so do chunks; only how the two interleave changes.
      const orders = {
        "file order (as iris print reads)": byOffset,
        "chunks first": [...byOffset].sort((x, y) => y.rank - x.rank),
        "messages first": [...byOffset].sort((x, y) => x.rank - y.rank),
      };
      for (const [name, steps] of Object.entries(orders)) {
        const summarizer = new RecordingSummarizer();
        for (const step of steps) step.add(summarizer);
        expect(summarizer.stores(), name).toEqual(expected);
      }
    }
    expect(summarizeRecording(withoutInfo).stores.at(-1)!.storeId.recordingId).toBe(first.recordingId);
  });
});
