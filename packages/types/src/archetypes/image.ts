import type { AsComponents, ComponentBatch, ComponentColumn } from "../component-batch.ts";
import { batch, column } from "../component-batch.ts";
import { ImageBufferType } from "../components/blob.ts";
import { ImageFormatType } from "../components/image-format-type.ts";
import { float32Component, uint8Component } from "../components/primitive-types.ts";
import {
  type ChannelDatatype,
  type ColorModel,
  type ImageFormat,
  type ImageFormatInput,
  type MagnificationFilter,
  type PixelArray,
  type PixelFormat,
  ChannelDatatype as CD,
  ColorModel as CM,
  ImageFormatError,
  bytesOfArray,
  channelDatatypeBytes,
  checkArrayMatchesDatatype,
  datatypeOfArray,
  parseChannelDatatype,
  parseColorModel,
  parseMagnificationFilter,
  parsePixelFormat,
  toImageFormat,
  validateImageBuffer,
  validateImageFormat,
} from "../image/index.ts";
import { descriptor } from "./archetype-descriptors.ts";

export const ImageDescriptors = {
  buffer: descriptor("Image", "buffer", "ImageBuffer"),
  format: descriptor("Image", "format", "ImageFormat"),
  opacity: descriptor("Image", "opacity", "Opacity"),
  drawOrder: descriptor("Image", "draw_order", "DrawOrder"),
  magnificationFilter: descriptor("Image", "magnification_filter", "MagnificationFilter"),
} as const;

export const OpacityType = float32Component("rerun.components.Opacity");
export const DrawOrderType = float32Component("rerun.components.DrawOrder");
export const MagnificationFilterType = uint8Component("rerun.components.MagnificationFilter");

/** Optional components shared by the constructors. */
export interface ImageStyle {
  /** 0 = invisible, 1 = opaque. */
  opacity?: number;
  /** Higher draws on top; Rerun's default for images is −10. */
  drawOrder?: number;
  magnificationFilter?: MagnificationFilter | "nearest" | "linear" | "bicubic";
}

export interface ImageOptions extends ImageStyle {
  width: number;
  height: number;
  /** Defaults to L, RGB or RGBA from the number of values per pixel. */
  colorModel?: ColorModel | string;
  /** Defaults to the typed array's element type (Uint16Array → U16, Float32Array → F32, …). */
  datatype?: ChannelDatatype | string;
  /** For raw bytes in a pixel format such as NV12; excludes `colorModel` and `datatype`. */
  pixelFormat?: PixelFormat | string;
}

/** Anything shaped like the DOM's ImageData: RGBA8 pixels, row-major. */
export interface ImageDataLike {
  readonly data: Uint8ClampedArray | Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface ImageFields extends ImageStyle {
  buffer?: Uint8Array;
  /** Enums as values or names: `{ width, height, colorModel: "RGB", channelDatatype: "U8" }`. */
  format?: ImageFormatInput;
}

/**
 * Rerun's Image archetype: a raw pixel buffer (`Image:buffer`) plus its `Image:format`, with optional opacity,
 * draw order and magnification filter. Every constructor validates the buffer against the format and throws an
 * `ImageFormatError` naming the expected and actual values; a wrong picture is never produced silently.
 */
export class Image implements AsComponents {
  readonly buffer: Uint8Array | undefined;
  readonly format: ImageFormat | undefined;
  readonly opacity: number | undefined;
  readonly drawOrder: number | undefined;
  readonly magnificationFilter: MagnificationFilter | undefined;
  /** Extra component batches logged after the standard ones (Iris extensions, see image-extensions.ts). */
  readonly extraBatches?: readonly ComponentBatch[];

  /**
   * From a typed array of pixel values, e.g. `new Image(new Uint16Array(w * h), { width: w, height: h })`, or
   * from raw bytes in a pixel format: `new Image(nv12Bytes, { width, height, pixelFormat: "NV12" })`.
   * The typed array is referenced, not copied.
   */
  constructor(pixels: PixelArray | ArrayBuffer, options: ImageOptions) {
    const { format, buffer } = buildFormatAndBuffer(pixels, options);
    this.buffer = buffer;
    this.format = format;
    this.opacity = checkStyleNumber("opacity", options.opacity);
    this.drawOrder = checkStyleNumber("drawOrder", options.drawOrder);
    this.magnificationFilter =
      options.magnificationFilter === undefined
        ? undefined
        : parseMagnificationFilter(options.magnificationFilter);
  }

