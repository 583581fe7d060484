// The fuzzer's loop (in one thread): pick a seed, mutate it, run the target, check the oracles, record findings.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type RareMutation, localizedMutation, mutate } from "./mutators.ts";
import { lostIntactMessage } from "./intact-oracle.ts";
import { Rng } from "./rng.ts";
import { SMALL_SEED_BYTES, type Seed } from "./seeds.ts";
import { type TargetStats, emptyStats, runCli, runTarget } from "./target.ts";

/**
 * An input taking more than this much CPU time is a finding. The loop measures wall time (cheap); an input over
 * it is run twice more measuring this thread's CPU time (`threadCpuMs`: several workers share the process, so
 * process CPU time says nothing about one input, and wall time on a loaded machine says nothing at all).
 */
export const SLOW_INPUT_MS = 2_000;

/**
 * CPU time (user + system) of the calling thread in milliseconds, from Linux's /proc/thread-self/stat (10 ms
 * resolution), or undefined where there is no such file (then wall time is used).
 */
export function threadCpuMs(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync("/proc/thread-self/stat", "latin1");
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15, in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export const FINDINGS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "findings");

/** Process CPU time (user + system) in milliseconds. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface Finding {
  input: Uint8Array;
  /** sha256 prefix, also the file name stem under fuzz/findings/. */
  hash: string;
  reason: string;
  iteration: number;
}

export interface FuzzOptions {
  seed: number;
  /** Stop after this many iterations … */
  iterations?: number;
  /** … or after this many seconds (whichever comes first; at least one of the two should be given). */
  seconds?: number;
  seeds: readonly Seed[];
  /** Stop at the first finding (default true). */
  stopOnFinding?: boolean;
  /** Called with every input before it runs (the watchdog thread's view of "the current input"). */
  beforeInput?: (bytes: Uint8Array, iteration: number) => void;
  /** Run the CLI commands (verify, print --verbose, compare, query) on every Nth input (default 64; 0 never). */
  cliEvery?: number;
  /** Check the intact-message oracle on every Nth input, with a single localized mutation (default 8; 0 never). */
  oracleEvery?: number;
  /** Every Nth input is the structure-aware "arrow-type" mutation (default 32; 0 never). */
  arrowTypeEvery?: number;
  /** Every Nth input is a large one ("repeat" mutation of any seed, up to 16 MiB; default 512; 0 never). */
  largeEvery?: number;
  /**
   * Every Nth input starts from any seed (the largest are 3.6 MiB, cut to 1 MiB after mutation); the others start
   * from a small seed (≤ SMALL_SEED_BYTES), which keeps the average input near 30 KiB (default 32).
   */
  anySeedEvery?: number;
}

export interface FuzzResult {
  iterations: number;
  elapsedMs: number;
  findings: Finding[];
  stats: TargetStats;
  mutations: Record<string, number>;
  /** Inputs and wall milliseconds by input class (small seed, any seed, arrow-type, repeat, localized; +cli). */
  timeByClass: Record<string, { inputs: number; ms: number }>;
}

export function hashInput(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const frames = (error.stack ?? "").split("\n").slice(1, 6).join("\n");
    return `${error.name}: ${error.message}\n${frames}`;
  }
  return String(error);
}

/** A RAM-disk directory for the CLI's input file when there is one. */
function cliTempDir(): string {
  return mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "iris-fuzz-cli-"));
}

/** What one input is run with (all derived from the loop's PRNG, so an input can be run again exactly). */
interface Plan {
  bytes: Uint8Array;
  targetSeed: number;
  cli: boolean;
  oracle: { seed: Uint8Array; start: number; end: number } | undefined;
}

/** Runs one planned input; returns a finding's reason or undefined. Throws what escapes the target. */
async function runPlan(plan: Plan, stats: TargetStats, cliDir: string): Promise<string | undefined> {
  const fingerprints = plan.oracle ? new Map<string, number>() : undefined;
  const timelines = plan.cli ? new Set<string>() : undefined;
  runTarget(plan.bytes, new Rng(plan.targetSeed), stats, {
    ...(fingerprints ? { fingerprints } : {}),
    ...(timelines ? { timelines } : {}),
  });
  if (plan.cli) {
    await runCli(plan.bytes, cliDir, [...(timelines ?? [])]);
    stats.cliRuns++;
  }
  if (plan.oracle && fingerprints) {
    stats.oracleRuns++;
    return lostIntactMessage(plan.oracle.seed, fingerprints, plan.oracle.start, plan.oracle.end);
  }
  return undefined;
}

/** Runs `plan` again with stack traces on: the escaping error's description, or undefined if it ran clean. */
async function rerunDescribed(plan: Plan, cliDir: string): Promise<string | undefined> {
  try {
    await runPlan(plan, emptyStats(), cliDir);
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

/** The fastest of two more runs of `plan`, in milliseconds of this thread's CPU time (wall time without it). */
async function rerunCpuMs(plan: Plan, cliDir: string): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 2; i++) {
    const cpu = threadCpuMs();
    const wall = performance.now();
    await runPlan(plan, emptyStats(), cliDir).catch(() => undefined);
    const cpuAfter = threadCpuMs();
    const took = cpu !== undefined && cpuAfter !== undefined ? cpuAfter - cpu : performance.now() - wall;
    best = Math.min(best, took);
  }
  return best;
}

/** The mutation loop, in the calling thread. A slow input is detected after it returns. */
export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const cliDir = cliTempDir();
  const stackTraceLimit = Error.stackTraceLimit;
  // Typed errors are the common outcome and need no stack; a finding is run again with stack traces on.
  Error.stackTraceLimit = 0;
  try {
    return await fuzzIn(options, cliDir);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    rmSync(cliDir, { recursive: true, force: true });
  }
}

