import { DataType, DurationNanosecond, Int64, TimestampNanosecond, TimeUnit, Type } from "apache-arrow";
import { IrisError } from "./iris-error.ts";

/** The three kinds of Rerun timeline and the Arrow type each is stored as. */
export type TimeType = "sequence" | "duration" | "timestamp";

export interface Timeline {
  readonly name: string;
  readonly type: TimeType;
}

/** i64::MIN is reserved by Rerun for "static"; every other i64 is a valid time. */
export const TIME_MIN = -(1n << 63n) + 1n;
export const TIME_MAX = (1n << 63n) - 1n;

export class TimelineError extends IrisError<
  "empty-name" | "out-of-range" | "not-integer" | "type-mismatch"
> {}

export function checkTimelineName(name: string): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new TimelineError("empty-name", `a timeline needs a non-empty name, got ${JSON.stringify(name)}`);
  }
}

/** Checks that a time value fits Rerun's TimeInt (i64 without i64::MIN). */
export function checkTimeValue(timeline: string, value: bigint): bigint {
  if (value < TIME_MIN || value > TIME_MAX) {
    throw new TimelineError(
      "out-of-range",
      `time ${value} on timeline ${JSON.stringify(timeline)} is outside [${TIME_MIN}, ${TIME_MAX}]`,
    );
  }
  return value;
}

/** Converts a number or bigint to an integer bigint, refusing NaN, Infinity and fractions. */
export function toTimeInt(timeline: string, value: number | bigint): bigint {
  if (typeof value === "bigint") return checkTimeValue(timeline, value);
  if (!Number.isInteger(value)) {
    throw new TimelineError(
      "not-integer",
      `time on timeline ${JSON.stringify(timeline)} must be an integer, got ${value}`,
    );
  }
  return checkTimeValue(timeline, BigInt(value));
}

/** Seconds (possibly fractional) to integer nanoseconds, refusing NaN and Infinity. */
export function secondsToNanos(timeline: string, seconds: number): bigint {
  if (!Number.isFinite(seconds)) {
    throw new TimelineError(
      "not-integer",
      `time on timeline ${JSON.stringify(timeline)} must be finite, got ${seconds}`,
    );
  }
  const whole = Math.trunc(seconds);
  const frac = Math.round((seconds - whole) * 1e9);
  return checkTimeValue(timeline, BigInt(whole) * 1_000_000_000n + BigInt(frac));
}

export function arrowTypeOfTimeType(type: TimeType): DataType {
  switch (type) {
    case "sequence":
      return new Int64();
    case "duration":
      return new DurationNanosecond();
    case "timestamp":
      return new TimestampNanosecond();
  }
}

/** The timeline kind stored as this Arrow type, or undefined if Rerun does not accept it as an index. */
export function timeTypeOfArrowType(type: DataType): TimeType | undefined {
  switch (type.typeId) {
    case Type.Int:
      return (type as Int64).bitWidth === 64 && (type as Int64).isSigned ? "sequence" : undefined;
    case Type.Duration:
      return (type as DurationNanosecond).unit === TimeUnit.NANOSECOND ? "duration" : undefined;
    case Type.Timestamp:
      return (type as TimestampNanosecond).unit === TimeUnit.NANOSECOND ? "timestamp" : undefined;
    default:
      return undefined;
  }
}
