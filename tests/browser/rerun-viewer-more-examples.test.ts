/**
 * PROOF that the real Rerun web viewer (@rerun-io/web-viewer 0.33.0) shows the Pinhole, DepthImage,
 * SegmentationImage, EncodedImage and Transform3D recordings Iris writes: each example program in
 * examples/src/more-examples.ts is run (`npx tsx examples/src/<name>.ts --out <tmp>/<name>.rrd`), the bytes are
 * sent to the viewer in headless Chromium, and the rendered pixels are checked. Every settled screenshot is
 * saved as tests/browser/out/more-<name>.png for review. See HARNESS.md for the harness.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ExamplePrograms, startExamplePrograms } from "./example-programs.ts";
import { RerunWebViewerHarness, saveScreenshot, type Screenshot } from "./rerun-viewer.ts";
import { pinholeSimplePixels } from "../../examples/src/pinhole_simple.ts";
import {
  type Box,
  type Region,
  type Rgb,
  boxError,
  boxHeight,
  boundingBox,
  boxWidth,
  colorDistance,
  countPixels,
  findRegions,
  formatBox,
  near,
  sampleRelative,
  saturated,
} from "./pixels.ts";

export interface MoreCheckResult {
  readonly failures: readonly string[];
  readonly found: Readonly<Record<string, string>>;
}

interface ExampleCase {
  readonly name: string;
  readonly arrived: (shot: Screenshot) => boolean;
  readonly check: (shot: Screenshot) => MoreCheckResult;
  /**
   * A second picture after moving the 3D view's camera (see `PinholeIn3d`): `act` drags or zooms, then the
   * settled screenshot (`arrived` holds) is checked.
   */
  readonly after?: {
    readonly act: (harness: RerunWebViewerHarness) => Promise<void>;
    readonly arrived: (shot: Screenshot) => boolean;
    readonly check: (shot: Screenshot) => MoreCheckResult;
  };
}

/** The viewer's viewport (between the side panels, above the time panel) at 1280×720; see HARNESS.md. */
const viewport: Box = { x0: 200, y0: 52, x1: 980, y1: 540 };
const tolerance = 40;
const edgePx = 3;

class Checker {
  readonly failures: string[] = [];
  readonly found: Record<string, string> = {};
  expect(ok: boolean, message: string): boolean {
    if (!ok) this.failures.push(message);
    return ok;
  }
  region(
    shot: Screenshot,
    color: Rgb,
    label: string,
    within: Box = viewport,
    minPixels = 500,
  ): Region | undefined {
    const r = findRegions(shot, near(color, tolerance), { minPixels, within })[0];
    if (!this.expect(r !== undefined, `${label}: no region of rgb ${color.join(",")} (≥ ${minPixels} px)`))
      return;
    this.found[label] = formatBox(r!);
    return r;
  }
  aspect(box: Box, expected: number, label: string): void {
    const a = boxWidth(box) / boxHeight(box);
    this.expect(Math.abs(a - expected) <= 0.03, `${label}: aspect ${a.toFixed(3)}, expected ${expected}`);
    this.expect(boxHeight(box) >= 100, `${label}: only ${boxHeight(box)} px high`);
  }
  placed(inner: Box | undefined, outer: Box | undefined, expected: Box, label: string): void {
    if (!inner || !outer) return;
    const e = boxError(inner, outer, expected);
    this.expect(
      e <= edgePx,
      `${label}: ${formatBox(inner)} is ${e.toFixed(1)} px from where image pixels ${formatBox(expected)} put it`,
    );
  }
  result(): MoreCheckResult {
    return { failures: this.failures, found: this.found };
  }
}

/** 300×200 image: background colour, a rectangle `rect` (relative box) of another colour. */
function checkRectImage(
  shot: Screenshot,
  within: Box,
  background: Rgb,
  inner: Rgb,
  rects: [Rgb, Box][],
): Checker {
  const c = new Checker();
  const image = c.region(shot, background, "image", within);
  if (image) c.aspect(image, 1.5, "image");
  for (const [i, [color, rel]] of rects.entries()) {
    const r = c.region(shot, color, `rect${i}`, image ?? within, 200);
    c.placed(r, image, rel, `rect${i}`);
  }
  void inner;
  return c;
}

