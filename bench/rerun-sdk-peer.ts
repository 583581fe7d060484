// Peer benchmark against the real Rerun 0.41 (the oracle venv made by scripts/ensure-rerun-venv.sh):
// 1. logging the same 1920×1080 RGB8 frames to an .rrd with Rerun's Python SDK (numpy arrays) and with the Iris
//    SDK, interleaved run by run, wall and CPU time of the logging itself (imports and frame generation untimed);
// 2. reading the files back: `iris print` and an Iris ChunkStore load against `rerun rrd print` and
//    `rerun rrd stats`, on the same files (the Rerun-written one and the Iris-written one). `iris print` is the
//    command as a user installs it: the package's bin/iris.js running dist/iris.mjs, built here by the function
//    `npm run build` uses (packages/cli/bundle.js) into a directory laid out like the installed package (the
//    repository's bin/iris.js would run its development bundle instead, which differs in how it is found).
// Run alone with `tsx bench/rerun-sdk-peer.ts [--quick]`, or as the last section of `npm run bench`.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chunkFromIpc } from "@iris/chunk";
import { RrdDecoder } from "@iris/rrd";
import { ChunkStore } from "@iris/store";
import { bundleCli } from "../packages/cli/bundle.js";
import { HEIGHT, WIDTH, logFramesToFile, makeFrames } from "./log-to-file.ts";
import { type Summary, fmt, summarize } from "./stats.ts";

const venvPython = resolve(".venv-rerun/bin/python");
const rerunBin = resolve(".venv-rerun/bin/rerun");

/**
 * @iris/cli laid out as installed (bin/iris.js, package.json, dist/iris.mjs; no src/) in `dir`; returns its bin.
 * Modules the bundle leaves out (@duckdb/node-api) resolve from the repository's node_modules above it.
 */
async function installedIrisBin(dir: string): Promise<string> {
  const pkg = join(dir, "iris-cli-installed");
  rmSync(pkg, { recursive: true, force: true });
  mkdirSync(join(pkg, "bin"), { recursive: true });
  copyFileSync("packages/cli/bin/iris.js", join(pkg, "bin/iris.js"));
  copyFileSync("packages/cli/package.json", join(pkg, "package.json"));
  await bundleCli(resolve(pkg, "dist/iris.mjs"));
  return resolve(pkg, "bin/iris.js");
}

interface Timing {
  wall: number;
  cpu: number | undefined;
}

export interface PeerResult {
  frames: number;
  repeats: number;
  readRepeats: number;
  rerunVersion: string;
  log: { rerun: { wall: Summary; cpu: Summary }; iris: { wall: Summary; cpu: Summary } };
  fileBytes: { rerun: number; iris: number };
  /** tool → file ("rerun" | "iris") → wall (and CPU where measured) */
  read: Record<string, Record<string, { wall: Summary; cpu: Summary | undefined }>>;
  /** Start-up alone: `iris --version` and `rerun --version`, in the same passes as the reads. */
  startup: Record<"iris" | "rerun", { wall: Summary; cpu: Summary | undefined }>;
}

