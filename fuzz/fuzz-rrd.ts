// Seeded mutation fuzzer over the `.rrd` decoder, the Arrow chunk parser, the chunk store and the CLI commands.
//
//   npm run fuzz -- [--inputs N | --seconds N] [--seed S] [--workers W] [--findings DIR] [--replay FILE...]
//
// Each input is one seed recording (fuzz/seeds.ts: twelve examples, LZ4 on and off) with a few random mutations
// (fuzz/mutators.ts), pushed into an `RrdDecoder` in random pieces, with `chunkFromIpc` + `ChunkStore.insert` on
// every decoded ArrowMsg (fuzz/target.ts). On a schedule (fuzz/fuzz-loop.ts): every 16th input also runs the CLI
// commands in-process (verify, print --verbose, compare, query); every 8th is a single localized mutation checked
// by the intact-message oracle (fuzz/intact-oracle.ts); every 16th retypes an Arrow column; every 512th is a
// large input (up to 16 MiB); every 8th starts from any seed rather than a small one.
//
// Allowed outcomes: `RrdError` for an invalid first stream header, warnings, `IrisError` subclasses from the chunk
// level, CLI exit codes 0/1. Anything else escaping, an intact message lost, an input taking more than 2 s, or a
// worker stuck on one input for 30 s (watched by the main thread) is a finding: the input is written to
// fuzz/findings/<sha256-prefix>.rrd and the process exits 1. The inputs are shared among W worker threads
// (default: one per core), each with its own PRNG seed derived from --seed.
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import {
  FINDINGS_DIR,
  type Finding,
  type FuzzResult,
  describeError,
  fuzz,
  hashInput,
  replayInput,
  writeFinding,
} from "./fuzz-loop.ts";
import { MAX_LARGE_INPUT_BYTES } from "./mutators.ts";
import { type Seed, exampleSeeds } from "./seeds.ts";
import { addStats, emptyStats } from "./target.ts";

export { FINDINGS_DIR, type Finding, fuzz, replayInput, writeFinding } from "./fuzz-loop.ts";
export { mutate } from "./mutators.ts";
export { Rng } from "./rng.ts";
export { type Seed, exampleSeeds } from "./seeds.ts";

/** A worker whose input counter has not moved for this long (wall time) is stuck: a finding. */
export const HANG_WALL_MS = 30_000;
/** Progress is printed this often during long runs. */
const PROGRESS_MS = 30_000;

interface WorkerInput {
  seed: number;
  seconds: number | undefined;
  iterations: number | undefined;
  seeds: Seed[];
  shared: SharedArrayBuffer;
}

/** Layout of each worker's shared buffer: [inputs started, input length] as Int32, then the input's bytes. */
const SHARED_HEADER_BYTES = 8;

interface Args {
  seed: number;
  seconds: number | undefined;
  iterations: number | undefined;
  workers: number;
  findings: string;
  replay: string[];
}

