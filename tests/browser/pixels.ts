/**
 * Screenshot analysis for the viewer tests. The Rerun viewer draws each image scaled inside a 2D view among UI
 * panels, so checks are geometric: find the connected region of an image colour, then compare sizes and
 * relative positions. UI colours (dark greys, blue selection highlight, orange badge) are kept apart from image
 * colours by strict per-channel tolerances on saturated colours and by minimum region sizes.
 */
import type { Screenshot } from "./rerun-viewer.ts";

export type Rgb = readonly [number, number, number];

/** Half-open pixel box: x in [x0, x1), y in [y0, y1). */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface Region extends Box {
  /** Number of pixels in the region. */
  readonly count: number;
}

/** Pixel test used for region search. */
export type PixelPredicate = (r: number, g: number, b: number) => boolean;

export const boxWidth = (box: Box): number => box.x1 - box.x0;
export const boxHeight = (box: Box): number => box.y1 - box.y0;

/** Every channel within `tolerance` of `color`. */
export function near(color: Rgb, tolerance: number): PixelPredicate {
  const [cr, cg, cb] = color;
  return (r, g, b) =>
    Math.abs(r - cr) <= tolerance && Math.abs(g - cg) <= tolerance && Math.abs(b - cb) <= tolerance;
}

/** max(r,g,b) − min(r,g,b) ≥ `minChroma`: strongly coloured pixels (UI greys have a chroma of a few units). */
export function saturated(minChroma: number): PixelPredicate {
  return (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) >= minChroma;
}

export function colorAt(shot: Screenshot, x: number, y: number): Rgb {
  const xi = Math.min(shot.width - 1, Math.max(0, Math.floor(x)));
  const yi = Math.min(shot.height - 1, Math.max(0, Math.floor(y)));
  const i = 4 * (yi * shot.width + xi);
  return [shot.rgba[i]!, shot.rgba[i + 1]!, shot.rgba[i + 2]!];
}

/** Largest per-channel absolute difference. */
export function colorDistance(a: Rgb, b: Rgb): number {
  return Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));
}

function clampBox(shot: Screenshot, within: Box | undefined): Box {
  const box = within ?? { x0: 0, y0: 0, x1: shot.width, y1: shot.height };
  return {
    x0: Math.max(0, Math.floor(box.x0)),
    y0: Math.max(0, Math.floor(box.y0)),
    x1: Math.min(shot.width, Math.ceil(box.x1)),
    y1: Math.min(shot.height, Math.ceil(box.y1)),
  };
}

/** Counts pixels matching `predicate` (inside `within`, default the whole screenshot). */
export function countPixels(shot: Screenshot, predicate: PixelPredicate, within?: Box): number {
  const box = clampBox(shot, within);
  let n = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = 4 * (y * shot.width + x);
      if (predicate(shot.rgba[i]!, shot.rgba[i + 1]!, shot.rgba[i + 2]!)) n++;
    }
  }
  return n;
}

/** Bounding box of all pixels matching `predicate`, or undefined if none. */
export function boundingBox(shot: Screenshot, predicate: PixelPredicate, within?: Box): Region | undefined {
  const box = clampBox(shot, within);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let count = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = 4 * (y * shot.width + x);
      if (!predicate(shot.rgba[i]!, shot.rgba[i + 1]!, shot.rgba[i + 2]!)) continue;
      count++;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  return count === 0 ? undefined : { x0, y0, x1, y1, count };
}

/**
 * 4-connected regions of pixels matching `predicate`, largest first, keeping those with at least `minPixels`
 * pixels. A region's box is its bounding box, so a ring (an outline) yields the box it surrounds.
 */
export function findRegions(
  shot: Screenshot,
  predicate: PixelPredicate,
  options: { minPixels?: number; within?: Box } = {},
): Region[] {
  const box = clampBox(shot, options.within);
  const { width } = shot;
  const label = new Int32Array(shot.width * shot.height).fill(-1);
  const matches = (p: number): boolean =>
    predicate(shot.rgba[4 * p]!, shot.rgba[4 * p + 1]!, shot.rgba[4 * p + 2]!);
  const regions: Region[] = [];
  const stack: number[] = [];
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const start = y * width + x;
      if (label[start] !== -1 || !matches(start)) continue;
      let x0 = x;
      let y0 = y;
      let x1 = x + 1;
      let y1 = y + 1;
      let count = 0;
      label[start] = regions.length;
      stack.push(start);
      while (stack.length > 0) {
        const p = stack.pop()!;
        const px = p % width;
        const py = (p - px) / width;
        count++;
        x0 = Math.min(x0, px);
        y0 = Math.min(y0, py);
        x1 = Math.max(x1, px + 1);
        y1 = Math.max(y1, py + 1);
        const neighbours = [
          px > box.x0 ? p - 1 : -1,
          px + 1 < box.x1 ? p + 1 : -1,
          py > box.y0 ? p - width : -1,
          py + 1 < box.y1 ? p + width : -1,
        ];
        for (const q of neighbours) {
          if (q >= 0 && label[q] === -1 && matches(q)) {
            label[q] = regions.length;
            stack.push(q);
          }
        }
      }
      regions.push({ x0, y0, x1, y1, count });
    }
  }
  return regions.filter((r) => r.count >= (options.minPixels ?? 1)).sort((a, b) => b.count - a.count);
}

/** The largest connected region of pixels near `color`. */
export function largestRegion(
  shot: Screenshot,
  color: Rgb,
  tolerance: number,
  within?: Box,
): Region | undefined {
  return findRegions(shot, near(color, tolerance), within === undefined ? {} : { within })[0];
}

/** The screen point at relative position (fx, fy) of `box` (0,0 = top-left corner, 1,1 = bottom-right corner). */
export function relativePoint(box: Box, fx: number, fy: number): { x: number; y: number } {
  return { x: box.x0 + fx * boxWidth(box), y: box.y0 + fy * boxHeight(box) };
}

/** Colour at relative position (fx, fy) inside `box`. */
export function sampleRelative(shot: Screenshot, box: Box, fx: number, fy: number): Rgb {
  const { x, y } = relativePoint(box, fx, fy);
  return colorAt(shot, x, y);
}

/**
 * Where `inner` sits inside `outer`, in `outer`'s relative coordinates (e.g. a green square from 1/6 to 1/2 of
 * the red image's width).
 */
export function relativeBox(inner: Box, outer: Box): Box {
  return {
    x0: (inner.x0 - outer.x0) / boxWidth(outer),
    y0: (inner.y0 - outer.y0) / boxHeight(outer),
    x1: (inner.x1 - outer.x0) / boxWidth(outer),
    y1: (inner.y1 - outer.y0) / boxHeight(outer),
  };
}

/**
 * Largest distance, in screen pixels, between `inner` and where it should be: the relative box `expected`
 * mapped into `outer`.
 */
export function boxError(inner: Box, outer: Box, expected: Box): number {
  const w = boxWidth(outer);
  const h = boxHeight(outer);
  return Math.max(
    Math.abs(inner.x0 - (outer.x0 + expected.x0 * w)),
    Math.abs(inner.x1 - (outer.x0 + expected.x1 * w)),
    Math.abs(inner.y0 - (outer.y0 + expected.y0 * h)),
    Math.abs(inner.y1 - (outer.y0 + expected.y1 * h)),
  );
}

export function formatBox(box: Box): string {
  return `[${box.x0},${box.y0})–(${box.x1},${box.y1}) ${boxWidth(box)}×${boxHeight(box)}`;
}
