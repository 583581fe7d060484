import {
  DurationMicrosecond,
  DurationMillisecond,
  DurationNanosecond,
  Float64,
  Int32,
  Int64,
  TimestampMicrosecond,
  TimestampNanosecond,
  TimeUnit,
  Timestamp,
  Type,
  Uint64,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import {
  TIME_MAX,
  TIME_MIN,
  TimelineError,
  arrowTypeOfTimeType,
  checkTimeValue,
  checkTimelineName,
  secondsToNanos,
  timeTypeOfArrowType,
  toTimeInt,
} from "./timeline.ts";

const I64_MIN = -9223372036854775808n;
const I64_MAX = 9223372036854775807n;

function timelineError(fn: () => unknown): TimelineError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TimelineError);
    return e as TimelineError;
  }
  throw new Error("expected a TimelineError");
}

describe("time value range (i64 without i64::MIN, which Rerun reserves for static)", () => {
  it("has the bounds of Rerun's TimeInt", () => {
    expect(TIME_MIN).toBe(I64_MIN + 1n);
    expect(TIME_MAX).toBe(I64_MAX);
  });

  it("accepts the extremes and refuses i64::MIN and anything outside i64", () => {
    expect(checkTimeValue("t", I64_MIN + 1n)).toBe(I64_MIN + 1n);
    expect(checkTimeValue("t", I64_MAX)).toBe(I64_MAX);
    expect(checkTimeValue("t", 0n)).toBe(0n);
    for (const bad of [I64_MIN, I64_MIN - 1n, I64_MAX + 1n, 1n << 70n]) {
      const e = timelineError(() => checkTimeValue("frame", bad));
      expect(e.kind).toBe("out-of-range");
      expect(e.message).toContain(String(bad));
      expect(e.message).toContain('"frame"');
    }
  });
});

describe("toTimeInt", () => {
  it("passes integers and bigints through", () => {
    expect(toTimeInt("t", 0)).toBe(0n);
    expect(toTimeInt("t", -7)).toBe(-7n);
    expect(toTimeInt("t", 2 ** 53)).toBe(9007199254740992n);
    expect(toTimeInt("t", 123n)).toBe(123n);
  });

  it("refuses fractions, NaN and infinities with not-integer", () => {
    for (const bad of [0.5, -1.25, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const e = timelineError(() => toTimeInt("frame", bad));
      expect(e.kind).toBe("not-integer");
      expect(e.message).toContain(String(bad));
    }
  });

  it("refuses out-of-range numbers and bigints", () => {
    expect(timelineError(() => toTimeInt("t", 2 ** 63)).kind).toBe("out-of-range");
    expect(timelineError(() => toTimeInt("t", -(2 ** 63))).kind).toBe("out-of-range");
    expect(timelineError(() => toTimeInt("t", I64_MIN)).kind).toBe("out-of-range");
  });
});

describe("secondsToNanos", () => {
  it("converts exactly where the decimal value is representable", () => {
    expect(secondsToNanos("t", 1.5)).toBe(1_500_000_000n);
    expect(secondsToNanos("t", 0)).toBe(0n);
    expect(secondsToNanos("t", 2)).toBe(2_000_000_000n);
    expect(secondsToNanos("t", -1.5)).toBe(-1_500_000_000n);
    expect(secondsToNanos("t", 0.25)).toBe(250_000_000n);
    expect(secondsToNanos("t", 1_700_000_000.5)).toBe(1_700_000_000_500_000_000n);
  });

  it("rounds decimal fractions to the nearest nanosecond", () => {
    expect(secondsToNanos("t", 0.1)).toBe(100_000_000n);
    expect(secondsToNanos("t", 0.3)).toBe(300_000_000n);
    expect(secondsToNanos("t", 1e-9)).toBe(1n);
    expect(secondsToNanos("t", 123.456789)).toBe(123_456_789_000n);
    expect(secondsToNanos("t", -0.000000002)).toBe(-2n);
    expect(secondsToNanos("t", 0.9999999999)).toBe(1_000_000_000n);
  });

  it("refuses NaN and infinities", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const e = timelineError(() => secondsToNanos("sim", bad));
      expect(e.kind).toBe("not-integer");
      expect(e.message).toContain(String(bad));
    }
  });

  it("refuses times outside i64 nanoseconds (about ±292 years)", () => {
    expect(timelineError(() => secondsToNanos("t", 1e10)).kind).toBe("out-of-range");
    expect(timelineError(() => secondsToNanos("t", -1e10)).kind).toBe("out-of-range");
    expect(secondsToNanos("t", 9e9)).toBe(9_000_000_000_000_000_000n);
  });
});

describe("timeline names", () => {
  it("refuses the empty name", () => {
    expect(timelineError(() => checkTimelineName("")).kind).toBe("empty-name");
    expect(() => checkTimelineName("frame")).not.toThrow();
  });
});

describe("Arrow types of timelines (rrd-format.md §4.3)", () => {
  it("writes sequence as Int64, duration as Duration(ns), timestamp as Timestamp(ns) without timezone", () => {
    const seq = arrowTypeOfTimeType("sequence");
    expect(seq.typeId).toBe(Type.Int);
    expect((seq as Int64).bitWidth).toBe(64);
    expect((seq as Int64).isSigned).toBe(true);

    const dur = arrowTypeOfTimeType("duration");
    expect(dur.typeId).toBe(Type.Duration);
    expect((dur as DurationNanosecond).unit).toBe(TimeUnit.NANOSECOND);

    const ts = arrowTypeOfTimeType("timestamp");
    expect(ts.typeId).toBe(Type.Timestamp);
    expect((ts as Timestamp).unit).toBe(TimeUnit.NANOSECOND);
    expect((ts as Timestamp).timezone ?? null).toBeNull();
  });

  it("reads only the three accepted types back", () => {
    expect(timeTypeOfArrowType(new Int64())).toBe("sequence");
    expect(timeTypeOfArrowType(new DurationNanosecond())).toBe("duration");
    expect(timeTypeOfArrowType(new TimestampNanosecond())).toBe("timestamp");
    // Rerun ignores the timezone.
    expect(timeTypeOfArrowType(new Timestamp(TimeUnit.NANOSECOND, "UTC"))).toBe("timestamp");
    for (const bad of [
      new Int32(),
      new Uint64(),
      new Float64(),
      new DurationMicrosecond(),
      new DurationMillisecond(),
      new TimestampMicrosecond(),
    ]) {
      expect(timeTypeOfArrowType(bad), String(bad)).toBeUndefined();
    }
  });
});
