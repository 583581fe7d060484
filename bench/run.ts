// `npm run bench`: runs the benchmarks and writes BENCHMARKS.md (machine, command, medians, min–max, ratios
// against baselines measured in the same run).
import { appendFileSync, writeFileSync } from "node:fs";
import { benchLiveThroughput, liveThroughputMarkdown } from "./live-throughput.ts";
import { benchLogToFile } from "./log-to-file.ts";
import { describeMachine } from "./machine.ts";
import { benchStoreLoad, storeLoadMarkdown } from "./store-load.ts";
import { fmt, type Summary } from "./stats.ts";
import { benchViewer, viewerBenchMarkdown } from "./viewer-bench.ts";

const quick = process.argv.includes("--quick");
const frames = quick ? 20 : 200;
const repeats = quick ? 1 : 3;

const result = benchLogToFile({ frames, repeats, dir: "bench/out" });
const mb = result.rawBytes / 1e6;
const row = (name: string, s: Summary, fileBytes?: number): string =>
  `| ${name} | ${fmt(s.median, 0)} (${fmt(s.min, 0)}–${fmt(s.max, 0)}) | ${fmt(mb / (s.median / 1000), 0)} | ` +
  `${fmt(s.median / result.raw.median)}× | ${fileBytes === undefined ? "–" : fmt(fileBytes / 1e6, 1)} |`;

const text = `# Benchmarks

Written by \`npm run bench\` (\`tsx bench/run.ts${quick ? " --quick" : ""}\`) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${describeMachine()}.
Timings are wall-clock milliseconds, median of ${repeats} run(s) with min–max; ratios are against a baseline measured
in the same run, because these virtual machines are noisy (±30 % between runs is normal).

## Logging ${frames} frames of 1920×1080 RGB8 to a file

Each frame is logged with \`rec.log("camera/image", new Image(...))\` on a sequence timeline, through the batcher,
chunk builder, Arrow IPC, the rrd encoder and \`FileSink\` (one synchronous write per message), ending with
\`close()\` (fsync). The frames are camera-like (moving gradients plus 3 bits of noise; 8 distinct frames cycled).
Baseline: the same ${fmt(mb, 0)} MB of raw pixels written with \`fs.writeSync\` per frame and one fsync.

| path | ms | MB/s of pixels | ratio to raw write | file MB |
|---|---|---|---|---|
${row("raw `fs.writeSync` (baseline)", result.raw)}
${row("Iris, LZ4 on (default)", result.lz4, result.lz4FileBytes)}
${row("Iris, LZ4 off", result.none, result.noneFileBytes)}
`;
writeFileSync("BENCHMARKS.md", text);
process.stdout.write(text);

const viewerText = `\n${viewerBenchMarkdown(await benchViewer({ quick, dir: "bench/out" }))}`;
writeFileSync("BENCHMARKS.md", text + viewerText);
process.stdout.write(viewerText);

// Store load: 175 frames ≈ 1.09 GB (> 1 GiB; the noisy frames barely compress); quick mode: 10 frames.
const storeFrames = quick ? 10 : 175;
const storeText = `\n${storeLoadMarkdown(benchStoreLoad({ frames: storeFrames, repeats, dir: "bench/out" }), quick)}`;
writeFileSync("BENCHMARKS.md", text + viewerText + storeText);
process.stdout.write(storeText);

// Live streaming: producer → `iris serve` → reader, against a bare loopback TCP socket.
const liveRepeats = quick ? 1 : 3;
const liveText = `\n${liveThroughputMarkdown(await benchLiveThroughput({ frames: quick ? 30 : 100, repeats: liveRepeats }), liveRepeats)}`;
appendFileSync("BENCHMARKS.md", liveText);
process.stdout.write(liveText);
