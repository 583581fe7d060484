import {
  type TimeType,
  checkTimeValue,
  checkTimelineName,
  secondsToNanos,
  toTimeInt,
  TimelineError,
} from "@iris/types";
import type { TimeCell } from "@iris/chunk";

/** The value for `setTime`, as in Rerun's `rr.set_time(name, sequence=…|duration=…|timestamp=…)`. */
export type TimeValue =
  | { sequence: number | bigint }
  /** Seconds (number) or nanoseconds (bigint). */
  | { duration: number | bigint }
  /** Seconds since the Unix epoch (number), nanoseconds (bigint) or a Date. */
  | { timestamp: number | bigint | Date };

/**
 * The recording's current time on each timeline ("set_time" state), and the type each timeline name was
 * first used with: a name keeps one type for the whole recording, as Rerun requires.
 */
export class TimeState {
  private readonly current = new Map<string, TimeCell>();
  private readonly types = new Map<string, TimeType>();

  set(timeline: string, value: TimeValue): void {
    checkTimelineName(timeline);
    let cell: TimeCell;
    if ("sequence" in value) {
      cell = { type: "sequence", value: toTimeInt(timeline, value.sequence) };
    } else if ("duration" in value) {
      const d = value.duration;
      cell = {
        type: "duration",
        value: typeof d === "bigint" ? toTimeInt(timeline, d) : secondsToNanos(timeline, d),
      };
    } else {
      const t = value.timestamp;
      const nanos =
        typeof t === "bigint"
          ? toTimeInt(timeline, t)
          : t instanceof Date
            ? dateToNanos(timeline, t)
            : secondsToNanos(timeline, t);
      cell = { type: "timestamp", value: nanos };
    }
    this.checkType(timeline, cell.type);
    this.current.set(timeline, cell);
  }

  /** Throws when `timeline` was used before with another type. */
  checkType(timeline: string, type: TimeType): void {
    const known = this.types.get(timeline);
    if (known !== undefined && known !== type) {
      throw new TimelineError(
        "type-mismatch",
        `timeline ${JSON.stringify(timeline)} was used as ${known}, now given a ${type} time`,
      );
    }
    this.types.set(timeline, type);
  }

  disable(timeline: string): void {
    this.current.delete(timeline);
  }

  reset(): void {
    this.current.clear();
  }

  snapshot(): Map<string, TimeCell> {
    return new Map(this.current);
  }
}

/** A Date as nanoseconds since the epoch, exactly (via fractional seconds it would be off by up to ~100 ns). */
export function dateToNanos(timeline: string, date: Date): bigint {
  return checkTimeValue(timeline, toTimeInt(timeline, date.getTime()) * 1_000_000n);
}
