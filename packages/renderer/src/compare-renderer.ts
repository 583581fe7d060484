/**
 * Compare mode (Iris extension; rerun-io/rerun#4610, #294): two images shown as swipe, blend, side by side or
 * difference, with the same decoders and display options `ImageRenderer.draw` uses.
 *
 * - Swipe, blend, side by side: `ImageRenderer.draw` of each image (its own value range and colormap) — swipe
 *   scissors B to the right of a divider, blend draws B over A with opacity `amount`, side by side draws A and B
 *   in the two halves of the viewport with the same placement (zoom and pan stay linked).
 * - Difference: both images are decoded to their VALUES (`ImageRenderer.drawValues`: raw values, YUV as 8-bit
 *   RGB, Bayer demosaiced) into RGBA32F textures, a shader writes |a − b| per channel into a third one, and that
 *   one is read back once so the statistics (max/mean |a − b|, PSNR) are computed in float64 on the CPU
 *   (`differenceStatistics`); `drawDifference` shows it through a colormap. Needs EXT_color_buffer_float.
 *
 * Sizes: the difference needs equal sizes (`planDifference` refuses anything else); the other modes place both
 * images top-left at the same point.
 */
import type { ColormapName } from "./colormap.ts";
import { type DifferencePlan, planDifference } from "./compare-rules.ts";
import { type DifferenceStatistics, differenceStatistics } from "./difference-statistics.ts";
import type { GpuImage } from "./image-texture.ts";
import type { ImageRenderer, MagnificationMode } from "./image-renderer.ts";
import { type ViewFromImage, clipFromImageMatrix } from "./placement.ts";
import { RendererError } from "./renderer-error.ts";
import { differenceDisplaySource, differenceFragmentSource } from "./shaders/compare-fragment.glsl.ts";
import { imageVertexSource } from "./shaders/image-vertex.glsl.ts";
import { ShaderProgram } from "./shaders/shader-program.ts";

/** How one image of the pair is shown (as in its 2D view). */
export interface CompareDisplay {
  valueRange?: readonly [number, number];
  colormap?: ColormapName;
  magnification?: MagnificationMode;
}

export interface ComparePairOptions {
  /** Image pixels → view pixels, for both images (top-left aligned). */
  viewFromImage: ViewFromImage;
  a?: CompareDisplay;
  b?: CompareDisplay;
}

/** The difference of two images on the GPU, with its statistics. Destroy it when done. */
export interface DifferenceImage {
  readonly width: number;
  readonly height: number;
  readonly plan: DifferencePlan;
  readonly statistics: DifferenceStatistics;
  /** RGBA32F, one texel per pixel: |a − b| per channel. */
  readonly texture: WebGLTexture;
  readonly destroyed: boolean;
  destroy(): void;
}

export class CompareRenderer {
  readonly #gl: WebGL2RenderingContext;
  readonly #images: ImageRenderer;
  readonly #vertexArray: WebGLVertexArrayObject;
  #differenceProgram: ShaderProgram | undefined;
  #displayProgram: ShaderProgram | undefined;
  #destroyed = false;

  constructor(gl: WebGL2RenderingContext, images: ImageRenderer) {
    this.#gl = gl;
    this.#images = images;
    const vertexArray = gl.createVertexArray();
    if (vertexArray === null) throw new RendererError("webgl-error", "gl.createVertexArray() returned null");
    this.#vertexArray = vertexArray;
  }

  /** A over everything, B only right of `split` view pixels (from the viewport's left edge), and a divider. */
  drawSwipe(
    a: GpuImage,
    b: GpuImage,
    options: ComparePairOptions & { split: number; dividerWidth?: number },
  ): void {
    const gl = this.#gl;
    const [vx, vy, vw, vh] = viewportOf(gl);
    const split = Math.round(Math.min(vw, Math.max(0, options.split)));
    this.#images.draw(a, { ...options.a, viewFromImage: options.viewFromImage });
    withScissor(gl, [vx + split, vy, vw - split, vh], () =>
      this.#images.draw(b, { ...options.b, viewFromImage: options.viewFromImage }),
    );
    const width = Math.max(1, Math.round(options.dividerWidth ?? 2));
    fillRect(gl, [vx + split - Math.floor(width / 2), vy, width, vh], [1, 1, 1, 1]);
  }

