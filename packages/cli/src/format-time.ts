import type { TimeType } from "@iris/types";

const NS_PER_S = 1_000_000_000n;

/**
 * A time value for people: sequences as integers, timestamps (ns since the Unix epoch) as UTC ISO 8601 with as
 * many fractional digits as needed (up to ns), durations in seconds (`2.5s`).
 */
export function formatTime(type: TimeType | string, value: bigint): string {
  if (type === "timestamp") return formatTimestamp(value);
  if (type === "duration") return `${formatSeconds(value)}s`;
  return value.toString();
}

function formatTimestamp(ns: bigint): string {
  let seconds = ns / NS_PER_S;
  let fraction = ns % NS_PER_S;
  if (fraction < 0n) {
    seconds -= 1n;
    fraction += NS_PER_S;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${ns}ns`;
  return `${date.toISOString().slice(0, 19)}${fractionDigits(fraction)}Z`;
}

function formatSeconds(ns: bigint): string {
  const sign = ns < 0n ? "-" : "";
  const abs = ns < 0n ? -ns : ns;
  const fraction = abs % NS_PER_S;
  const digits = fraction === 0n ? "" : `.${fraction.toString().padStart(9, "0").replace(/0+$/, "")}`;
  return `${sign}${abs / NS_PER_S}${digits}`;
}

/** `.500`, `.582`, `.582123`, `.582123456` or nothing: groups of three digits, trailing zero groups dropped. */
function fractionDigits(fraction: bigint): string {
  if (fraction === 0n) return "";
  let digits = fraction.toString().padStart(9, "0");
  while (digits.endsWith("000")) digits = digits.slice(0, -3);
  return `.${digits}`;
}
