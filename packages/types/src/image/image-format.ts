/**
 * Image formats and their buffer sizes.
 *
 * Size rule. Without a pixel format: `width × height × channels(colorModel ?? L) × bytes(channelDatatype ?? U8)`.
 * With a pixel format Iris uses the size the Rerun VIEWER demands (the byte count of its R8 "data texture",
 * `YuvPixelLayout::num_data_buffer_bytes`), because that is what decides whether an image is shown:
 *
 * | format | bytes |
 * |---|---|
 * | Y_U_V24_* (4:4:4) | 3·w·h |
 * | Y_U_V16_*, YUY2 (4:2:2) | 2·w·h |
 * | Y_U_V12_*, NV12 (4:2:0) | w·(h + ⌊h/2⌋) |
 * | Y8_* | w·h |
 * | Bayer*8 (Rerun 0.41) | w·h |
 *
 * Odd sizes are accepted exactly when this formula is met, i.e. every positive width and height is accepted as
 * long as the buffer has exactly that many bytes — the same set of buffers the real viewer uploads. Where
 * Rerun's SDK helpers (`PixelFormat::num_bytes`, C++ `pixel_format_num_bytes`) disagree:
 * - Y_U_V24: the SDK says 4·w·h (an upstream bug); Iris, like the viewer, requires 3·w·h and rejects 4·w·h.
 * - 4:2:0 (Y_U_V12, NV12): the SDK says ⌊1.5·w·h⌋; this equals w·(h + ⌊h/2⌋) when h is even, but for odd h the
 *   SDK asks for ⌊w/2⌋ more bytes — e.g. 4×3: SDK 18, viewer/Iris 16; 3×3: SDK 13, viewer/Iris 12. Iris follows
 *   the viewer and rejects the SDK's size for odd heights.
 * - 4:2:2 and Y8 agree for every size.
 *
 * How pixels of odd-sized subsampled images are sampled is documented in `pixel-reader.ts`: Iris follows the
 * addressing of Rerun's viewer shader (missing samples read 0, as its out-of-bounds texel loads), except where
 * that shader contradicts Rerun's documented plane layout (V plane start with an odd number of chroma rows, the
 * NV12 UV plane for odd heights) — see docs/rerun-differences.md, measured by tests/differential.
 */
import {
  type ChannelDatatype,
  type ColorModel,
  type PixelFormat,
  ChannelDatatype as CD,
  ColorModel as CM,
  PixelFormat as PF,
  channelDatatypeBytes,
  channelDatatypeName,
  colorModelChannels,
  colorModelName,
  parseChannelDatatype,
  parseColorModel,
  parsePixelFormat,
  pixelFormatName,
} from "./enums.ts";
import { ImageFormatError } from "./image-format-error.ts";
import { pixelFormatInfo } from "./pixel-format-info.ts";
import { bayerLayoutOfPixelFormat } from "./bayer-pixel-format.ts";

/** `rerun.datatypes.ImageFormat`: `pixelFormat`, when set, excludes `colorModel` and `channelDatatype`. */
export interface ImageFormat {
  width: number;
  height: number;
  pixelFormat?: PixelFormat;
  colorModel?: ColorModel;
  channelDatatype?: ChannelDatatype;
}

const MAX_DIMENSION = 2 ** 32 - 1;

function checkDimension(name: "width" | "height", value: unknown): void {
  if (value === undefined || value === null) {
    throw new ImageFormatError("missing-format", `Image format has no ${name}`, {
      expected: `${name} (positive integer)`,
      actual: String(value),
    });
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
    throw new ImageFormatError(
      "invalid-dimension",
      `Image ${name} must be an integer in 1…${MAX_DIMENSION}, got ${String(value)}`,
      {
        expected: `integer in 1…${MAX_DIMENSION}`,
        actual: typeof value === "number" ? value : String(value),
      },
    );
  }
}

/**
 * Throws `ImageFormatError` unless `f` is a valid format: "missing-format" (no format / no width or height),
 * "invalid-dimension" (width/height not an integer in 1…2³²−1), "conflicting-format" (pixelFormat together with
 * colorModel or channelDatatype), "unknown-enum" (an enum value outside its table).
 */
export function validateImageFormat(f: ImageFormat): void {
  if (typeof f !== "object" || f === null) {
    throw new ImageFormatError("missing-format", `Image format must be an object, got ${String(f)}`, {
      expected: "{ width, height, … }",
      actual: String(f),
    });
  }
  checkDimension("width", f.width);
  checkDimension("height", f.height);
  if (f.pixelFormat !== undefined) {
    if (f.colorModel !== undefined || f.channelDatatype !== undefined) {
      const others = [
        f.colorModel !== undefined ? "colorModel" : undefined,
        f.channelDatatype !== undefined ? "channelDatatype" : undefined,
      ].filter((x) => x !== undefined);
      throw new ImageFormatError(
        "conflicting-format",
        `Image format sets pixelFormat together with ${others.join(" and ")}; expected pixelFormat alone`,
        { expected: "pixelFormat alone", actual: `pixelFormat + ${others.join(" + ")}` },
      );
    }
    parsePixelFormat(f.pixelFormat);
    return;
  }
  if (f.colorModel !== undefined) parseColorModel(f.colorModel);
  if (f.channelDatatype !== undefined) parseChannelDatatype(f.channelDatatype);
}

