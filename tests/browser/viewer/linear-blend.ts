/**
 * "Over" compositing in linear light, as Rerun's renderer blends (and the Iris viewer since it draws into an
 * SRGB8_ALPHA8 target): sRGB 8-bit values are decoded (IEC 61966-2-1), mixed with alpha, and re-encoded.
 * Written here from the standard's formulas, independent of the renderer's code. Returns unrounded 0…255 values.
 */
function decode(v: number): number {
  const x = v / 255;
  return x <= 0.04045 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
}

function encode(x: number): number {
  return 255 * (x <= 0.0031308 ? 12.92 * x : 1.055 * Math.pow(x, 1 / 2.4) - 0.055);
}

/** `top` (sRGB 0…255) with coverage `alpha` over `bottom` (sRGB 0…255), blended in linear light. */
export function overLinear(top: readonly number[], alpha: number, bottom: readonly number[]): number[] {
  return [0, 1, 2].map((c) => encode(decode(top[c]!) * alpha + decode(bottom[c]!) * (1 - alpha)));
}
