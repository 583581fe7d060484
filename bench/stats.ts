import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Median, min and max of a list of measurements. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Number of measurements. */
  n: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

export function fmt(n: number, digits = 2): string {
  return n.toFixed(digits);
}

/** "median (min–max)" of a summary, with `digits` decimals. */
export function range(s: Summary, digits = 0): string {
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/** Wall-clock and CPU (user + system, this process) milliseconds of one run. */
export interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Times a synchronous function: wall clock and this process's CPU time. */
export function timeSync(fn: () => void): Timing {
  const cpu = process.cpuUsage();
  const start = performance.now();
  fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Times an async function: wall clock and this process's CPU time. */
export async function timeAsync(fn: () => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** Wall and CPU summaries of several timings. */
export interface TimingSummary {
  wall: Summary;
  cpu: Summary;
}

export function summarizeTimings(timings: readonly Timing[]): TimingSummary {
  return { wall: summarize(timings.map((t) => t.wallMs)), cpu: summarize(timings.map((t) => t.cpuMs)) };
}

/**
 * Median of the per-run ratios a[i] / b[i] (runs paired in time, so a drift in machine speed cancels out), with
 * the min and max ratio.
 */
export function pairedRatio(
  a: readonly Timing[],
  b: readonly Timing[],
  key: keyof Timing = "wallMs",
): Summary {
  return summarize(a.map((t, i) => t[key] / b[i]![key]));
}

/**
 * Runs every variant once as warm-up (not counted), then `repeats` rounds in which each variant runs once, in
 * an order that rotates from round to round (so no variant always follows the same one). Returns each
 * variant's timings, one per round.
 */
export function interleave<K extends string>(
  variants: Record<K, () => Timing>,
  repeats: number,
): Record<K, Timing[]> {
  const names = Object.keys(variants) as K[];
  for (const name of names) variants[name]();
  const out = Object.fromEntries(names.map((n) => [n, [] as Timing[]])) as Record<K, Timing[]>;
  for (let r = 0; r < repeats; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length]!;
      out[name].push(variants[name]());
    }
  }
  return out;
}

/**
 * Async `interleave`; `warmups` (default 1) is how many untimed rounds run first, each variant once per round, in
 * the same order.
 */
export async function interleaveAsync<K extends string>(
  variants: Record<K, () => Promise<Timing>>,
  repeats: number,
  warmups = 1,
): Promise<Record<K, Timing[]>> {
  const names = Object.keys(variants) as K[];
  for (let w = 0; w < warmups; w++) for (const name of names) await variants[name]();
  const out = Object.fromEntries(names.map((n) => [n, [] as Timing[]])) as Record<K, Timing[]>;
  for (let r = 0; r < repeats; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length]!;
      out[name].push(await variants[name]());
    }
  }
  return out;
}

/** A full garbage collection now (`--expose-gc` is set at run time and `gc` taken from a new context). */
export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
