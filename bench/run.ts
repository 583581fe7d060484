// `npm run bench`: runs the benchmarks and writes BENCHMARKS.md (machine, command, medians, min–max, ratios
// against baselines measured in the same run).
import { appendFileSync, writeFileSync } from "node:fs";
import { benchLiveThroughput, liveThroughputMarkdown } from "./live-throughput.ts";
import { benchLogToFile, logToFileMarkdown } from "./log-to-file.ts";
import { benchRerunSdkPeer, rerunSdkPeerMarkdown } from "./rerun-sdk-peer.ts";
import { describeMachine } from "./machine.ts";
import { benchStoreLoad, storeLoadMarkdown } from "./store-load.ts";
import { benchViewer, viewerBenchMarkdown } from "./viewer-bench.ts";

const quick = process.argv.includes("--quick");
const frames = quick ? 20 : 200;
const repeats = quick ? 1 : 3;

const result = benchLogToFile({ frames, repeats, dir: "bench/out" });
const text = `# Benchmarks

Written by \`npm run bench\` (\`tsx bench/run.ts${quick ? " --quick" : ""}\`) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${describeMachine()}.
Timings are wall-clock milliseconds, median of ${repeats} run(s) with min–max; ratios are against a baseline measured
in the same run, because these virtual machines are noisy (±30 % between runs is normal).

${logToFileMarkdown(result)}`;
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

// Peer: the real Rerun 0.41 Python SDK and CLI on the same frames (the venv of scripts/ensure-rerun-venv.sh).
const peer = benchRerunSdkPeer({ frames, repeats: quick ? 1 : 5, dir: "bench/out" });
const peerText = `\n${rerunSdkPeerMarkdown(peer, "Measured in the same run as the sections above.")}`;
appendFileSync("BENCHMARKS.md", peerText);
process.stdout.write(peerText);
