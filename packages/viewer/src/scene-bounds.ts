import type { Vec3 } from "./mat4.ts";

/** The axis-aligned box around the 3D scene's content (non-finite points are ignored). */
export class SceneBounds {
  private min: [number, number, number] = [Infinity, Infinity, Infinity];
  private max: [number, number, number] = [-Infinity, -Infinity, -Infinity];

  add(p: Vec3): void {
    for (let i = 0; i < 3; i++) {
      if (!Number.isFinite(p[i]!)) return;
    }
    for (let i = 0; i < 3; i++) {
      this.min[i] = Math.min(this.min[i]!, p[i]!);
      this.max[i] = Math.max(this.max[i]!, p[i]!);
    }
  }

  /** Adds packed xyz positions. */
  addPoints(xyz: Float32Array): void {
    for (let i = 0; i + 2 < xyz.length; i += 3) this.add([xyz[i]!, xyz[i + 1]!, xyz[i + 2]!]);
  }

  /** Length of the box's diagonal (0 when empty). */
  diagonal(): number {
    return Number.isFinite(this.min[0]) ? Math.hypot(...this.max.map((m, i) => m - this.min[i]!)) : 0;
  }

  /** The box, or the unit cube around the origin when empty. */
  box(): { min: Vec3; max: Vec3 } {
    return Number.isFinite(this.min[0])
      ? { min: this.min, max: this.max }
      : { min: [-1, -1, -1], max: [1, 1, 1] };
  }
}
