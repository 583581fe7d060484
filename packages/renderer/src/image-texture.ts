/**
 * An image uploaded once, in its native type, into one or more WebGL2 textures.
 *
 * - Colour-model images: one texture per tile of the grid from `tile-grid.ts` (a single tile unless the image
 *   is larger than the max texture size). Rows are uploaded straight from the caller's buffer with
 *   UNPACK_ALIGNMENT 1 and UNPACK_ROW_LENGTH / SKIP_PIXELS / SKIP_ROWS, so odd widths and 3-channel rows
 *   need no padding and tiles need no CPU copy.
 * - Pixel-format images: one R8UI "data texture" with the raw bytes, shaped like Rerun's viewer shapes it
 *   (row width w, or 2w for YUY2; w·3h for 4:4:4, w·2h for 4:2:2, w·(h+⌊h/2⌋) for 4:2:0/NV12, w·h for Y8). The
 *   shader addresses it by byte index, so when that shape exceeds the max texture size the same bytes are
 *   re-wrapped into rows of `maxTextureSize` bytes (one padded copy) — up to maxTextureSize² bytes
 *   (64 MiB at 8192), beyond which `upload` throws "too-large".
 * - Iris extension Bayer mosaics: one R8UI / R16UI data texture of the raw samples (w × h, or re-wrapped into
 *   rows of `maxTextureSize` samples like the pixel formats), because the demosaic reads a 3×3 neighbourhood
 *   by sample index; UYVY is a pixel-format data texture (2w bytes per row).
 */
import {
  type BayerImageFormat,
  type ChannelImageFormat,
  type GpuImageDesc,
  type GpuImageFormat,
  ColorModel,
  YuvLayout,
  resolveGpuImageFormat,
} from "./gpu-image-format.ts";
import { RendererError } from "./renderer-error.ts";
import type { RendererStats } from "./renderer-stats.ts";
import { colorValuesAreLinear, defaultValueRange, sourceDataOf } from "./source-data.ts";
import { type TextureFormat, textureFormatFor } from "./texture-format.ts";
import { tileSpans } from "./tile-grid.ts";

/** One texture of an image and the part of the image it draws. */
export interface ImageTile {
  readonly texture: WebGLTexture;
  /** Drawn image pixels [x0, y0, x1, y1). */
  readonly drawRect: readonly [number, number, number, number];
  /** Image pixel stored at texel (0, 0). */
  readonly textureOrigin: readonly [number, number];
  readonly textureSize: readonly [number, number];
}

export interface ImageTextureOptions {
  /** Largest texture edge to use (≤ the device's MAX_TEXTURE_SIZE); smaller values force tiling. */
  readonly maxTextureSize: number;
  readonly stats: RendererStats;
}

export class ImageTexture {
  readonly width: number;
  readonly height: number;
  readonly format: GpuImageFormat;
  readonly textureFormat: TextureFormat;
  readonly tiles: readonly ImageTile[];
  /** Stored value = raw value − `valueOffset` (non-zero only for U64/I64/F64, see `source-data.ts`). */
  readonly valueOffset: number;
  /** Finite min/max of the data (undefined for U8, pixel formats, and images without finite values). */
  readonly finiteRange: readonly [number, number] | undefined;
  /** Range `draw` uses when none is given: Rerun's heuristic ([0, 255] for U8; unused for pixel formats). */
  readonly defaultValueRange: readonly [number, number];
  /**
   * True for 3/4-channel images whose normalised colour is linear and is shown sRGB-encoded (data not within
   * [0, 255]; see `colorValuesAreLinear` in source-data.ts). False for everything else.
   */
  readonly linearColor: boolean;
  /** Row width in texels of the pixel-format data texture (0 for colour-model images). */
  readonly dataTextureWidth: number;
  /** GPU bytes of all tiles. */
  readonly gpuSizeBytes: number;

