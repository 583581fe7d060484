/**
 * Blends in linear light, as Rerun does: images are drawn (with `DrawImageOptions.target: "linear"`) into an
 * offscreen SRGB8_ALPHA8 texture, where WebGL2 decodes the destination, blends in linear space and re-encodes;
 * `present` then copies it to the bound framebuffer (the canvas), sRGB-encoding each texel. 0.5 opacity red over
 * black shows 188 (srgb(0.5)), not 128.
 *
 * Opaque colours round-trip exactly: a value c/255 drawn as linear(c/255) is stored as the 8-bit sRGB code c and
 * presented as c.
 */
import { RendererError } from "./renderer-error.ts";
import { ShaderProgram } from "./shaders/shader-program.ts";

const vertex = `#version 300 es
precision highp float;
void main() {
  // One triangle covering the viewport.
  vec2 p = vec2(float((gl_VertexID & 1) * 4 - 1), float((gl_VertexID >> 1) * 4 - 1));
  gl_Position = vec4(p, 0.0, 1.0);
}
`;

const fragment = `#version 300 es
precision highp float;
uniform highp sampler2D u_linear;
out vec4 o_color;
vec3 srgbFromLinear(vec3 c) {
  vec3 low = c * 12.92;
  vec3 high = 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055;
  return mix(high, low, vec3(lessThanEqual(c, vec3(0.0031308))));
}
void main() {
  // Sampling an SRGB8_ALPHA8 texture returns linear values.
  vec4 c = texelFetch(u_linear, ivec2(gl_FragCoord.xy), 0);
  o_color = vec4(srgbFromLinear(clamp(c.rgb, 0.0, 1.0)), 1.0);
}
`;

/** The sRGB decoding function (IEC 61966-2-1) of a value in [0, 1]. */
export function linearFromSrgb(x: number): number {
  return x <= 0.04045 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
}

export class LinearCompositor {
  readonly #gl: WebGL2RenderingContext;
  readonly #program: ShaderProgram;
  readonly #vertexArray: WebGLVertexArrayObject;
  readonly #framebuffer: WebGLFramebuffer;
  #texture: WebGLTexture | undefined;
  #depth: WebGLRenderbuffer | undefined;
  #size: [number, number] = [0, 0];
  #destroyed = false;

  constructor(gl: WebGL2RenderingContext) {
    this.#gl = gl;
    this.#program = new ShaderProgram(gl, { vertex, fragment, label: "linear compositor" });
    const vertexArray = gl.createVertexArray();
    const framebuffer = gl.createFramebuffer();
    if (vertexArray === null || framebuffer === null)
      throw new RendererError("webgl-error", "could not create the compositor's vertex array or framebuffer");
    this.#vertexArray = vertexArray;
    this.#framebuffer = framebuffer;
  }

  /**
   * Binds the linear target (width × height device pixels), sets the viewport and clears it to `background`
   * (sRGB, 0…1). With `depth`, the target also has a depth buffer (cleared to 1) for depth-tested 3D drawing.
   * Draw with `target: "linear"` next, then `present`.
   */
  begin(
    width: number,
    height: number,
    background: readonly [number, number, number],
    options: { readonly depth?: boolean } = {},
  ): void {
    this.#checkAlive();
    const gl = this.#gl;
    const wantDepth = options.depth === true;
    if (
      this.#texture === undefined ||
      this.#size[0] !== width ||
      this.#size[1] !== height ||
      (this.#depth !== undefined) !== wantDepth
    ) {
      if (this.#texture !== undefined) gl.deleteTexture(this.#texture);
      if (this.#depth !== undefined) gl.deleteRenderbuffer(this.#depth);
      this.#depth = undefined;
      const texture = gl.createTexture();
      if (texture === null) throw new RendererError("webgl-error", "gl.createTexture() returned null");
      gl.bindTexture(gl.TEXTURE_2D, texture);
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.SRGB8_ALPHA8, width, height);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
      gl.bindTexture(gl.TEXTURE_2D, null);
      gl.bindFramebuffer(gl.FRAMEBUFFER, this.#framebuffer);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
      let depth: WebGLRenderbuffer | null = null;
      if (wantDepth) {
        depth = gl.createRenderbuffer();
        if (depth === null) throw new RendererError("webgl-error", "gl.createRenderbuffer() returned null");
        gl.bindRenderbuffer(gl.RENDERBUFFER, depth);
        gl.renderbufferStorage(gl.RENDERBUFFER, gl.DEPTH_COMPONENT24, width, height);
        gl.bindRenderbuffer(gl.RENDERBUFFER, null);
        this.#depth = depth;
      }
      gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.DEPTH_ATTACHMENT, gl.RENDERBUFFER, depth);
      const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
      if (status !== gl.FRAMEBUFFER_COMPLETE)
        throw new RendererError("webgl-error", `the SRGB8_ALPHA8 target is incomplete (status ${status})`);
      this.#texture = texture;
      this.#size = [width, height];
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.#framebuffer);
    gl.viewport(0, 0, width, height);
    const [r, g, b] = background.map(linearFromSrgb) as [number, number, number];
    gl.clearColor(r, g, b, 1);
    if (wantDepth) {
      gl.clearDepth(1);
      gl.depthMask(true);
    }
    gl.clear(gl.COLOR_BUFFER_BIT | (wantDepth ? gl.DEPTH_BUFFER_BIT : 0));
  }

  /** Copies the linear target to the default framebuffer (the canvas), sRGB-encoded, opaque. */
  present(): void {
    this.#checkAlive();
    const gl = this.#gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.viewport(0, 0, this.#size[0], this.#size[1]);
    gl.disable(gl.BLEND);
    gl.disable(gl.DEPTH_TEST);
    gl.useProgram(this.#program.program);
    gl.bindVertexArray(this.#vertexArray);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.#texture ?? null);
    gl.uniform1i(this.#program.uniform("u_linear"), 0);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    gl.bindTexture(gl.TEXTURE_2D, null);
    gl.bindVertexArray(null);
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const gl = this.#gl;
    if (this.#texture !== undefined) gl.deleteTexture(this.#texture);
    if (this.#depth !== undefined) gl.deleteRenderbuffer(this.#depth);
    gl.deleteFramebuffer(this.#framebuffer);
    gl.deleteVertexArray(this.#vertexArray);
    this.#program.destroy();
  }

  #checkAlive(): void {
    if (this.#destroyed) throw new RendererError("destroyed", "This LinearCompositor was destroyed");
  }
}