// Depth colours as the viewer draws them (default colormap Turbo over [0, 65535]), read from its screenshots.
const depthFar: Rgb = [144, 13, 0]; // 65535
const depthNear: Rgb = [40, 218, 192]; // 20000
const depthMid: Rgb = [255, 171, 36]; // 45000
const square: Box = { x0: 50 / 300, y0: 50 / 200, x1: 150 / 300, y1: 150 / 200 };
const bar: Box = { x0: 100 / 300, y0: 130 / 200, x1: 280 / 300, y1: 180 / 200 };

function checkDepth(shot: Screenshot, within: Box): MoreCheckResult {
  // The bar is drawn over the square (later fill in the snippet): the square's visible box is still its own.
  return checkRectImage(shot, within, depthFar, depthNear, [
    [depthNear, square],
    [depthMid, bar],
  ]).result();
}

function checkSegmentation(shot: Screenshot): MoreCheckResult {
  const c = new Checker();
  // 12×8 ids: class 1 (red) in x < 6, y < 4; class 2 (green) in x ≥ 6, y ≥ 4.
  const red = c.region(shot, [255, 0, 0], "class 1 red");
  const green = c.region(shot, [0, 255, 0], "class 2 green");
  if (red && green) {
    const image: Box = { x0: red.x0, y0: red.y0, x1: green.x1, y1: green.y1 };
    c.found["image"] = formatBox(image);
    c.aspect(image, 1.5, "segmentation image");
    c.placed(red, image, { x0: 0, y0: 0, x1: 0.5, y1: 0.5 }, "class 1 red");
    c.placed(green, image, { x0: 0.5, y0: 0.5, x1: 1, y1: 1 }, "class 2 green");
    // Class 0 (no annotation) is drawn in neither red nor green.
    for (const [fx, fy] of [
      [0.75, 0.25],
      [0.25, 0.75],
    ] as const) {
      const col = sampleRelative(shot, image, fx, fy);
      c.expect(
        colorDistance(col, [255, 0, 0]) > tolerance && colorDistance(col, [0, 255, 0]) > tolerance,
        `class 0 at (${fx}, ${fy}) is drawn as rgb ${col.join(",")}, like an annotated class`,
      );
    }
  }
  return c.result();
}

function checkEncoded(shot: Screenshot): MoreCheckResult {
  return checkRectImage(shot, viewport, [255, 0, 255], [255, 255, 0], [[[255, 255, 0], square]]).result();
}

/** The pinhole example's 9 pixel colours (examples/src/pinhole_simple.ts). */
function pinholeColors(): Rgb[] {
  const p = pinholeSimplePixels();
  return Array.from({ length: 9 }, (_, i) => [p[i * 3]!, p[i * 3 + 1]!, p[i * 3 + 2]!] as const);
}

function checkPinhole(shot: Screenshot): MoreCheckResult {
  const c = new Checker();
  const [view3d, view2d] = pinholeViews(shot) as [Box, Box];
  // 2D view (world/image): each of the 9 pixel colours as a blob.
  let seen = 0;
  for (const color of pinholeColors()) {
    if (findRegions(shot, near(color, 12), { minPixels: 2000, within: view2d }).length > 0) seen++;
  }
  c.found["2D view colours"] = `${seen}/9`;
  c.expect(seen === 9, `2D view shows ${seen} of the 9 pinhole image colours`);
  // 3D view: the camera frustum of the pinhole. The image is drawn on the frustum's image plane too, but the
  // default camera sees that plane edge-on (see `PinholeIn3d`), so it shows after `orbitUp` (checkPinholeIn3d).
  const frustum = countPixels(shot, near(frustumGrey, 20), view3d);
  c.found["3D frustum pixels"] = String(frustum);
  c.expect(frustum >= 300, `3D view: only ${frustum} frustum-grey pixels`);
  return c.result();
}

