// `iris compare` on a file holding several recordings (concatenated .rrd files): refused, listing them, as the real
// `rerun rrd compare` (0.41) refuses it; a file of one recording still compares as before.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { rerun } from "../rerun-oracle/rerun-venv.ts";
import { run } from "./run-cli.ts";
import { RECORDINGS, writeSeveralRecordings } from "./several-recordings.ts";

let several: { single: readonly string[]; concatenated: string };
beforeAll(() => {
  several = writeSeveralRecordings(mkdtempSync(join(tmpdir(), "iris-compare-several-")));
});

describe("iris compare on a file holding several recordings", () => {
  it("Rerun 0.41 refuses the file, whichever side it is on", async () => {
    for (const args of [
      [several.concatenated, several.single[0]!],
      [several.single[0]!, several.concatenated],
    ]) {
      const result = await rerun(["rrd", "compare", ...args]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("more than one data recording found in rrd file");
    }
  });

  it("Iris refuses it too (exit 1), listing the recordings escaped, on either side and with --json", async () => {
    for (const args of [
      [several.concatenated, several.single[0]!],
      [several.single[0]!, several.concatenated],
      [several.concatenated, several.concatenated, "--json"],
    ]) {
      const { code, out, err } = await run("compare", ...args);
      expect(code).toBe(1);
      expect(out).toBe("");
      expect(err).toContain(
        `iris compare: ${several.concatenated} holds 3 recordings; iris compare compares files of one recording each:\n`,
      );
      for (const r of RECORDINGS) expect(err).toContain(`application id "${r.applicationId}"`);
      expect(err).toContain('recording id "rec-\\x1b[31mc\\u202e"');
      expect(err).not.toContain("\u001b");
    }
  });

  it("files of one recording compare as before: equal to themselves, different from another recording", async () => {
    const [a, b] = several.single as [string, string];
    expect(await run("compare", a, a)).toMatchObject({ code: 0, out: "recordings are equal\n" });
    const differ = await run("compare", a, b);
    expect(differ.code).toBe(1);
    expect(differ.out).toContain("application ids differ: app_one vs app_two");
  });
});
