import type { AsComponents, ComponentBatch } from "../component-batch.ts";
import { batch } from "../component-batch.ts";
import { ImageBufferType } from "../components/blob.ts";
import { ImageFormatType } from "../components/image-format-type.ts";
import { ColormapType, DepthMeterType, FillRatioType, ValueRangeType } from "../components/spatial-types.ts";
import {
  type ChannelDatatype,
  type ImageFormat,
  type MagnificationFilter,
  type PixelArray,
  ImageFormatError,
  bytesOfArray,
  channelDatatypeBytes,
  checkArrayMatchesDatatype,
  datatypeOfArray,
  parseChannelDatatype,
  parseMagnificationFilter,
  validateImageBuffer,
  validateImageFormat,
} from "../image/index.ts";
import { descriptor } from "./archetype-descriptors.ts";
import { DrawOrderType, MagnificationFilterType } from "./image.ts";

export const DepthImageDescriptors = {
  buffer: descriptor("DepthImage", "buffer", "ImageBuffer"),
  format: descriptor("DepthImage", "format", "ImageFormat"),
  meter: descriptor("DepthImage", "meter", "DepthMeter"),
  colormap: descriptor("DepthImage", "colormap", "Colormap"),
  depthRange: descriptor("DepthImage", "depth_range", "ValueRange"),
  pointFillRatio: descriptor("DepthImage", "point_fill_ratio", "FillRatio"),
  drawOrder: descriptor("DepthImage", "draw_order", "DrawOrder"),
  magnificationFilter: descriptor("DepthImage", "magnification_filter", "MagnificationFilter"),
} as const;

/** Rerun's Colormap enum (rrd-format.md §5.2). */
export const Colormap = {
  Grayscale: 1,
  Inferno: 2,
  Magma: 3,
  Plasma: 4,
  Turbo: 5,
  Viridis: 6,
  CyanToYellow: 7,
  Spectral: 8,
  Twilight: 9,
  RvizMap: 10,
  RvizCostmap: 11,
  Costmap: 12,
} as const;
export type Colormap = (typeof Colormap)[keyof typeof Colormap];

export function parseColormap(x: number | string): Colormap {
  if (typeof x === "number" && (Object.values(Colormap) as number[]).includes(x)) return x as Colormap;
  if (typeof x === "string") {
    const wanted = x.trim().toLowerCase();
    for (const [name, v] of Object.entries(Colormap)) if (name.toLowerCase() === wanted) return v;
  }
  const expected = Object.entries(Colormap)
    .map(([n, v]) => `${n}=${v}`)
    .join(", ");
  throw new ImageFormatError(
    "unknown-enum",
    `Unknown Colormap ${JSON.stringify(x)}; expected one of ${expected}`,
    {
      expected,
      actual: typeof x === "number" || typeof x === "string" ? x : String(x),
    },
  );
}

export function checkFinite(context: string, v: unknown, positive = false): number {
  if (typeof v !== "number" || !Number.isFinite(v) || (positive && v <= 0)) {
    const expected = positive ? "finite number > 0" : "finite number";
    throw new ImageFormatError("invalid-dimension", `${context} must be a ${expected}, got ${String(v)}`, {
      expected,
      actual: String(v),
    });
  }
  return v;
}

/**
 * Builds the one-channel format (color_model null) and byte buffer of a depth or segmentation image from a typed
 * array, checking that it holds exactly width × height values.
 */
export function singleChannelImage(
  archetype: string,
  pixels: PixelArray | ArrayBuffer,
  options: { width: number; height: number; datatype?: ChannelDatatype | string },
): { format: ImageFormat; buffer: Uint8Array } {
  if (options === null || typeof options !== "object") {
    throw new ImageFormatError("missing-format", `${archetype} needs options with width and height`, {
      expected: "{ width, height, … }",
      actual: String(options),
    });
  }
  const { width, height } = options;
  let datatype: ChannelDatatype;
  let buffer: Uint8Array;
  if (pixels instanceof ArrayBuffer) {
    if (options.datatype === undefined) {
      throw new ImageFormatError(
        "missing-format",
        `${archetype} from an ArrayBuffer needs an explicit datatype`,
        {
          expected: "datatype",
          actual: "none",
        },
      );
    }
    datatype = parseChannelDatatype(options.datatype);
    buffer = new Uint8Array(pixels);
  } else {
    datatype =
      options.datatype === undefined ? datatypeOfArray(pixels) : parseChannelDatatype(options.datatype);
    checkArrayMatchesDatatype(pixels, datatype);
    buffer = bytesOfArray(pixels);
  }
  const format: ImageFormat = { width, height, channelDatatype: datatype };
  validateImageFormat(format);
  const size = channelDatatypeBytes(datatype);
  if (buffer.byteLength !== width * height * size) {
    throw new ImageFormatError(
      "size-mismatch",
      `${archetype} of ${width}×${height} needs ${width * height} values (${width * height * size} bytes), ` +
        `got ${buffer.byteLength / size} values (${buffer.byteLength} bytes)`,
      { expected: width * height * size, actual: buffer.byteLength },
    );
  }
  validateImageBuffer(buffer, format);
  return { format, buffer };
}