/*
 * PinholeIn3d: why the 3D view first shows only the frustum (Rerun 0.33.0, crates/viewer/re_view_spatial; the
 * same for a recording of Rerun's own Python snippet, which logs the same components):
 * - In a 3D view, bounding boxes from 2D visualizers (Image, DepthImage) are skipped (scene_bounding_boxes.rs,
 *   `SceneBoundingBoxes::update`, "the visualizer is distinctly 2D"), and a camera adds a zero-size box at its
 *   origin (visualizers/cameras.rs, `BoundingBox::ZERO`). So the scene is one point at the origin.
 * - The image plane distance fallback for a zero-size scene is 0.3 (shared_fallbacks.rs).
 * - The default eye (view_3d.rs, `EyeControls3D` position fallback) orbits the scene centre at radius 1.0
 *   (zero-size scene), direction 0.75·forward + 0.25·right − 0.25·up in the scene's default RFU (Z up): the eye
 *   sits 0.25/|(0.75, 0.25, −0.25)| = 0.3015 above the origin. With no transform the camera (RDF) looks along +Z,
 *   so the image plane is the horizontal square at z = 0.3: the eye is 0.0015 above it and sees it edge-on (a
 *   sliver well under one pixel thick).
 * - A depth image's point cloud lies 2–6.5 m up the camera's +Z axis, far above the default eye's field of view.
 * Dragging the 3D view (orbit up) or zooming out shows them, as the checks below assert.
 */

/** Orbits the 3D view's camera upward (drag up by 90 px in the left view), so it looks down on the image plane. */
async function orbitUp(harness: RerunWebViewerHarness): Promise<void> {
  await harness.drag([395, 420], [395, 330], { park: pointerPark });
}

/**
 * Zooms the 3D view out (wheel) so the depth cloud above the camera comes into view, then orbits a little (drag
 * down by 40 px) so its layers are seen at an angle rather than edge-on.
 */
async function zoomOut(harness: RerunWebViewerHarness): Promise<void> {
  await harness.wheel([395, 400], 600);
  await harness.drag([395, 300], [395, 340], { park: pointerPark });
}

/** Where the pointer rests after an interaction: the empty middle of the top bar (no hover tooltips). */
const pointerPark = [700, 14] as const;

/** Mean position of the pixels matching `predicate` in `within`, or undefined when there are none. */
function centroid(
  shot: Screenshot,
  predicate: (r: number, g: number, b: number) => boolean,
  within: Box,
): { x: number; y: number; n: number } | undefined {
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let y = within.y0; y < within.y1; y++) {
    for (let x = within.x0; x < within.x1; x++) {
      const o = 4 * (y * shot.width + x);
      if (predicate(shot.rgba[o]!, shot.rgba[o + 1]!, shot.rgba[o + 2]!)) {
        sx += x;
        sy += y;
        n++;
      }
    }
  }
  return n === 0 ? undefined : { x: sx / n, y: sy / n, n };
}

/**
 * After `orbitUp`: the 3D view shows the 9 logged pixel colours inside the frustum's outline, in the image's 3×3
 * arrangement (columns left to right, rows top to bottom, as in the 2D view).
 */
function checkPinholeIn3d(shot: Screenshot): MoreCheckResult {
  const c = new Checker();
  const [view3d] = pinholeViews(shot) as [Box, Box];
  const frustum = boundingBox(shot, near(frustumGrey, 20), view3d);
  if (!c.expect(frustum !== undefined, "3D view: no frustum")) return c.result();
  c.found["3D frustum"] = formatBox(frustum!);
  const cells = pinholeColors().map((color) => centroid(shot, near(color, 12), frustum!));
  c.found["3D image cells (px)"] = cells.map((cell) => cell?.n ?? 0).join(",");
  const missing = cells.flatMap((cell, i) => (cell !== undefined && cell.n >= 100 ? [] : [i]));
  if (!c.expect(missing.length === 0, `3D view: image pixels ${missing.join(",")} not drawn in the frustum`))
    return c.result();
  const at = (row: number, col: number) => cells[row * 3 + col]!;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      c.expect(at(i, j).x < at(i, j + 1).x, `3D view: image row ${i}: column ${j} is not left of ${j + 1}`);
      c.expect(at(j, i).y < at(j + 1, i).y, `3D view: image column ${i}: row ${j} is not above ${j + 1}`);
    }
  }
  return c.result();
}

