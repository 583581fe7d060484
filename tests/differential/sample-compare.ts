/** Comparing sampled colours: RGB triples (0…255) and the suite's tolerance. */
export type Rgb = readonly [number, number, number];

/** Largest difference allowed per 8-bit channel between the two viewers (or a viewer and its reference). */
export const TOLERANCE = 3;

/** Largest per-channel difference between two equally long lists of colours. */
export function maxDifference(a: readonly Rgb[], b: readonly Rgb[]): number {
  let max = 0;
  a.forEach((p, i) => {
    for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(p[c]! - b[i]![c]!));
  });
  return max;
}
