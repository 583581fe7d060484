import type { TimeType } from "@iris/types";

/** One labelled tick of the time ruler. */
export interface RulerTick {
  readonly time: bigint;
  readonly label: string;
}

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
/** Steps for timestamp and duration timelines, in ns: sub-second 1-2-5 steps, then clock-friendly ones. */
const CLOCK_STEPS: readonly bigint[] = [
  ...[1n, 2n, 5n, 10n, 20n, 50n, 100n, 200n, 500n].flatMap((m) => [m, m * 1000n, m * NS_PER_MS]),
  ...[1n, 2n, 5n, 10n, 15n, 30n].map((s) => s * NS_PER_S),
  ...[1n, 2n, 5n, 10n, 15n, 30n].map((m) => m * 60n * NS_PER_S),
  ...[1n, 2n, 3n, 6n, 12n].map((h) => h * 3600n * NS_PER_S),
  ...[1n, 2n, 7n, 14n, 30n, 91n, 365n].map((d) => d * 86_400n * NS_PER_S),
].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Ticks for the visible range [start, end] of a timeline drawn `widthPx` wide, at least `minSpacingPx` apart:
 * sequence numbers in 1-2-5 steps; durations and timestamps in clock steps (ms, s, min, h, days), labelled in the
 * unit of the step (timestamps as UTC time of day, or the date for steps of a day or more).
 */
export function rulerTicks(
  type: TimeType,
  start: bigint,
  end: bigint,
  widthPx: number,
  minSpacingPx = 70,
): RulerTick[] {
  if (end <= start || widthPx <= 0) return [{ time: start, label: formatTick(type, start, 1n) }];
  const span = end - start;
  const maxTicks = Math.max(1, Math.floor(widthPx / minSpacingPx));
  const step = type === "sequence" ? niceSequenceStep(span, maxTicks) : clockStep(span, maxTicks);
  const first = ceilTo(start, step);
  const ticks: RulerTick[] = [];
  for (let t = first; t <= end && ticks.length <= maxTicks + 1; t += step)
    ticks.push({ time: t, label: formatTick(type, t, step) });
  return ticks;
}

function niceSequenceStep(span: bigint, maxTicks: number): bigint {
  for (let magnitude = 1n; ; magnitude *= 10n)
    for (const m of [1n, 2n, 5n]) if (span / (m * magnitude) < BigInt(maxTicks)) return m * magnitude;
}

function clockStep(span: bigint, maxTicks: number): bigint {
  for (const step of CLOCK_STEPS) if (span / step < BigInt(maxTicks)) return step;
  let step = CLOCK_STEPS[CLOCK_STEPS.length - 1]!;
  while (span / step >= BigInt(maxTicks)) step *= 10n;
  return step;
}

function ceilTo(t: bigint, step: bigint): bigint {
  const r = ((t % step) + step) % step;
  return r === 0n ? t : t + (step - r);
}

/** A tick label with as many decimals as the step needs. */
export function formatTick(type: TimeType, t: bigint, step: bigint): string {
  if (type === "sequence") return String(t);
  if (type === "duration") return formatDurationTick(t, step);
  const ms = Number(t / NS_PER_MS);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return `${t} ns`;
  const iso = date.toISOString();
  if (step >= 86_400n * NS_PER_S) return iso.slice(0, 10);
  if (step >= 60n * NS_PER_S) return iso.slice(11, 16);
  if (step >= NS_PER_S) return iso.slice(11, 19);
  if (step >= NS_PER_MS) return iso.slice(11, 23);
  const subMs = ((t % NS_PER_MS) + NS_PER_MS) % NS_PER_MS;
  return `${iso.slice(11, 23)}${String(subMs).padStart(6, "0").replace(/0+$/, "")}`;
}

function formatDurationTick(t: bigint, step: bigint): string {
  const unit: [bigint, string] =
    step >= 3600n * NS_PER_S
      ? [3600n * NS_PER_S, "h"]
      : step >= 60n * NS_PER_S
        ? [60n * NS_PER_S, "min"]
        : step >= NS_PER_S
          ? [NS_PER_S, "s"]
          : step >= NS_PER_MS
            ? [NS_PER_MS, "ms"]
            : step >= 1000n
              ? [1000n, "µs"]
              : [1n, "ns"];
  const [size, name] = unit;
  const whole = t / size;
  const rest = t % size;
  if (rest === 0n) return `${whole} ${name}`;
  // A step finer than the unit (e.g. 500 ms shown in s): decimals as needed.
  const digits = Math.max(0, Math.ceil(Math.log10(Number(size) / Number(step))));
  return `${(Number(t) / Number(size)).toFixed(digits)} ${name}`;
}

/** Parses a time typed into the current-time field; undefined when it cannot be read. */
export function parseTimeInput(type: TimeType, text: string): bigint | undefined {
  const s = text.trim();
  if (type === "sequence") {
    const m = /^#?\s*(-?\d+)$/.exec(s);
    return m ? BigInt(m[1]!) : undefined;
  }
  if (type === "duration") {
    const m = /^(-?\d+(?:\.\d+)?)\s*(ns|µs|us|ms|s|min|h)?$/.exec(s);
    if (!m) return undefined;
    const scale: Record<string, number> = { ns: 1, µs: 1e3, us: 1e3, ms: 1e6, s: 1e9, min: 60e9, h: 3600e9 };
    const [intPart, frac = ""] = m[1]!.split(".");
    const unit = BigInt(scale[m[2] ?? "s"]!);
    const negative = intPart!.startsWith("-");
    const whole = BigInt(intPart!) * unit;
    const fraction = frac ? (BigInt(frac) * unit) / 10n ** BigInt(frac.length) : 0n;
    return negative ? whole - fraction : whole + fraction;
  }
  // Timestamps: "YYYY-MM-DD HH:MM:SS(.fraction)" in UTC (the panel's own format), or any ISO 8601 string.
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d)?)(?:\.(\d{1,9}))?Z?$/.exec(s);
  if (m) {
    const ms = Date.parse(`${m[1]}T${m[2]}Z`);
    if (Number.isNaN(ms)) return undefined;
    const frac = (m[3] ?? "").padEnd(9, "0");
    return BigInt(ms) * NS_PER_MS + BigInt(frac);
  }
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : BigInt(ms) * NS_PER_MS;
}