  readonly #gl: WebGL2RenderingContext;
  readonly #stats: RendererStats;
  #destroyed = false;

  constructor(gl: WebGL2RenderingContext, desc: GpuImageDesc, options: ImageTextureOptions) {
    this.#gl = gl;
    this.#stats = options.stats;
    const format = resolveGpuImageFormat(desc);
    this.format = format;
    this.width = format.width;
    this.height = format.height;
    this.textureFormat = textureFormatFor(gl, format);
    const tiles: ImageTile[] = [];
    try {
      if (format.kind === "bayer") {
        // Value statistics and Rerun's range heuristic exactly as for an L image of the same datatype.
        const asL = bayerAsL(format);
        const source = sourceDataOf(desc.bytes, asL);
        this.valueOffset = 0;
        this.finiteRange = source.finiteRange;
        this.defaultValueRange = defaultValueRange(asL, source.finiteRange);
        this.linearColor = false;
        const shaped = bayerDataShape(
          format,
          source.data as Uint8Array | Uint16Array,
          options.maxTextureSize,
        );
        this.dataTextureWidth = shaped.width;
        tiles.push(
          this.#createTexture(shaped.data, {
            drawRect: [0, 0, format.width, format.height],
            textureOrigin: [0, 0],
            textureSize: [shaped.width, shaped.height],
            rowLength: shaped.width,
          }),
        );
      } else if (format.kind === "yuv") {
        this.valueOffset = 0;
        this.finiteRange = undefined;
        this.defaultValueRange = [0, 255];
        this.linearColor = false;
        const shaped = yuvDataShape(format, desc.bytes, options.maxTextureSize);
        this.dataTextureWidth = shaped.width;
        tiles.push(
          this.#createTexture(shaped.bytes, {
            drawRect: [0, 0, format.width, format.height],
            textureOrigin: [0, 0],
            textureSize: [shaped.width, shaped.height],
            rowLength: shaped.width,
          }),
        );
      } else {
        const source = sourceDataOf(desc.bytes, format);
        this.valueOffset = source.valueOffset;
        this.finiteRange = source.finiteRange;
        this.defaultValueRange = defaultValueRange(format, source.finiteRange);
        this.linearColor = colorValuesAreLinear(format, source.finiteRange);
        this.dataTextureWidth = 0;
        for (const ys of tileSpans(format.height, options.maxTextureSize)) {
          for (const xs of tileSpans(format.width, options.maxTextureSize)) {
            tiles.push(
              this.#createTexture(source.data, {
                drawRect: [xs.start, ys.start, xs.end, ys.end],
                textureOrigin: [xs.textureStart, ys.textureStart],
                textureSize: [xs.textureEnd - xs.textureStart, ys.textureEnd - ys.textureStart],
                rowLength: format.width,
              }),
            );
          }
        }
      }
    } catch (error) {
      for (const tile of tiles) this.#deleteTexture(tile);
      throw error;
    }
    this.tiles = tiles;
    this.gpuSizeBytes = tiles.reduce((sum, t) => sum + this.#tileBytes(t), 0);
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Frees the GPU textures. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const tile of this.tiles) this.#deleteTexture(tile);
  }

  #tileBytes(tile: ImageTile): number {
    return tile.textureSize[0] * tile.textureSize[1] * this.textureFormat.texelBytes;
  }

  #deleteTexture(tile: ImageTile): void {
    this.#gl.deleteTexture(tile.texture);
    this.#stats.liveTextures -= 1;
    this.#stats.liveTextureBytes -= this.#tileBytes(tile);
  }

  #createTexture(
    data: ArrayBufferView,
    place: Omit<ImageTile, "texture"> & { readonly rowLength: number },
  ): ImageTile {
    const gl = this.#gl;
    const texture = gl.createTexture();
    if (texture === null) {
      throw new RendererError("webgl-error", "gl.createTexture() returned null (context lost?)");
    }
    const { internalFormat, format, type } = this.textureFormat;
    const [width, height] = place.textureSize;
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, place.rowLength);
    gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, place.textureOrigin[0]);
    gl.pixelStorei(gl.UNPACK_SKIP_ROWS, place.textureOrigin[1]);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texImage2D(gl.TEXTURE_2D, 0, internalFormat, width, height, 0, format, type, data);
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, 0);
    gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, 0);
    gl.pixelStorei(gl.UNPACK_SKIP_ROWS, 0);
    // Shaders only use texelFetch; NEAREST without mipmaps keeps integer textures complete.
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.bindTexture(gl.TEXTURE_2D, null);
    const tile: ImageTile = {
      texture,
      drawRect: place.drawRect,
      textureOrigin: place.textureOrigin,
      textureSize: place.textureSize,
    };
    this.#stats.textureUploads += 1;
    this.#stats.uploadedBytes += width * height * this.textureFormat.texelBytes;
    this.#stats.liveTextures += 1;
    this.#stats.liveTextureBytes += this.#tileBytes(tile);
    return tile;
  }
}

