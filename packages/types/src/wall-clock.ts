/**
 * Nanoseconds since the Unix epoch by the wall clock, with sub-millisecond digits where the platform has them.
 * `performance.timeOrigin + performance.now()` has them, but follows the monotonic clock, which drifts away from the
 * wall clock in a long-running process (clock adjustments, a suspended machine): it is used only while it lies
 * within the millisecond that `Date.now()` reports, and `Date.now()` otherwise.
 */
export function wallClockNanos(): bigint {
  const wall = Date.now();
  const precise = globalThis.performance ? performance.timeOrigin + performance.now() : wall;
  const ms = precise >= wall && precise < wall + 1 ? precise : wall;
  return BigInt(Math.floor(ms * 1000)) * 1000n;
}