/**
 * After `zoomOut`: the depth image's point cloud in the 3D view, in the depth colours, stacked up the camera's
 * forward axis (+Z, screen up) above the frustum in depth order: near (2 m) lowest, then mid (4.5 m), far (6.5 m).
 */
function checkDepthCloudIn3d(shot: Screenshot): MoreCheckResult {
  const c = new Checker();
  const view = depth3dViews.view3d;
  const frustum = boundingBox(shot, near(frustumGrey, 20), view);
  if (c.expect(frustum !== undefined, "3D view: no frustum")) c.found["3D frustum"] = formatBox(frustum!);
  const layers = (
    [
      ["near", depthNear],
      ["mid", depthMid],
      ["far", depthFar],
    ] as const
  ).map(([label, color]) => {
    const layer = centroid(shot, near(color, tolerance), view);
    c.found[`3D ${label} points`] = layer === undefined ? "0" : `${layer.n} px at y ${layer.y.toFixed(0)}`;
    c.expect(layer !== undefined && layer.n >= 50, `3D view: no ${label} depth points`);
    return layer;
  });
  const [nearLayer, midLayer, farLayer] = layers;
  if (nearLayer && midLayer && farLayer && frustum) {
    c.expect(
      farLayer.y < midLayer.y && midLayer.y < nearLayer.y && nearLayer.y < frustum.y0,
      "3D view: the depth layers are not stacked far > mid > near above the camera",
    );
  }
  return c.result();
}

/** The frustum lines' grey in the 3D view (read from the viewer's screenshots). */
const frustumGrey: Rgb = [155, 155, 155];

/** The 3D and 2D views, side by side in the viewport (split at the view separator). */
function pinholeViews(_shot: Screenshot): Box[] {
  const mid = 591;
  return [
    { x0: viewport.x0, y0: viewport.y0, x1: mid - 2, y1: viewport.y1 },
    { x0: mid + 2, y0: viewport.y0, x1: viewport.x1, y1: viewport.y1 },
  ];
}

function checkTransforms(shot: Screenshot): MoreCheckResult {
  const c = new Checker();
  // Three arrows in three entity colours over the grey grid. base and base/rotated_scaled both start at the
  // origin, so they touch: two connected line regions, the origin one holding two colours (the yellow-green base
  // arrow, 1 long, and the blue rotated ×2 arrow); base/translated is the separate one.
  const lines = findRegions(shot, saturated(70), { minPixels: 10, within: viewport });
  c.found["lines"] = lines.map(formatBox).join(" | ");
  c.expect(
    lines.length === 2,
    `expected 2 separate line groups (origin pair + translated), found ${lines.length}`,
  );
  const origin = lines[0];
  if (origin) {
    const yellowGreen = countPixels(shot, near([138, 170, 76], 35), origin);
    const blue = countPixels(
      shot,
      (r, g, b) => b > r + 60 && Math.max(r, g, b) - Math.min(r, g, b) >= 70,
      origin,
    );
    c.found["origin pair"] = `${yellowGreen} yellow-green, ${blue} blue px`;
    c.expect(
      yellowGreen >= 20 && blue >= 20,
      `origin group lacks one of its two arrows (${c.found["origin pair"]})`,
    );
  }
  return c.result();
}

const depth3dViews = { view3d: { ...viewport, x1: 589 }, view2d: { ...viewport, x0: 593 } };

