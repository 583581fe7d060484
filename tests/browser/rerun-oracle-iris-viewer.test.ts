// Rerun → the Iris viewer: images logged by the real Rerun 0.41 Python SDK (scripts/rerun-oracle/
// log_viewer_images.py) are shown by the Iris viewer in headless Chromium exactly as the CPU reference decodes the
// numpy arrays the script saved (U8 colour models exact, NV12 ±1 as in packages/renderer/README.md).
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type ImageFormat,
  decodeImageToRgba8,
  parseChannelDatatype,
  parseColorModel,
  parsePixelFormat,
} from "@iris/types";
import { python } from "../rerun-oracle/rerun-venv.ts";
import { IrisViewerHarness, shownPixel } from "./viewer/viewer-harness.ts";

interface Logged {
  entity: string;
  colorModel?: string;
  datatype?: string;
  pixelFormat?: string;
  width: number;
  height: number;
  file: string;
}

let harness: IrisViewerHarness;
let logged: Logged[];

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  await python("log_viewer_images.py", [harness.dataDir]);
  logged = JSON.parse(await readFile(path.join(harness.dataDir, "viewer.json"), "utf8")) as Logged[];
}, 180_000);

afterAll(async () => {
  await harness?.close();
  if (harness) await rm(harness.dataDir, { recursive: true, force: true });
});

it("shows each Rerun-written image as the CPU reference decodes the logged numpy bytes", async () => {
  await harness.open(["viewer.rrd"]);
  const views = await harness.snapshot(logged.length);
  expect(views.map((v) => v.root).sort()).toEqual(logged.map((l) => l.entity).sort());
  let compared = 0;
  for (const item of logged) {
    const format: ImageFormat = item.pixelFormat
      ? { width: item.width, height: item.height, pixelFormat: parsePixelFormat(item.pixelFormat) }
      : {
          width: item.width,
          height: item.height,
          colorModel: parseColorModel(item.colorModel!),
          channelDatatype: parseChannelDatatype(item.datatype!),
        };
    const reference = decodeImageToRgba8(
      new Uint8Array(await readFile(path.join(harness.dataDir, item.file))),
      format,
    );
    const view = views.find((v) => v.root === item.entity)!;
    const drawn = view.drawn.find((d) => d.entityPath === item.entity)!;
    expect([drawn.width, drawn.height]).toEqual([item.width, item.height]);
    const tolerance = item.pixelFormat ? 1 : 0;
    for (let y = 0; y < item.height; y++) {
      for (let x = 0; x < item.width; x++) {
        const shown = shownPixel(view, drawn, x, y);
        const i = (y * item.width + x) * 4;
        for (let c = 0; c < 3; c++) {
          const want = reference[i + c]!;
          if (Math.abs(shown[c]! - want) > tolerance) {
            throw new Error(
              `${item.entity} pixel (${x}, ${y}) channel ${c}: shown ${shown.join(",")}, reference ${Array.from(reference.subarray(i, i + 4)).join(",")}`,
            );
          }
        }
        compared++;
      }
    }
  }
  expect(compared).toBe(4 * 32 * 24);
});
