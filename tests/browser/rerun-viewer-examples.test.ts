/**
 * PROOF that the real Rerun web viewer (@rerun-io/web-viewer 0.33.0) opens the .rrd recordings Iris writes:
 * each seed example program is run (`npx tsx examples/src/<name>.ts --out <tmp>/<name>.rrd`), the bytes are
 * sent to the viewer in headless Chromium, and the rendered pixels are checked against the issue's
 * expectations. Fails when an example is missing or fails, when the viewer logs any warning/error while
 * loading (e.g. "Failed to decode .rrd"), shows nothing, or shows the wrong picture. See HARNESS.md.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exampleCases as cases } from "./example-cases.ts";
import { type ExamplePrograms, startExamplePrograms } from "./example-programs.ts";
import { RerunWebViewerHarness, saveScreenshot } from "./rerun-viewer.ts";

let harness: RerunWebViewerHarness | undefined;
let programs: ExamplePrograms | undefined;

describe("the real Rerun web viewer opens the Iris example recordings", () => {
  beforeAll(async () => {
    programs = await startExamplePrograms(
      cases.map((c) => c.name),
      "iris-viewer-examples-",
    );
    harness = await RerunWebViewerHarness.start({ width: 1280, height: 720 });
  });

  afterAll(async () => {
    await harness?.close();
    await programs?.dispose();
  });

  for (const example of cases) {
    test(example.name, async () => {
      const rrd = await programs!.recordings.get(example.name)!;
      const result = await harness!.show(rrd, { name: example.name, until: example.arrived });
      const checked = example.check(result.screenshot);
      if (checked.failures.length > 0 || result.problems.length > 0) {
        const file = await saveScreenshot(result.screenshot, `${example.name}-failed`);
        console.error(`${example.name}: screenshot ${file}; found ${JSON.stringify(checked.found)}`);
      }
      expect(result.problems, "viewer console warnings/errors while loading").toEqual([]);
      expect(checked.failures, `pixel checks (found ${JSON.stringify(checked.found)})`).toEqual([]);
      expect(result.recordingOpen["version"]).toBe("0.33.0");
    });
  }
});
