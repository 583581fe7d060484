import { type TimeType, checkTimelineName, secondsToNanos, toTimeInt } from "@iris/types";
import { SdkError } from "./sdk-error.ts";
import { dateToNanos } from "./time-state.ts";

export type TimeColumnValues =
  | { sequence: ArrayLike<number | bigint> | BigInt64Array }
  /** Seconds (numbers, possibly fractional) or nanoseconds (a BigInt64Array). */
  | { duration: ArrayLike<number> | BigInt64Array }
  /** Seconds since the Unix epoch, Dates, or nanoseconds since the epoch (a BigInt64Array). */
  | { timestamp: ArrayLike<number> | readonly Date[] | BigInt64Array };

/**
 * The index column of a `sendColumns` call, like Rerun's `rr.TimeColumn("step", sequence=times)`:
 * `new TimeColumn("step", { sequence: [0, 1, 2] })`.
 */
export class TimeColumn {
  readonly timeline: string;
  readonly type: TimeType;
  readonly times: BigInt64Array;

  constructor(timeline: string, values: TimeColumnValues) {
    checkTimelineName(timeline);
    this.timeline = timeline;
    if (values === null || typeof values !== "object") {
      throw new SdkError(
        "invalid-time-column",
        `TimeColumn ${JSON.stringify(timeline)} needs { sequence | duration | timestamp: values }, got ${String(values)}`,
      );
    }
    if ("sequence" in values) {
      this.type = "sequence";
      this.times = toBigInts(values.sequence, (v) => toTimeInt(timeline, v));
    } else if ("duration" in values) {
      this.type = "duration";
      this.times = toBigInts(values.duration, (v) =>
        typeof v === "bigint" ? toTimeInt(timeline, v) : secondsToNanos(timeline, v),
      );
    } else if ("timestamp" in values) {
      this.type = "timestamp";
      this.times = toBigInts<number | Date>(values.timestamp, (v) =>
        typeof v === "bigint"
          ? toTimeInt(timeline, v)
          : v instanceof Date
            ? dateToNanos(timeline, v)
            : secondsToNanos(timeline, v),
      );
    } else {
      throw new SdkError(
        "invalid-time-column",
        `TimeColumn ${JSON.stringify(timeline)} needs one of sequence, duration or timestamp`,
      );
    }
  }

  get length(): number {
    return this.times.length;
  }
}

function toBigInts<V>(
  values: ArrayLike<V> | BigInt64Array,
  convert: (v: V | bigint) => bigint,
): BigInt64Array {
  if (values === null || typeof values !== "object" || !Number.isSafeInteger(values.length)) {
    throw new SdkError("invalid-time-column", `TimeColumn values must be an array, got ${String(values)}`);
  }
  if (values instanceof BigInt64Array) return values.map((v) => convert(v));
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = convert(values[i]!);
  return out;
}
