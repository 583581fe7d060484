// Seeded mutation fuzzer of Iris's own HTTP/2 client (packages/rrd/src/node/h2/) facing a hostile or broken
// server, through its two callers: `readMessages` and `GrpcSink`.
//
//   npx tsx fuzz/fuzz-h2.ts [--iterations N | --seconds N] [--seed S] [--sink-every N] [--findings DIR]
//   npx tsx fuzz/fuzz-h2.ts --replay fuzz/findings/h2-<hash>.json ...
//
// Seeds (fuzz/h2/seeds-h2.ts) are valid server transcripts; fuzz/h2/mutators-h2.ts mutates them at the frame and
// byte level; fuzz/h2/transcript-server.ts serves each over a loopback socket; fuzz/h2/targets-h2.ts runs the
// client and checks the oracles (see TESTING.md, "Fuzzing the HTTP/2 client"). One process, one iteration at a
// time. Exit code 1 if there was a finding (written to fuzz/findings/h2-<hash>.json), 2 on a usage error.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { FINDINGS_DIR } from "./fuzz-loop.ts";
import { fuzzH2, h2Corpus, runTranscript, writeH2Finding } from "./h2/fuzz-h2-loop.ts";
import { transcriptFromJson } from "./h2/transcript.ts";
import { TranscriptServer } from "./h2/transcript-server.ts";

export { type H2Corpus, fuzzH2, h2Corpus, runTranscript } from "./h2/fuzz-h2-loop.ts";

/** Replays stored findings; returns the problem of each (undefined: fixed). */
export async function replayH2(paths: readonly string[]): Promise<(string | undefined)[]> {
  const corpus = h2Corpus();
  const server = await TranscriptServer.start();
  try {
    const out: (string | undefined)[] = [];
    for (const path of paths)
      out.push(await runTranscript(server, transcriptFromJson(readFileSync(path, "utf8")), corpus));
    return out;
  } finally {
    await server.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let seed = Date.now() >>> 0;
  let iterations: number | undefined;
  let seconds: number | undefined;
  let sinkEvery = 4;
  let findingsDir = FINDINGS_DIR;
  const replay: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    if (arg === "--seed") seed = Number(value) >>> 0;
    else if (arg === "--iterations") iterations = Number(value);
    else if (arg === "--seconds") seconds = Number(value);
    else if (arg === "--sink-every") sinkEvery = Number(value);
    else if (arg === "--findings") findingsDir = resolve(value);
    else if (arg === "--replay") {
      replay.push(value);
      while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) replay.push(argv[++i]!);
    } else throw new Error(`unknown argument ${arg}`);
  }
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  if (replay.length > 0) {
    const problems = await replayH2(replay);
    problems.forEach((p, i) => out(`${replay[i]}: ${p === undefined ? "ok" : `FINDING ${p}`}`));
    return problems.some((p) => p !== undefined) ? 1 : 0;
  }
  if (iterations === undefined && seconds === undefined) seconds = 60;
  out(
    `fuzz-h2: seed ${seed}, ${seconds !== undefined ? `${seconds} s` : `${iterations} iterations`}, sink every ${sinkEvery}`,
  );
  const start = performance.now();
  let last = start;
  const result = await fuzzH2({
    seed,
    ...(iterations !== undefined && { iterations }),
    ...(seconds !== undefined && { seconds }),
    sinkEvery,
    stopOnFinding: false,
    onProgress: (i) => {
      const now = performance.now();
      if (now - last < 30_000) return;
      last = now;
      out(`  ${i} iterations after ${((now - start) / 1000).toFixed(0)} s`);
    },
  });
  const s = result.stats;
  out(
    `${result.iterations} iterations in ${((performance.now() - start) / 1000).toFixed(1)} s ` +
      `(${result.readIterations} readMessages, ${result.sinkIterations} GrpcSink); readMessages yielded ${s.yielded} ` +
      `messages (skipped ${s.skipped} undecodable ones), ended cleanly ${s.cleanEnds} times and with a LiveError ${s.liveErrors} times; GrpcSink messages ` +
      `acknowledged ${s.acked}, dropped ${s.dropped}, rejected ${s.rejected}, held by flow control ` +
      `${s.flowExhausted} times (no DATA beyond a window); memory growth ` +
      `${(result.memoryGrowth / 2 ** 20).toFixed(1)} MiB`,
  );
  out(`mutations: ${JSON.stringify(result.mutations)}`);
  out("readMessages endings:");
  for (const [ending, n] of Object.entries(s.endings).sort((a, b) => b[1] - a[1])) out(`  ${n}\t${ending}`);
  for (const f of result.findings)
    out(
      `FINDING at iteration ${f.iteration} (seed ${f.transcript.seed}): ${f.reason}\n  -> ${writeH2Finding(f, findingsDir)}`,
    );
  out(`${result.findings.length} findings`);
  return result.findings.length > 0 ? 1 : 0;
}

const isEntry =
  process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(2);
    },
  );
}
