/** What the renderer test page returns to the Node side (plain JSON). */

/** One rendered image compared with its expectation, channel by channel (RGBA, rows top-down). */
export interface PixelCase {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Allowed GPU − expected difference per channel: [min, max]. */
  readonly tolerance: readonly [number, number];
  readonly gpu: readonly number[];
  readonly expected: readonly number[];
  /** gl.getError() after the case (0 = no error). */
  readonly glError: number;
}

export interface RangeCase {
  readonly uploadsBefore: number;
  readonly uploadsAfter: number;
  readonly uploadedBytesBefore: number;
  readonly uploadedBytesAfter: number;
  readonly cases: readonly PixelCase[];
}

export interface TilingCase {
  readonly tiles: number;
  readonly uploads: number;
  readonly cases: readonly PixelCase[];
}

export interface ErrorCase {
  readonly name: string;
  readonly kind: string | undefined;
  readonly message: string;
}

export interface RendererTestApi {
  edgeValues(): PixelCase[];
  linearBlending(): PixelCase[];
  conformance(): PixelCase[];
  explicitRange(): PixelCase[];
  colormaps(): PixelCase[];
  rangeWithoutReupload(): RangeCase;
  opacity(): PixelCase[];
  tiling(): TilingCase;
  bgrEqualsReversedRgb(): PixelCase[];
  linearMagnification(): PixelCase[];
  errors(): { cases: ErrorCase[]; liveTexturesAfterDestroy: number };
  info(): { renderer: string; version: string; maxTextureSize: number };
}

/** Mismatching channels of a case ("x,y channel: gpu vs expected"), at most `limit`. */
export function mismatches(c: PixelCase, limit = 8): string[] {
  const out: string[] = [];
  const [below, above] = c.tolerance;
  for (let i = 0; i < c.expected.length && out.length < limit; i++) {
    const d = c.gpu[i]! - c.expected[i]!;
    if (!(d >= below - 1e-9 && d <= above + 1e-9)) {
      const p = Math.floor(i / 4);
      out.push(
        `(${p % c.width},${Math.floor(p / c.width)}) ${"rgba"[i % 4]}: gpu ${c.gpu[i]} vs expected ${c.expected[i]}`,
      );
    }
  }
  if (c.gpu.length !== c.expected.length) out.push(`length ${c.gpu.length} vs ${c.expected.length}`);
  return out;
}

/** Largest |gpu − expected| of a case. */
export function maxDifference(c: PixelCase): number {
  let max = 0;
  for (let i = 0; i < c.expected.length; i++) max = Math.max(max, Math.abs(c.gpu[i]! - c.expected[i]!));
  return max;
}
