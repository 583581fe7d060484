/**
 * The renderer's own description of an image layout. The numbers restate Rerun 0.33's wire enums
 * (`rerun.datatypes.{ColorModel, ChannelDatatype, PixelFormat}`, see image-archetype.md) so that this leaf
 * package does not depend on `@iris/types`; the bridge in the viewer passes the same numbers through.
 */
import { RendererError } from "./renderer-error.ts";

/** How the channels of a pixel are interpreted. */
export const ColorModel = { L: 1, RGB: 2, RGBA: 3, BGR: 4, BGRA: 5 } as const;
export type ColorModel = (typeof ColorModel)[keyof typeof ColorModel];

/** Element type of each channel (little-endian in the buffer). */
export const ChannelDatatype = {
  U8: 6,
  I8: 7,
  U16: 8,
  I16: 9,
  U32: 10,
  I32: 11,
  U64: 12,
  I64: 13,
  F16: 33,
  F32: 34,
  F64: 35,
} as const;
export type ChannelDatatype = (typeof ChannelDatatype)[keyof typeof ChannelDatatype];

/**
 * YUV / chroma-subsampled formats (8 bits per sample), Ocean library frame-format codes, and Rerun 0.41's raw
 * 8-bit Bayer formats (128…131, one sample per pixel).
 */
export const PixelFormat = {
  Y_U_V12_LimitedRange: 20,
  NV12: 26,
  YUY2: 27,
  Y8_FullRange: 30,
  Y_U_V24_LimitedRange: 39,
  Y_U_V24_FullRange: 40,
  Y8_LimitedRange: 41,
  Y_U_V12_FullRange: 44,
  Y_U_V16_LimitedRange: 49,
  Y_U_V16_FullRange: 50,
  BayerRGGB8: 128,
  BayerBGGR8: 129,
  BayerGBRG8: 130,
  BayerGRBG8: 131,
} as const;
export type PixelFormat = (typeof PixelFormat)[keyof typeof PixelFormat];

/**
 * Byte arrangement of a pixel format (Rerun's `YuvPixelLayout` names). The numbers are the `YUV_LAYOUT`
 * define of the fragment shader.
 */
export const YuvLayout = {
  Y_U_V444: 1,
  Y_U_V422: 2,
  Y_U_V420: 3,
  Y_UV420: 4,
  YUYV422: 5,
  Y400: 6,
  /** Iris extension (UYVY): `U0 Y0 V0 Y1` per pixel pair. */
  UYVY422: 7,
} as const;
export type YuvLayout = (typeof YuvLayout)[keyof typeof YuvLayout];

/**
 * Iris extension layouts (NOT Rerun formats; restated from `IrisPixelLayout` in @iris/types, which stores them in
 * the `Image:iris_pixel_layout` component). Bayer mosaics are demosaiced bilinearly in the shader; UYVY is packed
 * 4:2:2 (`U0 Y0 V0 Y1`, BT.601 limited range like YUY2).
 */
export const IrisLayout = {
  BayerRGGB: "BayerRGGB",
  BayerBGGR: "BayerBGGR",
  BayerGRBG: "BayerGRBG",
  BayerGBRG: "BayerGBRG",
  UYVY: "UYVY",
} as const;
export type IrisLayout = (typeof IrisLayout)[keyof typeof IrisLayout];
export type BayerLayout = Exclude<IrisLayout, "UYVY">;

/**
 * What `ImageRenderer.upload` accepts: `pixelFormat`, when set, excludes `colorModel` and `channelDatatype`.
 * Iris extensions: `irisLayout` with the SHOWN `width` × `height` — Bayer: one U8 or U16 sample per pixel
 * (`channelDatatype` U8 (default) or U16, `colorModel` absent or L), width and height ≥ 2; UYVY: 2·w·h bytes,
 * even width, no `colorModel`/`channelDatatype`/`pixelFormat`.
 */
export interface GpuImageDesc {
  width: number;
  height: number;
  /** Default L. */
  colorModel?: ColorModel;
  /** Default U8. */
  channelDatatype?: ChannelDatatype;
  pixelFormat?: PixelFormat;
  /** Iris extension layout (see `IrisLayout`); excludes `pixelFormat`. */
  irisLayout?: IrisLayout;
  /** Tightly packed rows, interleaved channels (planar for Y_U_V*), little-endian. */
  bytes: Uint8Array;
}

/** An image of `channels` interleaved values of one datatype per pixel. */
export interface ChannelImageFormat {
  readonly kind: "channels";
  readonly width: number;
  readonly height: number;
  readonly colorModel: ColorModel;
  readonly channelDatatype: ChannelDatatype;
  readonly channels: 1 | 3 | 4;
  readonly bytesPerChannel: 1 | 2 | 4 | 8;
  /** BGR / BGRA: stored blue first; the shader swaps. */
  readonly swizzleBgr: boolean;
  readonly isFloat: boolean;
  readonly sizeBytes: number;
}