function parseArgs(argv: readonly string[]): Args {
  let seed = Date.now() >>> 0;
  let seconds: number | undefined;
  let iterations: number | undefined;
  let workers = availableParallelism();
  let findings = FINDINGS_DIR;
  const replay: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const number = (): number => {
      const text = value();
      const n = Number(text);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${arg} needs a non-negative number, got ${text}`);
      return n;
    };
    if (arg === "--seed") seed = number() >>> 0;
    else if (arg === "--seconds") seconds = number();
    else if (arg === "--iterations" || arg === "--inputs") iterations = Math.floor(number());
    else if (arg === "--workers") workers = Math.max(1, Math.floor(number()));
    else if (arg === "--findings") findings = resolve(value());
    else if (arg === "--replay") replay.push(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  if (seconds === undefined && iterations === undefined) seconds = 60;
  return { seed, seconds, iterations, workers, findings, replay };
}

async function workerMain(input: WorkerInput): Promise<void> {
  const header = new Int32Array(input.shared, 0, 2);
  const data = new Uint8Array(input.shared, SHARED_HEADER_BYTES);
  const result = await fuzz({
    seed: input.seed,
    seeds: input.seeds,
    ...(input.seconds === undefined ? {} : { seconds: input.seconds }),
    ...(input.iterations === undefined ? {} : { iterations: input.iterations }),
    beforeInput: (bytes, iteration) => {
      data.set(bytes.subarray(0, data.length));
      Atomics.store(header, 1, Math.min(bytes.length, data.length));
      Atomics.store(header, 0, iteration + 1);
    },
  });
  parentPort!.postMessage({
    ...result,
    findings: result.findings.map((f) => ({ ...f, input: f.input.slice() })),
  });
}

/** One worker thread running `fuzz`; resolves with its result, or with a hang finding from the watchdog. */
function runWorker(
  input: Omit<WorkerInput, "shared">,
  onProgress: () => void,
): {
  done: Promise<FuzzResult | Finding | Error>;
  inputsStarted: () => number;
} {
  const shared = new SharedArrayBuffer(SHARED_HEADER_BYTES + MAX_LARGE_INPUT_BYTES);
  const header = new Int32Array(shared, 0, 2);
  // The worker runs this same TypeScript file, so it registers tsx's loader first.
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { ...input, shared } satisfies WorkerInput,
  });
  const done = new Promise<FuzzResult | Finding | Error>((resolvePromise) => {
    let lastIteration = -1;
    let lastWall = performance.now();
    const watchdog = setInterval(() => {
      onProgress();
      const iteration = Atomics.load(header, 0);
      const wall = performance.now();
      if (iteration !== lastIteration) {
        lastIteration = iteration;
        lastWall = wall;
        return;
      }
      if (iteration > 0 && wall - lastWall > HANG_WALL_MS) {
        clearInterval(watchdog);
        const length = Atomics.load(header, 1);
        const bytes = new Uint8Array(shared, SHARED_HEADER_BYTES, length).slice();
        const reason = `input ${iteration - 1} still running after ${(wall - lastWall).toFixed(0)} ms (hang)`;
        void worker
          .terminate()
          .then(() =>
            resolvePromise({ input: bytes, hash: hashInput(bytes), reason, iteration: iteration - 1 }),
          );
      }
    }, 200);
    worker.on("message", (result: FuzzResult) => {
      clearInterval(watchdog);
      resolvePromise(result);
    });
    worker.on("error", (error) => {
      clearInterval(watchdog);
      resolvePromise(error);
    });
  });
  return { done, inputsStarted: () => Atomics.load(header, 0) };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  if (args.replay.length > 0) {
    let failed = 0;
    for (const path of args.replay) {
      const problem = await replayInput(new Uint8Array(readFileSync(path)));
      out(`${path}: ${problem === undefined ? "ok" : `FINDING ${problem}`}`);
      if (problem !== undefined) failed++;
    }
    return failed > 0 ? 1 : 0;
  }
  const seeds = await exampleSeeds();
  out(
    `fuzz-rrd: seed ${args.seed}, ${args.seconds !== undefined ? `${args.seconds} s` : `${args.iterations} inputs`}, ` +
      `${args.workers} workers, ${seeds.length} seeds`,
  );
  const start = performance.now();
  let lastProgress = start;
  const workers: ReturnType<typeof runWorker>[] = [];
  const progress = (): void => {
    const now = performance.now();
    if (now - lastProgress < PROGRESS_MS) return;
    lastProgress = now;
    const done = workers.reduce((sum, w) => sum + w.inputsStarted(), 0);
    out(
      `  ${done} inputs after ${((now - start) / 1000).toFixed(0)} s (${(done / ((now - start) / 1000)).toFixed(0)}/s)`,
    );
  };
  for (let i = 0; i < args.workers; i++) {
    const share =
      args.iterations === undefined
        ? undefined
        : Math.floor(args.iterations / args.workers) + (i < args.iterations % args.workers ? 1 : 0);
    workers.push(
      runWorker(
        {
          seed: (args.seed + Math.imul(i, 0x9e3779b9)) >>> 0,
          seconds: args.seconds,
          iterations: share,
          seeds,
        },
        progress,
      ),
    );
  }
  const results = await Promise.all(workers.map((w) => w.done));
  const elapsedMs = performance.now() - start;
  const stats = emptyStats();
  const mutations: Record<string, number> = {};
  const findings: Finding[] = [];
  let iterations = 0;
  let failed = false;
  for (const result of results) {
    if (result instanceof Error) {
      out(`fuzz worker failed: ${describeError(result)}`);
      failed = true;
    } else if ("hash" in result) {
      findings.push(result);
    } else {
      iterations += result.iterations;
      addStats(stats, result.stats);
      for (const [name, n] of Object.entries(result.mutations)) mutations[name] = (mutations[name] ?? 0) + n;
      findings.push(...result.findings);
    }
  }
  const perSecond = iterations / (elapsedMs / 1000);
  out(
    `${iterations} inputs in ${(elapsedMs / 1000).toFixed(1)} s (${perSecond.toFixed(0)}/s, ${args.workers} workers); ` +
      `decoded ${stats.messages} messages, ${stats.warnings} warnings, ${stats.chunks} chunks inserted, ` +
      `${stats.chunkErrors} chunk-level typed errors, ${stats.headerErrors} stream-header errors; ` +
      `CLI commands on ${stats.cliRuns} inputs, intact-message oracle on ${stats.oracleRuns}; ` +
      `inputs average ${(stats.inputBytes / Math.max(1, iterations) / 1024).toFixed(1)} KiB, ` +
      `largest ${(stats.maxInputBytes / 2 ** 20).toFixed(1)} MiB`,
  );
  out(`mutations: ${JSON.stringify(mutations)}`);
  for (const finding of findings) {
    const path = writeFinding(finding, args.findings);
    out(`FINDING at input ${finding.iteration}: ${finding.reason}\n  -> ${path}`);
  }
  out(`${findings.length} findings`);
  return failed ? 2 : findings.length > 0 ? 1 : 0;
}

const isEntry =
  process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (!isMainThread && (workerData as { shared?: unknown } | null)?.shared instanceof SharedArrayBuffer) {
  void workerMain(workerData as WorkerInput);
} else if (isMainThread && isEntry) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${describeError(error)}\n`);
      process.exit(2);
    },
  );
}
