/**
 * Lays the differential cases out as ONE recording both viewers can show quickly: at most 8 root entities (Rerun
 * auto-spawns at most 8 views), one Image entity each, each entity showing one case per step of the sequence
 * timeline `case`. Step 0 is a calibration image of a colour unique to the view (used to find where the real Rerun
 * viewer draws each view's image); step s ≥ 1 shows the view's (s − 1)-th case. Images of one entity all have the
 * same size, so the view never re-fits. Every step logs the opacity too (1 unless the case sets it), because
 * latest-at would otherwise carry one case's opacity into the next steps.
 */
import { BytesSink, Image, RecordingStream } from "@iris/sdk";
import type { FormatCase } from "./format-cases.ts";
import { type SceneCase, type SceneView, sceneHeight, sceneWidth } from "./scene-cases.ts";

export interface DifferentialView<C extends { readonly name: string } = FormatCase> {
  /** Root entity path, e.g. "v0". */
  readonly entity: string;
  readonly width: number;
  readonly height: number;
  /** RGB of the step-0 calibration image (unique per view). */
  readonly calibration: readonly [number, number, number];
  /** Where the calibration image is logged (absent: `entity` itself). */
  readonly calibrationEntity?: string;
  readonly cases: readonly C[];
}

export interface DifferentialPlan<C extends { readonly name: string } = FormatCase> {
  readonly views: readonly DifferentialView<C>[];
  /** Number of case steps (the longest view's case count); steps are 1…steps. */
  readonly steps: number;
  readonly timeline: string;
  /**
   * The timeline whose time 0 shows the calibration images (absent: `timeline` itself). A separate timeline keeps
   * the calibration Image out of the cases: latest-at on `timeline` does not see data logged only on another one.
   */
  readonly calibrationTimeline?: string;
}

const calibrationColours: readonly (readonly [number, number, number])[] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [0, 255, 255],
  [255, 0, 255],
  [255, 128, 0],
  [128, 0, 255],
];

/** Groups of equally sized cases → one view each (at most 8 views). */
export function planViews(groups: readonly (readonly FormatCase[])[]): DifferentialPlan {
  if (groups.length > calibrationColours.length) throw new Error(`at most 8 views, got ${groups.length}`);
  const views = groups.map((cases, i): DifferentialView => {
    const first = cases[0]!;
    for (const c of cases) {
      if (c.format.width !== first.format.width || c.format.height !== first.format.height)
        throw new Error(`view ${i}: ${c.name} is not ${first.format.width}x${first.format.height}`);
    }
    return {
      entity: `v${i}`,
      width: first.format.width,
      height: first.format.height,
      calibration: calibrationColours[i]!,
      cases,
    };
  });
  return { views, steps: Math.max(...views.map((v) => v.cases.length)), timeline: "case" };
}

/**
 * Scene views (scene-cases.ts), root `vK` each, all `sceneWidth` × `sceneHeight`; the calibration image on the
 * view's calibration entity, on its own timeline.
 */
export function planScene(groups: readonly SceneView[]): DifferentialPlan<SceneCase> {
  if (groups.length > calibrationColours.length) throw new Error(`at most 8 views, got ${groups.length}`);
  const views = groups.map((group, i): DifferentialView<SceneCase> => ({
    entity: `v${i}`,
    width: sceneWidth,
    height: sceneHeight,
    calibration: calibrationColours[i]!,
    calibrationEntity: `v${i}/${group.calibration}`,
    cases: group.cases,
  }));
  return {
    views,
    steps: Math.max(...views.map((v) => v.cases.length)),
    timeline: "case",
    // Sorts after "case", so a viewer that picks the first timeline by name (Iris) shows the cases.
    calibrationTimeline: "zz_calibration",
  };
}

function logCalibration(rec: RecordingStream, view: DifferentialView<{ readonly name: string }>): void {
  const rgb = new Uint8Array(view.width * view.height * 3);
  for (let p = 0; p < view.width * view.height; p++) rgb.set(view.calibration, p * 3);
  rec.log(
    view.calibrationEntity ?? view.entity,
    Image.fromFields({
      buffer: rgb,
      format: { width: view.width, height: view.height, colorModel: 2, channelDatatype: 6 },
      opacity: 1,
    }),
  );
}

/** Writes a scene plan as one `.rrd` stream: calibration at time 0 of its timeline, case s at step s of `case`. */
export function writeScenePlan(
  plan: DifferentialPlan<SceneCase>,
  applicationId = "iris_differential_scene",
): Uint8Array {
  const sink = new BytesSink();
  const rec = new RecordingStream({ applicationId, sink });
  rec.setTimeSequence(plan.calibrationTimeline!, 0);
  for (const view of plan.views) logCalibration(rec, view);
  rec.disableTimeline(plan.calibrationTimeline!);
  for (let step = 1; step <= plan.steps; step++) {
    rec.setTimeSequence(plan.timeline, step);
    for (const view of plan.views) view.cases[step - 1]?.log(rec, view.entity);
  }
  rec.close();
  return sink.toBytes();
}

/** Writes the plan as one `.rrd` stream (Iris SDK; the case bytes are the suite's own). */
export function writePlan(plan: DifferentialPlan, applicationId = "iris_differential"): Uint8Array {
  const sink = new BytesSink();
  const rec = new RecordingStream({ applicationId, sink });
  rec.setTimeSequence(plan.timeline, 0);
  for (const view of plan.views) logCalibration(rec, view);
  for (let step = 1; step <= plan.steps; step++) {
    rec.setTimeSequence(plan.timeline, step);
    for (const view of plan.views) {
      const c = view.cases[step - 1];
      if (c === undefined) continue;
      rec.log(view.entity, Image.fromFields({ buffer: c.bytes, format: c.format, opacity: c.opacity ?? 1 }));
    }
  }
  rec.close();
  return sink.toBytes();
}

/** What one viewer showed: per view, per step, the RGB at the centre of every image pixel (row-major). */
export interface ViewerSamples {
  /** [view][step − 1] → w·h RGB triples (undefined where the view has no case at that step). */
  readonly shown: (readonly (readonly [number, number, number])[] | undefined)[][];
  /** The view background next to the image (for blending expectations). */
  readonly background: readonly [number, number, number];
}
