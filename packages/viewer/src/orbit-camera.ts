/**
 * The 3D view's eye: orbits a target point at a distance, with yaw around a world "up" vector and pitch above the
 * plane perpendicular to it. Perspective projection with a fixed vertical field of view.
 */
import {
  type Mat4,
  type Vec3,
  add,
  cross,
  dot,
  lookAt,
  multiply,
  normalize,
  perspective,
  scale3,
  sub,
} from "./mat4.ts";

export interface OrbitCamera {
  readonly target: Vec3;
  readonly distance: number;
  /** Radians around `up`, measured from `back` towards `side`. */
  readonly yaw: number;
  /** Radians above the horizontal plane, within ±89°. */
  readonly pitch: number;
  readonly up: Vec3;
  /** Unit vector ⟂ up: the direction from target to eye at yaw = pitch = 0. */
  readonly back: Vec3;
}

export const FOV_Y = (50 * Math.PI) / 180;
const MAX_PITCH = (89 * Math.PI) / 180;

/** A camera looking at the sphere around `bounds` from direction (yaw, pitch) relative to `back`. */
export function fitOrbitCamera(
  bounds: { min: Vec3; max: Vec3 },
  up: Vec3,
  back: Vec3,
  yaw = 0.5,
  pitch = 0.35,
): OrbitCamera {
  const u = normalize(up);
  let b = normalize(sub(back, scale3(u, dot(back, u))));
  if (Math.hypot(...b) === 0) b = normalize(cross(u, Math.abs(u[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0]));
  const target = scale3(add(bounds.min, bounds.max), 0.5);
  const radius = Math.max(1e-3, Math.hypot(...sub(bounds.max, bounds.min)) / 2);
  return { target, distance: (radius / Math.sin(FOV_Y / 2)) * 1.05, yaw, pitch, up: u, back: b };
}

export function eyePosition(c: OrbitCamera): [number, number, number] {
  const side = cross(c.up, c.back);
  const horizontal = add(scale3(c.back, Math.cos(c.yaw)), scale3(side, Math.sin(c.yaw)));
  const dir = add(scale3(horizontal, Math.cos(c.pitch)), scale3(c.up, Math.sin(c.pitch)));
  return add(c.target, scale3(dir, c.distance));
}

/** clip_from_world for a viewport aspect ratio. */
export function clipFromWorld(c: OrbitCamera, aspect: number): Mat4 {
  const view = lookAt(eyePosition(c), c.target, c.up);
  const proj = perspective(FOV_Y, aspect, c.distance * 1e-3, c.distance * 1e3);
  return multiply(proj, view);
}

/** Drag by (dx, dy) CSS px: rotate around the target. */
export function orbit(c: OrbitCamera, dx: number, dy: number): OrbitCamera {
  const pitch = Math.max(-MAX_PITCH, Math.min(MAX_PITCH, c.pitch + dy * 0.008));
  return { ...c, yaw: c.yaw - dx * 0.008, pitch };
}

/** Drag by (dx, dy) CSS px in a view `heightPx` tall: move the target in the image plane. */
export function pan(c: OrbitCamera, dx: number, dy: number, heightPx: number): OrbitCamera {
  const eye = eyePosition(c);
  const forward = normalize(sub(c.target, eye));
  const right = normalize(cross(forward, c.up));
  const upv = cross(right, forward);
  const perPx = (2 * c.distance * Math.tan(FOV_Y / 2)) / Math.max(1, heightPx);
  const move = add(scale3(right, -dx * perPx), scale3(upv, dy * perPx));
  return { ...c, target: add(c.target, move) };
}

/** factor > 1 moves closer. */
export function zoom(c: OrbitCamera, factor: number): OrbitCamera {
  return { ...c, distance: c.distance / factor };
}
