/**
 * Differential suite: the same recordings shown by the Iris viewer and by a real Rerun web viewer (0.41.0 from
 * the rerun-notebook wheel in npm test; @rerun-io/web-viewer 0.33.0 on request, see rerun-differential.test.ts),
 * both in headless Chromium, compared at the centre of every image pixel.
 *
 * Cases (format-cases.ts): every ColorModel × ChannelDatatype with values spanning the datatype's extremes, with
 * values inside [0, 255] and (floats) inside [0, 1]; floats with NaN/±Inf; constant images (incl. U64 max, I64
 * min/max, F64 1e300); opacity 0.5 and an alpha ramp; every PixelFormat but Bayer at 8×6, 7×6, 8×5 and 7×5;
 * against 0.41 also the four Bayer formats as uniform mosaics (a known difference: Rerun's web viewer shows black).
 * Two recordings of four views each (against 0.41 a third, of the Bayer formats), one case per time step
 * (differential-plan.ts).
 *
 * Tolerance: 3 levels per 8-bit channel (both viewers render on SwiftShader; Rerun's YUV path truncates where
 * Iris rounds, and sRGB encoding is done by different code). Blended cases (alpha < 1) are compared with the
 * CPU reference composited over each viewer's own background in linear light (the backgrounds differ: Rerun
 * 0.33 black, 0.41 #0d0d0d, Iris #121417).
 *
 * Every case must match, except the documented differences in `knownDifferences` (docs/rerun-differences.md),
 * which are asserted to still differ, with the values each viewer shows.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeImageToRgba8 } from "@iris/types";
import { RerunWebViewerHarness, type Screenshot } from "../browser/rerun-viewer.ts";
import { overLinear } from "../browser/viewer/linear-blend.ts";
import { IrisViewerHarness } from "../browser/viewer/viewer-harness.ts";
import {
  type FormatCase,
  bayerUniformCases,
  colorModelCases,
  constantCases,
  nonFiniteCases,
  opacityCases,
  pixelFormatCases,
} from "./format-cases.ts";
import {
  type DifferentialPlan,
  type ViewerSamples,
  planScene,
  planViews,
  writePlan,
  writeScenePlan,
} from "./differential-plan.ts";
import { type Rgb, TOLERANCE, maxDifference } from "./sample-compare.ts";
import { sceneBlueprint } from "./scene-blueprint.ts";
import { defaultDrawOrderView, depthViews, drawOrderView, segmentationView } from "./scene-cases.ts";
import { type SceneShown, sceneDifferencesOf } from "./scene-differences.ts";
import { sampleIris, sampleRerun, showsErrorToast } from "./viewer-samplers.ts";

interface Shown {
  readonly c: FormatCase;
  readonly iris: readonly Rgb[];
  readonly rerun: readonly Rgb[];
  readonly irisBackground: Rgb;
  readonly rerunBackground: Rgb;
}

/**
 * Constant images whose heuristic range [v − 1, v + 1] collapses in float: Rerun divides 0 by 0 and shows white;
 * Iris maps the value to the middle (t = 0.5: grey 127.5 for L, 255·srgb(0.5) = 187.5 for linear colour).
 */
function collapsedConstant(s: Shown): void {
  for (const p of s.rerun) expect(p).toEqual([255, 255, 255]);
  const middle = s.c.format.colorModel === 2 ? 187.5 : 127.5;
  for (const p of s.iris) for (const c of p) expect(Math.abs(c - middle)).toBeLessThanOrEqual(1);
  expect(maxDifference(s.iris, expectedOf(s.c, s.irisBackground))).toBeLessThanOrEqual(TOLERANCE);
}

/** Pixel formats whose V/UV plane Rerun's shader reads at an offset other than the documented layout's. */
function planeOffset(s: Shown): void {
  expect(maxDifference(s.iris, s.rerun)).toBeGreaterThan(TOLERANCE);
  expect(maxDifference(s.iris, expectedOf(s.c, s.irisBackground))).toBeLessThanOrEqual(TOLERANCE);
}

/**
 * Per-pixel alpha without opacity: Rerun shows the colour over black (linear light), although its view background
 * beside the image is not black; Iris blends over its own view background.
 */
function alphaOverBlack(s: Shown): void {
  expect(Math.max(...s.rerunBackground)).toBeGreaterThan(TOLERANCE);
  expect(maxDifference(s.rerun, expectedOf(s.c, [0, 0, 0]))).toBeLessThanOrEqual(TOLERANCE);
  expect(maxDifference(s.rerun, expectedOf(s.c, s.rerunBackground))).toBeGreaterThan(TOLERANCE);
  expect(maxDifference(s.iris, expectedOf(s.c, s.irisBackground))).toBeLessThanOrEqual(TOLERANCE);
}

