import { overLinear } from "./linear-blend.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readReferencePng } from "../../reference/reference-images.ts";
import { allExamples } from "../../../examples/src/all-examples.ts";
import { writeExample } from "../../../examples/src/run-example.ts";
import { IrisViewerHarness, type ViewSnapshot, shownPixel } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  for (const example of allExamples)
    await writeExample(example, join(harness.dataDir, `${example.name}.rrd`));
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

/**
 * The stored reference PNGs of an example (tests/reference/png, made from the CPU reference decoder and checked
 * against it by tests/reference/reference-pngs.test.ts), keyed by entity path.
 */
async function storedReference(example: string, entities: readonly string[]): Promise<Reference> {
  const out: Reference = new Map();
  for (const entityPath of entities) {
    const png = await readReferencePng(example, entityPath);
    out.set(entityPath, { width: png.width, height: png.height, rgba: png.rgba });
  }
  return out;
}

type Reference = Map<string, { width: number; height: number; rgba: Uint8Array }>;

/** The views' clear colour (0.07, 0.08, 0.09) as RGBA8: what shows through transparent pixels. */
const BACKGROUND = [18, 20, 23];

/**
 * Compares every canvas pixel covered by an image with the stored reference PNG (CPU reference) of the image pixel that nearest
 * sampling maps it to (alpha-composited over the background in linear light, as Rerun), skipping canvas pixels whose centre falls within
 * 5 % of a texel edge, where either neighbour is a correct answer.
 */
function compareWithReference(views: ViewSnapshot[], reference: Reference, tolerance: number): void {
  let compared = 0;
  for (const view of views) {
    for (const drawn of view.drawn) {
      const ref = reference.get(drawn.entityPath);
      if (!ref) continue;
      expect(drawn.width).toBe(ref.width);
      expect(drawn.height).toBe(ref.height);
      const s = drawn.scale * view.scale;
      const x0 = drawn.x * view.scale;
      const y0 = drawn.y * view.scale;
      for (let cy = Math.max(0, Math.floor(y0)); cy < Math.min(view.height, y0 + drawn.height * s); cy++) {
        const fy = (cy + 0.5 - y0) / s;
        const y = Math.floor(fy);
        if (y < 0 || y >= drawn.height || Math.abs(fy - Math.round(fy)) < 0.05) continue;
        for (let cx = Math.max(0, Math.floor(x0)); cx < Math.min(view.width, x0 + drawn.width * s); cx++) {
          const fx = (cx + 0.5 - x0) / s;
          const x = Math.floor(fx);
          if (x < 0 || x >= drawn.width || Math.abs(fx - Math.round(fx)) < 0.05) continue;
          const i = (y * drawn.width + x) * 4;
          const alpha = ref.rgba[i + 3]! / 255;
          const j = (cy * view.width + cx) * 4;
          for (let c = 0; c < 3; c++) {
            const expected = overLinear(Array.from(ref.rgba.subarray(i, i + 3)), alpha, BACKGROUND)[c]!;
            if (Math.abs(view.rgba[j + c]! - expected) > tolerance + 0.5) {
              throw new Error(
                `${drawn.entityPath} image pixel (${x}, ${y}) at canvas (${cx}, ${cy}) channel ${c}: shown ` +
                  `${Array.from(view.rgba.subarray(j, j + 4)).join(",")}, CPU reference ` +
                  `${Array.from(ref.rgba.subarray(i, i + 4)).join(",")} over the background`,
              );
            }
          }
          compared++;
        }
      }
    }
  }
  expect(compared).toBeGreaterThan(1000);
}

describe("the Iris viewer shows the seed examples as the CPU reference decodes them", () => {
  it("image_simple: a red 300×200 image with a green square", async () => {
    await harness.open(["image_simple.rrd"]);
    const views = await harness.snapshot(1);
    expect(views.map((v) => v.root)).toEqual(["/image"]);
    const view = views[0]!;
    const drawn = view.drawn[0]!;
    expect([drawn.width, drawn.height]).toEqual([300, 200]);
    expect(shownPixel(view, drawn, 10, 10)).toEqual([255, 0, 0, 255]);
    expect(shownPixel(view, drawn, 100, 100)).toEqual([0, 255, 0, 255]);
    compareWithReference(views, await storedReference("image_simple", ["/image"]), 0);
  });

  it("image_formats: RGB, L, BGR and Y_U_V16 each in its own view", async () => {
    await harness.open(["image_formats.rrd"]);
    const views = await harness.snapshot(4);
    expect(views.map((v) => v.root).sort()).toEqual([
      "/image_bgr",
      "/image_green_only",
      "/image_rgb",
      "/image_yuv422",
    ]);
    const reference = await storedReference("image_formats", [
      "/image_rgb",
      "/image_green_only",
      "/image_bgr",
      "/image_yuv422",
    ]);
    // U8 colour models are exact; the YUV conversion may round where the CPU truncates (+1).
    compareWithReference(
      views.filter((v) => v.root !== "/image_yuv422"),
      reference,
      0,
    );
    compareWithReference(
      views.filter((v) => v.root === "/image_yuv422"),
      reference,
      1,
    );
    const rgb = views.find((v) => v.root === "/image_rgb")!;
    const bgr = views.find((v) => v.root === "/image_bgr")!;
    expect(shownPixel(bgr, bgr.drawn[0]!, 200, 30)).toEqual(shownPixel(rgb, rgb.drawn[0]!, 200, 30));
  });

  it("image_advanced: EncodedImage PNG, RGBA, RGB and BGR", async () => {
    await harness.open(["image_advanced.rrd"]);
    const views = await harness.snapshot(4);
    expect(views.map((v) => v.root).sort()).toEqual([
      "/from_file",
      "/from_opencv",
      "/from_pillow_rgb",
      "/from_pillow_rgba",
    ]);
    compareWithReference(
      views,
      await storedReference("image_advanced", [
        "/from_file",
        "/from_opencv",
        "/from_pillow_rgb",
        "/from_pillow_rgba",
      ]),
      0,
    );
    const file = views.find((v) => v.root === "/from_file")!;
    // The PNG decoded by the browser: red outline, green rounded rectangle.
    expect(shownPixel(file, file.drawn[0]!, 2, 100).slice(0, 3)).toEqual([255, 0, 0]);
    expect(shownPixel(file, file.drawn[0]!, 100, 100).slice(0, 3)).toEqual([0, 255, 0]);
  });

  for (const name of ["image_row_updates", "image_column_updates"]) {
    it(`${name}: the last frame (t = 19) by default`, async () => {
      await harness.open([`${name}.rrd`]);
      const views = await harness.snapshot(1);
      const view = views[0]!;
      const drawn = view.drawn[0]!;
      expect(shownPixel(view, drawn, 190, 100)).toEqual([0, 255, 255, 255]);
      expect(shownPixel(view, drawn, 189, 100)).toEqual([0, 0, 255, 255]);
      compareWithReference(
        views,
        await storedReference(name, [name === "image_row_updates" ? "/image" : "/images"]),
        0,
      );
    });
  }

  it("writes a screenshot of the last state for humans", async () => {
    mkdirSync("tests/browser/out", { recursive: true });
    writeFileSync("tests/browser/out/iris-viewer-last.png", await harness.page.screenshot());
  });
});
