/**
 * The real Rerun 0.41 web viewer (the build in the rerun-notebook 0.41.0 wheel, see rerun-viewer-041.ts) opens
 * the .rrd recordings Iris writes and shows the expected pictures: the same example programs and the same pixel
 * checks as the 0.33.0 suite (rerun-viewer-examples.test.ts, which stays), through the same harness.
 */
import { RERUN_VERSION, formatCrateVersion } from "@iris/rrd";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exampleCases } from "./example-cases.ts";
import { type ExamplePrograms, startExamplePrograms } from "./example-programs.ts";
import { RerunWebViewerHarness, saveScreenshot } from "./rerun-viewer.ts";
import { rerun041Viewer } from "./rerun-viewer-041.ts";

let harness: RerunWebViewerHarness | undefined;
let programs: ExamplePrograms | undefined;

describe("the Rerun 0.41 web viewer opens the Iris example recordings", () => {
  beforeAll(async () => {
    programs = await startExamplePrograms(
      exampleCases.map((c) => c.name),
      "iris-viewer041-examples-",
    );
    harness = await RerunWebViewerHarness.start({ width: 1280, height: 720, viewer: rerun041Viewer() });
  });

  afterAll(async () => {
    await harness?.close();
    await programs?.dispose();
  });

  for (const example of exampleCases) {
    test(example.name, async () => {
      const rrd = await programs!.recordings.get(example.name)!;
      const result = await harness!.show(rrd, { name: `041-${example.name}`, until: example.arrived });
      const checked = example.check(result.screenshot);
      if (checked.failures.length > 0 || result.problems.length > 0) {
        const file = await saveScreenshot(result.screenshot, `041-${example.name}-failed`);
        console.error(`0.41 ${example.name}: screenshot ${file}; found ${JSON.stringify(checked.found)}`);
      }
      expect(result.problems, "viewer console warnings/errors while loading").toEqual([]);
      expect(checked.failures, `pixel checks (found ${JSON.stringify(checked.found)})`).toEqual([]);
      // The event's `version` is the recording's (StoreInfo.store_version as Iris writes it), not the viewer's.
      expect(result.recordingOpen["version"]).toBe(formatCrateVersion(RERUN_VERSION));
    });
  }
});