/** The value of every sample of the Bayer cases (one recording of four views, 0.41 only). */
const bayerValue = 128;
/**
 * What Rerun 0.41's native viewer shows for them (measured, docs/rerun-differences.md): the demosaiced value 128
 * taken as linear colour, sRGB-encoded: 255·(1.055·(128/255)^(1/2.4) − 0.055) = 187.8 → 188.
 */
const bayerShown = 188;

/**
 * Bayer PixelFormats in the 0.41 web viewer: on WebGL (SwiftShader) Rerun fails to build its Bayer converter
 * ("RenderPipeline with 'BayerFormatConverter::render_pipeline' label is invalid") and shows the image black. Iris
 * shows what Rerun's native viewer shows: every pixel (188, 188, 188) (`bayerShown`, the independent reference,
 * not the CPU decoder).
 */
function bayerBlack(s: Shown): void {
  const rerunShown = [...new Set(s.rerun.map((p) => p.join(",")))];
  expect(rerunShown, `${s.c.name}: Rerun shows ${rerunShown.join(" / ")}`).toEqual(["0,0,0"]);
  const reference: Rgb[] = s.iris.map(() => [bayerShown, bayerShown, bayerShown]);
  expect(s.iris.length).toBe(s.c.format.width * s.c.format.height);
  expect(maxDifference(s.iris, reference)).toBeLessThanOrEqual(1);
}

function collapsed(): Record<string, (s: Shown) => void> {
  const out: Record<string, (s: Shown) => void> = {};
  for (const name of [
    "L U64 constant max",
    "L I64 constant min",
    "L I64 constant max",
    "L F64 constant 1e300",
    "RGB U64 constant max",
  ])
    out[name] = collapsedConstant;
  return out;
}

/**
 * Cases where Rerun's viewer (`label`: "0.33" or "0.41") contradicts its own documentation or intent; Iris follows
 * the documentation. Each entry checks what both viewers show (so a fix on either side makes the test fail and the
 * entry goes).
 */
function knownDifferencesOf(label: string): Record<string, (s: Shown) => void> {
  const knownDifferences: Record<string, (s: Shown) => void> = collapsed();
  for (const name of [
    // 4:2:0 with an odd number of chroma rows (H mod 4 ∈ {2, 3}): Rerun starts the V plane at n + ⌊H/4⌋·W.
    "Y_U_V12_LimitedRange 8x6",
    "Y_U_V12_FullRange 8x6",
    "Y_U_V12_LimitedRange 7x6",
    "Y_U_V12_FullRange 7x6",
    // 4:2:2 with an odd height: Rerun starts the V plane at n + ⌊H/2⌋·W.
    "Y_U_V16_LimitedRange 8x5",
    "Y_U_V16_FullRange 8x5",
    "Y_U_V16_LimitedRange 7x5",
    "Y_U_V16_FullRange 7x5",
    // NV12 with an odd height: Rerun reads the UV plane from row ⌊(H + ⌊H/2⌋)/1.5⌋ = H − 1 (inside the Y plane).
    "NV12 8x5",
    "NV12 7x5",
  ])
    knownDifferences[name] = planeOffset;
  // Rerun 0.41 draws a lone image with per-pixel alpha (and opacity 1) in its opaque phase: the premultiplied
  // colour replaces the view background, so the image shows as if over black, not over the view's #0d0d0d. (0.33's
  // view background was black, so there the two agree and these cases are compared like any blended case.)
  if (label === "0.41") {
    for (const name of ["RGBA U8 alpha ramp", "RGBA I8 0..127", "BGRA I8 0..127"])
      knownDifferences[name] = alphaOverBlack;
    for (const c of bayerUniformCases(8, 6, bayerValue)) knownDifferences[c.name] = bayerBlack;
  }
  return knownDifferences;
}

/** The CPU reference of a case as shown over `background` (linear-light "over" for alpha < 1). */
function expectedOf(c: FormatCase, background: Rgb): Rgb[] {
  const ref = decodeImageToRgba8(c.bytes, c.format);
  const out: Rgb[] = [];
  for (let p = 0; p < c.format.width * c.format.height; p++) {
    const alpha = (ref[4 * p + 3]! / 255) * (c.opacity ?? 1);
    const rgb = Array.from(ref.subarray(4 * p, 4 * p + 3));
    const shown = alpha === 1 ? rgb : overLinear(rgb, alpha, background);
    out.push([shown[0]!, shown[1]!, shown[2]!]);
  }
  return out;
}

