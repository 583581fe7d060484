/**
 * Draws images as textured rectangles with WebGL2 (the long-lived part, like Rerun's rectangle renderer):
 * owns the shader programs (one per sampler kind × format defines, compiled on first use and cached), the
 * colormap lookup textures and an empty vertex array; `upload` returns a `GpuImage` the caller destroys.
 *
 * `draw` changes only uniforms and texture bindings: value range, colormap, filter and opacity never cause an
 * upload (see `stats.textureUploads`). It renders into whatever framebuffer and viewport are bound, leaves
 * depth/stencil state alone, and sets: program, vertex array, texture units 0–1, blend state.
 */
import {
  type ColormapName,
  colormapNames,
  colormapTable,
  discreteColormaps,
  isColormapName,
} from "./colormap.ts";
import { type GpuImageDesc } from "./gpu-image-format.ts";
import { type GpuImage, ImageTexture } from "./image-texture.ts";
import { type ViewFromImage, clipFromImageMatrix } from "./placement.ts";
import { RendererError } from "./renderer-error.ts";
import { type RendererStats, createRendererStats } from "./renderer-stats.ts";
import {
  type ImageProgramKey,
  imageFragmentSource,
  programKeyString,
} from "./shaders/image-fragment.glsl.ts";
import { imageVertexSource } from "./shaders/image-vertex.glsl.ts";
import { ShaderProgram } from "./shaders/shader-program.ts";

export interface ImageRendererProps {
  /**
   * Largest texture edge to use; defaults to the device's MAX_TEXTURE_SIZE and is capped by it. Smaller
   * values force tiling (useful in tests).
   */
  maxTextureSize?: number;
}

export type MagnificationMode = "nearest" | "linear";

/** How the image's colour combines with the framebuffer. */
export type BlendMode =
  /** Premultiplied "over" blending (ONE, ONE_MINUS_SRC_ALPHA): the shader outputs premultiplied colour. */
  | "over"
  /** No blending: the straight (non-premultiplied) colour and alpha × opacity replace the framebuffer. */
  | "replace";

export interface DrawImageOptions {
  /** Image pixels → view pixels (see `ViewFromImage`). */
  viewFromImage: ViewFromImage;
  /**
   * Raw values mapped to [0, 1] (per channel, alpha included; clamped; NaN → 0). Defaults to
   * `image.defaultValueRange` (Rerun's heuristic). Both ends must be finite; lo = hi is drawn as a step at
   * that value (see `drawableValueRange`). Ignored by pixel-format images and UYVY; applied to every
   * demosaiced colour of Bayer mosaics (Iris extension).
   */
  valueRange?: readonly [number, number];
  /** Applied to single-channel images only; default "grey" (no lookup). */
  colormap?: ColormapName;
  /** Default "nearest". "linear" blends the 2×2 nearest decoded texels (in premultiplied space). */
  magnification?: MagnificationMode;
  /** Multiplies alpha; clamped to [0, 1]; default 1. */
  opacity?: number;
  /** Default "over". */
  blend?: BlendMode;
  /**
   * What the bound framebuffer holds: "srgb" (default; e.g. the canvas) or "linear" (a `LinearCompositor`
   * target, where blending happens in linear light as in Rerun).
   */
  target?: "srgb" | "linear";
}

/**
 * The range actually used for `range`: unchanged unless lo = hi (a constant image whose heuristic range
 * [v − 1, v + 1] collapses in float64, e.g. U64 max or 1e300, or a manual range of one value). Then it is widened
 * symmetrically by max(1, |lo|·2⁻¹⁶), so that the value itself maps to the middle (0.5, as Rerun's heuristic
 * intends for constant images), values below to 0 and above to 1. Same rule as the CPU reference
 * (`decodeImageToRgba8`).
 */
export function drawableValueRange(range: readonly [number, number]): readonly [number, number] {
  const [lo, hi] = range;
  if (lo !== hi) return range;
  const d = Math.max(1, Math.abs(lo) * 2 ** -16);
  return [lo - d, hi + d];
}

export class ImageRenderer {
  readonly stats: RendererStats = createRendererStats();
  readonly maxTextureSize: number;