  /** A, then B over it with opacity `amount` ∈ [0, 1]: (1 − amount)·A + amount·B for opaque images. */
  drawBlend(a: GpuImage, b: GpuImage, options: ComparePairOptions & { amount: number }): void {
    if (!Number.isFinite(options.amount)) {
      throw new RendererError(
        "invalid-option",
        `blend amount must be a finite number, got ${options.amount}`,
        {
          expected: "number in [0, 1]",
          actual: String(options.amount),
        },
      );
    }
    this.#images.draw(a, { ...options.a, viewFromImage: options.viewFromImage });
    this.#images.draw(b, {
      ...options.b,
      viewFromImage: options.viewFromImage,
      opacity: Math.min(1, Math.max(0, options.amount)),
    });
  }

  /**
   * A in the left half of the viewport, B in the right half (each half `sideWidth` wide, see `sideBySideWidth`),
   * both with the same `viewFromImage` relative to their half, and a divider between them.
   */
  drawSideBySide(a: GpuImage, b: GpuImage, options: ComparePairOptions & { dividerWidth?: number }): void {
    const gl = this.#gl;
    const [vx, vy, vw, vh] = viewportOf(gl);
    const width = Math.max(1, Math.round(options.dividerWidth ?? 2));
    const half = sideBySideWidth(vw, width);
    try {
      gl.viewport(vx, vy, half, vh);
      withScissor(gl, [vx, vy, half, vh], () =>
        this.#images.draw(a, { ...options.a, viewFromImage: options.viewFromImage }),
      );
      gl.viewport(vx + vw - half, vy, half, vh);
      withScissor(gl, [vx + vw - half, vy, half, vh], () =>
        this.#images.draw(b, { ...options.b, viewFromImage: options.viewFromImage }),
      );
    } finally {
      gl.viewport(vx, vy, vw, vh);
    }
    fillRect(gl, [vx + half, vy, vw - 2 * half, vh], [1, 1, 1, 1]);
  }

  /**
   * |A − B| of two images of the same size (else RendererError "incompatible-images"), decoded exactly as they
   * are shown, with statistics from the read-back float values.
   */
  difference(a: GpuImage, b: GpuImage): DifferenceImage {
    this.#checkAlive();
    const plan = planDifference(a, b);
    const gl = this.#gl;
    this.#requireFloatTargets();
    const { width, height } = plan;
    if (width > this.#images.maxTextureSize || height > this.#images.maxTextureSize) {
      throw new RendererError(
        "too-large",
        `The difference of ${width}×${height} images needs one texture of that size; this device allows ` +
          `${this.#images.maxTextureSize} pixels per side`,
        { expected: `≤ ${this.#images.maxTextureSize} per side`, actual: `${width}×${height}` },
      );
    }
    const decodedA = this.#decode(a, plan.opaqueValueA);
    const decodedB = this.#decode(b, plan.opaqueValueB);
    const result = this.#floatTexture(width, height);
    try {
      this.#renderInto(result, width, height, () => {
        const program = (this.#differenceProgram ??= new ShaderProgram(gl, {
          vertex: imageVertexSource,
          fragment: differenceFragmentSource,
          label: "compare difference",
        }));
        gl.useProgram(program.program);
        gl.bindVertexArray(this.#vertexArray);
        gl.disable(gl.BLEND);
        gl.uniformMatrix4fv(
          program.uniform("u_clipFromImage"),
          false,
          clipFromImageMatrix({ x: 0, y: 0, scale: 1 }, width, height),
        );
        gl.uniform4f(program.uniform("u_tileRect"), 0, 0, width, height);
        gl.activeTexture(gl.TEXTURE0);
        gl.bindTexture(gl.TEXTURE_2D, decodedA);
        gl.activeTexture(gl.TEXTURE1);
        gl.bindTexture(gl.TEXTURE_2D, decodedB);
        gl.uniform1i(program.uniform("u_a"), 0);
        gl.uniform1i(program.uniform("u_b"), 1);
        gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
        gl.bindTexture(gl.TEXTURE_2D, null);
        gl.activeTexture(gl.TEXTURE0);
        gl.bindTexture(gl.TEXTURE_2D, null);
        gl.bindVertexArray(null);
      });
    } finally {
      gl.deleteTexture(decodedA);
      gl.deleteTexture(decodedB);
    }
    const values = this.#readTexture(result, width, height);
    const statistics = differenceStatistics(values, plan.channels, plan.peak);
    let destroyed = false;
    return {
      width,
      height,
      plan,
      statistics,
      texture: result,
      get destroyed() {
        return destroyed;
      },
      destroy: () => {
        if (destroyed) return;
        destroyed = true;
        gl.deleteTexture(result);
      },
    };
  }

  /** The decoded values of `image` (RGBA float32 per pixel, rows top-down), as the difference compares them. */
  readValues(image: GpuImage, opaqueValue = 1): Float32Array {
    this.#checkAlive();
    this.#requireFloatTargets();
    const texture = this.#decode(image, opaqueValue);
    try {
      return this.#readTexture(texture, image.width, image.height);
    } finally {
      this.#gl.deleteTexture(texture);
    }
  }

  /** |a − b| per channel (RGBA float32 per pixel, rows top-down), read back from the GPU. */
  readDifference(difference: DifferenceImage): Float32Array {
    this.#checkAlive();
    if (difference.destroyed) throw new RendererError("destroyed", "This DifferenceImage was destroyed");
    return this.#readTexture(difference.texture, difference.width, difference.height);
  }

  /**
   * Shows a difference: per pixel the largest |a − b| of the compared channels, mapped [0, `maxValue`] → [0, 1]
   * (default: the largest difference; 1 when that is 0), through `colormap` (default "turbo"). Opaque.
   */
  drawDifference(
    difference: DifferenceImage,
    options: { viewFromImage: ViewFromImage; colormap?: ColormapName; maxValue?: number },
  ): void {
    this.#checkAlive();
    if (difference.destroyed) throw new RendererError("destroyed", "This DifferenceImage was destroyed");
    const top = options.maxValue ?? difference.statistics.maxAbs;
    if (!Number.isFinite(top) || top < 0) {
      throw new RendererError("invalid-option", `maxValue must be a finite number ≥ 0, got ${top}`, {
        expected: "finite number ≥ 0",
        actual: String(top),
      });
    }
    const gl = this.#gl;
    const [, , vw, vh] = viewportOf(gl);
    const colormap = options.colormap ?? "turbo";
    const program = (this.#displayProgram ??= new ShaderProgram(gl, {
      vertex: imageVertexSource,
      fragment: differenceDisplaySource,
      label: "compare difference display",
    }));
    gl.useProgram(program.program);
    gl.bindVertexArray(this.#vertexArray);
    gl.enable(gl.BLEND);
    gl.blendEquation(gl.FUNC_ADD);
    gl.blendFuncSeparate(gl.ONE, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.uniformMatrix4fv(
      program.uniform("u_clipFromImage"),
      false,
      clipFromImageMatrix(options.viewFromImage, vw, vh),
    );
    gl.uniform4f(program.uniform("u_tileRect"), 0, 0, difference.width, difference.height);
    gl.uniform2i(program.uniform("u_imageSize"), difference.width, difference.height);
    gl.uniform1i(program.uniform("u_channels"), difference.plan.channels);
    gl.uniform1f(program.uniform("u_scale"), top > 0 ? 1 / top : 1);
    gl.uniform1i(program.uniform("u_useColormap"), colormap === "grey" ? 0 : 1);
    gl.uniform1f(program.uniform("u_opacity"), 1);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.#images.colormapTexture(colormap));
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, difference.texture);
    gl.uniform1i(program.uniform("u_difference"), 0);
    gl.uniform1i(program.uniform("u_colormap"), 1);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
    gl.bindTexture(gl.TEXTURE_2D, null);
    gl.bindVertexArray(null);
  }

  /** Frees the programs and the vertex array (not the images or differences). */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#differenceProgram?.destroy();
    this.#displayProgram?.destroy();
    this.#gl.deleteVertexArray(this.#vertexArray);
  }

  #checkAlive(): void {
    if (this.#destroyed) throw new RendererError("destroyed", "This CompareRenderer was destroyed");
  }

  #requireFloatTargets(): void {
    if (this.#gl.getExtension("EXT_color_buffer_float") === null) {
      throw new RendererError(
        "unsupported",
        "The difference needs float render targets (WebGL2 extension EXT_color_buffer_float), which this browser lacks",
        { expected: "EXT_color_buffer_float", actual: "not available" },
      );
    }
  }

  /** An RGBA32F texture holding the decoded values of `image`. */
  #decode(image: GpuImage, opaqueValue: number): WebGLTexture {
    const texture = this.#floatTexture(image.width, image.height);
    try {
      this.#renderInto(texture, image.width, image.height, () =>
        this.#images.drawValues(image, { viewFromImage: { x: 0, y: 0, scale: 1 }, opaqueValue }),
      );
    } catch (error) {
      this.#gl.deleteTexture(texture);
      throw error;
    }
    return texture;
  }

  #floatTexture(width: number, height: number): WebGLTexture {
    const gl = this.#gl;
    const texture = gl.createTexture();
    if (texture === null) throw new RendererError("webgl-error", "gl.createTexture() returned null");
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA32F, width, height);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.bindTexture(gl.TEXTURE_2D, null);
    return texture;
  }

  /** Runs `draw` with `texture` as the colour target and a width×height viewport; restores the previous state. */
  #renderInto(texture: WebGLTexture, width: number, height: number, draw: () => void): void {
    const gl = this.#gl;
    const previousFramebuffer = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    const previousViewport = viewportOf(gl);
    const scissor = gl.isEnabled(gl.SCISSOR_TEST);
    const framebuffer = gl.createFramebuffer();
    if (framebuffer === null) throw new RendererError("webgl-error", "gl.createFramebuffer() returned null");
    try {
      gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
      const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
      if (status !== gl.FRAMEBUFFER_COMPLETE) {
        throw new RendererError(
          "webgl-error",
          `A float framebuffer is incomplete (status 0x${status.toString(16)})`,
        );
      }
      gl.disable(gl.SCISSOR_TEST);
      gl.viewport(0, 0, width, height);
      draw();
    } finally {
      gl.bindFramebuffer(gl.FRAMEBUFFER, previousFramebuffer);
      gl.viewport(...previousViewport);
      if (scissor) gl.enable(gl.SCISSOR_TEST);
      gl.deleteFramebuffer(framebuffer);
    }
  }

  /** RGBA float32 texels of a float texture, rows top-down (image row 0 first). */
  #readTexture(texture: WebGLTexture, width: number, height: number): Float32Array {
    const gl = this.#gl;
    const bottomUp = new Float32Array(width * height * 4);
    const previousFramebuffer = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    const framebuffer = gl.createFramebuffer();
    if (framebuffer === null) throw new RendererError("webgl-error", "gl.createFramebuffer() returned null");
    try {
      gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
      gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, texture, 0);
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.FLOAT, bottomUp);
    } finally {
      gl.bindFramebuffer(gl.FRAMEBUFFER, previousFramebuffer);
      gl.deleteFramebuffer(framebuffer);
    }
    // The image was drawn with row 0 at the top of the viewport, i.e. the last framebuffer row.
    const out = new Float32Array(bottomUp.length);
    const row = width * 4;
    for (let y = 0; y < height; y++)
      out.set(bottomUp.subarray((height - 1 - y) * row, (height - y) * row), y * row);
    return out;
  }
}