/** A pixel-format image decoded from its raw bytes in the shader. */
export interface YuvImageFormat {
  readonly kind: "yuv";
  readonly width: number;
  readonly height: number;
  /** Undefined for the Iris extension UYVY (`irisLayout` "UYVY"). */
  readonly pixelFormat: PixelFormat | undefined;
  readonly layout: YuvLayout;
  /** Y in 16…235, U/V in 16…240 (all *_LimitedRange, NV12, YUY2). */
  readonly limitedRange: boolean;
  /** Rerun hard-codes BT.601 for NV12/YUY2 and (its rounded) BT.709 for the Y_U_V* and Y8 formats. */
  readonly matrix: "bt601" | "bt709";
  /** Bytes Rerun's viewer requires (its R8 "data texture"): see `yuvSizeBytes`. */
  readonly sizeBytes: number;
}

/**
 * A Bayer mosaic (one U8/U16 sample per pixel) demosaiced bilinearly in the shader. The Iris extension
 * (`irisLayout`) mirrors the edges (reflect-101: −1 → 1, w → w − 2), exactly as `decodeIrisLayoutToRgba8` in
 * @iris/types; Rerun 0.41's Bayer PixelFormats (U8 only) average the neighbours inside the image ("clamp"),
 * exactly as `decodeImageToRgba8` (bayer-pixel-format.ts) and Rerun's `bayer_converter.wgsl`.
 */
export interface BayerImageFormat {
  readonly kind: "bayer";
  readonly width: number;
  readonly height: number;
  readonly layout: BayerLayout;
  /** Column and row of the red sample in the 2×2 tile (blue at 1 − each, green elsewhere). */
  readonly redPosition: readonly [0 | 1, 0 | 1];
  readonly channelDatatype: typeof ChannelDatatype.U8 | typeof ChannelDatatype.U16;
  readonly bytesPerSample: 1 | 2;
  readonly sizeBytes: number;
  /** "mirror": the Iris extension's reflect-101; "clamp": Rerun's neighbours inside the image only. */
  readonly edges: "mirror" | "clamp";
}

export type GpuImageFormat = ChannelImageFormat | YuvImageFormat | BayerImageFormat;

const colorModelNames = new Map<number, string>(Object.entries(ColorModel).map(([k, v]) => [v, k]));
const datatypeNames = new Map<number, string>(Object.entries(ChannelDatatype).map(([k, v]) => [v, k]));
const pixelFormatNames = new Map<number, string>(Object.entries(PixelFormat).map(([k, v]) => [v, k]));

/** "RGB", "U16", "NV12" … (or the number when unknown). */
export function formatName(
  desc: Pick<GpuImageDesc, "colorModel" | "channelDatatype" | "pixelFormat" | "irisLayout">,
): string {
  if (desc.irisLayout !== undefined) {
    if (desc.irisLayout === IrisLayout.UYVY) return "UYVY";
    return `${String(desc.irisLayout)} ${datatypeNames.get(desc.channelDatatype ?? ChannelDatatype.U8) ?? String(desc.channelDatatype)}`;
  }
  if (desc.pixelFormat !== undefined)
    return pixelFormatNames.get(desc.pixelFormat) ?? String(desc.pixelFormat);
  const cm = desc.colorModel ?? ColorModel.L;
  const dt = desc.channelDatatype ?? ChannelDatatype.U8;
  return `${colorModelNames.get(cm) ?? String(cm)} ${datatypeNames.get(dt) ?? String(dt)}`;
}

const bayerPixelFormats = new Map<number, BayerLayout>([
  [PixelFormat.BayerRGGB8, IrisLayout.BayerRGGB],
  [PixelFormat.BayerBGGR8, IrisLayout.BayerBGGR],
  [PixelFormat.BayerGBRG8, IrisLayout.BayerGBRG],
  [PixelFormat.BayerGRBG8, IrisLayout.BayerGRBG],
]);

function yuvImageFormat(width: number, height: number, pixelFormat: PixelFormat): YuvImageFormat {
  const info = yuvInfo(pixelFormat);
  return {
    kind: "yuv",
    width,
    height,
    pixelFormat,
    ...info,
    sizeBytes: yuvSizeBytes(info.layout, width, height),
  };
}

