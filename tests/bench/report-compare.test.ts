import { describe, expect, it } from "vitest";
import { agrees, leadingNumber, mergeRuns, parseReport, ratioCells } from "../../bench/report-compare.ts";

const report = (fileRatio: string, cpuRatio: string, growth: string): string => `# Benchmarks

Written by \`npm run bench\` on 2026-12-02.

## Logging

| path | medium | wall ms | MB/s of pixels | wall ratio to raw writev | CPU ratio |
|---|---|---|---|---|---|
| raw writev | disk | 103 (86–110) | 1208 | 1.00× (1.00–1.00) | 1.00× |
| Iris, LZ4 on | disk | 136 (129–154) | 918 | ${fileRatio} | ${cpuRatio} |

Text under the table.

## Store

| inserts | ms per chunk |
|---|---|
| first 10000 | 0.097 (0.073–0.106) |
| ratio last / first | ${growth} |

At the end: load 1.0.
`;

describe("benchmark report comparison (bench:twice)", () => {
  it("reads the leading number of a cell, bold or not", () => {
    expect(leadingNumber("1.38× (1.17–1.58)")).toBe(1.38);
    expect(leadingNumber("**0.06** (0.05–0.15)")).toBe(0.06);
    expect(leadingNumber("Iris")).toBeUndefined();
  });

  it("agrees within 25 % and not beyond", () => {
    expect(agrees("1.00×", "1.25×")).toBe(true);
    expect(agrees("1.26×", "1.00×")).toBe(false);
    expect(agrees("0", "0")).toBe(true);
    expect(agrees("0", "0.1")).toBe(false);
  });

  it("finds ratio columns and ratio rows, named by their leading text cells, and skips the baseline's 1.00", () => {
    const [logging, store] = parseReport(report("1.38× (1.17–1.58)", "2.53×", "1.92 (1.92–2.82)")).sections;
    const table = (lines: string[]): { header: string[]; rows: string[][] } => {
      const rows = lines
        .filter((l) => l.startsWith("|"))
        .map((l) =>
          l
            .slice(1, -1)
            .split("|")
            .map((c) => c.trim()),
        );
      return { header: rows[0]!, rows: rows.slice(2) };
    };
    expect([...ratioCells(table(logging!.lines))]).toEqual([
      ["Iris, LZ4 on / disk: wall ratio to raw writev", "1.38× (1.17–1.58)"],
      ["Iris, LZ4 on / disk: CPU ratio", "2.53×"],
    ]);
    expect([...ratioCells(table(store!.lines))]).toEqual([
      ["ratio last / first: ms per chunk", "1.92 (1.92–2.82)"],
    ]);
  });

  it("sets run A's ratios under run B's tables and carries over sections the runs left out", () => {
    const a = report("1.44× (0.38–3.21)", "1.90×", "1.18 (1.15–2.37)");
    const b = report("1.38× (1.17–1.58)", "2.53×", "1.92 (1.92–2.82)");
    const previous = `${b}\n## Web viewer\n\nviewer table\n`.replace(
      "## Store",
      "## Web viewer\n\nold viewer\n\n## Store",
    );
    const merged = mergeRuns(a, b, { previous, previousDate: "2026-11-25", howToRead: "HOW TO READ" });
    const lines = merged.split("\n");
    const at = (s: string): number => lines.findIndex((l) => l.includes(s));
    expect(at("HOW TO READ")).toBeLessThan(at("## Logging"));
    // Under the first table, before the text that followed it.
    expect(
      at(
        "- Iris, LZ4 on / disk: wall ratio to raw writev: A 1.44× (0.38–3.21), B 1.38× (1.17–1.58) — reproduces",
      ),
    ).toBeGreaterThan(at("| Iris, LZ4 on | disk"));
    expect(at("- Iris, LZ4 on / disk: wall ratio to raw writev")).toBeLessThan(at("Text under the table."));
    expect(merged).toContain("- Iris, LZ4 on / disk: CPU ratio: A 1.90×, B 2.53× — **does not reproduce**");
    expect(merged).toContain(
      "- ratio last / first: ms per chunk: A 1.18 (1.15–2.37), B 1.92 (1.92–2.82) — **does not reproduce**",
    );
    expect(merged).not.toContain("raw writev / disk");
    // The web-viewer section of the previous report comes back where it was, marked as carried over.
    expect(at("## Web viewer")).toBeGreaterThan(at("## Logging"));
    expect(at("## Web viewer")).toBeLessThan(at("## Store"));
    expect(merged).toContain("*Carried over from the report of 2026-11-25: this run left the section out.*");
    expect(merged.match(/## Web viewer/g)).toHaveLength(1);
    // A carried section that came first in the previous report stays first.
    const onlyStore = mergeRuns(a, b.replace(/## Logging[^]*?(?=## Store)/, ""), {
      previous: b,
      howToRead: "",
    });
    expect(onlyStore.indexOf("## Logging")).toBeLessThan(onlyStore.indexOf("## Store"));
    expect(onlyStore).toContain(
      "*Carried over from the report of an earlier run: this run left the section out.*",
    );
  });

  it("replaces a previous section whose heading differs only in its numbers, in its place", () => {
    const a = report("1.10×", "1.20×", "1.05").replace("## Logging", "## Logging 40 frames");
    const b = report("1.12×", "1.21×", "1.06").replace("## Logging", "## Logging 40 frames");
    const previous = report("1.30×", "1.40×", "1.07").replace("## Logging", "## Logging 20 frames");
    const merged = mergeRuns(a, b, { previous, howToRead: "" });
    expect(merged).toContain("## Logging 40 frames");
    expect(merged).not.toContain("## Logging 20 frames");
    expect(merged).not.toContain("Carried over");
    expect(merged).toContain("A 1.10×, B 1.12× — reproduces");
  });
});