  /** From an `ImageData` (or anything with RGBA8 `data`, `width`, `height`). */
  static fromImageData(image: ImageDataLike, style: ImageStyle = {}): Image {
    const data = image.data instanceof Uint8ClampedArray ? bytesOfArray(image.data) : image.data;
    return new Image(data, {
      ...style,
      width: image.width,
      height: image.height,
      colorModel: CM.RGBA,
      datatype: CD.U8,
    });
  }

  /**
   * A partial update: only the given fields are logged (e.g. the format once as static data, then buffers over
   * time). Fields given together are validated together.
   */
  static fromFields(fields: ImageFields): Image {
    const image = Object.create(Image.prototype) as { -readonly [K in keyof Image]: Image[K] };
    const format = fields.format === undefined ? undefined : toImageFormat(fields.format);
    if (fields.buffer !== undefined && format !== undefined) validateImageBuffer(fields.buffer, format);
    image.buffer = fields.buffer;
    image.format = format;
    image.opacity = checkStyleNumber("opacity", fields.opacity);
    image.drawOrder = checkStyleNumber("drawOrder", fields.drawOrder);
    image.magnificationFilter =
      fields.magnificationFilter === undefined
        ? undefined
        : parseMagnificationFilter(fields.magnificationFilter);
    return image as Image;
  }

  /**
   * Columns for `sendColumns`: each given array has one entry per row (all arrays the same length).
   * `format`, when given, is validated against every buffer of the same row.
   */
  static columns(columns: {
    buffer?: readonly (Uint8Array | PixelArray)[];
    format?: readonly ImageFormatInput[];
    opacity?: readonly number[];
    drawOrder?: readonly number[];
    magnificationFilter?: readonly (MagnificationFilter | "nearest" | "linear" | "bicubic")[];
  }): ComponentColumn[] {
    checkColumnArrays("Image.columns", columns);
    const lengths = Object.entries(columns)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, (v as readonly unknown[]).length] as const);
    const first = lengths[0];
    for (const [name, length] of lengths) {
      if (first && length !== first[1]) {
        throw new ImageFormatError(
          "size-mismatch",
          `Image.columns: column ${name} has ${length} rows but ${first[0]} has ${first[1]}`,
          { expected: first[1], actual: length },
        );
      }
    }
    const out: ComponentColumn[] = [];
    const formats = columns.format?.map(toImageFormat);
    if (columns.buffer) {
      const buffers = columns.buffer.map((b) => (b instanceof Uint8Array ? b : bytesOfArray(b)));
      if (formats) {
        buffers.forEach((b, i) => validateImageBuffer(b, formats[i]!));
      }
      out.push(
        column(
          ImageDescriptors.buffer,
          ImageBufferType,
          buffers.map((b) => [b]),
        ),
      );
    }
    if (formats) {
      out.push(
        column(
          ImageDescriptors.format,
          ImageFormatType,
          formats.map((f) => [f]),
        ),
      );
    }
    if (columns.opacity) {
      const values = columns.opacity.map((v) => checkStyleNumber("opacity", v)!);
      out.push(
        column(
          ImageDescriptors.opacity,
          OpacityType,
          values.map((v) => [v]),
        ),
      );
    }
    if (columns.drawOrder) {
      const values = columns.drawOrder.map((v) => checkStyleNumber("drawOrder", v)!);
      out.push(
        column(
          ImageDescriptors.drawOrder,
          DrawOrderType,
          values.map((v) => [v]),
        ),
      );
    }
    if (columns.magnificationFilter) {
      const values = columns.magnificationFilter.map((v) => parseMagnificationFilter(v));
      out.push(
        column(
          ImageDescriptors.magnificationFilter,
          MagnificationFilterType,
          values.map((v) => [v]),
        ),
      );
    }
    return out;
  }

  asComponentBatches(): readonly ComponentBatch[] {
    const out: ComponentBatch[] = [];
    if (this.buffer !== undefined) out.push(batch(ImageDescriptors.buffer, ImageBufferType, [this.buffer]));
    if (this.format !== undefined) out.push(batch(ImageDescriptors.format, ImageFormatType, [this.format]));
    if (this.opacity !== undefined) out.push(batch(ImageDescriptors.opacity, OpacityType, [this.opacity]));
    if (this.drawOrder !== undefined)
      out.push(batch(ImageDescriptors.drawOrder, DrawOrderType, [this.drawOrder]));
    if (this.magnificationFilter !== undefined) {
      out.push(
        batch(ImageDescriptors.magnificationFilter, MagnificationFilterType, [this.magnificationFilter]),
      );
    }
    if (this.extraBatches !== undefined) out.push(...this.extraBatches);
    return out;
  }
}

