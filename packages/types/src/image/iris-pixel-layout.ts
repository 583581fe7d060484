/**
 * Iris extension pixel layouts (NOT part of Rerun 0.33): Bayer colour-filter mosaics and packed UYVY.
 *
 * An extension image is stored as a plain Rerun `Image` whose `Image:format` describes the raw bytes as something
 * Rerun can show, plus one extra component `Image:iris_pixel_layout` (component type
 * `iris.components.PixelLayout`, a Utf8 string) naming the layout. Rerun ignores the unknown component and shows
 * the raw samples in grey; the Iris viewer reads it and decodes the image properly.
 *
 * | layout | `Image:format` written | shown image |
 * |---|---|---|
 * | BayerRGGB, BayerBGGR, BayerGRBG, BayerGBRG | L U8 or L U16, w × h (one sample per pixel) | w × h RGB (bilinear demosaic) |
 * | UYVY | L U8, 2w × h (the byte stream `U0 Y0 V0 Y1` per pixel pair) | w × h RGB (BT.601, limited range) |
 *
 * Rules (checked by `validateIrisPixelLayout`):
 * - Bayer: L U8 or L U16, width ≥ 2 and height ≥ 2 (each axis must contain both phases of the mosaic); odd sizes
 *   are allowed — the mirror edge rule (see cpu-decode-iris.ts) keeps the colour phase at every border.
 * - UYVY: L U8 whose width is a multiple of 4 (the shown width 2·k must be even: whole `U Y V Y` pairs).
 */
import { ChannelDatatype, ColorModel } from "./enums.ts";
import { ImageFormatError } from "./image-format-error.ts";
import { type ImageFormat, effectiveChannelDatatype, effectiveColorModel } from "./image-format.ts";

/** The Iris extension layouts, spelled as they are stored in `Image:iris_pixel_layout`. */
export const IrisPixelLayout = {
  BayerRGGB: "BayerRGGB",
  BayerBGGR: "BayerBGGR",
  BayerGRBG: "BayerGRBG",
  BayerGBRG: "BayerGBRG",
  UYVY: "UYVY",
} as const;
export type IrisPixelLayout = (typeof IrisPixelLayout)[keyof typeof IrisPixelLayout];

/** The 2×2 colour pattern of a Bayer layout, top-left first: "RGGB" | "BGGR" | "GRBG" | "GBRG". */
export type BayerPattern = "RGGB" | "BGGR" | "GRBG" | "GBRG";

export type BayerColor = "R" | "G" | "B";

const layouts: readonly IrisPixelLayout[] = Object.values(IrisPixelLayout);

/** Archetype, component and component type of the extra component, as written to `.rrd`. */
export const IRIS_PIXEL_LAYOUT_COMPONENT = "Image:iris_pixel_layout";
export const IRIS_PIXEL_LAYOUT_COMPONENT_TYPE = "iris.components.PixelLayout";

export function isIrisPixelLayout(value: unknown): value is IrisPixelLayout {
  return typeof value === "string" && (layouts as readonly string[]).includes(value);
}

/** Validates a stored layout string; throws `ImageFormatError` "unknown-enum" naming the accepted values. */
export function parseIrisPixelLayout(value: string): IrisPixelLayout {
  if (!isIrisPixelLayout(value)) {
    throw new ImageFormatError("unknown-enum", `Unknown Iris pixel layout "${String(value)}"`, {
      expected: layouts.join(" | "),
      actual: String(value),
    });
  }
  return value;
}

export function isBayerLayout(layout: IrisPixelLayout): layout is Exclude<IrisPixelLayout, "UYVY"> {
  return layout !== "UYVY";
}

/** "RGGB" → "BayerRGGB" (throws "unknown-enum" for anything else). */
export function bayerLayoutOf(pattern: BayerPattern | string): Exclude<IrisPixelLayout, "UYVY"> {
  const layout = parseIrisPixelLayout(`Bayer${String(pattern)}`);
  if (!isBayerLayout(layout)) throw new Error("unreachable");
  return layout;
}

/**
 * Position (column, row) of the red sample inside the 2×2 Bayer tile; blue sits at (1 − rx, 1 − ry), green at the
 * other two positions.
 */
export function bayerRedPosition(layout: Exclude<IrisPixelLayout, "UYVY">): readonly [0 | 1, 0 | 1] {
  switch (layout) {
    case "BayerRGGB":
      return [0, 0];
    case "BayerBGGR":
      return [1, 1];
    case "BayerGRBG":
      return [1, 0];
    case "BayerGBRG":
      return [0, 1];
  }
}

/** The colour filter over pixel (x, y) (x, y ≥ 0). */
export function bayerColorAt(layout: Exclude<IrisPixelLayout, "UYVY">, x: number, y: number): BayerColor {
  const [rx, ry] = bayerRedPosition(layout);
  const px = x & 1;
  const py = y & 1;
  if (px === rx && py === ry) return "R";
  if (px !== rx && py !== ry) return "B";
  return "G";
}

/** Size of the image Iris shows for a stored format: Bayer w × h; UYVY (format.width / 2) × h. */
export function irisShownSize(
  format: ImageFormat,
  layout: IrisPixelLayout,
): { width: number; height: number } {
  return layout === "UYVY"
    ? { width: format.width / 2, height: format.height }
    : { width: format.width, height: format.height };
}

function formatText(f: ImageFormat): string {
  if (f.pixelFormat !== undefined) return `pixel format ${f.pixelFormat}`;
  return `colorModel ${String(f.colorModel ?? "?")}, datatype ${String(f.channelDatatype ?? "?")}`;
}

/**
 * Checks that `format` is a valid carrier for `layout` (see the file comment). Throws `ImageFormatError`:
 * "conflicting-format" (wrong colour model / datatype / pixel format), "invalid-dimension" (sizes).
 */
export function validateIrisPixelLayout(format: ImageFormat, layout: IrisPixelLayout): void {
  parseIrisPixelLayout(layout);
  const plainL = format.pixelFormat === undefined && effectiveColorModel(format) === ColorModel.L;
  const dt = format.pixelFormat === undefined ? effectiveChannelDatatype(format) : undefined;
  if (isBayerLayout(layout)) {
    if (!plainL || (dt !== ChannelDatatype.U8 && dt !== ChannelDatatype.U16)) {
      throw new ImageFormatError(
        "conflicting-format",
        `${layout} must be stored as an L U8 or L U16 image, got ${formatText(format)}`,
        { expected: "colorModel L (1), datatype U8 (6) or U16 (8)", actual: formatText(format) },
      );
    }
    if (format.width < 2 || format.height < 2) {
      throw new ImageFormatError(
        "invalid-dimension",
        `${layout} needs at least 2×2 pixels, got ${format.width}×${format.height}`,
        { expected: "width ≥ 2 and height ≥ 2", actual: `${format.width}×${format.height}` },
      );
    }
    return;
  }
  if (!plainL || dt !== ChannelDatatype.U8) {
    throw new ImageFormatError(
      "conflicting-format",
      `UYVY must be stored as an L U8 image of 2·width bytes per row, got ${formatText(format)}`,
      { expected: "colorModel L (1), datatype U8 (6)", actual: formatText(format) },
    );
  }
  if (format.width % 4 !== 0) {
    throw new ImageFormatError(
      "invalid-dimension",
      `UYVY needs an even shown width (stored width a multiple of 4), got stored width ${format.width}`,
      { expected: "stored width = 2 × even shown width", actual: format.width },
    );
  }
}