export interface DepthImageOptions {
  width: number;
  height: number;
  /** Defaults to the typed array's element type (Uint16Array → U16, Float32Array → F32). */
  datatype?: ChannelDatatype | string;
  /** Depth units per meter, e.g. 1000 for millimetres. */
  meter?: number;
  colormap?: Colormap | string;
  /** [near, far] in depth units, for the colormap. */
  depthRange?: readonly [number, number];
  /** Size of the 3D points relative to the pixel footprint (1 = touching). */
  pointFillRatio?: number;
  drawOrder?: number;
  magnificationFilter?: MagnificationFilter | "nearest" | "linear" | "bicubic";
}

/**
 * Rerun's DepthImage archetype: one depth value per pixel (format with color_model null), shown with a colormap
 * in 2D and back-projected to a point cloud under a Pinhole in 3D.
 */
export class DepthImage implements AsComponents {
  readonly buffer: Uint8Array;
  readonly format: ImageFormat;
  readonly meter: number | undefined;
  readonly colormap: Colormap | undefined;
  readonly depthRange: readonly [number, number] | undefined;
  readonly pointFillRatio: number | undefined;
  readonly drawOrder: number | undefined;
  readonly magnificationFilter: MagnificationFilter | undefined;

  constructor(pixels: PixelArray | ArrayBuffer, options: DepthImageOptions) {
    const { format, buffer } = singleChannelImage("DepthImage", pixels, options);
    this.format = format;
    this.buffer = buffer;
    this.meter =
      options.meter === undefined ? undefined : checkFinite("DepthImage meter", options.meter, true);
    this.colormap = options.colormap === undefined ? undefined : parseColormap(options.colormap);
    if (options.depthRange !== undefined) {
      const r = options.depthRange;
      if (!Array.isArray(r) || r.length !== 2) {
        throw new ImageFormatError(
          "invalid-range",
          `DepthImage depthRange must be [min, max], got ${String(r)}`,
          {
            expected: "[min, max]",
            actual: String(r),
          },
        );
      }
      const [lo, hi] = [
        checkFinite("DepthImage depthRange min", r[0]),
        checkFinite("DepthImage depthRange max", r[1]),
      ];
      if (lo > hi) {
        throw new ImageFormatError("invalid-range", `DepthImage depthRange min ${lo} is above max ${hi}`, {
          expected: "min <= max",
          actual: `[${lo}, ${hi}]`,
        });
      }
      this.depthRange = [lo, hi];
    } else {
      this.depthRange = undefined;
    }
    this.pointFillRatio =
      options.pointFillRatio === undefined
        ? undefined
        : checkFinite("DepthImage pointFillRatio", options.pointFillRatio, true);
    this.drawOrder =
      options.drawOrder === undefined ? undefined : checkFinite("DepthImage drawOrder", options.drawOrder);
    this.magnificationFilter =
      options.magnificationFilter === undefined
        ? undefined
        : parseMagnificationFilter(options.magnificationFilter);
  }

  asComponentBatches(): readonly ComponentBatch[] {
    const d = DepthImageDescriptors;
    const out: ComponentBatch[] = [
      batch(d.buffer, ImageBufferType, [this.buffer]),
      batch(d.format, ImageFormatType, [this.format]),
    ];
    if (this.meter !== undefined) out.push(batch(d.meter, DepthMeterType, [this.meter]));
    if (this.colormap !== undefined) out.push(batch(d.colormap, ColormapType, [this.colormap]));
    if (this.depthRange !== undefined) out.push(batch(d.depthRange, ValueRangeType, [this.depthRange]));
    if (this.pointFillRatio !== undefined)
      out.push(batch(d.pointFillRatio, FillRatioType, [this.pointFillRatio]));
    if (this.drawOrder !== undefined) out.push(batch(d.drawOrder, DrawOrderType, [this.drawOrder]));
    if (this.magnificationFilter !== undefined) {
      out.push(batch(d.magnificationFilter, MagnificationFilterType, [this.magnificationFilter]));
    }
    return out;
  }
}
