// Seeded mutation fuzzer over the `.rrd` decoder and the Arrow chunk parser.
//
//   npx tsx fuzz/fuzz-rrd.ts [--seconds N | --iterations N] [--seed S] [--findings DIR] [--replay FILE...]
//
// Each iteration takes one seed recording (the five examples, re-encoded with LZ4 on and off), applies a few
// random mutations (bit flips, byte insert/delete, splices between seeds, tweaks of the 16-byte MessageHeader
// length/kind fields and of protobuf varints, truncation), pushes the result into an `RrdDecoder` in random
// pieces, ends it, and runs `chunkFromIpc` + `ChunkStore.insert` on every decoded ArrowMsg.
//
// Allowed outcomes: `RrdError` thrown for an invalid first stream header, warnings, and `IrisError` subclasses
// (ChunkError, StoreError, TimelineError, …) thrown by the chunk level. Anything else escaping, or one input taking
// more than 2 s (checked by a watchdog thread, so a real hang is caught too), is a finding: the input is written
// to fuzz/findings/<sha256-prefix>.rrd and the process exits 1.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { chunkFromIpc } from "@iris/chunk";
import { main as cliMain } from "@iris/cli";
import { MemorySink, RrdDecoder, RrdEncoder, type RrdMessage, decodeRrd, isRrdError, xxh32 } from "@iris/rrd";
import { ChunkStore } from "@iris/store";
import { IrisError, concatBytes as concat } from "@iris/types";
import { allExamples } from "../examples/src/all-examples.ts";
import { writeExample } from "../examples/src/run-example.ts";
import { retypeIpc } from "./retype-arrow-column.ts";

/**
 * An input taking longer than this much CPU time is a finding. CPU time (process-wide `process.cpuUsage`), not
 * wall time, so that a loaded CI machine does not produce false findings; see also HANG_WALL_MS.
 */
export const SLOW_INPUT_MS = 2_000;
/** An input still running after this much wall time is a finding even if it burns no CPU (blocked). */
export const HANG_WALL_MS = 30_000;

/** Process CPU time (user + system) in milliseconds. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
/** Mutated inputs are cut to this size, so that inserts and splices cannot grow them without bound. */
const MAX_INPUT_BYTES = 1 << 20;
/** Every LARGE_EVERY-th input may be this large ("repeat" mutation, whole seeds): larger inputs, kept rare. */
export const MAX_LARGE_INPUT_BYTES = 8 << 20;
const LARGE_EVERY = 64;
/** Every ARROW_TYPE_EVERY-th input gets the structure-aware "arrow-type" mutation (it re-encodes the stream). */
const ARROW_TYPE_EVERY = 16;

export const FINDINGS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "findings");