/** Width of each half of a side-by-side viewport `viewportWidth` wide with a divider between them. */
export function sideBySideWidth(viewportWidth: number, dividerWidth: number): number {
  return Math.max(1, Math.floor((viewportWidth - dividerWidth) / 2));
}

function viewportOf(gl: WebGL2RenderingContext): [number, number, number, number] {
  const v = gl.getParameter(gl.VIEWPORT) as Int32Array;
  return [v[0]!, v[1]!, v[2]!, v[3]!];
}

function withScissor(
  gl: WebGL2RenderingContext,
  box: [number, number, number, number],
  draw: () => void,
): void {
  const enabled = gl.isEnabled(gl.SCISSOR_TEST);
  const previous = gl.getParameter(gl.SCISSOR_BOX) as Int32Array;
  gl.enable(gl.SCISSOR_TEST);
  gl.scissor(box[0], box[1], Math.max(0, box[2]), Math.max(0, box[3]));
  try {
    draw();
  } finally {
    gl.scissor(previous[0]!, previous[1]!, previous[2]!, previous[3]!);
    if (!enabled) gl.disable(gl.SCISSOR_TEST);
  }
}

function fillRect(
  gl: WebGL2RenderingContext,
  box: [number, number, number, number],
  color: [number, number, number, number],
): void {
  if (box[2] <= 0 || box[3] <= 0) return;
  const previous = gl.getParameter(gl.COLOR_CLEAR_VALUE) as Float32Array;
  withScissor(gl, box, () => {
    gl.clearColor(...color);
    gl.clear(gl.COLOR_BUFFER_BIT);
  });
  gl.clearColor(previous[0]!, previous[1]!, previous[2]!, previous[3]!);
}
