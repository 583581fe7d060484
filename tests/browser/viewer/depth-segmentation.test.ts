import { overLinear } from "./linear-blend.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleColormap } from "@iris/renderer";
import { AnnotationContext, DepthImage, Image, RecordingStream, SegmentationImage } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { autoClassColor } from "../../../packages/viewer/src/depth-segmentation-visualizer.ts";
import { IrisViewerHarness, type ViewSnapshot, shownPixel } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

function record(name: string, log: (rec: RecordingStream) => void): void {
  const rec = new RecordingStream({
    applicationId: name,
    sink: new FileSink(join(harness.dataDir, `${name}.rrd`)),
  });
  log(rec);
  rec.close();
}

function viewOf(views: ViewSnapshot[], root: string): ViewSnapshot {
  const v = views.find((x) => x.root === root);
  if (!v) throw new Error(`no view ${root}: ${views.map((x) => x.root).join(", ")}`);
  return v;
}

function near(got: readonly number[], want: readonly number[], tol: number): void {
  want.forEach((w, i) =>
    expect(Math.abs(got[i]! - w), `channel ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol),
  );
}

async function hoverText(root: string, entityIndex: number, x: number, y: number): Promise<string> {
  const [px, py] = await harness.page.evaluate(
    ({ root, entityIndex, x, y }) => {
      type View = { canvas: HTMLCanvasElement; drawnImages: { x: number; y: number; scale: number }[] };
      const v = (globalThis as unknown as { irisViewer: { spatialViews: Map<string, View> } }).irisViewer;
      const view = v.spatialViews.get(root)!;
      const r = view.canvas.getBoundingClientRect();
      const d = view.drawnImages[entityIndex]!;
      return [r.left + d.x + (x + 0.5) * d.scale, r.top + d.y + (y + 0.5) * d.scale] as [number, number];
    },
    { root, entityIndex, x, y },
  );
  await harness.page.mouse.move(px, py);
  await harness.page.waitForFunction(
    ({ root, x, y }) => {
      const el = document.querySelector(
        `.iris-view[data-root="${root}"] .iris-tooltip`,
      ) as HTMLElement | null;
      return el !== null && el.style.display === "block" && (el.textContent ?? "").includes(`x ${x}, y ${y}`);
    },
    { root, x, y },
  );
  return harness.page.$eval(`.iris-view[data-root="${root}"] .iris-tooltip`, (el) => el.textContent ?? "");
}

const DEPTH = (x: number): number => 200 * x; // u16 millimetres, 0 … 3000

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  record("depth", (rec) => {
    const mm = new Uint16Array(16 * 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 16; x++) mm[y * 16 + x] = DEPTH(x);
    rec.log("auto/depth", new DepthImage(mm, { width: 16, height: 4, meter: 1000 }), { static: true });
    rec.log(
      "ranged/depth",
      new DepthImage(mm, {
        width: 16,
        height: 4,
        meter: 1000,
        depthRange: [1000, 2000],
        colormap: "viridis",
      }),
      { static: true },
    );
  });
  record("segmentation", (rec) => {
    const grey = new Uint8Array(8 * 8 * 3).fill(100);
    rec.log("scene/image", new Image(grey, { width: 8, height: 8 }), { static: true });
    rec.log("scene", new AnnotationContext([[1, "car", [255, 0, 0]], { id: 2, label: "road" }]), {
      static: true,
    });
    const ids = new Uint8Array(8 * 8);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) ids[y * 8 + x] = y < 4 ? (x < 4 ? 1 : 2) : x < 4 ? 0 : 7;
    rec.log("scene/seg", new SegmentationImage(ids, { width: 8, height: 8 }), { static: true });
  });
  record("colordepth", (rec) => {
    const blue = new Uint8Array(4 * 4 * 3);
    for (let i = 0; i < 16; i++) blue.set([0, 0, 200], i * 3);
    rec.log("rgbd/color", new Image(blue, { width: 4, height: 4 }), { static: true });
    const f32 = new Float32Array(16).fill(2);
    rec.log("rgbd/depth", new DepthImage(f32, { width: 4, height: 4, depthRange: [0, 4] }), { static: true });
  });
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

describe("DepthImage in the 2D view", () => {
  it("maps depth through turbo over [0, max] by default and through the logged colormap and range", async () => {
    await harness.open(["depth.rrd"]);
    const views = await harness.snapshot(2);
    writeFileSync(join(harness.dataDir, "depth.png"), await harness.page.screenshot());
    const auto = viewOf(views, "/auto/depth");
    const ranged = viewOf(views, "/ranged/depth");
    for (const x of [0, 3, 8, 15]) {
      near(shownPixel(auto, auto.drawn[0]!, x, 1), sampleColormap("turbo", DEPTH(x) / 3000), 2);
      const t = Math.min(1, Math.max(0, (DEPTH(x) - 1000) / 1000));
      near(shownPixel(ranged, ranged.drawn[0]!, x, 1), sampleColormap("viridis", t), 2);
    }
    // Sanity: turbo at 0 and at 1 differ a lot, so the comparisons above can fail.
    expect(sampleColormap("turbo", 1)[0]).toBeGreaterThan(sampleColormap("turbo", 0)[0] + 40);
  });

  it("shows depth in metres on hover (mm below 1 m)", async () => {
    expect(await hoverText("/auto/depth", 0, 12, 2)).toContain("Depth: 2.400 m");
    expect(await hoverText("/auto/depth", 0, 2, 2)).toContain("Depth: 400.0 mm");
  });

  it("draws a colour image at 0.5 opacity over a depth image", async () => {
    await harness.open(["colordepth.rrd"]);
    const view = viewOf(await harness.snapshot(2), "/rgbd");
    expect(view.drawn.map((d) => d.entityPath)).toEqual(["/rgbd/depth", "/rgbd/color"]);
    const depth = sampleColormap("turbo", 0.5);
    // Blended in linear light (as Rerun): colour (0, 0, 200) at 0.5 over the depth colour.
    near(shownPixel(view, view.drawn[1]!, 1, 1), overLinear([0, 0, 200], 0.5, depth), 2);
  });
});

describe("SegmentationImage in the 2D view", () => {
  it("colours class ids from the ancestor's AnnotationContext and blends them at 0.5 over the image", async () => {
    await harness.open(["segmentation.rrd"]);
    const view = viewOf(await harness.snapshot(2), "/scene");
    writeFileSync(join(harness.dataDir, "segmentation.png"), await harness.page.screenshot());
    expect(view.drawn.map((d) => d.entityPath)).toEqual(["/scene/image", "/scene/seg"]);
    const seg = view.drawn[1]!;
    const blend = (c: readonly number[]): number[] => overLinear(c, 0.5, [100, 100, 100]);
    near(shownPixel(view, seg, 1, 1), blend([255, 0, 0]), 1); // class 1: annotation colour
    near(shownPixel(view, seg, 6, 1), blend(autoClassColor(2)), 1); // class 2: no colour → automatic
    // class 0 without an annotation colour: the automatic colour, as Rerun 0.41 shows it (differential suite)
    near(shownPixel(view, seg, 1, 6), blend(autoClassColor(0)), 1);
    near(shownPixel(view, seg, 6, 6), blend(autoClassColor(7)), 1); // class 7: not in the context
    expect(autoClassColor(2)).not.toEqual(autoClassColor(7));
  });

  it("shows the class label (or the id) on hover", async () => {
    expect(await hoverText("/scene", 1, 1, 1)).toContain("Label: car");
    expect(await hoverText("/scene", 1, 6, 1)).toContain("Label: road");
    expect(await hoverText("/scene", 1, 6, 6)).toContain("Label: 7");
  });
});