// ---- deterministic PRNG ---------------------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 2^32). */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform integer in [0, n) (n ≥ 1). */
  int(n: number): number {
    return n <= 1 ? 0 : this.u32() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

// ---- seeds ----------------------------------------------------------------------------------------------

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

/**
 * The five example recordings written by `writeExample` into a temporary directory, each re-encoded with LZ4
 * on and with LZ4 off (the file as written is the LZ4 variant).
 */
export async function exampleSeeds(): Promise<Seed[]> {
  const dir = mkdtempSync(join(tmpdir(), "iris-fuzz-seeds-"));
  try {
    const seeds: Seed[] = [];
    for (const example of allExamples) {
      const path = await writeExample(example, join(dir, `${example.name}.rrd`));
      const original = new Uint8Array(readFileSync(path));
      const { messages } = decodeRrd(original);
      for (const compression of ["lz4", "none"] as const) {
        const sink = new MemorySink();
        const encoder = new RrdEncoder(sink, { compression });
        for (const message of messages) encoder.write(message);
        encoder.finish();
        seeds.push({ name: `${example.name}-${compression}`, bytes: sink.toBytes() });
      }
    }
    return seeds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- mutations ------------------------------------------------------------------------------------------

/** Offsets of the 16-byte MessageHeaders of a well-formed stream (stops at the first implausible one). */
function messageHeaderOffsets(bytes: Uint8Array): number[] {
  const out: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  while (offset + 16 <= bytes.length && out.length < 4096) {
    const kind = view.getBigUint64(offset, true);
    const length = view.getBigUint64(offset + 8, true);
    if (kind > 3n || length > BigInt(bytes.length)) break;
    out.push(offset);
    offset += 16 + Number(length);
  }
  return out;
}

/** Offsets of bytes that look like the start of a multi-byte protobuf varint (a byte with the high bit set). */
function varintStart(bytes: Uint8Array, rng: Rng): number | undefined {
  for (let tries = 0; tries < 64; tries++) {
    const at = rng.int(bytes.length);
    if (bytes[at]! & 0x80 && (at === 0 || !(bytes[at - 1]! & 0x80))) return at;
  }
  return undefined;
}

const INTERESTING_U64: readonly bigint[] = [
  0n,
  1n,
  15n,
  16n,
  0x7fn,
  0xffn,
  0xffffn,
  0x7fffffffn,
  0xffffffffn,
  1n << 31n,
  1n << 32n,
  1n << 53n,
  (1n << 53n) + 1n,
  1n << 63n,
  (1n << 64n) - 1n,
];

type Mutator = (input: Uint8Array, rng: Rng, seeds: readonly Seed[]) => Uint8Array;

const mutators: readonly [string, Mutator][] = [
  [
    "bit-flip",
    (input, rng) => {
      const out = input.slice();
      if (out.length > 0) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    },
  ],
  [
    "byte-set",
    (input, rng) => {
      const out = input.slice();
      if (out.length > 0) out[rng.int(out.length)] = rng.pick([0x00, 0x01, 0x7f, 0x80, 0xff, rng.int(256)]);
      return out;
    },
  ],
  [
    "byte-insert",
    (input, rng) => {
      const at = rng.int(input.length + 1);
      const count = 1 + rng.int(rng.int(2) === 0 ? 4 : 64);
      const extra = new Uint8Array(count);
      for (let i = 0; i < count; i++) extra[i] = rng.int(256);
      return concat([input.subarray(0, at), extra, input.subarray(at)]);
    },
  ],
  [
    "byte-delete",
    (input, rng) => {
      const at = rng.int(input.length + 1);
      const count = 1 + rng.int(rng.int(2) === 0 ? 4 : 256);
      return concat([input.subarray(0, at), input.subarray(Math.min(input.length, at + count))]);
    },
  ],
  ["truncate", (input, rng) => input.slice(0, rng.int(input.length + 1))],
  [
    "splice",
    (input, rng, seeds) => {
      const other = rng.pick(seeds).bytes;
      const a = rng.int(input.length + 1);
      const b = rng.int(other.length + 1);
      const c = b + rng.int(other.length - b + 1);
      return concat([input.subarray(0, a), other.subarray(b, c), input.subarray(a + rng.int(64))]);
    },
  ],
  [
    "header-length",
    (input, rng) => {
      const headers = messageHeaderOffsets(input);
      if (headers.length === 0) return input;
      const out = input.slice();
      const view = new DataView(out.buffer);
      const at = rng.pick(headers);
      const old = view.getBigUint64(at + 8, true);
      const value =
        rng.int(2) === 0 ? rng.pick(INTERESTING_U64) : BigInt.asUintN(64, old + BigInt(rng.int(33) - 16));
      view.setBigUint64(at + 8, value, true);
      return out;
    },
  ],
  [
    "header-kind",
    (input, rng) => {
      const headers = messageHeaderOffsets(input);
      if (headers.length === 0) return input;
      const out = input.slice();
      new DataView(out.buffer).setBigUint64(
        rng.pick(headers),
        rng.pick([0n, 1n, 2n, 3n, 4n, 0x32465252n, (1n << 64n) - 1n]),
        true,
      );
      return out;
    },
  ],
  [
    "varint",
    (input, rng) => {
      const at = varintStart(input, rng);
      if (at === undefined) return input;
      const out = input.slice();
      switch (rng.int(4)) {
        case 0: // make the varint longer than 10 bytes / never-ending
          for (let i = at; i < Math.min(out.length, at + 12); i++) out[i] = 0xff;
          break;
        case 1: // grow the value
          out[at] = out[at]! | 0x7f;
          if (at + 1 < out.length) out[at + 1] = (out[at + 1]! + 1 + rng.int(8)) & 0xff;
          break;
        case 2: // shrink the value
          out[at] = 0x80;
          break;
        default:
          out[at] = out[at]! ^ (1 << rng.int(7));
      }
      return out;
    },
  ],
  [
    "stream-header",
    (input, rng) => {
      const out = input.slice();
      if (out.length >= 12) out[rng.int(12)] = rng.int(256);
      return out;
    },
  ],
];

/**
 * Structure-aware: decodes the input, picks one ArrowMsg, replaces one of its columns with a column of a
 * different Arrow type (nested lists of nulls, fixed-size lists, empty structs, dictionaries, unions of widths,
 * huge declared lengths) built by `randomArrowColumn`, and re-encodes the stream. Creates Arrow types no seed has.
 */
function retypeArrowColumn(input: Uint8Array, rng: Rng): Uint8Array {
  let messages: RrdMessage[];
  try {
    messages = decodeRrd(input).messages;
  } catch {
    return input;
  }
  const arrows = messages.flatMap((m, i) => (m.kind === "arrowMsg" ? [i] : []));
  if (arrows.length === 0) return input;
  const index = rng.pick(arrows);
  const message = messages[index]!;
  if (message.kind !== "arrowMsg") return input;
  let ipc: Uint8Array;
  try {
    ipc = retypeIpc(message.ipc, rng);
  } catch {
    return input;
  }
  messages[index] = { ...message, ipc };
  const sink = new MemorySink();
  const encoder = new RrdEncoder(sink, { compression: "none" });
  for (const m of messages) encoder.write(m);
  encoder.finish();
  return sink.toBytes();
}

/** Mutations applied only to some inputs (see LARGE_EVERY, ARROW_TYPE_EVERY): they cost more per input. */
const rareMutators: Record<"repeat" | "arrow-type", Mutator> = {
  repeat: (input, rng) => {
    // Larger inputs: a stretch of the input (often whole messages) repeated up to 32 times.
    const a = rng.int(input.length + 1);
    const b = a + rng.int(Math.min(input.length - a, 1 << 18) + 1);
    const copies = 1 + rng.int(32);
    const parts = [input.subarray(0, b)];
    for (let i = 0; i < copies; i++) parts.push(input.subarray(a, b));
    parts.push(input.subarray(b));
    return concat(parts);
  },
  "arrow-type": (input, rng) => retypeArrowColumn(input, rng),
};

export function mutate(
  seed: Uint8Array,
  rng: Rng,
  seeds: readonly Seed[],
  rare?: "repeat" | "arrow-type",
): { bytes: Uint8Array; applied: string[] } {
  if (rare !== undefined) {
    let bytes = rareMutators[rare](seed, rng, seeds);
    const applied: string[] = [rare];
    if (rng.int(2) === 0) {
      const [name, mutator] = rng.pick(mutators);
      bytes = mutator(bytes, rng, seeds);
      applied.push(name);
    }
    return { bytes: bytes.subarray(0, MAX_LARGE_INPUT_BYTES), applied };
  }
  let bytes = seed;
  const applied: string[] = [];
  const rounds = 1 + rng.int(rng.int(3) === 0 ? 8 : 3);
  for (let i = 0; i < rounds; i++) {
    const [name, mutator] = rng.pick(mutators);
    bytes = mutator(bytes, rng, seeds);
    if (bytes.length > MAX_INPUT_BYTES) bytes = bytes.subarray(0, MAX_INPUT_BYTES);
    applied.push(name);
  }
  return { bytes, applied };
}

// ---- the target -----------------------------------------------------------------------------------------

export interface TargetStats {
  messages: number;
  warnings: number;
  chunks: number;
  /** Inputs whose first stream header was rejected with an RrdError. */
  headerErrors: number;
  /** Typed IrisErrors from chunkFromIpc / ChunkStore.insert. */
  chunkErrors: number;
  /** Inputs also run through the CLI commands. */
  cliRuns: number;
}

export function emptyStats(): TargetStats {
  return { messages: 0, warnings: 0, chunks: 0, headerErrors: 0, chunkErrors: 0, cliRuns: 0 };
}

/**
 * Runs one input through the decoder (pushed in pieces chosen by `rng`) and the chunk level. Returns normally
 * for every documented outcome; rethrows anything else.
 */
export function runTarget(bytes: Uint8Array, rng: Rng, stats: TargetStats = emptyStats()): TargetStats {
  const decoder = new RrdDecoder();
  const store = new ChunkStore();
  const handle = (event: ReturnType<RrdDecoder["next"]>): void => {
    if (event === undefined) return;
    if (event.type === "warning") {
      stats.warnings++;
      return;
    }
    stats.messages++;
    if (event.message.kind !== "arrowMsg") return;
    try {
      store.insert(chunkFromIpc(event.message.ipc));
      stats.chunks++;
    } catch (error) {
      if (!(error instanceof IrisError)) throw error;
      stats.chunkErrors++;
    }
  };
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const size = 1 + rng.int(rng.int(4) === 0 ? 16 : 1 + Math.min(bytes.length, 65536));
      decoder.push(bytes.subarray(offset, offset + size));
      offset += size;
      for (let event = decoder.next(); event !== undefined; event = decoder.next()) handle(event);
    }
    for (const event of decoder.end()) handle(event);
  } catch (error) {
    // Only an invalid first stream header may throw from the decoder.
    if (!isRrdError(error)) throw error;
    stats.headerErrors++;
  }
  return stats;
}

/**
 * The CLI code paths on one input, as functions (not processes): `verify`, `print --verbose`, `query` on every
 * timeline the recording has, and `compare` of the input with itself. Allowed: any exit code; not allowed: an
 * exception escaping `main` (it catches and describes typed errors itself).
 */
export async function runCli(bytes: Uint8Array, dir: string): Promise<void> {
  const path = join(dir, "input.rrd");
  writeFileSync(path, bytes);
  const io = { stdout: (): void => undefined, stderr: (): void => undefined };
  const timelines = new Set<string>();
  try {
    for (const m of decodeRrd(bytes).messages) {
      if (m.kind !== "arrowMsg") continue;
      try {
        for (const name of chunkFromIpc(m.ipc).timelines.keys()) timelines.add(name);
      } catch {
        // a broken chunk has no timelines to query
      }
    }
  } catch {
    // an invalid stream header: the commands report it
  }
  const runs: string[][] = [
    ["verify", path],
    ["print", "--verbose", path],
    ["compare", path, path],
    ...[...timelines].slice(0, 2).map((t) => ["query", path, "--index", t]),
  ];
  for (const argv of runs) {
    const code = await cliMain(argv, io);
    if (code !== 0 && code !== 1)
      throw new Error(`iris ${argv[0]} exited ${code} (usage error on a generated input)`);
  }
}

/**
 * The intact-message oracle: `bytes` is `seed` with bytes [start, end) of the seed replaced (a single localized
 * mutation). Every seed message lying wholly outside the damaged range must decode to the same message. Returns a
 * description of the first one lost, or undefined.
 */
export function lostIntactMessage(
  seed: Uint8Array,
  bytes: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  if (start < 12) return undefined; // a damaged stream header makes the whole input unreadable, by design
  const decoder = new RrdDecoder();
  decoder.push(seed);
  const intact: { offset: number; ipc: Uint8Array }[] = [];
  let previousEnd = 12;
  const headers = messageHeaderOffsets(seed);
  for (const event of decoder.end()) {
    if (event.type !== "message" || event.message.kind !== "arrowMsg") continue;
    const at = event.offset;
    const i = headers.indexOf(at);
    const next = headers[i + 1] ?? seed.length;
    // Intact: the whole message (header and payload) is outside the damage, and not adjacent to it on the left
    // (a message right before damage can lose its following bytes' header only).
    if (next <= start || at >= end) intact.push({ offset: at, ipc: event.message.ipc });
    previousEnd = next;
  }
  void previousEnd;
  let decoded: RrdMessage[];
  try {
    decoded = decodeRrd(bytes).messages;
  } catch {
    return undefined;
  }
  const seen = new Map<string, number>();
  for (const m of decoded)
    if (m.kind === "arrowMsg") seen.set(fingerprint(m.ipc), (seen.get(fingerprint(m.ipc)) ?? 0) + 1);
  for (const { offset, ipc } of intact) {
    const key = fingerprint(ipc);
    const n = seen.get(key) ?? 0;
    if (n === 0)
      return `the intact ArrowMsg at seed offset ${offset} (damage at ${start}..${end}) was not recovered`;
    seen.set(key, n - 1);
  }
  return undefined;
}

function fingerprint(bytes: Uint8Array): string {
  return `${bytes.length}:${xxh32(bytes, 0)}`;
}

/** Single mutations whose damaged range is known, for the intact-message oracle. */
function localizedMutation(seed: Uint8Array, rng: Rng): { bytes: Uint8Array; start: number; end: number } {
  const at = 12 + rng.int(Math.max(1, seed.length - 12));
  switch (rng.int(4)) {
    case 0: {
      const out = seed.slice();
      out[at] = out[at]! ^ (1 + rng.int(255));
      return { bytes: out, start: at, end: at + 1 };
    }
    case 1: {
      const count = 1 + rng.int(64);
      const extra = new Uint8Array(count);
      for (let i = 0; i < count; i++) extra[i] = rng.int(256);
      return { bytes: concat([seed.subarray(0, at), extra, seed.subarray(at)]), start: at, end: at };
    }
    case 2: {
      const count = 1 + rng.int(256);
      return {
        bytes: concat([seed.subarray(0, at), seed.subarray(Math.min(seed.length, at + count))]),
        start: at,
        end: Math.min(seed.length, at + count),
      };
    }
    default: {
      const headers = messageHeaderOffsets(seed);
      if (headers.length === 0) return { bytes: seed, start: 0, end: 0 };
      const header = rng.pick(headers);
      const out = seed.slice();
      const view = new DataView(out.buffer);
      const field = rng.int(2) * 8;
      view.setBigUint64(header + field, rng.pick(INTERESTING_U64), true);
      return { bytes: out, start: header, end: header + 16 };
    }
  }
}

// ---- the loop -------------------------------------------------------------------------------------------

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
  /** Run the CLI commands on every Nth input (default 64; 0 never). */
  cliEvery?: number;
  /** Check the intact-message oracle on every Nth input, with a single localized mutation (default 8; 0 never). */
  oracleEvery?: number;
}

