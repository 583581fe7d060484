// `npm run bench`: runs the benchmarks and writes BENCHMARKS.md (machine and its load, command, medians,
// min–max, ratios against baselines measured in the same run, interleaved).
//   --quick          small inputs (the whole run takes a few minutes)
//   --only a,b       only these sections: file, viewer, store, live, peer
//   --out FILE       write the report there instead of BENCHMARKS.md (e.g. for a partial run)
import { writeFileSync } from "node:fs";
import { benchLiveThroughput, liveThroughputMarkdown } from "./live-throughput.ts";
import { benchLogToFile, logToFileMarkdown } from "./log-to-file.ts";
import { benchRerunSdkPeer, rerunSdkPeerMarkdown } from "./rerun-sdk-peer.ts";
import { describeLoad, describeMachine } from "./machine.ts";
import {
  benchStoreInsertGrowth,
  benchStoreLoad,
  insertGrowthMarkdown,
  storeLoadMarkdown,
} from "./store-load.ts";
import { benchViewer, viewerBenchMarkdown } from "./viewer-bench.ts";

const quick = process.argv.includes("--quick");
const onlyArg = process.argv.find((_, i) => process.argv[i - 1] === "--only");
const only = onlyArg ? new Set(onlyArg.split(",")) : undefined;
const wanted = (section: string): boolean => only === undefined || only.has(section);
const out = process.argv.find((_, i) => process.argv[i - 1] === "--out") ?? "BENCHMARKS.md";
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
const add = (section: string): void => {
  text += `\n${section}`;
  writeFileSync(out, text);
  process.stdout.write(`\n${section}`);
};

if (wanted("file")) add(logToFileMarkdown(benchLogToFile({ frames, repeats, dir: "bench/out" })));
if (wanted("viewer")) add(viewerBenchMarkdown(await benchViewer({ quick, dir: "bench/out" })));
// Store load: 175 frames = 1.09 GB of pixels; quick mode: 10 frames.
if (wanted("store")) {
  const result = benchStoreLoad({ frames: quick ? 10 : 175, repeats, dir: "bench/out" });
  add(storeLoadMarkdown(result, quick));
  // Insert cost at 10 000 vs 200 000 small chunks (quick: 50 000).
  const growth = benchStoreInsertGrowth({ chunks: quick ? 50_000 : 200_000, window: 10_000, repeats: 3 });
  add(insertGrowthMarkdown(growth));
}
// Live streaming: producer → `iris serve` → reader, against a bare loopback TCP socket.
if (wanted("live")) {
  add(liveThroughputMarkdown(await benchLiveThroughput({ frames: quick ? 30 : 100, repeats }), repeats));
}
// Peer: the real Rerun 0.41 Python SDK and CLI on the same frames (the venv of scripts/ensure-rerun-venv.sh).
if (wanted("peer")) {
  const peer = benchRerunSdkPeer({ frames, repeats: quick ? 3 : 5, dir: "bench/out" });
  add(rerunSdkPeerMarkdown(peer, "Measured in the same run as the sections above."));
}
add(`At the end: ${describeLoad()}.\n`);