  readonly #gl: WebGL2RenderingContext;
  readonly #programs = new Map<string, ShaderProgram>();
  readonly #colormaps = new Map<ColormapName, WebGLTexture>();
  readonly #vertexArray: WebGLVertexArrayObject;
  #destroyed = false;

  constructor(gl: WebGL2RenderingContext, props: ImageRendererProps = {}) {
    this.#gl = gl;
    const deviceMax = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    const wanted = props.maxTextureSize ?? deviceMax;
    if (!Number.isInteger(wanted) || wanted < 1) {
      throw new RendererError("invalid-option", `maxTextureSize must be a positive integer, got ${wanted}`, {
        expected: "integer ≥ 1",
        actual: String(wanted),
      });
    }
    this.maxTextureSize = Math.min(wanted, deviceMax);
    const vertexArray = gl.createVertexArray();
    if (vertexArray === null) throw new RendererError("webgl-error", "gl.createVertexArray() returned null");
    this.#vertexArray = vertexArray;
  }

  /** Uploads an image once, in its native type (validates format and size; see `image-texture.ts`). */
  upload(desc: GpuImageDesc): GpuImage {
    this.#checkAlive();
    return new ImageTexture(this.#gl, desc, { maxTextureSize: this.maxTextureSize, stats: this.stats });
  }

  /** Draws `image` into the bound framebuffer (one quad per tile). */
  draw(image: GpuImage, options: DrawImageOptions): void {
    this.#checkAlive();
    if (image.destroyed) throw new RendererError("destroyed", "Cannot draw a destroyed GpuImage");
    const gl = this.#gl;
    const opacity = options.opacity ?? 1;
    if (!Number.isFinite(opacity)) {
      throw new RendererError("invalid-option", `opacity must be a finite number, got ${opacity}`, {
        expected: "number in [0, 1]",
        actual: String(opacity),
      });
    }
    const colormap = options.colormap ?? "grey";
    if (!isColormapName(colormap)) {
      throw new RendererError("invalid-option", `Unknown colormap "${String(colormap)}"`, {
        expected: colormapNames.join(", "),
        actual: String(colormap),
      });
    }
    const requested = options.valueRange ?? image.defaultValueRange;
    if (!Number.isFinite(requested[0]) || !Number.isFinite(requested[1])) {
      throw new RendererError("invalid-option", `valueRange must be two finite numbers`, {
        expected: "[lo, hi], both finite",
        actual: `[${String(requested[0])}, ${String(requested[1])}]`,
      });
    }
    // Degenerate ranges are widened relative to the stored values (U64/I64/F64 are stored minus `valueOffset`),
    // so that a constant 1e300 image still maps to the middle in float32.
    const offset = image.valueOffset;
    const [loRelative, hiRelative] = drawableValueRange([requested[0] - offset, requested[1] - offset]);
    const lo = loRelative + offset;
    const viewport = gl.getParameter(gl.VIEWPORT) as Int32Array;
    const clipFromImage = clipFromImageMatrix(options.viewFromImage, viewport[2]!, viewport[3]!);
    const blend = options.blend ?? "over";

    const program = this.#programFor(image);
    gl.useProgram(program.program);
    gl.bindVertexArray(this.#vertexArray);
    if (blend === "over") {
      gl.enable(gl.BLEND);
      gl.blendEquation(gl.FUNC_ADD);
      gl.blendFuncSeparate(gl.ONE, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    } else {
      gl.disable(gl.BLEND);
    }

    gl.uniformMatrix4fv(program.uniform("u_clipFromImage"), false, clipFromImage);
    gl.uniform2i(program.uniform("u_imageSize"), image.width, image.height);
    gl.uniform1i(program.uniform("u_dataWidth"), Math.max(1, image.dataTextureWidth));
    gl.uniform1i(
      program.uniform("u_dataSize"),
      image.format.kind === "channels" ? 0 : image.format.sizeBytes,
    );
    gl.uniform1f(program.uniform("u_valueScale"), image.textureFormat.valueScale);
    this.#setRange(program, image, lo, loRelative, 1 / (hiRelative - loRelative));
    gl.uniform1i(program.uniform("u_linear"), options.magnification === "linear" ? 1 : 0);
    gl.uniform1i(program.uniform("u_useColormap"), colormap === "grey" ? 0 : 1);
    gl.uniform1f(program.uniform("u_opacity"), opacity);
    gl.uniform1i(program.uniform("u_linearColor"), image.linearColor ? 1 : 0);
    gl.uniform1i(program.uniform("u_linearOutput"), options.target === "linear" ? 1 : 0);
    gl.uniform1i(program.uniform("u_premultiplyOutput"), blend === "over" ? 1 : 0);
    gl.uniform1i(program.uniform("u_texture"), 0);
    gl.uniform1i(program.uniform("u_colormap"), 1);

    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.#colormapTexture(colormap));
    gl.activeTexture(gl.TEXTURE0);
    this.#drawTiles(program, image);
  }

  /**
   * Compare mode: writes the DECODED VALUES of `image` (see VALUES_OUTPUT in image-fragment.glsl.ts: raw values,
   * YUV as 8-bit RGB, Bayer demosaiced) into the bound framebuffer, which should be RGBA32F (EXT_color_buffer_float),
   * with the same decoders `draw` uses. Nearest sampling, no blending; alpha = `opaqueValue` for images without
   * an alpha channel.
   */
  drawValues(image: GpuImage, options: { viewFromImage: ViewFromImage; opaqueValue: number }): void {
    this.#checkAlive();
    if (image.destroyed) throw new RendererError("destroyed", "Cannot draw a destroyed GpuImage");
    const gl = this.#gl;
    const viewport = gl.getParameter(gl.VIEWPORT) as Int32Array;
    const program = this.#programFor(image, true);
    gl.useProgram(program.program);
    gl.bindVertexArray(this.#vertexArray);
    gl.disable(gl.BLEND);
    gl.uniformMatrix4fv(
      program.uniform("u_clipFromImage"),
      false,
      clipFromImageMatrix(options.viewFromImage, viewport[2]!, viewport[3]!),
    );
    gl.uniform2i(program.uniform("u_imageSize"), image.width, image.height);
    gl.uniform1i(program.uniform("u_dataWidth"), Math.max(1, image.dataTextureWidth));
    gl.uniform1i(
      program.uniform("u_dataSize"),
      image.format.kind === "channels" ? 0 : image.format.sizeBytes,
    );
    gl.uniform1f(program.uniform("u_valueScale"), image.textureFormat.valueScale);
    // Range [0, 1] with no clamp: t = raw.
    gl.uniform1f(program.uniform("u_rangeScale"), 1);
    gl.uniform1f(program.uniform("u_rangeLo"), 0);
    gl.uniform1f(program.uniform("u_rangeLoFrac"), 0);
    if (image.textureFormat.samplerKind === "uint") gl.uniform1ui(program.uniform("u_rangeLoInt"), 0);
    else gl.uniform1i(program.uniform("u_rangeLoInt"), 0);
    gl.uniform1f(program.uniform("u_opaqueValue"), options.opaqueValue);
    gl.uniform1f(program.uniform("u_valueOffset"), image.valueOffset);
    gl.uniform1i(program.uniform("u_texture"), 0);
    gl.activeTexture(gl.TEXTURE0);
    this.#drawTiles(program, image);
  }

  /** Draws every tile of `image` with `program` (bound, uniforms set, texture unit 0 active), then unbinds. */
  #drawTiles(program: { uniform(name: string): WebGLUniformLocation | null }, image: GpuImage): void {
    const gl = this.#gl;
    for (const tile of image.tiles) {
      gl.bindTexture(gl.TEXTURE_2D, tile.texture);
      gl.uniform4f(program.uniform("u_tileRect"), ...tile.drawRect);
      gl.uniform2i(program.uniform("u_textureOrigin"), ...tile.textureOrigin);
      gl.uniform2i(program.uniform("u_textureSize"), ...tile.textureSize);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
      this.stats.drawCalls += 1;
    }
    gl.bindTexture(gl.TEXTURE_2D, null);
    gl.bindVertexArray(null);
  }

  /** Frees programs, colormap textures and the vertex array (not the images: destroy those yourself). */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const gl = this.#gl;
    for (const program of this.#programs.values()) program.destroy();
    this.#programs.clear();
    for (const texture of this.#colormaps.values()) gl.deleteTexture(texture);
    this.#colormaps.clear();
    gl.deleteVertexArray(this.#vertexArray);
  }

  #checkAlive(): void {
    if (this.#destroyed) throw new RendererError("destroyed", "This ImageRenderer was destroyed");
  }

  /** `lo` absolute, `loRelative` = lo − image.valueOffset (computed before widening a degenerate range). */
  #setRange(program: ShaderProgram, image: GpuImage, lo: number, loRelative: number, scale: number): void {
    const gl = this.#gl;
    gl.uniform1f(program.uniform("u_rangeScale"), scale);
    const kind = image.textureFormat.samplerKind;
    // Pixel formats ignore the range; Iris Bayer mosaics normalise their float demosaic results with u_rangeLo.
    if (image.format.kind !== "channels" || kind === "float") {
      gl.uniform1f(program.uniform("u_rangeLo"), loRelative);
      return;
    }
    // Integer textures: the integer part of lo is subtracted exactly in the shader, the rest in float.
    const [min, max] = kind === "uint" ? [0, 4294967295] : [-2147483648, 2147483647];
    const loInt = Math.min(max, Math.max(min, Math.floor(lo)));
    if (kind === "uint") gl.uniform1ui(program.uniform("u_rangeLoInt"), loInt);
    else gl.uniform1i(program.uniform("u_rangeLoInt"), loInt);
    gl.uniform1f(program.uniform("u_rangeLoFrac"), lo - loInt);
  }

  #programFor(image: GpuImage, valuesOutput = false): ShaderProgram {
    const format = image.format;
    const formatKey: ImageProgramKey =
      format.kind === "bayer"
        ? {
            samplerKind: "uint",
            channels: 3,
            swizzleBgr: false,
            yuvLayout: 0,
            yuvLimitedRange: false,
            yuvBt601: false,
            bayer: 1 + format.redPosition[0] + 2 * format.redPosition[1],
            bayerClamp: format.edges === "clamp",
          }
        : format.kind === "yuv"
          ? {
              samplerKind: image.textureFormat.samplerKind,
              channels: 0,
              swizzleBgr: false,
              yuvLayout: format.layout,
              yuvLimitedRange: format.limitedRange,
              yuvBt601: format.matrix === "bt601",
            }
          : {
              samplerKind: image.textureFormat.samplerKind,
              channels: format.channels,
              swizzleBgr: format.swizzleBgr,
              yuvLayout: 0,
              yuvLimitedRange: false,
              yuvBt601: false,
            };
    const key: ImageProgramKey = valuesOutput ? { ...formatKey, valuesOutput } : formatKey;
    const keyString = programKeyString(key);
    let program = this.#programs.get(keyString);
    if (program === undefined) {
      program = new ShaderProgram(this.#gl, {
        vertex: imageVertexSource,
        fragment: imageFragmentSource(key),
        label: `image ${keyString}`,
      });
      this.#programs.set(keyString, program);
      this.stats.programsCompiled += 1;
    }
    return program;
  }

  /** The 256×1 RGBA8 lookup texture of a colormap (created once per renderer; compare mode reuses it). */
  colormapTexture(name: ColormapName): WebGLTexture {
    this.#checkAlive();
    return this.#colormapTexture(name);
  }

  #colormapTexture(name: ColormapName): WebGLTexture {
    let texture = this.#colormaps.get(name);
    if (texture !== undefined) return texture;
    const gl = this.#gl;
    const created = gl.createTexture();
    if (created === null) throw new RendererError("webgl-error", "gl.createTexture() returned null");
    texture = created;
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 256, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, colormapTable(name));
    // Categorical maps (grid-map palettes) at the nearest entry, gradients interpolated between entries.
    const filter = discreteColormaps.has(name) ? gl.NEAREST : gl.LINEAR;
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, filter);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, filter);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    this.#colormaps.set(name, texture);
    this.stats.colormapUploads += 1;
    return texture;
  }
}