/** The image handle returned by `ImageRenderer.upload`. */
export type GpuImage = ImageTexture;

function yuvDataShape(
  format: Extract<GpuImageFormat, { kind: "yuv" }>,
  bytes: Uint8Array,
  maxTextureSize: number,
): { bytes: Uint8Array; width: number; height: number } {
  const rowWidth =
    format.layout === YuvLayout.YUYV422 || format.layout === YuvLayout.UYVY422
      ? 2 * format.width
      : format.width;
  const rows = format.sizeBytes / rowWidth;
  if (rowWidth <= maxTextureSize && rows <= maxTextureSize) return { bytes, width: rowWidth, height: rows };
  const width = maxTextureSize;
  const height = Math.ceil(format.sizeBytes / width);
  if (height > maxTextureSize) {
    throw new RendererError(
      "too-large",
      `A ${format.width}×${format.height} pixel-format image has ${format.sizeBytes} bytes, more than one ` +
        `${maxTextureSize}×${maxTextureSize} data texture holds`,
      { expected: `at most ${maxTextureSize * maxTextureSize} bytes`, actual: `${format.sizeBytes} bytes` },
    );
  }
  const padded = new Uint8Array(width * height);
  padded.set(bytes);
  return { bytes: padded, width, height };
}

function bayerAsL(format: BayerImageFormat): ChannelImageFormat {
  return {
    kind: "channels",
    width: format.width,
    height: format.height,
    colorModel: ColorModel.L,
    channelDatatype: format.channelDatatype,
    channels: 1,
    bytesPerChannel: format.bytesPerSample,
    swizzleBgr: false,
    isFloat: false,
    sizeBytes: format.sizeBytes,
  };
}

/** The mosaic's natural w × h shape, or its samples re-wrapped into rows of `maxTextureSize` (one copy). */
function bayerDataShape(
  format: BayerImageFormat,
  data: Uint8Array | Uint16Array,
  maxTextureSize: number,
): { data: Uint8Array | Uint16Array; width: number; height: number } {
  if (format.width <= maxTextureSize && format.height <= maxTextureSize)
    return { data, width: format.width, height: format.height };
  const count = format.width * format.height;
  const width = maxTextureSize;
  const height = Math.ceil(count / width);
  if (height > maxTextureSize) {
    throw new RendererError(
      "too-large",
      `A ${format.width}×${format.height} Bayer mosaic has ${count} samples, more than one ` +
        `${maxTextureSize}×${maxTextureSize} data texture holds`,
      { expected: `at most ${maxTextureSize * maxTextureSize} samples`, actual: `${count} samples` },
    );
  }
  const padded =
    data instanceof Uint16Array ? new Uint16Array(width * height) : new Uint8Array(width * height);
  padded.set(data);
  return { data: padded, width, height };
}
