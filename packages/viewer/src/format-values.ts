import {
  type ImageFormat,
  bayerLayoutOfPixelFormat,
  effectiveChannelDatatype,
  effectiveColorModel,
  isFloatDatatype,
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
    const [y, u, v] = values;
    return `Y ${y} U ${u} V ${v}`;
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
