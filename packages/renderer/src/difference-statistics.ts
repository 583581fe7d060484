/** Statistics of an absolute-difference image (pure; the compare renderer feeds it read-back float values). */

export interface DifferenceStatistics {
  /** Largest |a − b| over every compared, finite value. 0 for identical images. */
  readonly maxAbs: number;
  /** Mean |a − b| over the compared, finite values. */
  readonly meanAbs: number;
  /** Mean squared difference over the same values. */
  readonly mse: number;
  /**
   * 10·log10(peak² / mse) in dB; Infinity when mse is 0; undefined without a peak (a float image pair whose data
   * range is empty or 0) unless mse is 0.
   */
  readonly psnr: number | undefined;
  /** The peak the PSNR uses (see `DifferencePlan.peak`). */
  readonly peak: number | undefined;
  /** Values compared (pixels × channels − nonFinite). */
  readonly count: number;
  /** Values left out because one side was NaN or ±Inf and the other differed (both NaN, or equal ±Inf, count as 0). */
  readonly nonFinite: number;
  /** Channels compared per pixel. */
  readonly channels: 1 | 3 | 4;
}

/**
 * Statistics of `difference`: RGBA-interleaved |a − b| values (4 floats per pixel, NaN/±Inf where one side was
 * non-finite), of which the first `channels` of each pixel are compared. Sums are taken in float64.
 */
export function differenceStatistics(
  difference: ArrayLike<number>,
  channels: 1 | 3 | 4,
  peak: number | undefined,
): DifferenceStatistics {
  let max = 0;
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  let nonFinite = 0;
  const n = Math.floor(difference.length / 4);
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < channels; c++) {
      const d = difference[4 * p + c]!;
      if (!Number.isFinite(d)) {
        nonFinite += 1;
        continue;
      }
      const v = Math.abs(d);
      if (v > max) max = v;
      sum += v;
      sumSquares += v * v;
      count += 1;
    }
  }
  const mse = count > 0 ? sumSquares / count : 0;
  const psnr = mse === 0 ? Infinity : peak === undefined ? undefined : 10 * Math.log10((peak * peak) / mse);
  return {
    maxAbs: max,
    meanAbs: count > 0 ? sum / count : 0,
    mse,
    psnr,
    peak,
    count,
    nonFinite,
    channels,
  };
}
