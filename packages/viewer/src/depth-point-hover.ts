import type { DepthCloud } from "./depth-cloud-cache.ts";
import { type DepthDrawable, depthHoverText } from "./depth-segmentation-visualizer.ts";
import { readPixelText } from "./format-values.ts";
import type { Mat4 } from "./mat4.ts";
import type { PlaneHit } from "./plane-hover.ts";

/** A depth image drawn as a point cloud in the last frame. */
export interface DrawnDepthCloud {
  readonly depth: DepthDrawable;
  readonly cloud: DepthCloud;
}

/**
 * The depth point under canvas position (px, py) in CSS px: among the points whose projected centre is within
 * `radius` CSS px, the one nearest to the eye; read out as the 2D view reads a depth pixel (its pixel coordinate,
 * depth in metres and raw value).
 */
export function depthPointAt(
  clouds: readonly DrawnDepthCloud[],
  clipFromWorld: Mat4,
  canvasSize: { width: number; height: number },
  px: number,
  py: number,
  radius: number,
): PlaneHit | undefined {
  const m = clipFromWorld;
  let best: { drawn: DrawnDepthCloud; index: number; w: number } | undefined;
  for (const drawn of clouds) {
    const xyz = drawn.cloud.batch.positions;
    for (let i = 0, n = xyz.length / 3; i < n; i++) {
      const x = xyz[3 * i]!;
      const y = xyz[3 * i + 1]!;
      const z = xyz[3 * i + 2]!;
      const w = m[3]! * x + m[7]! * y + m[11]! * z + m[15]!;
      if (!(w > 0) || (best && w >= best.w)) continue;
      const cx = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
      const cy = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
      const sx = ((cx / w + 1) / 2) * canvasSize.width;
      const sy = ((1 - cy / w) / 2) * canvasSize.height;
      if (Math.abs(sx - px) <= radius && Math.abs(sy - py) <= radius) best = { drawn, index: i, w };
    }
  }
  if (!best) return undefined;
  const { depth, cloud } = best.drawn;
  const pixel = cloud.pixelIndex[best.index]!;
  const u = pixel % depth.format.width;
  const v = Math.floor(pixel / depth.format.width);
  const hit = readPixelText(
    {
      bytes: depth.bytes,
      format: depth.format,
      describe: (values) => depthHoverText(values[0], depth.meter),
    },
    u,
    v,
  );
  return hit && { entityPath: depth.entityPath, x: u, y: v, values: hit.values, text: hit.text };
}
