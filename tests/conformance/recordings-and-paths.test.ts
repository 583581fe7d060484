/**
 * Issue 12: two complete recordings concatenated in one file stay two recordings (as Rerun opens them), and entity
 * paths with escaped slashes (`a\/b`, logged with the real rerun-sdk) are one part, never split at the escape.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeRrd } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { save } from "@iris/sdk/node";
import { EntityPath, concatBytes } from "@iris/types";
import { imageEntities } from "../../packages/viewer/src/image-visualizer.ts";
import { Recording } from "../../packages/viewer/src/recording.ts";
import { entityPathPrefixes } from "../../packages/viewer/src/entity-path-parts.ts";
import { recommendedViews2d, viewIncludes } from "../../packages/viewer/src/view-heuristics.ts";
import { rerunRrd, runRerunPython } from "../rerun-oracle/rerun-venv.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-concat-"));
const file = (name: string): string => join(dir, name);

const PYTHON = `
import numpy as np, rerun as rr
for app, rec_id, entity in [("cat_a", "rec-a", "only_a"), ("cat_b", "rec-b", "only_b")]:
    rec = rr.RecordingStream(app, recording_id=rec_id)
    rec.save(${JSON.stringify(dir)} + f"/rerun_{app}.rrd")
    rec.log(entity, rr.Image(np.zeros((2, 2, 3), dtype=np.uint8)))
    rec.flush()
rec = rr.RecordingStream("paths", recording_id="paths")
rec.save(${JSON.stringify(join(dir, "paths.rrd"))})
for path in [r"a\\/b", "a/b", r"a\\/b/c", "a"]:
    rec.log(path, rr.Image(np.zeros((2, 2, 3), dtype=np.uint8)))
rec.flush()
`;

function writeIris(path: string, applicationId: string, recordingId: string, entity: string): void {
  const rec = new RecordingStream({ applicationId, recordingId });
  save(path, rec);
  rec.log(entity, new Image(new Uint8Array(12), { width: 2, height: 2 }));
  rec.close();
}

beforeAll(() => {
  runRerunPython(PYTHON);
  writeIris(file("iris_a.rrd"), "cat_a", "rec-a", "only_a");
  writeIris(file("iris_b.rrd"), "cat_b", "rec-b", "only_b");
}, 60_000);

/** Warnings other than "newer-version" (Iris's reader is at 0.33 and says so for 0.41 files). */
const problems = (recording: Recording): string[] =>
  recording.warnings.filter((w) => !w.includes("newer-version"));

const cat = (...names: string[]): Uint8Array =>
  concatBytes(names.map((n) => new Uint8Array(readFileSync(file(n)))));

describe("concatenated recordings (cat a.rrd b.rrd)", () => {
  it("Rerun itself reads two recordings from the concatenated Rerun files", () => {
    const both = file("rerun_both.rrd");
    writeFileSync(both, cat("rerun_cat_a.rrd", "rerun_cat_b.rrd"));
    const print = rerunRrd("print", both);
    expect(print.code).toBe(0);
    expect(print.out).toMatch(/"cat_a",\s*"rec-a"/);
    expect(print.out).toMatch(/"cat_b",\s*"rec-b"/);
  });

  it.each([
    ["Rerun", "rerun_cat_a.rrd", "rerun_cat_b.rrd"],
    ["Iris", "iris_a.rrd", "iris_b.rrd"],
  ])("the viewer opens two recordings from two concatenated %s files, each with its own data", (_w, a, b) => {
    const recording = new Recording("both.rrd");
    const split: Recording[] = [];
    recording.on("split", (other) => split.push(other));
    const bytes = cat(a, b);
    // Pushed in odd pieces, as a download arrives.
    for (let i = 0; i < bytes.length; i += 777) recording.push(bytes.subarray(i, i + 777));
    recording.finish();
    expect(problems(recording)).toEqual([]);
    expect(split).toHaveLength(1);
    const other = split[0]!;
    expect([recording.applicationId, recording.recordingId]).toEqual(["cat_a", "rec-a"]);
    expect([other.applicationId, other.recordingId]).toEqual(["cat_b", "rec-b"]);
    expect(other.done).toBe(true);
    expect(imageEntities(recording.store)).toEqual(["/only_a"]);
    expect(imageEntities(other.store)).toEqual(["/only_b"]);
  });

  it("a file holding one recording opens as one", () => {
    const recording = new Recording("a.rrd");
    const split: Recording[] = [];
    recording.on("split", (other) => split.push(other));
    recording.push(cat("iris_a.rrd", "iris_a.rrd"));
    recording.finish();
    expect(split).toEqual([]);
  });
});

describe("entity paths with escaped slashes, as rerun-sdk 0.41 logs them", () => {
  it("the Python SDK writes `a\\/b` as one part, distinct from `a/b`", () => {
    const paths = decodeRrd(new Uint8Array(readFileSync(file("paths.rrd"))))
      .messages.flatMap((m) => (m.kind === "arrowMsg" ? [m] : []))
      .map((m) => m.ipc);
    expect(paths.length).toBeGreaterThan(0);
    expect(EntityPath.parse("/a\\/b").parts).toEqual(["a/b"]);
    expect(EntityPath.parse("/a\\/b/c").parts).toEqual(["a/b", "c"]);
    expect(EntityPath.parse("/a\\/b").toString()).toBe("/a\\/b");
  });

  it("the viewer shows them as distinct entities under the right view roots", () => {
    const recording = new Recording("paths.rrd");
    recording.push(new Uint8Array(readFileSync(file("paths.rrd"))));
    recording.finish();
    expect(problems(recording)).toEqual([]);
    const entities = imageEntities(recording.store);
    expect(new Set(entities)).toEqual(new Set(["/a", "/a/b", "/a\\/b", "/a\\/b/c"]));
    // Rerun's 2D view heuristics over these entities: `/a\/b` is its own subtree, never under a root `/a\`.
    const views = recommendedViews2d({
      entityPaths: recording.store.entityPaths(),
      visualizable: new Set(entities),
      dimensions: recording.imageDimensions.dimensions,
      pinholes: new Set(),
    });
    expect(views.map((v) => v.origin)).not.toContain("/a\\");
    for (const entity of entities)
      expect(
        views.some((v) => viewIncludes(v, entity)),
        entity,
      ).toBe(true);
    expect(viewIncludes({ origin: "/a", contents: "subtree" }, "/a\\/b")).toBe(false);
    expect(views.map((v) => v.origin).sort()).toEqual(["/a", "/a/b", "/a\\/b", "/a\\/b/c"]);
    expect(imageEntities(recording.store, "/a").sort()).toEqual(["/a", "/a/b"]);
    expect(imageEntities(recording.store, "/a\\/b").sort()).toEqual(["/a\\/b", "/a\\/b/c"]);
    expect(entityPathPrefixes("/a\\/b/c")).toEqual(["/a\\/b", "/a\\/b/c"]);
  });
});