function yuvInfo(pf: PixelFormat): Pick<YuvImageFormat, "layout" | "limitedRange" | "matrix"> {
  switch (pf) {
    case PixelFormat.Y_U_V24_LimitedRange:
      return { layout: YuvLayout.Y_U_V444, limitedRange: true, matrix: "bt709" };
    case PixelFormat.Y_U_V24_FullRange:
      return { layout: YuvLayout.Y_U_V444, limitedRange: false, matrix: "bt709" };
    case PixelFormat.Y_U_V16_LimitedRange:
      return { layout: YuvLayout.Y_U_V422, limitedRange: true, matrix: "bt709" };
    case PixelFormat.Y_U_V16_FullRange:
      return { layout: YuvLayout.Y_U_V422, limitedRange: false, matrix: "bt709" };
    case PixelFormat.Y_U_V12_LimitedRange:
      return { layout: YuvLayout.Y_U_V420, limitedRange: true, matrix: "bt709" };
    case PixelFormat.Y_U_V12_FullRange:
      return { layout: YuvLayout.Y_U_V420, limitedRange: false, matrix: "bt709" };
    case PixelFormat.Y8_LimitedRange:
      return { layout: YuvLayout.Y400, limitedRange: true, matrix: "bt709" };
    case PixelFormat.Y8_FullRange:
      return { layout: YuvLayout.Y400, limitedRange: false, matrix: "bt709" };
    case PixelFormat.NV12:
      return { layout: YuvLayout.Y_UV420, limitedRange: true, matrix: "bt601" };
    case PixelFormat.YUY2:
      return { layout: YuvLayout.YUYV422, limitedRange: true, matrix: "bt601" };
    case PixelFormat.BayerRGGB8:
    case PixelFormat.BayerBGGR8:
    case PixelFormat.BayerGBRG8:
    case PixelFormat.BayerGRBG8:
      throw new RendererError("invalid-format", "a Bayer PixelFormat is not a YUV format", {
        expected: "a YUV PixelFormat",
        actual: String(pf),
      });
  }
}

/**
 * Bytes of a pixel-format image as Rerun's viewer requires them (the size of its data texture):
 * 4:4:4 → 3·w·h (not the SDK's 4·w·h), 4:2:2 and YUY2 → 2·w·h, 4:2:0 and NV12 → w·(h + ⌊h/2⌋), Y8 → w·h.
 */
export function yuvSizeBytes(layout: YuvLayout, width: number, height: number): number {
  switch (layout) {
    case YuvLayout.Y_U_V444:
      return 3 * width * height;
    case YuvLayout.Y_U_V422:
    case YuvLayout.YUYV422:
    case YuvLayout.UYVY422:
      return 2 * width * height;
    case YuvLayout.Y_U_V420:
    case YuvLayout.Y_UV420:
      return width * (height + Math.floor(height / 2));
    case YuvLayout.Y400:
      return width * height;
  }
}

function channelsOf(cm: ColorModel): 1 | 3 | 4 {
  return cm === ColorModel.L ? 1 : cm === ColorModel.RGB || cm === ColorModel.BGR ? 3 : 4;
}

function bytesOf(dt: ChannelDatatype): 1 | 2 | 4 | 8 {
  switch (dt) {
    case ChannelDatatype.U8:
    case ChannelDatatype.I8:
      return 1;
    case ChannelDatatype.U16:
    case ChannelDatatype.I16:
    case ChannelDatatype.F16:
      return 2;
    case ChannelDatatype.U32:
    case ChannelDatatype.I32:
    case ChannelDatatype.F32:
      return 4;
    case ChannelDatatype.U64:
    case ChannelDatatype.I64:
    case ChannelDatatype.F64:
      return 8;
  }
}

function checkDimension(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RendererError(
      "invalid-format",
      `Image ${name} must be a positive integer, got ${String(value)}`,
      {
        expected: "integer ≥ 1",
        actual: String(value),
      },
    );
  }
}

/**
 * Validates `desc` (dimensions, enum values, exclusivity, exact buffer size) and describes its layout.
 * Throws `RendererError` "invalid-format" or "size-mismatch".
 */