/**
 * An `ImageFormat` as a program writes it: each enum as its value or its name, e.g.
 * `{ width: 640, height: 480, colorModel: "RGB", channelDatatype: "U8" }` or `{ …, pixelFormat: "NV12" }`.
 */
export interface ImageFormatInput {
  width: number;
  height: number;
  pixelFormat?: PixelFormat | keyof typeof PF;
  colorModel?: ColorModel | keyof typeof CM;
  channelDatatype?: ChannelDatatype | keyof typeof CD;
}

/** Validates an `ImageFormatInput` and returns it with every enum as its value (what goes on the wire). */
export function toImageFormat(input: ImageFormatInput): ImageFormat {
  validateImageFormat(input as ImageFormat);
  const format: ImageFormat = { width: input.width, height: input.height };
  if (input.pixelFormat !== undefined) format.pixelFormat = parsePixelFormat(input.pixelFormat);
  if (input.colorModel !== undefined) format.colorModel = parseColorModel(input.colorModel);
  if (input.channelDatatype !== undefined)
    format.channelDatatype = parseChannelDatatype(input.channelDatatype);
  return format;
}

/** Effective colour model of a non-pixel-format image (Rerun's default is L). */
export function effectiveColorModel(f: ImageFormat): ColorModel {
  return f.colorModel ?? CM.L;
}

/** Effective channel datatype: U8 for pixel formats, else `channelDatatype ?? U8`. */
export function effectiveChannelDatatype(f: ImageFormat): ChannelDatatype {
  return f.pixelFormat !== undefined ? CD.U8 : (f.channelDatatype ?? CD.U8);
}

/** Exact number of bytes an image of this format occupies (see the size rule at the top of this file). */
export function imageSizeBytes(f: ImageFormat): number {
  validateImageFormat(f);
  const { width: w, height: h } = f;
  let size: number;
  if (bayerLayoutOfPixelFormat(f.pixelFormat) !== undefined) {
    size = w * h;
  } else if (f.pixelFormat !== undefined) {
    switch (pixelFormatInfo(f.pixelFormat).layout) {
      case "Y_U_V444":
        size = 3 * w * h;
        break;
      case "Y_U_V422":
      case "YUYV422":
        size = 2 * w * h;
        break;
      case "Y_U_V420":
      case "Y_UV420":
        size = w * (h + Math.floor(h / 2));
        break;
      case "Y400":
        size = w * h;
        break;
    }
  } else {
    size =
      w * h * colorModelChannels(effectiveColorModel(f)) * channelDatatypeBytes(effectiveChannelDatatype(f));
  }
  if (!Number.isSafeInteger(size)) {
    throw new ImageFormatError(
      "invalid-dimension",
      `Image of ${describeImageFormat(f)} would need ${size} bytes, more than ${Number.MAX_SAFE_INTEGER}`,
      { expected: `at most ${Number.MAX_SAFE_INTEGER} bytes`, actual: size },
    );
  }
  return size;
}

/** "300×200 RGB U8", "1920×1080 NV12"; colour model and datatype default to L and U8. */
export function describeImageFormat(f: ImageFormat): string {
  const size = `${f.width}×${f.height}`;
  if (f.pixelFormat !== undefined) return `${size} ${pixelFormatName(f.pixelFormat)}`;
  return `${size} ${colorModelName(effectiveColorModel(f))} ${channelDatatypeName(effectiveChannelDatatype(f))}`;
}

/** Throws "size-mismatch" unless `bytes` has exactly `imageSizeBytes(f)` bytes (after validating `f`). */
export function validateImageBuffer(bytes: Uint8Array, f: ImageFormat): void {
  const expected = imageSizeBytes(f);
  if (!(bytes instanceof Uint8Array)) {
    throw new ImageFormatError(
      "unsupported-array",
      `Image buffer must be a Uint8Array, got ${typeName(bytes)}`,
      {
        expected: "Uint8Array",
        actual: typeName(bytes),
      },
    );
  }
  if (bytes.byteLength !== expected) {
    throw new ImageFormatError(
      "size-mismatch",
      `Image buffer has ${bytes.byteLength} bytes, expected ${expected} (${describeImageFormat(f)})`,
      { expected, actual: bytes.byteLength },
    );
  }
}

function typeName(x: unknown): string {
  if (typeof x === "object" && x !== null) return x.constructor?.name ?? "object";
  return typeof x;
}
