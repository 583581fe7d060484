/**
 * PROOF that the real Rerun web viewer (@rerun-io/web-viewer 0.33.0) opens the .rrd recordings Iris writes:
 * each seed example program is run (`npx tsx examples/src/<name>.ts --out <tmp>/<name>.rrd`), the bytes are
 * sent to the viewer in headless Chromium, and the rendered pixels are checked against the issue's
 * expectations. Fails when an example is missing or fails, when the viewer logs any warning/error while
 * loading (e.g. "Failed to decode .rrd"), shows nothing, or shows the wrong picture. See HARNESS.md.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  checkImageAdvanced,
  checkImageFormats,
  checkImageSimple,
  checkMovingRectangle,
  type CheckResult,
} from "./example-checks.ts";
import { RerunWebViewerHarness, saveScreenshot, type Screenshot } from "./rerun-viewer.ts";
import { countPixels, near, saturated } from "./pixels.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

interface ExampleCase {
  readonly name: string;
  /** Cheap "the picture has arrived" test the harness waits for (the strict check runs afterwards). */
  readonly arrived: (shot: Screenshot) => boolean;
  readonly check: (shot: Screenshot) => CheckResult;
}

const hasColor =
  (color: readonly [number, number, number], minPixels: number) =>
  (shot: Screenshot): boolean =>
    countPixels(shot, near(color, 40)) >= minPixels;

const cases: readonly ExampleCase[] = [
  { name: "image_simple", arrived: hasColor([0, 255, 0], 2000), check: checkImageSimple },
  // Loaded via send_rrd the viewer follows the end of the timeline: it shows the last frame, t = 19.
  {
    name: "image_row_updates",
    arrived: hasColor([0, 255, 255], 2000),
    check: (s) => checkMovingRectangle(s, 19),
  },
  {
    name: "image_column_updates",
    arrived: hasColor([0, 255, 255], 2000),
    check: (s) => checkMovingRectangle(s, 19),
  },
  {
    name: "image_formats",
    arrived: (s) => countPixels(s, saturated(60)) >= 20_000,
    check: checkImageFormats,
  },
  { name: "image_advanced", arrived: hasColor([0, 255, 0], 4 * 2000), check: checkImageAdvanced },
];

let harness: RerunWebViewerHarness | undefined;
let tmpDir = "";
/** The example programs run while Chromium starts; each test awaits its own recording. */
const recordings = new Map<string, Promise<Uint8Array>>();

async function writeExample(name: string): Promise<Uint8Array> {
  const out = path.join(tmpDir, `${name}.rrd`);
  try {
    await run("npx", ["tsx", `examples/src/${name}.ts`, "--out", out], { cwd: repoRoot, timeout: 120_000 });
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`example program examples/src/${name}.ts failed or is missing: ${detail}`, { cause });
  }
  return new Uint8Array(await readFile(out));
}

describe("the real Rerun web viewer opens the Iris example recordings", () => {
  beforeAll(async () => {
    tmpDir = await mkdtemp(path.join(os.tmpdir(), "iris-viewer-examples-"));
    // Two example processes at a time, started before Chromium so both overlap.
    let chain: Promise<unknown> = Promise.resolve();
    let other: Promise<unknown> = Promise.resolve();
    for (const [i, { name }] of cases.entries()) {
      const previous = i % 2 === 0 ? chain : other;
      const next = previous.then(
        () => writeExample(name),
        () => writeExample(name),
      );
      next.catch(() => undefined); // reported by the test that awaits it
      recordings.set(name, next);
      if (i % 2 === 0) chain = next;
      else other = next;
    }
    harness = await RerunWebViewerHarness.start({ width: 1280, height: 720 });
  });

  afterAll(async () => {
    await harness?.close();
    await Promise.allSettled(recordings.values());
    if (tmpDir !== "") await rm(tmpDir, { recursive: true, force: true });
  });

  for (const example of cases) {
    test(example.name, async () => {
      const rrd = await recordings.get(example.name)!;
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
