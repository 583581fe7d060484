import type { ProbeSeries } from "./pixel-probe.ts";
import type { ProbeValue } from "./probe-image.ts";

/**
 * The probe as CSV (RFC 4180, `\n` line ends): a header `<timeline>,<channel>…,status`, then one line per
 * sample: the raw time (sequence number, or nanoseconds for timestamp and duration timelines), each channel's
 * value (shortest round-trip decimal; U64/I64 exact; `NaN`, `inf`, `-inf` for non-finite floats; empty when the
 * sample has no values) and the sample's status (`ok`, `no-image`, `out-of-bounds`, …).
 */
export function probeToCsv(series: ProbeSeries): string {
  const lines = [[series.timeline, ...series.channels.names, "status"].map(csvField).join(",")];
  for (const sample of series.samples) {
    const cells = [String(sample.time)];
    for (let c = 0; c < series.channels.names.length; c++) {
      cells.push(sample.values ? formatProbeValue(sample.values[c]!) : "");
    }
    cells.push(sample.status);
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** A value as CSV/JSON text: shortest round-trip decimal, bigint exact, `NaN` / `inf` / `-inf`. */
export function formatProbeValue(value: ProbeValue): string {
  if (typeof value === "bigint") return value.toString();
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  return String(value);
}

/** Quotes a CSV field when it holds a comma, a quote, a line break or leading/trailing space. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
