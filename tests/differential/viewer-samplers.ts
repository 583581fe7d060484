/**
 * Samples what each viewer shows for a `DifferentialPlan`: the colour at the centre of every image pixel of every
 * view at every step.
 *
 * - Real Rerun web viewer: page screenshots. At step 0 every view shows its calibration colour; the bounding box
 *   of that colour is where the view draws its image (same size at every step, so the box is fixed).
 * - Iris viewer: each view's WebGL canvas read back in the page, at the placement the view reports
 *   (`drawnImages`), sampled in the page so only the samples cross the wire.
 */
import type { Page } from "playwright-core";
import type { RerunWebViewerHarness, Screenshot } from "../browser/rerun-viewer.ts";
import { saveScreenshot } from "../browser/rerun-viewer.ts";
import type { DifferentialPlan, ViewerSamples } from "./differential-plan.ts";

type Rgb = readonly [number, number, number];

export interface Box {
  readonly x0: number;
  readonly y0: number;
  /** Exclusive. */
  readonly x1: number;
  readonly y1: number;
}

/** Bounding box of the pixels within `tolerance` of `colour` (undefined when there are fewer than 64). */
export function colourBox(shot: Screenshot, colour: Rgb, tolerance = 3): Box | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let count = 0;
  for (let y = 0; y < shot.height; y++) {
    for (let x = 0; x < shot.width; x++) {
      const i = 4 * (y * shot.width + x);
      if (
        Math.abs(shot.rgba[i]! - colour[0]) <= tolerance &&
        Math.abs(shot.rgba[i + 1]! - colour[1]) <= tolerance &&
        Math.abs(shot.rgba[i + 2]! - colour[2]) <= tolerance
      ) {
        count++;
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
    }
  }
  return count >= 64 ? { x0, y0, x1, y1 } : undefined;
}

function samplesIn(shot: Screenshot, box: Box, w: number, h: number): Rgb[] {
  const out: Rgb[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = Math.floor(box.x0 + ((x + 0.5) * (box.x1 - box.x0)) / w);
      const sy = Math.floor(box.y0 + ((y + 0.5) * (box.y1 - box.y0)) / h);
      const i = 4 * (sy * shot.width + sx);
      out.push([shot.rgba[i]!, shot.rgba[i + 1]!, shot.rgba[i + 2]!]);
    }
  }
  return out;
}

function uniformly(shot: Screenshot, box: Box, w: number, h: number, colour: Rgb): boolean {
  return samplesIn(shot, box, w, h).every(
    (c) =>
      Math.abs(c[0] - colour[0]) <= 3 && Math.abs(c[1] - colour[1]) <= 3 && Math.abs(c[2] - colour[2]) <= 3,
  );
}

/**
 * Whether the screenshot shows a saturated red pixel: the error icon of a Rerun notification toast (drawn over the
 * top-right of the viewer for a few seconds, e.g. after a Wgpu validation error). Only for plans whose views hold
 * no red.
 */
export function showsErrorToast(shot: Screenshot): boolean {
  for (let i = 0; i < shot.rgba.length; i += 4)
    if (shot.rgba[i]! > 150 && shot.rgba[i + 1]! < 90 && shot.rgba[i + 2]! < 90) return true;
  return false;
}

/**
 * Shows `rrd` in the real Rerun viewer and samples every step of `plan`; `ready` (optional) must also hold for a
 * step's screenshot to be sampled.
 */
