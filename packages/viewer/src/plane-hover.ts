import { type HoverPixels, readPixelText } from "./format-values.ts";
import {
  type Mat4,
  type Vec3,
  cross,
  dot,
  invert,
  sub,
  transformHomogeneous,
  transformPoint,
} from "./mat4.ts";

/** The raw pixels of an image drawn on an image plane, for hover read-out. */
export interface PlanePixels extends HoverPixels {
  readonly entityPath: string;
  readonly worldFromImage: ArrayLike<number>;
}

/** A hovered image pixel in the 3D view. */
export interface PlaneHit {
  readonly entityPath: string;
  readonly x: number;
  readonly y: number;
  readonly values: readonly number[];
  readonly text: string;
}

/**
 * Casts the ray through normalised device coordinates (ndcX, ndcY) from the eye and intersects it with the image
 * plane (z = 0 of `worldFromImage`); returns the image coordinate hit (continuous, pixel (0,0) covers [0,1)²), or
 * undefined when the ray is parallel to the plane or the plane is behind the eye.
 */
export function rayPlaneImagePoint(
  clipFromWorld: Mat4,
  worldFromImage: ArrayLike<number>,
  ndcX: number,
  ndcY: number,
): [number, number] | undefined {
  const worldFromClip = invert(clipFromWorld);
  if (!worldFromClip) return undefined;
  const unproject = (z: number): Vec3 => {
    const [x, y, zz, w] = transformHomogeneous(worldFromClip, [ndcX, ndcY, z, 1]);
    return [x / w, y / w, zz / w];
  };
  const near = unproject(-1);
  const dir = sub(unproject(1), near);
  const origin = transformPoint(worldFromImage, [0, 0, 0]);
  const ex = sub(transformPoint(worldFromImage, [1, 0, 0]), origin);
  const ey = sub(transformPoint(worldFromImage, [0, 1, 0]), origin);
  const normal = cross(ex, ey);
  const denom = dot(dir, normal);
  if (Math.abs(denom) < 1e-12) return undefined;
  const t = dot(sub(origin, near), normal) / denom;
  if (!(t >= 0)) return undefined;
  const rel = sub([near[0] + t * dir[0], near[1] + t * dir[1], near[2] + t * dir[2]], origin);
  // Solve rel = x·ex + y·ey (normal equations of the 2×2 system).
  const a = dot(ex, ex);
  const b = dot(ex, ey);
  const c = dot(ey, ey);
  const det = a * c - b * b;
  if (Math.abs(det) < 1e-24) return undefined;
  const px = dot(rel, ex);
  const py = dot(rel, ey);
  return [(c * px - b * py) / det, (a * py - b * px) / det];
}

/**
 * The topmost image pixel under canvas position (px, py) in CSS px (`images` back to front), with its raw values
 * formatted as the 2D view's hover tooltip formats them.
 */
export function planePixelAt(
  images: readonly PlanePixels[],
  clipFromWorld: Mat4,
  canvasSize: { width: number; height: number },
  px: number,
  py: number,
): PlaneHit | undefined {
  const ndcX = (px / canvasSize.width) * 2 - 1;
  const ndcY = 1 - (py / canvasSize.height) * 2;
  for (let i = images.length - 1; i >= 0; i--) {
    const img = images[i]!;
    const at = rayPlaneImagePoint(clipFromWorld, img.worldFromImage, ndcX, ndcY);
    if (!at) continue;
    const x = Math.floor(at[0]);
    const y = Math.floor(at[1]);
    const hit = readPixelText(img, x, y);
    if (hit) return { entityPath: img.entityPath, x, y, values: hit.values, text: hit.text };
  }
  return undefined;
}
