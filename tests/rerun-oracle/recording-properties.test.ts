// Issue 13 item 6: Iris recordings carry Rerun's recording properties (RecordingInfo name and start time at
// /__properties, sent when the RecordingStream is created, as Rerun's RecordingStreamBuilder does), so the real
// Rerun 0.41 names them instead of listing them as `<unknown>` with "No properties found".
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { save } from "@iris/sdk/node";
import { python, rerun } from "./rerun-venv.ts";

let dir = "";
let named = "";
let unnamed = "";
let before = 0n;
let after = 0n;

function write(file: string, recordingId: string, recordingName?: string): void {
  const rec = new RecordingStream({
    applicationId: "iris_props",
    recordingId,
    ...(recordingName === undefined ? {} : { recordingName }),
  });
  save(file, rec);
  rec.log("img", new Image(new Uint8Array(12).fill(7), { width: 2, height: 2 }));
  rec.close();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "iris-props-"));
  named = path.join(dir, "named.rrd");
  unnamed = path.join(dir, "unnamed.rrd");
  before = BigInt(Date.now()) * 1_000_000n;
  write(named, "named-rec", "Iris run ✓ 1");
  write(unnamed, "unnamed-rec");
  after = BigInt(Date.now() + 1) * 1_000_000n;
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("recording properties read by the real Rerun 0.41", () => {
  it("`rerun rrd print` shows the /__properties chunk with RecordingInfo:name and RecordingInfo:start_time", async () => {
    const result = await rerun(["rrd", "print", named]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /with 1 rows .* - \/__properties - data columns: \[RecordingInfo:name RecordingInfo:start_time\]/,
    );
    const verbose = await rerun(["rrd", "print", "-vvv", "--entity", "/__properties", named]);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toContain("[Iris run ✓ 1]");
    expect(verbose.stdout).toContain("component_type: Timestamp");
  });

  it("Rerun's catalog (segment table) reports each recording's name and start time", async () => {
    const segments = JSON.parse(await python("read_properties.py", [named, unnamed], 120_000)) as {
      segment: string;
      properties: Record<string, string[] | null>;
    }[];
    const bySegment = new Map(segments.map((s) => [s.segment, s.properties]));
    expect([...bySegment.keys()].sort()).toEqual(["named-rec", "unnamed-rec"]);
    const namedProps = bySegment.get("named-rec")!;
    expect(namedProps["property:RecordingInfo:name"]).toEqual(["Iris run ✓ 1"]);
    for (const props of bySegment.values()) {
      const start = BigInt(props["property:RecordingInfo:start_time"]![0]!);
      expect(start >= before && start <= after, `${start} in [${before}, ${after}]`).toBe(true);
    }
    // Without recordingName there is no name property, as with Python's rr.init (the viewer falls back).
    expect(bySegment.get("unnamed-rec")!["property:RecordingInfo:name"] ?? null).toBeNull();
  });
});
