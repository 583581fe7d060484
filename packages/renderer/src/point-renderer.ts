/**
 * Draws 3D points (gl.POINTS, round sprites of a fixed size in device pixels) with per-point RGBA8 colours,
 * projected by a column-major 4×4 clip-from-world matrix. Same state contract as `LineRenderer`.
 */
import { type PrimitiveBatch, type PrimitiveDrawOptions, PrimitiveDrawer } from "./line-renderer.ts";
import { RendererError } from "./renderer-error.ts";

export class PointRenderer {
  readonly #drawer: PrimitiveDrawer;
  readonly #gl: WebGL2RenderingContext;

  constructor(gl: WebGL2RenderingContext) {
    this.#gl = gl;
    this.#drawer = new PrimitiveDrawer(gl, "points");
  }

  /** `size` is the sprite diameter in device pixels (clamped by the device's point size range). */
  draw(
    clipFromWorld: ArrayLike<number>,
    points: PrimitiveBatch,
    size = 2,
    options: PrimitiveDrawOptions = {},
  ): void {
    if (!Number.isFinite(size) || size <= 0) {
      throw new RendererError("invalid-option", `point size must be a positive number, got ${size}`, {
        expected: "> 0",
        actual: String(size),
      });
    }
    this.#drawer.draw(this.#gl.POINTS, clipFromWorld, points, size, size > 2, options.target);
  }

  destroy(): void {
    this.#drawer.destroy();
  }
}
