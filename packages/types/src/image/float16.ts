/**
 * IEEE 754 binary16 ("half", Rerun's F16) conversion. Values travel as their 16-bit patterns (0…0xffff), the
 * way F16 image channels are stored (little-endian u16 per channel).
 */

/** Decodes a binary16 bit pattern to a number (exact: every half value is representable). */
export function float16ToFloat32(bits: number): number {
  const b = bits & 0xffff;
  const sign = b & 0x8000 ? -1 : 1;
  const exponent = (b >> 10) & 0x1f;
  const fraction = b & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function roundHalfToEven(q: number): number {
  const f = Math.floor(q);
  const diff = q - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Encodes a number as the nearest binary16 bit pattern, rounding to nearest with ties to even. Values of
 * magnitude ≥ 65520 become ±Infinity (0x7c00 / 0xfc00), tiny values become subnormals or ±0, NaN becomes 0x7e00.
 * The value is rounded once, directly (so a float32 input is never double-rounded).
 */
export function float32ToFloat16(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -14) {
    // Subnormal (or zero): units of 2^-24; rounding up to 1024 yields the smallest normal, 0x0400.
    return sign | roundHalfToEven(a * 2 ** 24);
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  else if (2 ** (e + 1) <= a) e += 1;
  let m = roundHalfToEven((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e += 1;
  }
  if (e + 15 >= 0x1f) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | m;
}
