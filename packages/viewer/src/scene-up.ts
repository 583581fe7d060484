import { type Vec3, multiply, transformPoint } from "./mat4.ts";
import { type ResolvedPinhole, cameraFromRdf } from "./transform-tree.ts";

/** World "up" and the default viewing side: from the first pinhole (behind and above it), else +Z. */
export function sceneUp(pinholes: readonly ResolvedPinhole[]): { up: Vec3; back: Vec3 } {
  const p = pinholes[0];
  if (!p) return { up: [0, 0, 1], back: [0, -1, 0] };
  const m = multiply(p.worldFromCamera, cameraFromRdf(p.cameraXyz));
  const o = transformPoint(m, [0, 0, 0]);
  const dir = (v: Vec3): Vec3 => {
    const q = transformPoint(m, v);
    return [q[0] - o[0], q[1] - o[1], q[2] - o[2]];
  };
  const down = dir([0, 1, 0]);
  const forward = dir([0, 0, 1]);
  return { up: [-down[0], -down[1], -down[2]], back: [-forward[0], -forward[1], -forward[2]] };
}