/** Whether any pixel is partly transparent (opacity, or alpha below the top of the range, e.g. I8 ≤ 127 of 255). */
function isBlended(c: FormatCase): boolean {
  if (c.opacity !== undefined && c.opacity < 1) return true;
  const ref = decodeImageToRgba8(c.bytes, c.format);
  for (let i = 3; i < ref.length; i += 4) if (ref[i]! < 255) return true;
  return false;
}

const colourCases = [...colorModelCases(), ...nonFiniteCases(), ...constantCases(), ...opacityCases()];
/**
 * The format recordings. The Bayer PixelFormats are not among them: 0.33 does not know them, and the 0.41 web
 * viewer on WebGL fails to build its Bayer converter and shows black (see `plansOf`, docs/rerun-differences.md).
 */
const formatPlans: readonly DifferentialPlan[] = [
  planViews([0, 1, 2, 3].map((k) => colourCases.filter((_, i) => i % 4 === k))),
  planViews(
    [
      [8, 6],
      [7, 6],
      [8, 5],
      [7, 5],
    ].map(([w, h]) => pixelFormatCases(w!, h!, false)),
  ),
];

/**
 * Against 0.41 a third recording holds the Bayer formats (uniform mosaics, one view each), asserted as a known
 * difference (`bayerBlack`); kept apart so the converter failure cannot touch the other recordings' views.
 */
const bayerPlan = planViews(bayerUniformCases(8, 6, bayerValue).map((c) => [c]));

function plansOf(label: string): readonly DifferentialPlan[] {
  return label === "0.33" ? formatPlans : [...formatPlans, bayerPlan];
}

/** Depth colormaps, segmentation and draw order: one recording of seven views (scene-cases.ts). */
const scenePlan = planScene([...depthViews(), segmentationView(), drawOrderView(), defaultDrawOrderView()]);

const sceneApplicationId = "iris_differential_scene";

function collect<C extends { readonly name: string }>(
  shown: { c: C; iris: readonly Rgb[]; rerun: readonly Rgb[]; irisBackground: Rgb; rerunBackground: Rgb }[],
  plan: DifferentialPlan<C>,
  iris: ViewerSamples,
  rerun: ViewerSamples,
): void {
  plan.views.forEach((view, v) =>
    view.cases.forEach((c, step) => {
      const i = iris.shown[v]![step];
      const r = rerun.shown[v]![step];
      if (!i || !r)
        throw new Error(`${c.name}: not shown (Iris ${i ? "ok" : "missing"}, Rerun ${r ? "ok" : "missing"})`);
      shown.push({
        c,
        iris: i,
        rerun: r,
        irisBackground: iris.background,
        rerunBackground: rerun.background,
      });
    }),
  );
}

/**
 * Defines the suite against one build of the real Rerun web viewer (`startRerun` starts its harness).
 */
