/**
 * Draws 3D line segments (gl.LINES, 1 device pixel wide) with a per-vertex RGBA8 colour, projected by a
 * column-major 4×4 clip-from-world matrix. Depth test and write follow whatever state the caller set; sets
 * program, vertex array, array buffer and blend state (premultiplied "over"). Colours are sRGB; with
 * `target: "linear"` (drawing into a `LinearCompositor`) they are decoded to linear light first.
 */
import { RendererError } from "./renderer-error.ts";
import { ShaderProgram } from "./shaders/shader-program.ts";

const vertexSource = `#version 300 es
uniform mat4 u_clipFromWorld;
uniform float u_pointSize;
layout(location = 0) in vec3 a_position;
layout(location = 1) in vec4 a_color;
out vec4 v_color;
void main() {
  gl_Position = u_clipFromWorld * vec4(a_position, 1.0);
  gl_PointSize = u_pointSize;
  v_color = a_color;
}
`;

const fragmentSource = `#version 300 es
precision highp float;
in vec4 v_color;
uniform int u_round;
uniform bool u_linearOutput;
out vec4 outColor;
vec3 linearFromSrgb(vec3 c) {
  return mix(pow((c + 0.055) / 1.055, vec3(2.4)), c / 12.92, vec3(lessThanEqual(c, vec3(0.04045))));
}
void main() {
  if (u_round == 1) {
    vec2 d = gl_PointCoord - vec2(0.5);
    if (dot(d, d) > 0.25) discard;
  }
  vec3 rgb = u_linearOutput ? linearFromSrgb(v_color.rgb) : v_color.rgb;
  outColor = vec4(rgb * v_color.a, v_color.a);
}
`;

/** What the bound framebuffer holds: "srgb" (default; the canvas) or "linear" (a `LinearCompositor` target). */
export interface PrimitiveDrawOptions {
  readonly target?: "srgb" | "linear";
}

/** Positions (xyz per vertex) and colours (RGBA8 per vertex) of a primitive batch. */
export interface PrimitiveBatch {
  readonly positions: Float32Array;
  readonly colors: Uint8Array;
}

/** Shared by LineRenderer and PointRenderer: one program, one vertex array, two buffers. */
export class PrimitiveDrawer {
  readonly #gl: WebGL2RenderingContext;
  readonly #program: ShaderProgram;
  readonly #vao: WebGLVertexArrayObject;
  readonly #positions: WebGLBuffer;
  readonly #colors: WebGLBuffer;
  #destroyed = false;

  constructor(gl: WebGL2RenderingContext, label: string) {
    this.#gl = gl;
    this.#program = new ShaderProgram(gl, { vertex: vertexSource, fragment: fragmentSource, label });
    const vao = gl.createVertexArray();
    const positions = gl.createBuffer();
    const colors = gl.createBuffer();
    if (vao === null || positions === null || colors === null) {
      throw new RendererError("webgl-error", "could not create vertex buffers (context lost?)");
    }
    this.#vao = vao;
    this.#positions = positions;
    this.#colors = colors;
    gl.bindVertexArray(vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, positions);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 3, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, colors);
    gl.enableVertexAttribArray(1);
    gl.vertexAttribPointer(1, 4, gl.UNSIGNED_BYTE, true, 0, 0);
    gl.bindVertexArray(null);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
  }

  draw(
    mode: number,
    clipFromWorld: ArrayLike<number>,
    batch: PrimitiveBatch,
    pointSize: number,
    round: boolean,
    target: "srgb" | "linear" = "srgb",
  ): void {
    if (this.#destroyed) throw new RendererError("destroyed", "This renderer was destroyed");
    if (clipFromWorld.length !== 16) {
      throw new RendererError("invalid-option", "clipFromWorld must be a column-major 4×4 matrix", {
        expected: "16 numbers",
        actual: `${clipFromWorld.length} numbers`,
      });
    }
    const count = batch.positions.length / 3;
    if (!Number.isInteger(count) || batch.colors.length !== count * 4) {
      throw new RendererError("invalid-option", "positions need 3 floats and colors 4 bytes per vertex", {
        expected: `${Math.floor(count) * 4} colour bytes`,
        actual: `${batch.positions.length} floats, ${batch.colors.length} colour bytes`,
      });
    }
    if (count === 0) return;
    const gl = this.#gl;
    gl.useProgram(this.#program.program);
    gl.bindVertexArray(this.#vao);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#positions);
    gl.bufferData(gl.ARRAY_BUFFER, batch.positions, gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.#colors);
    gl.bufferData(gl.ARRAY_BUFFER, batch.colors, gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, null);
    gl.enable(gl.BLEND);
    gl.blendEquation(gl.FUNC_ADD);
    gl.blendFuncSeparate(gl.ONE, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.uniformMatrix4fv(this.#program.uniform("u_clipFromWorld"), false, Float32Array.from(clipFromWorld));
    gl.uniform1f(this.#program.uniform("u_pointSize"), pointSize);
    gl.uniform1i(this.#program.uniform("u_round"), round ? 1 : 0);
    gl.uniform1i(this.#program.uniform("u_linearOutput"), target === "linear" ? 1 : 0);
    gl.drawArrays(mode, 0, count);
    gl.bindVertexArray(null);
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const gl = this.#gl;
    this.#program.destroy();
    gl.deleteBuffer(this.#positions);
    gl.deleteBuffer(this.#colors);
    gl.deleteVertexArray(this.#vao);
  }
}

/** Line segments: vertices 2k and 2k+1 form segment k. */
export class LineRenderer {
  readonly #drawer: PrimitiveDrawer;
  readonly #gl: WebGL2RenderingContext;

  constructor(gl: WebGL2RenderingContext) {
    this.#gl = gl;
    this.#drawer = new PrimitiveDrawer(gl, "lines");
  }

  draw(clipFromWorld: ArrayLike<number>, segments: PrimitiveBatch, options: PrimitiveDrawOptions = {}): void {
    if ((segments.positions.length / 3) % 2 !== 0) {
      throw new RendererError("invalid-option", "line segments need an even number of vertices", {
        expected: "even vertex count",
        actual: String(segments.positions.length / 3),
      });
    }
    this.#drawer.draw(this.#gl.LINES, clipFromWorld, segments, 1, false, options.target);
  }

  destroy(): void {
    this.#drawer.destroy();
  }
}
