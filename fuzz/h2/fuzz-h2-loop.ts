// The HTTP/2 fuzzer's loop (one process, one iteration at a time): pick a seed transcript, mutate it, serve it to
// readMessages or GrpcSink over loopback, check the oracles; also watch for uncaught exceptions, unhandled
// rejections and memory growth. Findings are minimized (writes, then segments, removed while the problem stays)
// and written to fuzz/findings/h2-<sha256 prefix>.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import type { RrdMessage } from "@iris/rrd";
import { Rng } from "../rng.ts";
import { mutateTranscript } from "./mutators-h2.ts";
import { describeError } from "./read-oracle.ts";
import { type H2Seed, readSeeds, sdkMessages, sinkSeeds } from "./seeds-h2.ts";
import { type IterationStats, emptyIterationStats, runRead, runSink } from "./targets-h2.ts";
import { type Transcript, copyTranscript, transcriptHash, transcriptToJson } from "./transcript.ts";
import { TranscriptServer } from "./transcript-server.ts";

/** Heap + ArrayBuffer bytes may grow this much over a run (after a full GC) before it is a finding. */
export const MEMORY_GROWTH_BYTES = 128 << 20;
const MEMORY_CHECK_EVERY = 250;

export interface H2Finding {
  transcript: Transcript;
  hash: string;
  reason: string;
  iteration: number;
}

export interface H2FuzzOptions {
  seed: number;
  iterations?: number;
  seconds?: number;
  /** Every Nth iteration targets GrpcSink (default 4; 0: never), the others readMessages. */
  sinkEvery?: number;
  stopOnFinding?: boolean;
  /** Minimize findings before reporting them (default true). */
  minimize?: boolean;
  onProgress?: (iteration: number) => void;
}

export interface H2FuzzResult {
  iterations: number;
  readIterations: number;
  sinkIterations: number;
  stats: IterationStats;
  mutations: Record<string, number>;
  findings: H2Finding[];
  /** Heap + ArrayBuffer growth measured over the run (after GC), bytes. */
  memoryGrowth: number;
}

let gcFunction: (() => void) | undefined;
/** A full garbage collection (V8's gc, exposed at run time). */
function gc(): void {
  if (gcFunction === undefined) {
    setFlagsFromString("--expose-gc");
    gcFunction = runInNewContext("gc") as () => void;
  }
  gcFunction();
}

function liveBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The fuzzer's fixed inputs: the SDK messages and the seed transcripts made from them. */
export interface H2Corpus {
  messages: RrdMessage[];
  /** What GrpcSink sends: the messages three times (~100 KB, over the default 64 KiB windows). */
  sinkMessages: RrdMessage[];
  read: H2Seed[];
  sink: H2Seed[];
}

export function h2Corpus(): H2Corpus {
  const messages = sdkMessages();
  return {
    messages,
    sinkMessages: [...messages, ...messages, ...messages],
    read: readSeeds(messages),
    sink: sinkSeeds(),
  };
}

/**
 * Runs `transcript` once against its target and returns what went wrong, or undefined; uncaught exceptions and
 * unhandled rejections during the run (and a few turns after it) count as problems.
 */
export async function runTranscript(
  server: TranscriptServer,
  transcript: Transcript,
  corpus: H2Corpus,
  stats?: IterationStats,
): Promise<string | undefined> {
  const escaped: string[] = [];
  const onUncaught = (error: unknown): void =>
    void escaped.push(`uncaught exception: ${describeError(error)}`);
  const onRejection = (error: unknown): void =>
    void escaped.push(`unhandled rejection: ${describeError(error)}`);
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onRejection);
  try {
    const problem =
      transcript.target === "read"
        ? await runRead(server, transcript, stats)
        : await runSink(server, transcript, corpus.sinkMessages, stats);
    // Unhandled rejections are reported after a turn of the microtask queue; let them surface here.
    await new Promise((r) => setTimeout(r, 1));
    return escaped[0] ?? problem;
  } finally {
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onRejection);
  }
}

/** Greedy minimization: drop writes, then whole segments, while the transcript still shows a problem. */
export async function minimize(
  server: TranscriptServer,
  transcript: Transcript,
  corpus: H2Corpus,
  budget = 150,
): Promise<Transcript> {
  let best = copyTranscript(transcript);
  let tries = 0;
  const fails = async (t: Transcript): Promise<boolean> => {
    tries++;
    return (await runTranscript(server, t, corpus)) !== undefined;
  };
  for (let s = best.segments.length - 1; s >= 0 && tries < budget; s--) {
    for (let i = best.segments[s]!.writes.length - 1; i >= 0 && tries < budget; i--) {
      const candidate = copyTranscript(best);
      candidate.segments[s]!.writes.splice(i, 1);
      if (await fails(candidate)) best = candidate;
    }
  }
  for (let s = best.segments.length - 1; s >= 0 && tries < budget; s--) {
    if (best.segments[s]!.writes.length > 0) continue;
    const candidate = copyTranscript(best);
    candidate.segments.splice(s, 1);
    if (await fails(candidate)) best = candidate;
  }
  return best;
}

export async function fuzzH2(options: H2FuzzOptions): Promise<H2FuzzResult> {
  const corpus = h2Corpus();
  const server = await TranscriptServer.start();
  const rng = new Rng(options.seed);
  const sinkEvery = options.sinkEvery ?? 4;
  const stopOnFinding = options.stopOnFinding ?? true;
  const deadline = options.seconds === undefined ? Infinity : performance.now() + options.seconds * 1000;
  const maxIterations = options.iterations ?? Infinity;
  const stats = emptyIterationStats();
  const mutations: Record<string, number> = {};
  const findings: H2Finding[] = [];
  let readIterations = 0;
  let sinkIterations = 0;
  let baseline: number | undefined;
  let memoryGrowth = 0;
  let i = 0;
  try {
    for (; i < maxIterations && performance.now() < deadline; i++) {
      options.onProgress?.(i);
      const sink = sinkEvery > 0 && i % sinkEvery === sinkEvery - 1;
      const seed = rng.pick(sink ? corpus.sink : corpus.read);
      const { transcript, applied } = mutateTranscript(seed.transcript, rng);
      for (const name of applied) mutations[name] = (mutations[name] ?? 0) + 1;
      if (sink) sinkIterations++;
      else readIterations++;
      let reason = await runTranscript(server, transcript, corpus, stats);
      if ((i + 1) % MEMORY_CHECK_EVERY === 0) {
        const bytes = liveBytes();
        if (baseline === undefined) baseline = bytes;
        memoryGrowth = Math.max(memoryGrowth, bytes - baseline);
        if (reason === undefined && bytes - baseline > MEMORY_GROWTH_BYTES) {
          reason = `memory grew by ${((bytes - baseline) / 2 ** 20).toFixed(0)} MiB over ${i + 1} iterations`;
        }
      }
      if (reason === undefined) continue;
      const small = (options.minimize ?? true) ? await minimize(server, transcript, corpus) : transcript;
      const again =
        (options.minimize ?? true) ? ((await runTranscript(server, small, corpus)) ?? reason) : reason;
      findings.push({ transcript: small, hash: transcriptHash(small), reason: again, iteration: i });
      if (stopOnFinding) {
        i++;
        break;
      }
    }
  } finally {
    await server.close();
  }
  return { iterations: i, readIterations, sinkIterations, stats, mutations, findings, memoryGrowth };
}

export function writeH2Finding(finding: H2Finding, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `h2-${finding.hash}.json`);
  writeFileSync(path, transcriptToJson(finding.transcript));
  return path;
}