export async function sampleRerun(
  harness: RerunWebViewerHarness,
  rrd: Uint8Array,
  plan: DifferentialPlan<{ readonly name: string }>,
  ready: (shot: Screenshot) => boolean = () => true,
): Promise<ViewerSamples> {
  await harness.setPanels({ top: "hidden", blueprint: "hidden", selection: "hidden", time: "hidden" });
  const shown = await harness.show(rrd, { name: "differential" });
  const recordingId = String(shown.recordingOpen["recording_id"]);
  await harness.setTime(recordingId, plan.calibrationTimeline ?? plan.timeline, 0);
  const calibration = await harness.settle({
    name: "differential-calibration",
    until: (shot) => plan.views.every((v) => colourBox(shot, v.calibration) !== undefined),
  });
  const boxes = plan.views.map((v) => colourBox(calibration, v.calibration)!);
  // The view background: beside the first view's image (left, above or below it, whichever side has a bar; the
  // darkest of the candidates, since the others land on the image, a border or a tab).
  const b = boxes[0]!;
  const midX = Math.floor((b.x0 + b.x1) / 2);
  const midY = Math.floor((b.y0 + b.y1) / 2);
  const candidates: Rgb[] = [
    [Math.max(0, b.x0 - 3), midY],
    [Math.min(calibration.width - 1, b.x1 + 2), midY],
    [midX, Math.max(0, b.y0 - 3)],
    [midX, Math.min(calibration.height - 1, b.y1 + 2)],
  ].map(([x, y]) => {
    const i = 4 * (y! * calibration.width + x!);
    return [calibration.rgba[i]!, calibration.rgba[i + 1]!, calibration.rgba[i + 2]!] as const;
  });
  const background = candidates.reduce((a, c) => (c[0] + c[1] + c[2] < a[0] + a[1] + a[2] ? c : a));
  const result: ViewerSamples["shown"] = plan.views.map(() => []);
  for (let step = 1; step <= plan.steps; step++) {
    await harness.setTime(recordingId, plan.timeline, step);
    // The step is shown once no view's image is still entirely its calibration colour.
    const shot = await harness.settle({
      name: `differential-step-${step}`,
      until: (s) =>
        plan.views.every((v, i) => !uniformly(s, boxes[i]!, v.width, v.height, v.calibration)) && ready(s),
    });
    if (process.env["IRIS_BROWSER_DEBUG"] === "1") await saveScreenshot(shot, `differential-rerun-${step}`);
    plan.views.forEach((v, i) => {
      result[i]![step - 1] =
        step <= v.cases.length ? samplesIn(shot, boxes[i]!, v.width, v.height) : undefined;
    });
  }
  return { shown: result, background };
}

/** Samples every step of `plan` in an Iris viewer page that has the recording open. */
export async function sampleIris(
  page: Page,
  plan: DifferentialPlan<{ readonly name: string }>,
): Promise<ViewerSamples> {
  const result: ViewerSamples["shown"] = plan.views.map(() => []);
  let background: Rgb = [0, 0, 0];
  for (let step = 1; step <= plan.steps; step++) {
    const sampled = await page.evaluate(
      async ([t, roots]) => {
        type View = {
          root: string;
          drawnImages: { x: number; y: number; scale: number; format: { width: number; height: number } }[];
          readCanvasPixels(): { width: number; height: number; scale: number; rgba: Uint8Array };
        };
        const viewer = (
          globalThis as unknown as {
            irisViewer: { time: { setTime(t: bigint): void }; spatialViews: Map<string, View> };
          }
        ).irisViewer;
        viewer.time.setTime(BigInt(t));
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const views = [...viewer.spatialViews.values()];
        let bg: number[] = [0, 0, 0];
        const perView = roots.map((root) => {
          const view = views.find((v) => v.root === `/${root}` || v.root === root);
          const drawn = view?.drawnImages[0];
          if (!view || !drawn) return null;
          const px = view.readCanvasPixels();
          const out: number[][] = [];
          const { width: w, height: h } = drawn.format;
          for (let y = 0; y < h; y++) {
            for (let x = 0; x < w; x++) {
              const cx = Math.floor((drawn.x + (x + 0.5) * drawn.scale) * px.scale);
              const cy = Math.floor((drawn.y + (y + 0.5) * drawn.scale) * px.scale);
              const i = 4 * (cy * px.width + cx);
              out.push([px.rgba[i]!, px.rgba[i + 1]!, px.rgba[i + 2]!]);
            }
          }
          if (drawn.x >= 2 || drawn.y >= 2) bg = [px.rgba[0]!, px.rgba[1]!, px.rgba[2]!];
          return out;
        });
        return { perView, bg };
      },
      [step, plan.views.map((v) => v.entity)] as const,
    );
    background = sampled.bg as unknown as Rgb;
    plan.views.forEach((v, i) => {
      const samples = sampled.perView[i];
      result[i]![step - 1] =
        step <= v.cases.length && samples ? samples.map((s) => [s[0]!, s[1]!, s[2]!] as const) : undefined;
    });
  }
  return { shown: result, background };
}