/** Every given column must be a dense array (untyped callers pass strings, objects, sparse arrays). */
function checkColumnArrays(where: string, columns: unknown): void {
  if (columns === null || typeof columns !== "object") {
    throw new ImageFormatError(
      "unsupported-array",
      `${where} needs an object of column arrays, got ${String(columns)}`,
      {
        expected: "object",
        actual: columns === null ? "null" : typeof columns,
      },
    );
  }
  for (const [name, values] of Object.entries(columns)) {
    if (values === undefined) continue;
    if (!Array.isArray(values)) {
      const actual =
        values === null
          ? "null"
          : typeof values === "object"
            ? (values.constructor?.name ?? "object")
            : typeof values;
      throw new ImageFormatError(
        "unsupported-array",
        `${where}: column ${name} must be an array, got ${actual}`,
        {
          expected: "array",
          actual,
        },
      );
    }
    for (let i = 0; i < values.length; i++) {
      if (!(i in values) || values[i] === undefined || values[i] === null) {
        throw new ImageFormatError(
          "unsupported-array",
          `${where}: column ${name} has no value at row ${i} of ${values.length} (null, undefined or a hole)`,
          { expected: "a value per row", actual: i in values ? String(values[i]) : "hole" },
        );
      }
    }
  }
}

function checkStyleNumber(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ImageFormatError(
      "invalid-dimension",
      `Image ${name} must be a finite number, got ${String(value)}`,
      {
        expected: "finite number",
        actual: String(value),
      },
    );
  }
  return value;
}

function buildFormatAndBuffer(
  pixels: PixelArray | ArrayBuffer,
  options: ImageOptions,
): { format: ImageFormat; buffer: Uint8Array } {
  if (options === undefined || typeof options !== "object") {
    throw new ImageFormatError("missing-format", "Image needs options with at least width and height", {
      expected: "{ width, height, … }",
      actual: String(options),
    });
  }
  const { width, height } = options;
  if (options.pixelFormat !== undefined) {
    if (options.colorModel !== undefined || options.datatype !== undefined) {
      throw new ImageFormatError(
        "conflicting-format",
        "Image: pixelFormat is mutually exclusive with colorModel and datatype",
        { expected: "pixelFormat alone", actual: "pixelFormat with colorModel/datatype" },
      );
    }
    const format: ImageFormat = { width, height, pixelFormat: parsePixelFormat(options.pixelFormat) };
    validateImageFormat(format);
    const buffer = pixels instanceof ArrayBuffer ? new Uint8Array(pixels) : bytesOfArray(pixels);
    validateImageBuffer(buffer, format);
    return { format, buffer };
  }

  let datatype: ChannelDatatype;
  let buffer: Uint8Array;
  let elementCount: number;
  if (pixels instanceof ArrayBuffer) {
    if (options.datatype === undefined) {
      throw new ImageFormatError("missing-format", "Image from an ArrayBuffer needs an explicit datatype", {
        expected: "datatype",
        actual: "none",
      });
    }
    datatype = parseChannelDatatype(options.datatype);
    const size = channelDatatypeBytes(datatype);
    if (pixels.byteLength % size !== 0) {
      throw new ImageFormatError(
        "element-size",
        `Image buffer of ${pixels.byteLength} bytes is not a multiple of the ${size}-byte element size`,
        { expected: `multiple of ${size}`, actual: pixels.byteLength },
      );
    }
    buffer = new Uint8Array(pixels);
    elementCount = pixels.byteLength / size;
  } else {
    datatype =
      options.datatype === undefined ? datatypeOfArray(pixels) : parseChannelDatatype(options.datatype);
    checkArrayMatchesDatatype(pixels, datatype);
    buffer = bytesOfArray(pixels);
    elementCount = buffer.byteLength / channelDatatypeBytes(datatype);
  }

  const probe: ImageFormat = { width, height, channelDatatype: datatype };
  validateImageFormat(probe);
  let colorModel: ColorModel;
  if (options.colorModel !== undefined) {
    colorModel = parseColorModel(options.colorModel);
  } else {
    const channels = elementCount / (width * height);
    const inferred = channels === 1 ? CM.L : channels === 3 ? CM.RGB : channels === 4 ? CM.RGBA : undefined;
    if (inferred === undefined) {
      throw new ImageFormatError(
        "size-mismatch",
        `Image of ${width}×${height} has ${elementCount} values, which is not 1, 3 or 4 per pixel; pass colorModel`,
        {
          expected: `${width * height}, ${width * height * 3} or ${width * height * 4} values`,
          actual: elementCount,
        },
      );
    }
    colorModel = inferred;
  }
  const format: ImageFormat = { width, height, colorModel, channelDatatype: datatype };
  validateImageFormat(format);
  validateImageBuffer(buffer, format);
  return { format, buffer };
}
