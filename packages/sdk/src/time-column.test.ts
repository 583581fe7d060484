import { describe, expect, it } from "vitest";
import { TimelineError } from "@iris/types";
import { SdkError } from "./sdk-error.ts";
import { TimeColumn } from "./time-column.ts";

describe("TimeColumn", () => {
  it("sequence: numbers and bigints as they are", () => {
    const c = new TimeColumn("step", { sequence: [0, 1, 2, 9_007_199_254_740_991] });
    expect(c.type).toBe("sequence");
    expect(c.length).toBe(4);
    expect(Array.from(c.times)).toEqual([0n, 1n, 2n, 9_007_199_254_740_991n]);
    expect(Array.from(new TimeColumn("s", { sequence: BigInt64Array.from([5n, -5n]) }).times)).toEqual([
      5n,
      -5n,
    ]);
  });

  it("duration: seconds → nanoseconds, or nanoseconds from a BigInt64Array", () => {
    expect(Array.from(new TimeColumn("d", { duration: [1.5, 0.1, -2] }).times)).toEqual([
      1_500_000_000n,
      100_000_000n,
      -2_000_000_000n,
    ]);
    const c = new TimeColumn("d", { duration: BigInt64Array.from([7n]) });
    expect(c.type).toBe("duration");
    expect(Array.from(c.times)).toEqual([7n]);
  });

  it("timestamp: seconds, Dates (exactly) or nanoseconds", () => {
    expect(Array.from(new TimeColumn("t", { timestamp: [1_700_000_000.5] }).times)).toEqual([
      1_700_000_000_500_000_000n,
    ]);
    const dates = [new Date(1_700_000_000_123), new Date(1_234_567_890_001)];
    const c = new TimeColumn("t", { timestamp: dates });
    expect(c.type).toBe("timestamp");
    expect(Array.from(c.times)).toEqual([1_700_000_000_123_000_000n, 1_234_567_890_001_000_000n]);
    expect(Array.from(new TimeColumn("t", { timestamp: BigInt64Array.from([3n]) }).times)).toEqual([3n]);
  });

  it("refuses fractions, NaN, an empty name and a missing kind", () => {
    expect(() => new TimeColumn("s", { sequence: [0.5] })).toThrow(TimelineError);
    expect(() => new TimeColumn("d", { duration: [Number.NaN] })).toThrow(TimelineError);
    expect(() => new TimeColumn("t", { timestamp: [new Date(Number.NaN)] })).toThrow(TimelineError);
    expect(() => new TimeColumn("", { sequence: [0] })).toThrow(TimelineError);
    let error: unknown;
    try {
      new TimeColumn("x", {} as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SdkError);
    expect((error as SdkError).kind).toBe("invalid-time-column");
  });
});
