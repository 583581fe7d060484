// Compares two benchmark reports written by `bench/run.ts` (run A, then run B, same options) and produces run B's
// report with run A's ratios set beside B's under every table, so that a reader sees which figures reproduce.
// Pure text in, text out: `bench/twice.ts` runs the benchmarks and writes the file.

/** Two ratios "agree" when the larger is at most this factor of the smaller. */
export const AGREEMENT_FACTOR = 1.25;

/** One `## ` section of a report: its heading line and the lines under it. */
export interface ReportSection {
  heading: string;
  lines: string[];
}

/** A report split into the text before the first `## ` heading and its sections, in order. */
export interface Report {
  preamble: string[];
  sections: ReportSection[];
}

export function parseReport(markdown: string): Report {
  const preamble: string[] = [];
  const sections: ReportSection[] = [];
  for (const line of markdown.split("\n")) {
    if (line.startsWith("## ")) sections.push({ heading: line, lines: [] });
    else if (sections.length === 0) preamble.push(line);
    else sections[sections.length - 1]!.lines.push(line);
  }
  return { preamble, sections };
}

export function formatReport(report: Report): string {
  return [...report.preamble, ...report.sections.flatMap((s) => [s.heading, ...s.lines])].join("\n");
}

/** A markdown table inside a section: where it ends and its rows of cells (header first, separator dropped). */
interface Table {
  endLine: number;
  header: string[];
  rows: string[][];
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());
}

function tablesOf(lines: readonly string[]): Table[] {
  const tables: Table[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!lines[i]!.startsWith("|")) {
      i++;
      continue;
    }
    const block: string[][] = [];
    while (i < lines.length && lines[i]!.startsWith("|")) block.push(cells(lines[i++]!));
    const [header, , ...rows] = block;
    if (header !== undefined) tables.push({ endLine: i - 1, header, rows });
  }
  return tables;
}

/** The leading number of a cell ("1.38× (1.17–1.58)" → 1.38), or undefined when it does not start with one. */
export function leadingNumber(cell: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)/.exec(cell.replace(/\*\*/g, ""));
  return m ? Number(m[1]) : undefined;
}

/** A header naming a ratio: "… ratio …" or a quotient with spaces ("Iris / Rerun"), not a unit ("MB/s"). */
const isRatioHeader = (h: string): boolean => /ratio| \/ /i.test(h);

/**
 * The ratio cells of a table, keyed "row name: column": every cell under a header that names a ratio (or a
 * quotient "A / B"), and every numeric cell of a row whose name says it is a ratio. The row name is the table's
 * leading text cells ("Iris, LZ4 on / disk"). A ratio of exactly 1 in a row named as a baseline is left out.
 */
export function ratioCells(table: Pick<Table, "header" | "rows">): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of table.rows) {
    let nameCells = 0;
    while (nameCells < row.length - 1 && leadingNumber(row[nameCells]!) === undefined) nameCells++;
    nameCells = Math.max(nameCells, 1);
    const name = row.slice(0, nameCells).join(" / ");
    const ratioRow = /ratio/i.test(name);
    row.forEach((cell, c) => {
      if (c < nameCells || cell === "" || leadingNumber(cell) === undefined) return;
      if (!ratioRow && !isRatioHeader(table.header[c] ?? "")) return;
      if (/baseline|raw writev/i.test(name) && leadingNumber(cell) === 1) return;
      out.set(`${name}: ${table.header[c] ?? ""}`, cell);
    });
  }
  return out;
}

/** Whether two ratio cells agree within {@link AGREEMENT_FACTOR}. */
export function agrees(a: string, b: string): boolean {
  const x = leadingNumber(a);
  const y = leadingNumber(b);
  if (x === undefined || y === undefined) return false;
  if (x === 0 || y === 0) return x === y;
  return Math.max(x, y) / Math.min(x, y) <= AGREEMENT_FACTOR;
}

/** The lines set under a table of run B: each ratio of B with A's beside it. */
function comparisonLines(a: Map<string, string> | undefined, b: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [key, bCell] of b) {
    const aCell = a?.get(key);
    if (aCell === undefined) {
      lines.push(`- ${key}: B ${bCell}; not in run A`);
      continue;
    }
    const verdict = agrees(aCell, bCell) ? "reproduces" : "**does not reproduce**";
    lines.push(`- ${key}: A ${aCell}, B ${bCell} — ${verdict}`);
  }
  if (lines.length === 0) return [];
  const pct = Math.round((AGREEMENT_FACTOR - 1) * 100);
  return ["", `Run A beside run B (the two medians within ${pct} % = reproduces):`, "", ...lines];
}

/**
 * What makes two headings the same section: the heading with its numbers left out, so that a section whose sizes
 * changed ("## Live streaming: 30 frames …" → "60 frames …") replaces the earlier one instead of standing beside it.
 */
export function sectionKey(heading: string): string {
  return heading.replace(/\d+(\.\d+)?/g, "#");
}

/** Marks a section carried over from an earlier report (kept when already marked). */
const CARRIED = /^\*(Carried over|From the full run)/;

export interface MergeOptions {
  /** The report these runs replace: sections that run B left out are carried over from it. */
  previous?: string;
  /** The date of `previous`'s run, for sections that do not already say where they come from. */
  previousDate?: string;
  /** A paragraph describing the two runs, set after run B's preamble. */
  howToRead: string;
}

/** Run B's report with run A's ratios beside each of B's, plus the sections of `previous` that B does not have. */
export function mergeRuns(runA: string, runB: string, options: MergeOptions): string {
  const a = parseReport(runA);
  const b = parseReport(runB);
  const sections: ReportSection[] = b.sections.map((sb) => {
    const sa = a.sections.find((s) => sectionKey(s.heading) === sectionKey(sb.heading));
    const aTables = sa ? tablesOf(sa.lines) : [];
    const lines = [...sb.lines];
    // Insert from the last table up, so that earlier line numbers stay valid.
    const bTables = tablesOf(sb.lines);
    for (let t = bTables.length - 1; t >= 0; t--) {
      const tb = bTables[t]!;
      const ta = aTables[t];
      const extra = comparisonLines(ta ? ratioCells(ta) : undefined, ratioCells(tb));
      lines.splice(tb.endLine + 1, 0, ...extra);
    }
    return { heading: sb.heading, lines };
  });
  if (options.previous !== undefined) {
    const prev = parseReport(options.previous);
    prev.sections.forEach((sp, i) => {
      if (sections.some((s) => sectionKey(s.heading) === sectionKey(sp.heading))) return;
      // After the nearest earlier section that is there (carried ones included), else before the nearest later one.
      const has = (s: ReportSection): boolean =>
        sections.some((x) => sectionKey(x.heading) === sectionKey(s.heading));
      const before = prev.sections.slice(0, i).reverse().find(has);
      const after = prev.sections.slice(i + 1).find(has);
      const index = (s: ReportSection): number =>
        sections.findIndex((x) => sectionKey(x.heading) === sectionKey(s.heading));
      const at = before ? index(before) + 1 : after ? index(after) : sections.length;
      const marked = sp.lines.some((l) => CARRIED.test(l));
      const note = `*Carried over from the report of ${options.previousDate ?? "an earlier run"}: this run left the section out.*`;
      const lines = marked ? sp.lines : ["", note, ...sp.lines];
      sections.splice(at, 0, { heading: sp.heading, lines });
    });
  }
  const preamble = [...b.preamble];
  while (preamble.length > 0 && preamble[preamble.length - 1] === "") preamble.pop();
  preamble.push("", options.howToRead, "");
  return formatReport({ preamble, sections });
}