export function resolveGpuImageFormat(desc: GpuImageDesc): GpuImageFormat {
  const { width, height, bytes } = desc;
  checkDimension("width", width);
  checkDimension("height", height);
  let format: GpuImageFormat;
  if (desc.irisLayout !== undefined) {
    format = resolveIrisLayout(desc);
  } else if (desc.pixelFormat !== undefined) {
    if (desc.colorModel !== undefined || desc.channelDatatype !== undefined) {
      throw new RendererError(
        "invalid-format",
        "pixelFormat excludes colorModel and channelDatatype, but they were set together",
        { expected: "pixelFormat alone", actual: formatName(desc) },
      );
    }
    if (!pixelFormatNames.has(desc.pixelFormat)) {
      throw new RendererError("invalid-format", `Unknown PixelFormat ${String(desc.pixelFormat)}`, {
        expected: [...pixelFormatNames].map(([v, k]) => `${k}=${v}`).join(", "),
        actual: String(desc.pixelFormat),
      });
    }
    const bayer = bayerPixelFormats.get(desc.pixelFormat);
    format =
      bayer !== undefined
        ? {
            kind: "bayer",
            width,
            height,
            layout: bayer,
            redPosition: bayerRed[bayer],
            channelDatatype: ChannelDatatype.U8,
            bytesPerSample: 1,
            sizeBytes: width * height,
            edges: "clamp",
          }
        : yuvImageFormat(width, height, desc.pixelFormat);
  } else {
    const colorModel = desc.colorModel ?? ColorModel.L;
    const channelDatatype = desc.channelDatatype ?? ChannelDatatype.U8;
    if (!colorModelNames.has(colorModel)) {
      throw new RendererError("invalid-format", `Unknown ColorModel ${String(colorModel)}`, {
        expected: "L=1, RGB=2, RGBA=3, BGR=4, BGRA=5",
        actual: String(colorModel),
      });
    }
    if (!datatypeNames.has(channelDatatype)) {
      throw new RendererError("invalid-format", `Unknown ChannelDatatype ${String(channelDatatype)}`, {
        expected: [...datatypeNames].map(([v, k]) => `${k}=${v}`).join(", "),
        actual: String(channelDatatype),
      });
    }
    const channels = channelsOf(colorModel);
    const bytesPerChannel = bytesOf(channelDatatype);
    format = {
      kind: "channels",
      width,
      height,
      colorModel,
      channelDatatype,
      channels,
      bytesPerChannel,
      swizzleBgr: colorModel === ColorModel.BGR || colorModel === ColorModel.BGRA,
      isFloat:
        channelDatatype === ChannelDatatype.F16 ||
        channelDatatype === ChannelDatatype.F32 ||
        channelDatatype === ChannelDatatype.F64,
      sizeBytes: width * height * channels * bytesPerChannel,
    };
  }
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== format.sizeBytes) {
    const actual = bytes instanceof Uint8Array ? `${bytes.byteLength} bytes` : typeof bytes;
    throw new RendererError(
      "size-mismatch",
      `A ${width}×${height} ${formatName(desc)} image needs exactly ${format.sizeBytes} bytes, got ${actual}`,
      { expected: `${format.sizeBytes} bytes`, actual },
    );
  }
  return format;
}

const bayerRed: Readonly<Record<BayerLayout, readonly [0 | 1, 0 | 1]>> = {
  BayerRGGB: [0, 0],
  BayerBGGR: [1, 1],
  BayerGRBG: [1, 0],
  BayerGBRG: [0, 1],
};

/** The Iris extension formats (`desc.irisLayout` set; dimensions already checked). */
function resolveIrisLayout(desc: GpuImageDesc): GpuImageFormat {
  const { width, height } = desc;
  const layout = desc.irisLayout!;
  const invalid = (message: string, expected: string, actual: string): never => {
    throw new RendererError("invalid-format", message, { expected, actual });
  };
  if (desc.pixelFormat !== undefined)
    invalid(
      "irisLayout excludes pixelFormat",
      "irisLayout alone",
      formatName({ pixelFormat: desc.pixelFormat }),
    );
  if (layout === IrisLayout.UYVY) {
    if (desc.colorModel !== undefined || desc.channelDatatype !== undefined)
      invalid("UYVY excludes colorModel and channelDatatype", "irisLayout alone", formatName(desc));
    if (width % 2 !== 0) invalid(`UYVY needs an even width, got ${width}`, "even width", String(width));
    return {
      kind: "yuv",
      width,
      height,
      pixelFormat: undefined,
      layout: YuvLayout.UYVY422,
      limitedRange: true,
      matrix: "bt601",
      sizeBytes: yuvSizeBytes(YuvLayout.UYVY422, width, height),
    };
  }
  const redPosition = bayerRed[layout];
  if (redPosition === undefined)
    invalid(`Unknown irisLayout ${String(layout)}`, Object.values(IrisLayout).join(", "), String(layout));
  const dt = desc.channelDatatype ?? ChannelDatatype.U8;
  if (
    (desc.colorModel ?? ColorModel.L) !== ColorModel.L ||
    (dt !== ChannelDatatype.U8 && dt !== ChannelDatatype.U16)
  )
    invalid(
      `${layout} needs L U8 or L U16 samples`,
      "colorModel L, channelDatatype U8 or U16",
      formatName({ colorModel: desc.colorModel ?? ColorModel.L, channelDatatype: dt }),
    );
  if (width < 2 || height < 2)
    invalid(
      `${layout} needs at least 2×2 pixels, got ${width}×${height}`,
      "width ≥ 2 and height ≥ 2",
      `${width}×${height}`,
    );
  const bytesPerSample = dt === ChannelDatatype.U16 ? 2 : 1;
  return {
    kind: "bayer",
    width,
    height,
    layout,
    redPosition,
    channelDatatype: dt as BayerImageFormat["channelDatatype"],
    bytesPerSample,
    sizeBytes: width * height * bytesPerSample,
    edges: "mirror",
  };
}
