import { describe, expect, it } from "vitest";
import {
  channelHistogram,
  channelPercentileRange,
  histogram,
  percentileRange,
  sampleChannelValues,
} from "./image-statistics.ts";

describe("image statistics for the value-range panel", () => {
  it("percentile auto-contrast takes the 1st and 99th percentiles", () => {
    // 0..100: the 1st percentile is 1, the 99th is 99 (nearest rank on 101 values).
    const values = Float64Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(percentileRange(values)).toEqual([1, 99]);
    // Outliers do not move it: 1000 values of 5..6 and two huge spikes.
    const spiky = Float64Array.from({ length: 1000 }, (_, i) => 5 + (i % 2));
    spiky[0] = 1e9;
    spiky[1] = -1e9;
    expect(percentileRange(spiky)).toEqual([5, 6]);
    // A constant image widens to [v − 1, v + 1], like Rerun's heuristic.
    expect(percentileRange(new Float64Array([3, 3, 3]))).toEqual([2, 4]);
    expect(percentileRange(new Float64Array(0))).toEqual([0, 1]);
  });

  it("histogram counts values into bins over the range, clamping outside values", () => {
    const counts = histogram(new Float64Array([0, 0.1, 0.5, 0.99, 1, -5, 7]), [0, 1], 4);
    // bins [0,.25) [.25,.5) [.5,.75) [.75,1]: 0, 0.1, −5 → 0; 0.5 → 2; 0.99, 1, 7 → 3.
    expect(Array.from(counts)).toEqual([3, 0, 1, 3]);
  });

  it("samples channel 0 of every pixel, skipping NaN and infinities", () => {
    const f32 = new Float32Array([1, 2, Number.NaN, 4, Number.POSITIVE_INFINITY, 6]);
    const bytes = new Uint8Array(f32.buffer);
    expect(
      Array.from(sampleChannelValues(bytes, { width: 3, height: 2, colorModel: 1, channelDatatype: 34 })),
    ).toEqual([1, 2, 4, 6]);
    const rgb = new Uint8Array([10, 20, 30, 40, 50, 60]);
    expect(
      Array.from(sampleChannelValues(rgb, { width: 2, height: 1, colorModel: 2, channelDatatype: 6 })),
    ).toEqual([10, 40]);
  });

  it("keeps F32 samples as float32 and widens only datatypes float32 cannot hold exactly", () => {
    const f32 = new Uint8Array(new Float32Array([0.1, 0.2, 0.3, 0.4]).buffer);
    expect(
      sampleChannelValues(f32, { width: 2, height: 2, colorModel: 1, channelDatatype: 34 }),
    ).toBeInstanceOf(Float32Array);
    const u32 = new Uint8Array(new Uint32Array([16777217, 1, 2, 3]).buffer);
    const wide = sampleChannelValues(u32, { width: 2, height: 2, colorModel: 1, channelDatatype: 10 });
    expect(wide).toBeInstanceOf(Float64Array);
    expect(wide[0]).toBe(16777217);
  });

  it("computes percentiles and histograms from the image bytes like from the sampled values", () => {
    const width = 37;
    const height = 23;
    const values = Float32Array.from(
      { length: width * height },
      (_, i) => Math.sin(i * 0.37) * 100 + (i % 7),
    );
    values[5] = Number.NaN;
    values[9] = Number.NEGATIVE_INFINITY;
    const bytes = new Uint8Array(values.buffer);
    const format = { width, height, colorModel: 1, channelDatatype: 34 } as const;
    for (const maxSamples of [1 << 20, 100]) {
      const sample = sampleChannelValues(bytes, format, maxSamples);
      expect(channelPercentileRange(bytes, format, 1, 99, maxSamples)).toEqual(percentileRange(sample));
      expect(Array.from(channelHistogram(bytes, format, [-50, 50], 16, maxSamples))).toEqual(
        Array.from(histogram(sample, [-50, 50], 16)),
      );
    }
    // percentileRange does not reorder what it is given.
    const sample = sampleChannelValues(bytes, format);
    const copy = sample.slice();
    percentileRange(sample);
    expect(sample).toEqual(copy);
  });
});