export interface FuzzResult {
  iterations: number;
  elapsedMs: number;
  findings: Finding[];
  stats: TargetStats;
  mutations: Record<string, number>;
}

export function hashInput(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}

/** The mutation loop, in the calling thread. A slow input is detected after it returns. */
export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const cliDir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "iris-fuzz-cli-"));
  try {
    return await fuzzIn(options, cliDir);
  } finally {
    rmSync(cliDir, { recursive: true, force: true });
  }
}

async function fuzzIn(options: FuzzOptions, cliDir: string): Promise<FuzzResult> {
  const cliEvery = options.cliEvery ?? 64;
  const oracleEvery = options.oracleEvery ?? 8;
  const rng = new Rng(options.seed);
  const stats = emptyStats();
  const findings: Finding[] = [];
  const mutations: Record<string, number> = {};
  const start = performance.now();
  const deadline = options.seconds === undefined ? Number.POSITIVE_INFINITY : start + options.seconds * 1000;
  const maxIterations = options.iterations ?? Number.POSITIVE_INFINITY;
  let iteration = 0;
  while (iteration < maxIterations && performance.now() < deadline) {
    const seed = rng.pick(options.seeds);
    const oracle = oracleEvery > 0 && iteration % oracleEvery === oracleEvery - 1;
    const localized = oracle ? localizedMutation(seed.bytes, rng) : undefined;
    const { bytes, applied } = localized
      ? { bytes: localized.bytes, applied: ["localized"] }
      : mutate(
          seed.bytes,
          rng,
          options.seeds,
          iteration % LARGE_EVERY === LARGE_EVERY - 2
            ? "repeat"
            : iteration % ARROW_TYPE_EVERY === ARROW_TYPE_EVERY - 3
              ? "arrow-type"
              : undefined,
        );
    for (const name of applied) mutations[name] = (mutations[name] ?? 0) + 1;
    options.beforeInput?.(bytes, iteration);
    const inputStart = cpuMs();
    let reason: string | undefined;
    try {
      runTarget(bytes, new Rng(rng.u32()), stats);
      if (localized) {
        const lost = lostIntactMessage(seed.bytes, bytes, localized.start, localized.end);
        if (lost !== undefined) reason = `${lost} (seed ${seed.name})`;
      }
      if (cliEvery > 0 && iteration % cliEvery === 0) {
        await runCli(bytes, cliDir);
        stats.cliRuns++;
      }
    } catch (error) {
      reason = `uncaught ${describeError(error)} (seed ${seed.name}, mutations ${applied.join(",")})`;
    }
    const took = cpuMs() - inputStart;
    if (reason === undefined && took > SLOW_INPUT_MS) {
      reason = `input took ${took.toFixed(0)} ms of CPU time (> ${SLOW_INPUT_MS} ms)`;
    }
    if (reason !== undefined) {
      findings.push({ input: bytes, hash: hashInput(bytes), reason, iteration });
      if (options.stopOnFinding ?? true) {
        iteration++;
        break;
      }
    }
    iteration++;
  }
  return { iterations: iteration, elapsedMs: performance.now() - start, findings, stats, mutations };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const frames = (error.stack ?? "").split("\n").slice(1, 6).join("\n");
    return `${error.name}: ${error.message}\n${frames}`;
  }
  return String(error);
}

