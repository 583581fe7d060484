/** The sRGB transfer function (IEC 61966-2-1) of a linear value in [0, 1]. */
export function srgbFromLinear(x: number): number {
  return x <= 0.0031308 ? 12.92 * x : 1.055 * Math.pow(x, 1 / 2.4) - 0.055;
}
