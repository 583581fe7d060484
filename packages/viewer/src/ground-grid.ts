import type { PrimitiveBatch } from "@iris/renderer";
import type { Vec3 } from "./mat4.ts";

/** Grey of the grid lines (opaque; drawn behind all scene content). */
export const GRID_COLOR: readonly [number, number, number, number] = [72, 76, 82, 255];

/** Most lines drawn in each in-plane direction (the grid is finite, centred on the origin). */
const MAX_LINES_PER_SIDE = 50;

/** The ground grid drawn in the last frame. */
export interface GroundGrid {
  /** World axis (0 = X, 1 = Y, 2 = Z) perpendicular to the grid plane; the plane passes through the origin. */
  readonly normalAxis: 0 | 1 | 2;
  /** Distance between neighbouring lines, world units. */
  readonly spacing: number;
  /** Lines run from -extent to +extent along both in-plane axes. */
  readonly extent: number;
  readonly lines: PrimitiveBatch;
}

/** The world axis closest to `up` (the grid lies in the plane perpendicular to it, through the origin). */
export function gridNormalAxis(up: Vec3): 0 | 1 | 2 {
  const a = up.map(Math.abs);
  if (a[0]! >= a[1]! && a[0]! >= a[2]!) return 0;
  return a[1]! >= a[2]! ? 1 : 2;
}

/**
 * Like Rerun's 3D view grid: thin lines on the plane perpendicular to the scene's up axis, through the origin.
 * Rerun's default spacing is 1 world unit; scenes much larger or smaller than that get a power-of-ten spacing
 * (about a quarter of the scene's size) so the grid stays readable. The grid covers the scene's bounds.
 */
export function groundGrid(up: Vec3, bounds: { min: Vec3; max: Vec3 }): GroundGrid {
  const normalAxis = gridNormalAxis(up);
  const [u, v] = ([0, 1, 2] as const).filter((a) => a !== normalAxis) as [0 | 1 | 2, 0 | 1 | 2];
  const diagonal = Math.hypot(...bounds.max.map((m, i) => m - bounds.min[i]!));
  const spacing = diagonal > 0 && Number.isFinite(diagonal) ? 10 ** Math.round(Math.log10(diagonal / 4)) : 1;
  const reach = Math.max(
    ...[u, v].flatMap((a) => [Math.abs(bounds.min[a]!), Math.abs(bounds.max[a]!)]).filter(Number.isFinite),
    spacing,
  );
  const n = Math.min(MAX_LINES_PER_SIDE, Math.ceil(reach / spacing) + 1);
  const extent = n * spacing;
  const positions = new Float32Array((2 * n + 1) * 2 * 2 * 3);
  const colors = new Uint8Array((positions.length / 3) * 4);
  let k = 0;
  const vertex = (a: number, b: number): void => {
    const p: [number, number, number] = [0, 0, 0];
    p[u] = a;
    p[v] = b;
    positions.set(p, k * 3);
    colors.set(GRID_COLOR, k * 4);
    k++;
  };
  for (let i = -n; i <= n; i++) {
    vertex(i * spacing, -extent);
    vertex(i * spacing, extent);
    vertex(-extent, i * spacing);
    vertex(extent, i * spacing);
  }
  return { normalAxis, spacing, extent, lines: { positions, colors } };
}