export function differentialSuite(label: string, startRerun: () => Promise<RerunWebViewerHarness>): void {
  const shown: Shown[] = [];
  const sceneShown: SceneShown[] = [];
  const knownDifferences = knownDifferencesOf(label);
  const plans = plansOf(label);
  const sceneDifferences = sceneDifferencesOf(label);
  // The scene cases use 0.41's Colormaps and a 0.41 blueprint: against 0.33 only the format cases run.
  const withScene = label !== "0.33";

  let iris: IrisViewerHarness | undefined;
  let rerun: RerunWebViewerHarness | undefined;

  beforeAll(async () => {
    const files = plans.map((plan, i) => ({
      plan,
      name: `differential-${i}.rrd`,
      bytes: writePlan(plan, `iris_differential_${i}`),
    }));
    iris = await IrisViewerHarness.start({ width: 1600, height: 1200 });
    const irisSamples: ViewerSamples[] = [];
    for (const f of files) {
      writeFileSync(join(iris.dataDir, f.name), f.bytes);
      await iris.open([f.name]);
      await iris.snapshot(f.plan.views.length);
      irisSamples.push(await sampleIris(iris.page, f.plan));
    }
    const sceneBytes = writeScenePlan(scenePlan, sceneApplicationId);
    let sceneIris: ViewerSamples | undefined;
    if (withScene) {
      writeFileSync(join(iris.dataDir, "differential-scene.rrd"), sceneBytes);
      await iris.open(["differential-scene.rrd"]);
      await iris.snapshot(scenePlan.views.length);
      sceneIris = await sampleIris(iris.page, scenePlan);
    }
    await iris.close();
    iris = undefined;
    rerun = await startRerun();
    for (const [i, f] of files.entries()) {
      // The Bayer recording: sampled once Rerun's error toast (Wgpu validation error, over the top-right view)
      // has gone, so the samples are the views' own pixels.
      const ready = f.plan === bayerPlan ? (shot: Screenshot) => !showsErrorToast(shot) : undefined;
      collect(shown, f.plan, irisSamples[i]!, await sampleRerun(rerun, f.bytes, f.plan, ready));
    }
    if (!sceneIris) return;
    // With a blueprint (one 2D view per /vK, see scene-blueprint.ts), appended to the recording.
    const blueprint = sceneBlueprint(
      sceneApplicationId,
      scenePlan.views.map((v) => `/${v.entity}`),
    );
    const withBlueprint = new Uint8Array(sceneBytes.length + blueprint.length);
    withBlueprint.set(sceneBytes);
    withBlueprint.set(blueprint, sceneBytes.length);
    collect(sceneShown, scenePlan, sceneIris, await sampleRerun(rerun, withBlueprint, scenePlan));
  }, 600_000);

  afterAll(async () => {
    await iris?.close();
    await rerun?.close();
  });

  describe(`Iris viewer vs the real Rerun web viewer ${label} over the format space`, () => {
    it("shows every case like Rerun (within ±3), except the documented differences", () => {
      expect(shown.length).toBe(
        plans.reduce((n, p) => n + p.views.reduce((m, v) => m + v.cases.length, 0), 0),
      );
      const mismatches: string[] = [];
      for (const s of shown) {
        if (knownDifferences[s.c.name]) continue;
        const difference = isBlended(s.c)
          ? Math.max(
              maxDifference(s.iris, expectedOf(s.c, s.irisBackground)),
              maxDifference(s.rerun, expectedOf(s.c, s.rerunBackground)),
            )
          : maxDifference(s.iris, s.rerun);
        if (difference > TOLERANCE) {
          const at = s.iris.findIndex((p, i) => maxDifference([p], [s.rerun[i]!]) > TOLERANCE);
          mismatches.push(
            `${s.c.name}: max ${difference} (pixel ${at}: Iris ${String(s.iris[at])}, Rerun ${String(s.rerun[at])})`,
          );
        }
      }
      expect(mismatches).toEqual([]);
    });

    it.skipIf(!withScene)(
      "shows depth colormaps, segmentation colours and draw order like Rerun (within ±3)",
      () => {
        expect(sceneShown.length).toBe(scenePlan.views.reduce((m, v) => m + v.cases.length, 0));
        const mismatches: string[] = [];
        for (const s of sceneShown) {
          if (sceneDifferences[s.c.name]) continue;
          const difference = maxDifference(s.iris, s.rerun);
          if (difference > TOLERANCE) {
            const at = s.iris.findIndex((p, i) => maxDifference([p], [s.rerun[i]!]) > TOLERANCE);
            mismatches.push(
              `${s.c.name}: max ${difference} (pixel ${at}: Iris ${String(s.iris[at])}, Rerun ${String(s.rerun[at])})`,
            );
          }
        }
        expect(mismatches).toEqual([]);
      },
    );

    it.skipIf(!withScene)("asserts each documented scene difference (docs/rerun-differences.md)", () => {
      const checked: string[] = [];
      for (const s of sceneShown) {
        const check = sceneDifferences[s.c.name];
        if (!check) continue;
        check(s, sceneShown);
        checked.push(s.c.name);
      }
      expect(checked.sort()).toEqual(Object.keys(sceneDifferences).sort());
    });

    it("asserts each documented difference (docs/rerun-differences.md)", () => {
      const checked: string[] = [];
      for (const s of shown) {
        const check = knownDifferences[s.c.name];
        if (!check) continue;
        check(s);
        checked.push(s.c.name);
      }
      expect(checked.sort()).toEqual(Object.keys(knownDifferences).sort());
    });

    it("blends in linear light like Rerun: 0.5 opacity over each viewer's background", () => {
      const s = shown.find((x) => x.c.name === "RGB U8 opacity 0.5")!;
      // Pixel 0 is (0, 40, 255) at 0.5: over Rerun's background (black in 0.33, #0d0d0d in 0.41), blue =
      // 255·srgb(0.5 + 0.5·background) = 187.5 (black) … 188.1 (#0d0d0d).
      expect(Math.abs(s.rerun[0]![2] - 187.5)).toBeLessThanOrEqual(TOLERANCE);
      expect(maxDifference(s.iris, expectedOf(s.c, s.irisBackground))).toBeLessThanOrEqual(TOLERANCE);
    });
  });
}
