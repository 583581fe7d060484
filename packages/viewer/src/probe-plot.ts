import type { ProbeSeries } from "@iris/store";

const SVG = "http://www.w3.org/2000/svg";
const COLORS: Record<string, string> = {
  R: "#ff5a5a",
  G: "#5ad25a",
  B: "#5a8cff",
  A: "#b0b0b0",
};
const DEFAULT_COLOR = "#e8e8e8";

/** Where the plot's data area lies inside the SVG (px). */
export interface PlotGeometry {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const PLOT_GEOMETRY: PlotGeometry = {
  width: 640,
  height: 180,
  left: 56,
  right: 12,
  top: 10,
  bottom: 22,
};

/** The colour of a channel's line. */
export function channelColor(name: string): string {
  return COLORS[name] ?? DEFAULT_COLOR;
}

/** The time span the plot's x axis covers (the samples' first to last time; one sample gets ±1). */
export function plotTimeSpan(series: ProbeSeries): { start: bigint; end: bigint } | undefined {
  const first = series.samples[0];
  const last = series.samples[series.samples.length - 1];
  if (!first || !last) return undefined;
  return first.time === last.time
    ? { start: first.time - 1n, end: last.time + 1n }
    : { start: first.time, end: last.time };
}

/** x in px of a time (float64 arithmetic on the offset from the start: exact enough for a plot). */
export function xOfTime(series: ProbeSeries, time: bigint, g: PlotGeometry = PLOT_GEOMETRY): number {
  const span = plotTimeSpan(series)!;
  const f = Number(time - span.start) / Number(span.end - span.start);
  return g.left + f * (g.width - g.left - g.right);
}

/** The sample time nearest to x (px in the SVG). */
export function nearestSampleTime(
  series: ProbeSeries,
  x: number,
  g: PlotGeometry = PLOT_GEOMETRY,
): bigint | undefined {
  let best: bigint | undefined;
  let bestDistance = Infinity;
  for (const s of series.samples) {
    const d = Math.abs(xOfTime(series, s.time, g) - x);
    if (d < bestDistance) {
      bestDistance = d;
      best = s.time;
    }
  }
  return best;
}

function finiteRange(series: ProbeSeries): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series.samples) {
    for (const v of s.values ?? []) {
      const n = Number(v);
      if (Number.isFinite(n)) {
        lo = Math.min(lo, n);
        hi = Math.max(hi, n);
      }
    }
  }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function label(text: string): string {
  return Number.isInteger(Number(text)) ? text : String(Number(Number(text).toPrecision(6)));
}

/**
 * Draws the series into `svg`: one polyline per channel (broken where a sample has no finite value), the value
 * range on the y axis, the first and last time on the x axis, and a vertical line at `cursor`.
 */
export function renderProbePlot(svg: SVGSVGElement, series: ProbeSeries, cursor: bigint | undefined): void {
  const g = PLOT_GEOMETRY;
  svg.setAttribute("viewBox", `0 0 ${g.width} ${g.height}`);
  svg.replaceChildren();
  const span = plotTimeSpan(series);
  if (!span) return;
  const [lo, hi] = finiteRange(series);
  const yOf = (v: number): number => g.top + (1 - (v - lo) / (hi - lo)) * (g.height - g.top - g.bottom);
  svg.append(
    el("rect", {
      x: g.left,
      y: g.top,
      width: g.width - g.left - g.right,
      height: g.height - g.top - g.bottom,
      class: "iris-probe-area",
    }),
  );
  const text = (x: number, y: number, anchor: string, content: string): SVGTextElement => {
    const t = el("text", { x, y, "text-anchor": anchor, class: "iris-probe-axis" });
    t.textContent = content;
    return t;
  };
  svg.append(
    text(g.left - 4, g.top + 8, "end", label(String(hi))),
    text(g.left - 4, g.height - g.bottom, "end", label(String(lo))),
    text(g.left, g.height - 6, "start", String(span.start)),
    text(g.width - g.right, g.height - 6, "end", String(span.end)),
  );
  series.channels.names.forEach((name, c) => {
    const segments: string[][] = [[]];
    for (const s of series.samples) {
      const v = s.values ? Number(s.values[c]) : Number.NaN;
      if (!Number.isFinite(v)) {
        if (segments[segments.length - 1]!.length > 0) segments.push([]);
        continue;
      }
      segments[segments.length - 1]!.push(`${xOfTime(series, s.time).toFixed(2)},${yOf(v).toFixed(2)}`);
    }
    for (const points of segments) {
      if (points.length === 0) continue;
      const line =
        points.length === 1
          ? el("circle", {
              cx: points[0]!.split(",")[0]!,
              cy: points[0]!.split(",")[1]!,
              r: 2,
              fill: channelColor(name),
            })
          : el("polyline", {
              points: points.join(" "),
              fill: "none",
              stroke: channelColor(name),
              "stroke-width": 1.5,
            });
      line.dataset["channel"] = name;
      svg.append(line);
    }
  });
  if (cursor !== undefined && cursor >= span.start && cursor <= span.end) {
    const x = xOfTime(series, cursor);
    svg.append(el("line", { x1: x, x2: x, y1: g.top, y2: g.height - g.bottom, class: "iris-probe-cursor" }));
  }
}