const cases: readonly ExampleCase[] = [
  {
    name: "pinhole_simple",
    arrived: (s) => countPixels(s, saturated(40), viewport) >= 2000,
    check: checkPinhole,
    after: {
      act: orbitUp,
      arrived: (s) => countPixels(s, saturated(40), pinholeViews(s)[0]) >= 2000,
      check: checkPinholeIn3d,
    },
  },
  {
    name: "depth_image_simple",
    arrived: (s) => countPixels(s, near(depthNear, tolerance), viewport) >= 2000,
    check: (s) => checkDepth(s, viewport),
  },
  {
    name: "depth_image_3d",
    arrived: (s) => countPixels(s, near(depthNear, tolerance), depth3dViews.view2d) >= 2000,
    check: (s) => {
      const c2d = checkDepth(s, depth3dViews.view2d);
      // The 3D view shows the camera frustum (light grey lines) at the origin.
      const frustum = countPixels(s, near(frustumGrey, 20), depth3dViews.view3d);
      return {
        failures: [
          ...c2d.failures,
          ...(frustum >= 300 ? [] : [`3D view: only ${frustum} light-grey frustum pixels`]),
        ],
        found: { ...c2d.found, frustumPixels: String(frustum) },
      };
    },
    after: {
      act: zoomOut,
      arrived: (s) => countPixels(s, near(depthFar, tolerance), depth3dViews.view3d) >= 200,
      check: checkDepthCloudIn3d,
    },
  },
  {
    name: "segmentation_image_simple",
    arrived: (s) => countPixels(s, near([0, 255, 0], tolerance), viewport) >= 2000,
    check: checkSegmentation,
  },
  {
    name: "encoded_image",
    arrived: (s) => countPixels(s, near([255, 255, 0], tolerance), viewport) >= 2000,
    check: checkEncoded,
  },
  {
    name: "encoded_image_jpeg",
    arrived: (s) => countPixels(s, near([255, 255, 0], tolerance), viewport) >= 2000,
    check: checkEncoded,
  },
  {
    name: "transform3d_simple",
    arrived: (s) => countPixels(s, saturated(70), viewport) >= 300,
    check: checkTransforms,
  },
];

let harness: RerunWebViewerHarness | undefined;
let programs: ExamplePrograms | undefined;

describe("the real Rerun web viewer shows the Pinhole / DepthImage / SegmentationImage / EncodedImage / Transform3D examples", () => {
  beforeAll(async () => {
    programs = await startExamplePrograms(
      cases.map((c) => c.name),
      "iris-viewer-more-examples-",
    );
    harness = await RerunWebViewerHarness.start({ width: 1280, height: 720 });
  });

  afterAll(async () => {
    await harness?.close();
    await programs?.dispose();
  });

  for (const example of cases) {
    // The first recording waits for SwiftShader's shader compilation (30–60 s on a loaded machine, sometimes more).
    test(example.name, { timeout: 330_000 }, async () => {
      const rrd = await programs!.recordings.get(example.name)!;
      const result = await harness!.show(rrd, {
        name: example.name,
        until: example.arrived,
        timeoutMs: 300_000,
      });
      const file = await saveScreenshot(result.screenshot, `more-${example.name}`);
      const checked = example.check(result.screenshot);
      if (checked.failures.length > 0 || result.problems.length > 0) {
        console.error(`${example.name}: screenshot ${file}; found ${JSON.stringify(checked.found)}`);
      }
      expect(result.problems, "viewer console warnings/errors while loading").toEqual([]);
      expect(checked.failures, `pixel checks (found ${JSON.stringify(checked.found)})`).toEqual([]);
      expect(result.recordingOpen["version"]).toBe("0.33.0");
      if (example.after) {
        await example.after.act(harness!);
        const moved = await harness!.settle({
          name: `${example.name}-3d`,
          until: example.after.arrived,
          timeoutMs: 120_000,
        });
        const movedFile = await saveScreenshot(moved, `more-${example.name}-3d`);
        const after = example.after.check(moved);
        if (after.failures.length > 0) {
          console.error(
            `${example.name} (3D camera moved): screenshot ${movedFile}; found ${JSON.stringify(after.found)}`,
          );
        }
        expect(
          after.failures,
          `pixel checks after moving the 3D camera (found ${JSON.stringify(after.found)})`,
        ).toEqual([]);
      }
    });
  }
});