function logWithIris(pool: readonly Uint8Array[], frames: number, out: string): Timing {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  logFramesToFile(out, pool, frames, { applicationId: "iris_bench_peer" });
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

function logWithRerun(framesFile: string, frames: number, out: string): Timing {
  const result = spawnSync(
    venvPython,
    ["scripts/rerun-oracle/bench_log_frames.py", framesFile, String(frames), out],
    {
      encoding: "utf8",
      env: { ...process.env, RERUN_ANALYTICS: "0" },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`bench_log_frames.py failed:\n${result.stderr}`);
  const { wallMs, cpuMs } = JSON.parse(result.stdout) as { wallMs: number; cpuMs: number };
  return { wall: wallMs, cpu: cpuMs };
}

/** Runs a command under /usr/bin/time (when present) for its CPU time; output discarded. */
function timeCommand(file: string, args: readonly string[]): Timing {
  const haveTime = existsSync("/usr/bin/time");
  const start = performance.now();
  const result = haveTime
    ? spawnSync("/usr/bin/time", ["-f", "IRISTIME %U %S", file, ...args], {
        encoding: "utf8",
        maxBuffer: 256 * 1024 ** 2,
      })
    : spawnSync(file, args, { encoding: "utf8", maxBuffer: 256 * 1024 ** 2 });
  const wall = performance.now() - start;
  if (result.status !== 0)
    throw new Error(`${file} ${args.join(" ")} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  const m = /IRISTIME ([\d.]+) ([\d.]+)/.exec(result.stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined };
}

function loadStore(path: string): Timing {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const decoder = new RrdDecoder();
  decoder.push(new Uint8Array(readFileSync(path)));
  const store = new ChunkStore();
  for (const event of decoder.end()) {
    if (
      event.type === "message" &&
      event.message.kind === "arrowMsg" &&
      event.message.storeId.kind === "recording"
    )
      store.insert(chunkFromIpc(event.message.ipc));
  }
  if (store.stats().temporal.chunks === 0) throw new Error(`no chunks loaded from ${path}`);
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

function summarizeTimings(values: readonly Timing[]): { wall: Summary; cpu: Summary | undefined } {
  const cpus = values.map((v) => v.cpu);
  return {
    wall: summarize(values.map((v) => v.wall)),
    cpu: cpus.every((c): c is number => c !== undefined) ? summarize(cpus) : undefined,
  };
}

export async function benchRerunSdkPeer(options: {
  frames: number;
  repeats: number;
  dir: string;
}): Promise<PeerResult> {
  const { frames, repeats, dir } = options;
  if (!existsSync(venvPython))
    throw new Error("the Rerun oracle venv is missing; run scripts/ensure-rerun-venv.sh");
  mkdirSync(dir, { recursive: true });
  const irisBin = await installedIrisBin(dir);
  const pool = makeFrames();
  const framesFile = join(dir, "peer-frames.bin");
  writeFileSync(framesFile, Buffer.concat(pool));
  const rerunFile = join(dir, "peer-rerun.rrd");
  const irisFile = join(dir, "peer-iris.rrd");
  const logRerun: Timing[] = [];
  const logIris: Timing[] = [];
  for (let r = 0; r < repeats; r++) {
    // Interleaved, alternating which goes first, so machine load drifts hit both alike.
    if (r % 2 === 0) {
      logRerun.push(logWithRerun(framesFile, frames, rerunFile));
      logIris.push(logWithIris(pool, frames, irisFile));
    } else {
      logIris.push(logWithIris(pool, frames, irisFile));
      logRerun.push(logWithRerun(framesFile, frames, rerunFile));
    }
  }
  const files = { rerun: rerunFile, iris: irisFile };
  const tools: Record<string, (path: string) => Timing> = {
    "iris print": (p) => timeCommand(process.execPath, [irisBin, "print", p]),
    "Iris ChunkStore load (in process)": loadStore,
    "rerun rrd print": (p) => timeCommand(rerunBin, ["rrd", "print", p]),
    "rerun rrd stats": (p) => timeCommand(rerunBin, ["rrd", "stats", p]),
  };
  // Reading is repeated less (each pass reads both files with four tools); min(repeats, 3).
  const samples: Record<string, Record<string, Timing[]>> = {};
  const startup: Record<"iris" | "rerun", Timing[]> = { iris: [], rerun: [] };
  for (let r = 0; r < Math.min(repeats, 3); r++) {
    startup.iris.push(timeCommand(process.execPath, [irisBin, "--version"]));
    startup.rerun.push(timeCommand(rerunBin, ["--version"]));
    for (const [tool, run] of Object.entries(tools)) {
      for (const [name, path] of Object.entries(files)) {
        ((samples[tool] ??= {})[name] ??= []).push(run(path));
      }
    }
  }
  const read: PeerResult["read"] = {};
  for (const [tool, byFile] of Object.entries(samples)) {
    read[tool] = {};
    for (const [name, values] of Object.entries(byFile)) read[tool][name] = summarizeTimings(values);
  }
  const version = spawnSync(rerunBin, ["--version"], { encoding: "utf8" }).stdout.split(" ")[1] ?? "?";
  const result: PeerResult = {
    frames,
    repeats,
    readRepeats: Math.min(repeats, 3),
    rerunVersion: version,
    log: {
      rerun: summarizeTimings(logRerun) as { wall: Summary; cpu: Summary },
      iris: summarizeTimings(logIris) as { wall: Summary; cpu: Summary },
    },
    fileBytes: { rerun: statSync(rerunFile).size, iris: statSync(irisFile).size },
    read,
    startup: { iris: summarizeTimings(startup.iris), rerun: summarizeTimings(startup.rerun) },
  };
  for (const f of [framesFile, rerunFile, irisFile]) rmSync(f, { force: true });
  return result;
}

const range = (s: Summary, digits = 0): string =>
  `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

export function rerunSdkPeerMarkdown(r: PeerResult, underLoad: string): string {
  const mb = (n: number): string => `${fmt(n / 1e6, 0)} MB`;
  const ratio = (a: Summary, b: Summary): string => `${fmt(a.median / b.median, 2)}×`;
  const lines = [
    `## Peer: the Rerun ${r.rerunVersion} Python SDK and CLI`,
    "",
    `${underLoad}`,
    "",
    `Logging ${r.frames} frames of ${WIDTH}×${HEIGHT} RGB8 (the same 8 camera-like frames, cycled) to an .rrd file,`,
    `LZ4 on both sides, each SDK's default batching. Rerun: \`rr.RecordingStream\` + \`save()\`, \`rr.Image(numpy)\` per frame,`,
    "`flush()` + `disconnect()`, timed inside the Python process (CPU = `time.process_time()`, every thread). Iris:",
    "`RecordingStream` + `FileSink`, `new Image(Uint8Array)` per frame, `close()`, timed in the bench process",
    `(CPU = \`process.cpuUsage()\`). The two alternate run by run; median of ${r.repeats} with min–max, ms.`,
    "",
    "| writer | wall ms | CPU ms | file | Iris / Rerun (wall) |",
    "|---|---|---|---|---|",
    `| Rerun Python SDK | ${range(r.log.rerun.wall)} | ${range(r.log.rerun.cpu)} | ${mb(r.fileBytes.rerun)} | |`,
    `| Iris SDK (Node) | ${range(r.log.iris.wall)} | ${range(r.log.iris.cpu)} | ${mb(r.fileBytes.iris)} | ${ratio(r.log.iris.wall, r.log.rerun.wall)} |`,
    "",
    "Reading the same files back (child processes timed from spawn to exit, CPU from `/usr/bin/time`; the store load",
    `runs inside the bench process: read + decode + LZ4 + insert every chunk); median of ${r.readRepeats} with min–max.`,
    "`iris print` is what a user who installs @iris/cli runs: its `bin/iris.js` with node, running `dist/iris.mjs`",
    "(the whole command bundled into one file by `npm run build`; the bench builds it with the same function into a",
    "directory laid out like the installed package). `rerun` is the `rerun` command of the Rerun wheel's venv.",
    "",
    "| tool | on the Rerun-written file: wall ms | CPU ms | on the Iris-written file: wall ms | CPU ms |",
    "|---|---|---|---|---|",
  ];
  for (const [tool, byFile] of Object.entries(r.read)) {
    const cell = (name: string): string => {
      const t = byFile[name]!;
      return `${range(t.wall)} | ${t.cpu ? range(t.cpu) : "n/a"}`;
    };
    lines.push(`| ${tool} | ${cell("rerun")} | ${cell("iris")} |`);
  }
  const cpuText = (t: { cpu: Summary | undefined }): string => (t.cpu ? `, CPU ${range(t.cpu)}` : "");
  lines.push(
    "",
    `Start-up alone, in the same passes: \`iris --version\` ${range(r.startup.iris.wall)} ms wall${cpuText(r.startup.iris)};` +
      ` \`rerun --version\` ${range(r.startup.rerun.wall)} ms wall${cpuText(r.startup.rerun)}.`,
  );
  const cpuRatio = (a: { cpu: Summary | undefined }, b: { cpu: Summary | undefined }): string =>
    a.cpu && b.cpu ? ratio(a.cpu, b.cpu) : "n/a";
  const irisPrint = r.read["iris print"]!;
  const rerunPrint = r.read["rerun rrd print"]!;
  const rerunStats = r.read["rerun rrd stats"]!;
  lines.push(
    "",
    `Ratios (wall, medians): Iris logging / Rerun logging ${ratio(r.log.iris.wall, r.log.rerun.wall)}; ` +
      `\`iris print\` / \`rerun rrd print\` ${ratio(irisPrint["rerun"]!.wall, rerunPrint["rerun"]!.wall)} on the Rerun file, ` +
      `${ratio(irisPrint["iris"]!.wall, rerunPrint["iris"]!.wall)} on the Iris file; ` +
      `\`iris print\` / \`rerun rrd stats\` ${ratio(irisPrint["rerun"]!.wall, rerunStats["rerun"]!.wall)} on the Rerun file.`,
    `CPU ratios (medians): \`iris print\` / \`rerun rrd print\` ${cpuRatio(irisPrint["rerun"]!, rerunPrint["rerun"]!)} on the Rerun file, ` +
      `${cpuRatio(irisPrint["iris"]!, rerunPrint["iris"]!)} on the Iris file; start-up \`iris --version\` / \`rerun --version\` ` +
      `${cpuRatio(r.startup.iris, r.startup.rerun)}.`,
    "",
  );
  return lines.join("\n");
}

// `tsx bench/rerun-sdk-peer.ts [--quick]`: this section alone, printed (BENCHMARKS.md is written by bench/run.ts).
if (import.meta.url === `file://${process.argv[1] ? resolve(process.argv[1]) : ""}`) {
  const quick = process.argv.includes("--quick");
  const result = await benchRerunSdkPeer({
    frames: quick ? 20 : 200,
    repeats: quick ? 1 : 5,
    dir: "bench/out",
  });
  process.stdout.write(`${rerunSdkPeerMarkdown(result, "(run alone)")}\n${JSON.stringify(result)}\n`);
}
