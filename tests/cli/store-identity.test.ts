// Two recordings whose ids differ only in where a "/" falls: application "cam/left" with recording "run", and
// application "cam" with recording "left/run". Both read `recording:cam/left/run` to a person, but they are two
// stores, and `iris print` (summary and --footers) and `iris query` must keep them apart, not pool their chunks.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "./run-cli.ts";
import { type WrittenRecording, writeSeveralRecordings } from "./several-recordings.ts";

const STORES: readonly WrittenRecording[] = [
  { applicationId: "cam/left", recordingId: "run", frames: 3, pixel: (f, x) => f + x },
  { applicationId: "cam", recordingId: "left/run", frames: 5, pixel: (f, x) => 100 + f + x },
];

interface JsonStore {
  applicationId: string;
  recordingId: string;
  chunks: number;
  rows: number;
}

async function printedStores(...args: string[]): Promise<JsonStore[]> {
  const { code, out, err } = await run("print", ...args, "--json");
  expect(err).toBe("");
  expect(code).toBe(0);
  return (JSON.parse(out) as { stores: JsonStore[] }).stores.map(
    ({ applicationId, recordingId, chunks, rows }) => ({ applicationId, recordingId, chunks, rows }),
  );
}

describe("stores whose ids differ only in where a '/' falls", () => {
  const dir = mkdtempSync(join(tmpdir(), "iris-store-identity-"));
  const { single: parts, concatenated: both } = writeSeveralRecordings(dir, STORES);

  for (const footers of [false, true]) {
    it(`iris print${footers ? " --footers" : ""} lists two stores, each as printed from its own file`, async () => {
      const flags = footers ? ["--footers"] : [];
      const expected = [
        ...(await printedStores(parts[0]!, ...flags)),
        ...(await printedStores(parts[1]!, ...flags)),
      ];
      expect(expected.map((s) => s.applicationId)).toEqual(STORES.map((s) => s.applicationId));
      expect(await printedStores(both, ...flags)).toEqual(expected);
    });
  }

  it("iris query --recording reads the one named by its recording id", async () => {
    for (const s of STORES) {
      const args = ["query", both, "--index", "frame", "--recording", s.recordingId, "--json"];
      const { code, out, err } = await run(...args);
      expect(err).toBe("");
      expect(code).toBe(0);
      const result = JSON.parse(out) as { recording: unknown; rows: number };
      expect(result.recording).toEqual({ applicationId: s.applicationId, recordingId: s.recordingId });
      expect(result.rows).toBe(s.frames);
    }
  });
});