async function fuzzIn(options: FuzzOptions, cliDir: string): Promise<FuzzResult> {
  const every = (n: number | undefined, fallback: number): number => n ?? fallback;
  const cliEvery = every(options.cliEvery, 64);
  const oracleEvery = every(options.oracleEvery, 8);
  const arrowTypeEvery = every(options.arrowTypeEvery, 32);
  const largeEvery = every(options.largeEvery, 512);
  const anySeedEvery = every(options.anySeedEvery, 32);
  const hits = (iteration: number, n: number, phase: number): boolean => n > 0 && iteration % n === phase % n;
  const small = options.seeds.filter((s) => s.bytes.length <= SMALL_SEED_BYTES);
  const smallSeeds = small.length > 0 ? small : options.seeds;
  const rng = new Rng(options.seed);
  const stats = emptyStats();
  const findings: Finding[] = [];
  const mutations: Record<string, number> = {};
  const timeByClass: FuzzResult["timeByClass"] = {};
  const start = performance.now();
  const deadline = options.seconds === undefined ? Number.POSITIVE_INFINITY : start + options.seconds * 1000;
  const maxIterations = options.iterations ?? Number.POSITIVE_INFINITY;
  let iteration = 0;
  while (iteration < maxIterations && (iteration % 64 !== 0 || performance.now() < deadline)) {
    // Every 4th large input repeats a stretch of any seed (up to 16 MiB), the others of a small one (≤ 4 MiB).
    const anySeed = hits(iteration, anySeedEvery, 5) || hits(iteration, largeEvery * 4, largeEvery - 2);
    const pool = anySeed ? options.seeds : smallSeeds;
    const seed = rng.pick(pool);
    const rare: RareMutation | undefined = hits(iteration, largeEvery, largeEvery - 2)
      ? "repeat"
      : hits(iteration, arrowTypeEvery, arrowTypeEvery - 3)
        ? "arrow-type"
        : undefined;
    const oracle = rare === undefined && hits(iteration, oracleEvery, oracleEvery - 1);
    const localized = oracle ? localizedMutation(seed.bytes, rng) : undefined;
    const { bytes, applied } = localized
      ? { bytes: localized.bytes, applied: ["localized"] }
      : mutate(seed.bytes, rng, pool, rare);
    for (const name of applied) mutations[name] = (mutations[name] ?? 0) + 1;
    stats.inputBytes += bytes.length;
    stats.maxInputBytes = Math.max(stats.maxInputBytes, bytes.length);
    const plan: Plan = {
      bytes,
      targetSeed: rng.u32(),
      cli: hits(iteration, cliEvery, 0),
      oracle: localized ? { seed: seed.bytes, start: localized.start, end: localized.end } : undefined,
    };
    options.beforeInput?.(bytes, iteration);
    const inputStart = performance.now();
    let reason: string | undefined;
    try {
      const lost = await runPlan(plan, stats, cliDir);
      if (lost !== undefined) reason = `${lost} (seed ${seed.name})`;
    } catch (error) {
      Error.stackTraceLimit = 10;
      const described = (await rerunDescribed(plan, cliDir)) ?? describeError(error);
      Error.stackTraceLimit = 0;
      reason = `uncaught ${described} (seed ${seed.name}, mutations ${applied.join(",")})`;
    }
    const took = performance.now() - inputStart;
    const inputClass = `${rare ?? (localized ? "localized" : pool === smallSeeds ? "small-seed" : "any-seed")}${plan.cli ? "+cli" : ""}`;
    const spent = (timeByClass[inputClass] ??= { inputs: 0, ms: 0 });
    spent.inputs++;
    spent.ms += took;
    if (reason === undefined && took > SLOW_INPUT_MS) {
      const again = await rerunCpuMs(plan, cliDir);
      if (again > SLOW_INPUT_MS)
        reason = `input took ${again.toFixed(0)} ms of CPU time (> ${SLOW_INPUT_MS} ms), ${bytes.length} bytes`;
    }
    iteration++;
    if (reason !== undefined) {
      findings.push({ input: bytes, hash: hashInput(bytes), reason, iteration: iteration - 1 });
      if (options.stopOnFinding ?? true) break;
    }
  }
  return {
    iterations: iteration,
    elapsedMs: performance.now() - start,
    findings,
    stats,
    mutations,
    timeByClass,
  };
}

/**
 * Runs a stored input the way the fuzzer does (three piece sizes, then the CLI commands) and returns what
 * escaped or how long it took (CPU time), if anything.
 */
export async function replayInput(bytes: Uint8Array): Promise<string | undefined> {
  const timelines = new Set<string>();
  for (const seed of [1, 2, 3]) {
    try {
      const start = cpuMs();
      runTarget(bytes, new Rng(seed), emptyStats(), { timelines });
      const took = cpuMs() - start;
      if (took > SLOW_INPUT_MS) return `took ${took.toFixed(0)} ms of CPU time`;
    } catch (error) {
      return describeError(error);
    }
  }
  const dir = cliTempDir();
  try {
    const start = cpuMs();
    await runCli(bytes, dir, [...timelines]);
    const took = cpuMs() - start;
    if (took > SLOW_INPUT_MS) return `the CLI commands took ${took.toFixed(0)} ms of CPU time`;
  } catch (error) {
    return describeError(error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return undefined;
}

export function writeFinding(finding: Finding, dir: string = FINDINGS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${finding.hash}.rrd`);
  writeFileSync(path, finding.input);
  return path;
}
