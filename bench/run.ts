// `npm run bench [-- OPTIONS]`: runs the benchmarks and writes BENCHMARKS.md (machine and its load, command,
// medians, min–max, ratios against baselines measured in the same run, interleaved). `--help` lists the options.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
const SECTIONS = ["file", "viewer", "store", "live", "webreader", "peer", "dataset", "lazy"] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench -- [options]

Runs the benchmarks and writes the report (BENCHMARKS.md unless --out is given).

Options:
  --quick            small inputs, and no web-viewer or webreader section unless --only names them;
                     the run takes under 5 minutes
  --only LIST        only these comma-separated sections: ${SECTIONS.join(", ")}
  --out FILE         write the report to FILE instead of BENCHMARKS.md
  -h, --help         print this help and exit (nothing is run or written)
`;

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const options = {
  quick: { type: "boolean", default: false },
  only: { type: "string" },
  out: { type: "string", default: "BENCHMARKS.md" },
  help: { type: "boolean", short: "h", default: false },
} as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof options; strict: true }>>["values"];
try {
  parsed = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }).values;
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
if (parsed.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const quick = parsed.quick;
const out = parsed.out;
let only: Set<Section> | undefined;
if (parsed.only !== undefined) {
  const names = parsed.only
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    fail(`--only expects a comma-separated list of ${SECTIONS.join(", ")}; got "${parsed.only}"`);
  }
  only = new Set(names as Section[]);
}
/**
 * Sections that run. `--quick` leaves out the web-viewer section unless `--only` names it: on a small shared VM it
 * alone takes longer than the 5 minutes that `--quick` is for (Chromium with software WebGL, the Rerun viewer's
 * 47 MB wasm).
 */
const wanted = (section: Section): boolean =>
  only === undefined ? !(quick && (section === "viewer" || section === "webreader")) : only.has(section);
// The sections are imported after the arguments are checked, so that --help and a bad option load nothing.
const {
  LIVE_REPEATS,
  SERVE_NODE_FLAG,
  benchLiveThroughputInChild,
  liveOwnProcessMarkdown,
  liveThroughputMarkdown,
  liveTuningMarkdown,
} = await import("./live-throughput.ts");
const { benchLogToFile, logToFileMarkdown } = await import("./log-to-file.ts");
const { benchRerunSdkPeer, rerunSdkPeerMarkdown } = await import("./rerun-sdk-peer.ts");
const { describeLoad, describeMachine } = await import("./machine.ts");
const { benchStoreInsertGrowth, benchStoreLoad, insertGrowthMarkdown, storeLoadMarkdown } =
  await import("./store-load.ts");
const { benchViewer, viewerBenchMarkdown } = await import("./viewer-bench.ts");

/** Every timed section: one warm-up run, then this many interleaved rounds (median, min–max). */
const repeats = 5;
const frames = quick ? 20 : 200;

const args = process.argv.slice(2).join(" ");
let text = `# Benchmarks

Written by \`npm run bench\` (\`tsx bench/run.ts${args ? ` ${args}` : ""}\`) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${describeMachine()}; at the start: ${describeLoad()}.
Timings are milliseconds, median of ${repeats} interleaved runs after a warm-up, with min–max; CPU time (user +
system of the benchmark process) is given beside wall-clock time; ratios are taken run by run against a baseline
measured in the same round, because these virtual machines are shared and noisy (compare ratios, not absolute
figures). Inputs come from fixed seeds.
`;
const runStart = performance.now();
const sectionTimes: string[] = [];
const add = (section: string): void => {
  text += `\n${section}`;
  writeFileSync(out, text);
  process.stdout.write(`\n${section}`);
};
/** Runs one section (if wanted) and records how long it took. */
async function section(name: Section, run: () => Promise<void> | void): Promise<void> {
  if (!wanted(name)) return;
  const start = performance.now();
  await run();
  sectionTimes.push(`${name} ${fmtMinutes(performance.now() - start)}`);
}
function fmtMinutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

await section("file", async () =>
  add(logToFileMarkdown(await benchLogToFile({ frames, repeats, dir: "bench/out" }))),
);
await section("viewer", async () => add(viewerBenchMarkdown(await benchViewer({ quick, dir: "bench/out" }))));
// Store load: 380 frames = a 1.03 GiB LZ4 file (2.36 GB of pixels); quick mode: 10 frames.
await section("store", () => {
  const result = benchStoreLoad({ frames: quick ? 10 : 380, repeats, dir: "bench/out" });
  add(storeLoadMarkdown(result, quick));
  // Insert cost at 10 000 vs 200 000 small chunks (also in quick mode: ~10 s a run).
  const growth = benchStoreInsertGrowth({ chunks: 200_000, window: 10_000, repeats });
  add(insertGrowthMarkdown(growth));
});
// Live streaming: producer → `iris serve` → reader, against a bare loopback TCP socket, a bare relay and Rerun's proxy.
await section("live", async () => {
  add(liveThroughputMarkdown(await benchLiveThroughputInChild({ quick, peers: true }), LIVE_REPEATS));
  const tuned = await benchLiveThroughputInChild({ quick, nodeArgs: [SERVE_NODE_FLAG] });
  add(liveTuningMarkdown(tuned, LIVE_REPEATS));
  add(
    liveOwnProcessMarkdown(await benchLiveThroughputInChild({ quick, readerProcess: "own" }), LIVE_REPEATS),
  );
});
// The viewer's gRPC-web reader against connect-web's, on frames held by `iris serve` (bench/web-reader.ts).
await section("webreader", async () => {
  const { benchReaderLayers, benchWebReader, benchWebReaderChromium, webReaderMarkdown } =
    await import("./web-reader.ts");
  const node = await benchWebReader({ frames: 30, repeats });
  const chromium = await benchWebReaderChromium({ frames: 30, repeats });
  const layers = await benchReaderLayers({ frames: 30, repeats, chunkBytes: 64 * 1024 });
  add(webReaderMarkdown(node, chromium, layers));
});
// Peer: the real Rerun 0.41 Python SDK and CLI on the same frames (the venv of scripts/ensure-rerun-venv.sh).
await section("peer", async () => {
  const peer = await benchRerunSdkPeer({ frames, repeats: quick ? 3 : 5, dir: "bench/out" });
  add(rerunSdkPeerMarkdown(peer, "Measured in the same run as the sections above."));
});
// Datasets: index / sql / export of a folder of recordings against DuckDB on the exported Parquet.
await section("dataset", async () => {
  const { benchDataset, datasetBenchMarkdown } = await import("./dataset-bench.ts");
  add(datasetBenchMarkdown(await benchDataset({ quick, repeats, dir: "bench/out" })));
});
// Recordings larger than memory: open and scrub a multi-GB recording on demand (bench/lazy-bench.ts).
await section("lazy", async () => {
  const { benchLazy, lazyBenchMarkdown } = await import("./lazy-bench.ts");
  add(lazyBenchMarkdown(await benchLazy({ quick, repeats, dir: "bench/out" })));
});
add(
  `At the end: ${describeLoad()}. The run took ${fmtMinutes(performance.now() - runStart)}` +
    ` (${sectionTimes.join(", ")}).\n`,
);
