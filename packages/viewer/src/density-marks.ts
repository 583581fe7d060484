import type { EntityDensity } from "./timeline-data.ts";

/** Opacity of a mark with the fewest rows; the densest mark in view is opaque. */
export const MIN_MARK_ALPHA = 0.3;

/** One mark of an entity row in the time panel: a pixel column with data, and its opacity. */
export interface DensityMark {
  readonly x: number;
  readonly rows: number;
  readonly alpha: number;
}

/**
 * The time panel's marks per entity row: rows at times in [start, end] summed per pixel column (`xOf` in CSS px,
 * rounded), shaded by density — alpha = MIN_MARK_ALPHA + (1 − MIN_MARK_ALPHA) · rows / (most rows of any column
 * in any row), so more data at a time shows as a stronger mark.
 */
export function densityMarks(
  density: ReadonlyMap<string, EntityDensity>,
  start: bigint,
  end: bigint,
  xOf: (t: bigint) => number,
): Map<string, DensityMark[]> {
  const binned = new Map<string, Map<number, number>>();
  let most = 0;
  for (const [entity, d] of density) {
    const bins = new Map<number, number>();
    d.times.forEach((t, i) => {
      if (t < start || t > end) return;
      const x = Math.round(xOf(t));
      const n = (bins.get(x) ?? 0) + (d.rows[i] ?? 1);
      bins.set(x, n);
      most = Math.max(most, n);
    });
    binned.set(entity, bins);
  }
  const out = new Map<string, DensityMark[]>();
  for (const [entity, bins] of binned) {
    out.set(
      entity,
      [...bins].map(([x, rows]) => ({
        x,
        rows,
        alpha: MIN_MARK_ALPHA + ((1 - MIN_MARK_ALPHA) * rows) / most,
      })),
    );
  }
  return out;
}