/** Runs a stored input the way the fuzzer does (several piece sizes) and returns what escaped, if anything. */
export async function replayInput(bytes: Uint8Array): Promise<string | undefined> {
  for (const seed of [1, 2, 3]) {
    try {
      const start = cpuMs();
      runTarget(bytes, new Rng(seed));
      const took = cpuMs() - start;
      if (took > SLOW_INPUT_MS) return `took ${took.toFixed(0)} ms of CPU time`;
    } catch (error) {
      return describeError(error);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "iris-fuzz-replay-"));
  try {
    await runCli(bytes, dir);
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

// ---- command line: the loop in a worker thread, watched by the main thread ------------------------------

interface WorkerInput {
  seed: number;
  seconds: number | undefined;
  iterations: number | undefined;
  shared: SharedArrayBuffer;
}

/** Layout of the shared buffer: [iteration, input length] as Int32, then the current input's bytes. */
const SHARED_HEADER_BYTES = 8;

function parseArgs(argv: readonly string[]): {
  seed: number;
  seconds: number | undefined;
  iterations: number | undefined;
  findings: string;
  replay: string[];
} {
  let seed = Date.now() >>> 0;
  let seconds: number | undefined;
  let iterations: number | undefined;
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
    else if (arg === "--findings") findings = resolve(value());
    else if (arg === "--replay") replay.push(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  if (seconds === undefined && iterations === undefined) seconds = 60;
  return { seed, seconds, iterations, findings, replay };
}

async function workerMain(input: WorkerInput): Promise<void> {
  const header = new Int32Array(input.shared, 0, 2);
  const data = new Uint8Array(input.shared, SHARED_HEADER_BYTES);
  const seeds = await exampleSeeds();
  const result = await fuzz({
    seed: input.seed,
    seeds,
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
  out(
    `fuzz-rrd: seed ${args.seed}, ${args.seconds !== undefined ? `${args.seconds} s` : `${args.iterations} iterations`}`,
  );
  const shared = new SharedArrayBuffer(SHARED_HEADER_BYTES + MAX_LARGE_INPUT_BYTES);
  const header = new Int32Array(shared, 0, 2);
  // The worker runs this same TypeScript file, so it registers tsx's loader first.
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: {
      seed: args.seed,
      seconds: args.seconds,
      iterations: args.iterations,
      shared,
    } satisfies WorkerInput,
  });
  return new Promise<number>((resolvePromise) => {
    let lastIteration = -1;
    let lastWall = performance.now();
    let lastCpu = cpuMs();
    const watchdog = setInterval(() => {
      const iteration = Atomics.load(header, 0);
      const wall = performance.now();
      const cpu = cpuMs();
      if (iteration !== lastIteration) {
        lastIteration = iteration;
        lastWall = wall;
        lastCpu = cpu;
        return;
      }
      // Seeds are generated before the first iteration; only watch once the loop runs.
      const stuck = cpu - lastCpu > SLOW_INPUT_MS || wall - lastWall > HANG_WALL_MS;
      if (iteration > 0 && stuck) {
        clearInterval(watchdog);
        const length = Atomics.load(header, 1);
        const input = new Uint8Array(shared, SHARED_HEADER_BYTES, length).slice();
        const path = writeFinding(
          { input, hash: hashInput(input), reason: "hang", iteration: iteration - 1 },
          args.findings,
        );
        out(
          `FINDING: iteration ${iteration - 1} still running after ${(cpu - lastCpu).toFixed(0)} ms CPU / ` +
            `${(wall - lastWall).toFixed(0)} ms wall -> ${path}`,
        );
        void worker.terminate().then(() => resolvePromise(1));
      }
    }, 100);
    worker.on("message", (result: FuzzResult) => {
      clearInterval(watchdog);
      const perSecond = result.iterations / (result.elapsedMs / 1000);
      out(
        `${result.iterations} iterations in ${(result.elapsedMs / 1000).toFixed(1)} s (${perSecond.toFixed(0)}/s); ` +
          `decoded ${result.stats.messages} messages, ${result.stats.warnings} warnings, ` +
          `${result.stats.chunks} chunks inserted, ${result.stats.chunkErrors} chunk-level typed errors, ` +
          `${result.stats.headerErrors} stream-header errors`,
      );
      out(`mutations: ${JSON.stringify(result.mutations)}`);
      for (const finding of result.findings) {
        const path = writeFinding(finding, args.findings);
        out(`FINDING at iteration ${finding.iteration}: ${finding.reason}\n  -> ${path}`);
      }
      resolvePromise(result.findings.length > 0 ? 1 : 0);
    });
    worker.on("error", (error) => {
      clearInterval(watchdog);
      out(`fuzz worker failed: ${describeError(error)}`);
      resolvePromise(2);
    });
  });
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
