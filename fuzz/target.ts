// What the fuzzer runs on each input: the streaming decoder and the chunk level (`runTarget`), and the CLI
// commands as in-process function calls (`runCli`).
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Chunk, chunkFromIpc } from "@iris/chunk";
import { main as cliMain } from "@iris/cli";
import { RrdDecoder, type RrdDecoderEvent, isRrdError, xxh32 } from "@iris/rrd";
import { ChunkStore } from "@iris/store";
import { IrisError } from "@iris/types";
import type { Rng } from "./rng.ts";

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
  /** Inputs checked by the intact-message oracle. */
  oracleRuns: number;
  /** Bytes of all inputs. */
  inputBytes: number;
  /** The largest input. */
  maxInputBytes: number;
}

export function emptyStats(): TargetStats {
  return {
    messages: 0,
    warnings: 0,
    chunks: 0,
    headerErrors: 0,
    chunkErrors: 0,
    cliRuns: 0,
    oracleRuns: 0,
    inputBytes: 0,
    maxInputBytes: 0,
  };
}

/** Adds `b`'s counts to `a` (the largest input is a maximum). */
export function addStats(a: TargetStats, b: TargetStats): void {
  for (const key of Object.keys(a) as (keyof TargetStats)[]) {
    a[key] = key === "maxInputBytes" ? Math.max(a[key], b[key]) : a[key] + b[key];
  }
}

/** An ArrowMsg's identity for the intact-message oracle: its IPC length and SHA-1 (native, fast). */
export function fingerprint(ipc: Uint8Array): string {
  return `${ipc.length}:${createHash("sha1").update(ipc).digest("base64")}`;
}

/**
 * `chunkFromIpc` results by IPC bytes: a mutated input mostly repeats its seed's intact messages, and parsing the
 * same bytes again tests nothing new (`chunkFromIpc` is a pure function of them), so only new IPC bytes are
 * parsed. Looked up by length and the xxh32 of both ends, then compared byte for byte (native memcmp). Bounded:
 * cleared when it holds CHUNK_CACHE_BYTES.
 */
const chunkCache = new Map<string, { ipc: Buffer; result: Chunk | IrisError }>();
const CHUNK_CACHE_BYTES = 64 << 20;
let chunkCacheBytes = 0;

function cachedChunkFromIpc(ipc: Uint8Array): Chunk | IrisError {
  const n = ipc.length;
  const key = `${n}:${xxh32(ipc.subarray(0, 64), 0)}:${xxh32(ipc.subarray(Math.max(0, n - 64)), 0)}`;
  const bytes = Buffer.from(ipc.buffer, ipc.byteOffset, n);
  const cached = chunkCache.get(key);
  if (cached !== undefined && cached.ipc.equals(bytes)) return cached.result;
  let result: Chunk | IrisError;
  try {
    result = chunkFromIpc(ipc);
  } catch (error) {
    if (!(error instanceof IrisError)) throw error;
    result = error;
  }
  if (chunkCacheBytes + n > CHUNK_CACHE_BYTES) {
    chunkCache.clear();
    chunkCacheBytes = 0;
  }
  chunkCache.set(key, { ipc: Buffer.from(bytes), result });
  chunkCacheBytes += n;
  return result;
}

/**
 * Runs one input through the decoder (pushed in pieces chosen by `rng`) and the chunk level: `chunkFromIpc` and
 * `ChunkStore.insert` on every decoded ArrowMsg. Returns normally for every documented outcome (an `RrdError` for
 * an invalid first stream header, warnings, `IrisError`s from the chunk level) and rethrows anything else.
 * `collect.fingerprints` counts each decoded ArrowMsg's `fingerprint` (for the intact-message oracle);
 * `collect.timelines` gathers the timeline names of the inserted chunks (for `runCli`'s queries).
 */
export function runTarget(
  bytes: Uint8Array,
  rng: Rng,
  stats: TargetStats = emptyStats(),
  collect: { fingerprints?: Map<string, number>; timelines?: Set<string> } = {},
): TargetStats {
  const { fingerprints, timelines } = collect;
  const decoder = new RrdDecoder();
  const store = new ChunkStore();
  const handle = (event: RrdDecoderEvent): void => {
    if (event.type === "warning") {
      stats.warnings++;
      return;
    }
    stats.messages++;
    if (event.message.kind !== "arrowMsg") return;
    if (fingerprints !== undefined) {
      const key = fingerprint(event.message.ipc);
      fingerprints.set(key, (fingerprints.get(key) ?? 0) + 1);
    }
    const chunk = cachedChunkFromIpc(event.message.ipc);
    if (chunk instanceof IrisError) {
      stats.chunkErrors++;
      return;
    }
    try {
      store.insert(chunk);
      stats.chunks++;
      if (timelines !== undefined) for (const name of chunk.timelines.keys()) timelines.add(name);
    } catch (error) {
      if (!(error instanceof IrisError)) throw error;
      stats.chunkErrors++;
    }
  };
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const size = 1 + rng.int(rng.int(8) === 0 ? 64 : 1 + Math.min(bytes.length, 65536));
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
 * The CLI code paths on one input, as function calls of the CLI's `main` (not processes): `verify`,
 * `print --verbose`, `query` on up to two of the input's timelines (found by `runTarget`) and `compare` of the input with itself. The input is written to `dir/input.rrd` (a RAM disk when there
 * is one). Allowed: exit codes 0 and 1; not allowed: an exception escaping `main` (it catches and describes typed
 * errors itself) or a usage error (exit 2) on a generated input.
 */
export async function runCli(bytes: Uint8Array, dir: string, timelines: readonly string[]): Promise<void> {
  const path = join(dir, "input.rrd");
  writeFileSync(path, bytes);
  const io = { stdout: (): void => undefined, stderr: (): void => undefined };
  const runs: string[][] = [
    ["verify", path],
    ["print", "--verbose", path],
    ["compare", path, path],
    ...timelines.slice(0, 2).map((t) => ["query", path, "--index", t]),
  ];
  for (const argv of runs) {
    const code = await cliMain(argv, io);
    if (code !== 0 && code !== 1)
      throw new Error(`iris ${argv[0]} exited ${code} (usage error on a generated input)`);
  }
}
