/**
 * Files written by real Rerun SDKs of several versions (docs/compatibility.md): 0.23.4, 0.28.2 and 0.33.0 are committed
 * fixtures (tests/fixtures/rerun-written/make-fixture.py, run once in a venv with that rerun-sdk), 0.41.0 is
 * written by the project's .venv-rerun at test time. Iris reads each one: the decoder, the footer index where the
 * file has one, and the viewer's store and image query return exactly the pixels the script logged.
 */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { bytesSource, decodeRrd, readRrdIndex } from "@iris/rrd";
import { imageEntities, queryImage } from "../../packages/viewer/src/image-visualizer.ts";
import { Recording } from "../../packages/viewer/src/recording.ts";
import { requireVenv, venvPython } from "../rerun-oracle/rerun-venv.ts";
import { execFileSync } from "node:child_process";

const fixtures = join(import.meta.dirname, "..", "fixtures", "rerun-written");
const dir = mkdtempSync(join(tmpdir(), "iris-old-rerun-"));
const files = new Map<string, string>([
  ["0.23.4", join(fixtures, "rerun-0.23.4.rrd")],
  ["0.28.2", join(fixtures, "rerun-0.28.2.rrd")],
  ["0.33.0", join(fixtures, "rerun-0.33.0.rrd")],
]);

beforeAll(() => {
  // The same script with the current oracle (it writes beside itself, so run a copy in a temporary folder).
  copyFileSync(join(fixtures, "make-fixture.py"), join(dir, "make-fixture.py"));
  requireVenv();
  execFileSync(venvPython, [join(dir, "make-fixture.py")], { stdio: "ignore" });
  files.set("0.41.0", join(dir, "rerun-0.41.0.rrd"));
}, 60_000);

const expectedPixels = (frame: number): number[] => Array.from({ length: 18 }, (_, i) => i + frame);

describe.each(["0.23.4", "0.28.2", "0.33.0", "0.41.0"])("a file written by rerun-sdk %s", (version) => {
  const bytes = (): Uint8Array => new Uint8Array(readFileSync(files.get(version)!));

  it("decodes with no warning other than 'newer than this reader'", () => {
    const { messages, warnings } = decodeRrd(bytes());
    expect(warnings.filter((w) => w.kind !== "newer-version")).toEqual([]);
    expect(messages.filter((m) => m.kind === "arrowMsg").length).toBeGreaterThanOrEqual(2);
  });

  it("loads into the viewer's store: every logged image, exact pixels at each frame, the static depth image", () => {
    const recording = new Recording(`rerun-${version}.rrd`);
    recording.push(bytes());
    recording.finish();
    expect(recording.warnings.filter((w) => !w.includes("newer-version"))).toEqual([]);
    expect([recording.applicationId, recording.recordingId]).toEqual(["old_rerun_fixture", "fixture"]);
    expect(imageEntities(recording.store)).toEqual(["/camera/image"]);
    for (const frame of [3, 5]) {
      const image = queryImage(recording.store, "/camera/image", { timeline: "frame", time: BigInt(frame) });
      expect(image?.format).toMatchObject({ width: 3, height: 2 });
      expect([...image!.bytes]).toEqual(expectedPixels(frame));
    }
    expect(recording.store.entityPaths()).toContain("/static_depth");
  });

  it("has a chunk index from its footer when the version writes one (0.28.2 and later do, 0.23.4 does not)", () => {
    const index = readRrdIndex(bytesSource(bytes()));
    if (version === "0.23.4") {
      expect(index).toEqual({ streams: [], complete: false }); // 0.23 wrote no footer
      return;
    }
    expect(index.complete).toBe(true);
    const entities = index.streams.flatMap((s) =>
      s.manifests.flatMap((m) => m.chunks.map((c) => c.entityPath)),
    );
    expect(entities).toEqual(expect.arrayContaining(["/camera/image", "/static_depth"]));
  });
});
