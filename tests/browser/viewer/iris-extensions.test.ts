// The Iris viewer shows Iris extension images decoded: a Bayer RGGB mosaic demosaiced (every covered canvas
// pixel vs the CPU reference `decodeIrisLayoutToRgba8`, ±1) and UYVY converted (0…+1), with the extension hover
// text. The same files are plain L images to Rerun (see tests/roundtrip/iris-extensions.test.ts).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BytesSink, RecordingStream } from "@iris/sdk";
import { type BayerPattern, Image, bayerColorAt, bayerLayoutOf, decodeIrisLayoutToRgba8 } from "@iris/types";
import { IrisViewerHarness, type ViewSnapshot } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

const W = 48;
const H = 32;

/** A smooth colour picture sampled through a Bayer filter: each pixel keeps only its filter's channel. */
function mosaic(pattern: BayerPattern): Uint8Array {
  const layout = bayerLayoutOf(pattern);
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const rgb = [Math.round((255 * x) / (W - 1)), Math.round((255 * y) / (H - 1)), x < W / 2 ? 200 : 40];
      const c = bayerColorAt(layout, x, y);
      out[y * W + x] = rgb[c === "R" ? 0 : c === "G" ? 1 : 2]!;
    }
  }
  return out;
}

const bayer = mosaic("RGGB");
const uyvy = Uint8Array.from({ length: 2 * 16 * 12 }, (_, i) =>
  i % 4 === 1 || i % 4 === 3 ? 60 + (i % 150) : (i * 37) % 256,
);

function writeRecording(file: string, log: (rec: RecordingStream) => void): void {
  const sink = new BytesSink();
  const rec = new RecordingStream({ applicationId: "iris_extensions", sink });
  log(rec);
  rec.close();
  writeFileSync(join(harness.dataDir, file), sink.toBytes());
}

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  writeRecording("bayer.rrd", (rec) =>
    rec.log("bayer", Image.fromBayer(bayer, { width: W, height: H, pattern: "RGGB" })),
  );
  writeRecording("uyvy.rrd", (rec) => rec.log("uyvy", Image.fromUyvy(uyvy, { width: 16, height: 12 })));
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

/** Compares every canvas pixel well inside an image pixel with `reference` (shown size w × h); returns the count. */
function compare(
  view: ViewSnapshot,
  w: number,
  h: number,
  reference: Uint8ClampedArray,
  tolerance: [number, number],
): number {
  const drawn = view.drawn[0]!;
  const s = drawn.scale * view.scale;
  const x0 = drawn.x * view.scale;
  const y0 = drawn.y * view.scale;
  let compared = 0;
  for (let cy = Math.max(0, Math.floor(y0)); cy < Math.min(view.height, y0 + h * s); cy++) {
    const fy = (cy + 0.5 - y0) / s;
    const y = Math.floor(fy);
    if (y < 0 || y >= h || Math.abs(fy - Math.round(fy)) < 0.05) continue;
    for (let cx = Math.max(0, Math.floor(x0)); cx < Math.min(view.width, x0 + w * s); cx++) {
      const fx = (cx + 0.5 - x0) / s;
      const x = Math.floor(fx);
      if (x < 0 || x >= w || Math.abs(fx - Math.round(fx)) < 0.05) continue;
      const i = (y * w + x) * 4;
      const j = (cy * view.width + cx) * 4;
      for (let c = 0; c < 3; c++) {
        const d = view.rgba[j + c]! - reference[i + c]!;
        if (d < tolerance[0] || d > tolerance[1]) {
          throw new Error(
            `image pixel (${x}, ${y}) at canvas (${cx}, ${cy}) channel ${c}: shown ` +
              `${Array.from(view.rgba.subarray(j, j + 4)).join(",")}, CPU reference ${Array.from(reference.subarray(i, i + 4)).join(",")}`,
          );
        }
      }
      compared++;
    }
  }
  return compared;
}

async function hoverText(view: ViewSnapshot, x: number, y: number): Promise<string | undefined> {
  const drawn = view.drawn[0]!;
  const px = drawn.x + (x + 0.5) * drawn.scale;
  const py = drawn.y + (y + 0.5) * drawn.scale;
  return harness.page.evaluate(
    ([root, px, py]) => {
      const v = (
        globalThis as unknown as {
          irisViewer: {
            spatialViews: Map<
              string,
              { root: string; pixelAt(x: number, y: number): { text: string } | undefined }
            >;
          };
        }
      ).irisViewer;
      return [...v.spatialViews.values()].find((s) => s.root === root)?.pixelAt(px, py)?.text;
    },
    [view.root, px, py] as const,
  );
}

describe("the Iris viewer decodes Iris extension images", () => {
  it("demosaics a Bayer RGGB mosaic like the CPU reference (±1), in colour", async () => {
    await harness.open(["bayer.rrd"]);
    const views = await harness.snapshot(1);
    const view = views.find((v) => v.root === "/bayer")!;
    expect(view.drawn[0]).toMatchObject({ entityPath: "/bayer", width: W, height: H });
    const reference = decodeIrisLayoutToRgba8(
      bayer,
      { width: W, height: H, colorModel: 1, channelDatatype: 6 },
      "BayerRGGB",
    );
    expect(compare(view, W, H, reference, [-1, 1])).toBeGreaterThan(1000);
    // Not grey: the left half has strong blue (200), the bottom-right is red + green.
    const at = (x: number, y: number): number[] =>
      Array.from(reference.subarray(4 * (y * W + x), 4 * (y * W + x) + 3));
    expect(at(10, 10)[2]).toBeGreaterThan(190);
    expect(at(40, 28)[0]).toBeGreaterThan(200);
    expect(await hoverText(view, 0, 0)).toBe(`BayerRGGB R ${bayer[0]}`);
    expect(await hoverText(view, 1, 1)).toBe(`BayerRGGB B ${bayer[W + 1]}`);
  });

  it("converts UYVY like the CPU reference (0…+1) at half the stored width", async () => {
    await harness.open(["uyvy.rrd"]);
    const views = await harness.snapshot(1);
    const view = views.find((v) => v.root === "/uyvy")!;
    // The harness reports the stored format: L U8 of 2·16 × 12.
    expect(view.drawn[0]).toMatchObject({ entityPath: "/uyvy", width: 32, height: 12 });
    const reference = decodeIrisLayoutToRgba8(
      uyvy,
      { width: 32, height: 12, colorModel: 1, channelDatatype: 6 },
      "UYVY",
    );
    expect(compare(view, 16, 12, reference, [0, 1])).toBeGreaterThan(1000);
    expect(await hoverText(view, 3, 0)).toBe(`UYVY Y ${uyvy[7]} U ${uyvy[4]} V ${uyvy[6]}`);
    expect(await hoverText(view, 16, 0)).toBeUndefined();
  });

  it("logs no console problems", () => {
    expect(harness.console.problems().map((l) => l.text)).toEqual([]);
  });
});
