import {
  type ImageFormat,
  type IrisPixelLayout,
  bayerLayoutOfPixelFormat,
  irisShownSize,
  readExactIntegerTexts,
  readIrisLayoutPixelValues,
  readPixelValues,
  effectiveChannelDatatype,
  effectiveColorModel,
  isFloatDatatype,
  pixelFormatInfo,
  yuvToRgb8,
} from "@iris/types";

/**
 * The raw values of one pixel as the hover tooltip shows them, in the image's own datatype. `exact`: the values'
 * exact decimal texts when a Number cannot hold them (U64/I64, see `readExactIntegerTexts`).
 */
export function formatPixelValues(
  format: ImageFormat,
  values: readonly number[],
  exact?: readonly string[],
): string {
  const bayer = bayerLayoutOfPixelFormat(format.pixelFormat);
  if (bayer !== undefined) return `${bayer}8 ${values[0]}`;
  if (format.pixelFormat !== undefined) {
    const [y = 0, u = 0, v = 0] = values;
    // As Rerun's hover: Y8 formats read as L (the luma), the others as the RGB they are shown as (the samples
    // follow, as they are stored).
    if (pixelFormatInfo(format.pixelFormat).layout === "Y400") return `L ${y}`;
    const [r, g, b] = yuvToRgb8(y, u, v, format.pixelFormat);
    return `RGB [${r}, ${g}, ${b}] (Y ${y} U ${u} V ${v})`;
  }
  const float = isFloatDatatype(effectiveChannelDatatype(format));
  const text = exact ?? values.map((v) => (float ? formatFloat(v) : String(v)));
  const names: Record<number, string> = { 1: "L", 2: "RGB", 3: "RGBA", 4: "BGR", 5: "BGRA" };
  const model = names[effectiveColorModel(format)] ?? "";
  return text.length === 1 ? `${model} ${text[0]}` : `${model} [${text.join(", ")}]`;
}

function formatFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "-∞";
  return Number.isInteger(v) ? v.toFixed(1) : String(Number(v.toPrecision(6)));
}

/** Raw pixels of a drawn image, as the hover read-out needs them. */
export interface HoverPixels {
  readonly bytes: Uint8Array;
  readonly format: ImageFormat;
  /** Iris extension layout (Bayer / UYVY): `format` is the stored L carrier. */
  readonly irisLayout?: IrisPixelLayout | undefined;
  /** Replaces the default text (depth in metres, segmentation class labels). */
  readonly describe?: ((values: readonly number[]) => string) | undefined;
}

/**
 * The raw values of pixel (x, y) and the hover text for them (both the 2D and the 3D view's hover); undefined
 * outside the shown image.
 */
export function readPixelText(
  img: HoverPixels,
  x: number,
  y: number,
): { values: number[]; text: string } | undefined {
  const size = img.irisLayout ? irisShownSize(img.format, img.irisLayout) : img.format;
  if (x < 0 || y < 0 || x >= size.width || y >= size.height) return undefined;
  if (img.irisLayout) return readIrisLayoutPixelValues(img.bytes, img.format, img.irisLayout, x, y);
  const values = readPixelValues(img.bytes, img.format, x, y);
  const exact = readExactIntegerTexts(img.bytes, img.format, x, y);
  return { values, text: img.describe ? img.describe(values) : formatPixelValues(img.format, values, exact) };
}
