// `npm run bench:twice [-- OPTIONS]`: runs `bench/run.ts` twice in a row with the same options (run A, then run B)
// and writes run B's report with run A's ratios beside B's under every table, marking those that do not
// reproduce (bench/report-compare.ts). Sections the runs leave out (the web-viewer one with --quick) are carried
// over from the report being replaced. Options other than --out are passed to bench/run.ts. The runs' own reports
// are kept as bench/out/twice-A.md and twice-B.md.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AGREEMENT_FACTOR, mergeRuns } from "./report-compare.ts";

const args = process.argv.slice(2);
if (args.includes("-h") || args.includes("--help")) {
  process.stdout.write(
    "Usage: npm run bench:twice -- [--out FILE] [options of npm run bench]\n\n" +
      "Runs the benchmarks twice in a row and writes the second run's report (BENCHMARKS.md unless --out is\n" +
      "given) with the first run's ratios beside each of its own, marking the ones that do not reproduce.\n",
  );
  process.exit(0);
}
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? args[outAt + 1] : "BENCHMARKS.md";
if (out === undefined || out.startsWith("--")) {
  process.stderr.write("bench:twice: --out expects a file name\n");
  process.exit(2);
}
const benchArgs = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;

// The two runs' own reports stay in bench/out/ (not committed), to be read or compared again.
const dir = "bench/out";
mkdirSync(dir, { recursive: true });
const stamps: string[] = [];
const reports: string[] = [];
for (const run of ["A", "B"]) {
  const file = join(dir, `twice-${run}.md`);
  const start = new Date();
  process.stdout.write(`\n=== run ${run} (${start.toISOString().slice(11, 16)} UTC) ===\n`);
  const res = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts", ...benchArgs, "--out", file], {
    stdio: "inherit",
  });
  if (res.status !== 0) {
    process.stderr.write(`bench:twice: run ${run} failed (exit ${String(res.status ?? res.signal)})\n`);
    process.exit(1);
  }
  stamps.push(`${run} at ${start.toISOString().slice(11, 16)}`);
  // The file names of the runs are this script's business: the report names the command a reader runs.
  reports.push(readFileSync(file, "utf8").replace(` --out ${file}`, ""));
}
const previous = existsSync(out) ? readFileSync(out, "utf8") : undefined;
const previousDate = previous === undefined ? undefined : /\bon (\d{4}-\d{2}-\d{2})/.exec(previous)?.[1];
const pct = Math.round((AGREEMENT_FACTOR - 1) * 100);
const howToRead =
  `**How to read this file.** \`npm run bench:twice${benchArgs.length ? ` -- ${benchArgs.join(" ")}` : ""}\` ran ` +
  `the benchmarks twice in a row (${stamps.join(", ")} UTC); this is run B, and under each table every ratio ` +
  `of run B is set beside run A's: "reproduces" when the two medians are within ${pct} %. Quote only figures ` +
  "that reproduce.";
writeFileSync(
  out,
  mergeRuns(reports[0]!, reports[1]!, {
    ...(previous !== undefined ? { previous } : {}),
    ...(previousDate !== undefined ? { previousDate } : {}),
    howToRead,
  }),
);
process.stdout.write(`\nbench:twice: wrote ${out}\n`);
