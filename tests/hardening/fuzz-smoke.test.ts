// A short, fixed-seed run of the `.rrd` fuzzer (fuzz/fuzz-rrd.ts) as part of CI, and a replay of every stored
// finding in fuzz/findings/ (each a regression test for a bug found by fuzzing and fixed).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  FINDINGS_DIR,
  type Seed,
  exampleSeeds,
  fuzz,
  mutate,
  replayInput,
  Rng,
} from "../../fuzz/fuzz-rrd.ts";
import { lostIntactMessage } from "../../fuzz/intact-oracle.ts";
import { runTarget } from "../../fuzz/target.ts";

let seeds: Seed[] = [];
beforeAll(async () => {
  seeds = await exampleSeeds();
}, 120_000);

describe("fuzz-rrd smoke run", () => {
  it("has 24 seeds: twelve examples × LZ4 on/off", () => {
    expect(seeds).toHaveLength(24);
    expect(new Set(seeds.map((s) => s.name)).size).toBe(24);
  });

  it("the intact-message oracle reports a lost message (and none when all are there)", () => {
    const seed = seeds.find((s) => s.name === "image_row_updates-lz4")!.bytes;
    const all = new Map<string, number>();
    runTarget(seed, new Rng(1), undefined, { fingerprints: all });
    expect(lostIntactMessage(seed, all, seed.length, seed.length)).toBeUndefined();
    const oneLess = new Map(all);
    const [key, count] = [...oneLess][3]!;
    oneLess.set(key, count - 1);
    expect(lostIntactMessage(seed, oneLess, seed.length, seed.length)).toMatch(/was not recovered/);
  });

  it("is deterministic for a fixed seed", () => {
    const a = mutate(seeds[0]!.bytes, new Rng(7), seeds);
    const b = mutate(seeds[0]!.bytes, new Rng(7), seeds);
    expect(a.applied).toEqual(b.applied);
    expect(a.bytes).toEqual(b.bytes);
  });

  it("600 inputs (seed 20251125) produce no finding, with the CLI commands and the intact-message oracle", async () => {
    const result = await fuzz({ seed: 20251125, iterations: 600, seeds, stopOnFinding: false });
    expect(result.iterations).toBe(600);
    // Every mutation operator ran, and the inputs reached both the decoder and the chunk level.
    expect(Object.keys(result.mutations).length).toBeGreaterThanOrEqual(10);
    expect(result.stats.messages).toBeGreaterThan(0);
    expect(result.stats.warnings).toBeGreaterThan(0);
    expect(result.stats.chunks).toBeGreaterThan(0);
    expect(result.stats.cliRuns).toBeGreaterThan(0);
    expect(result.mutations["localized"]).toBeGreaterThan(0);
    expect(result.mutations["arrow-type"]).toBeGreaterThan(0);
    expect(result.mutations["repeat"]).toBeGreaterThan(0);
    expect(result.stats.oracleRuns).toBeGreaterThan(0);
    expect(result.findings.map((f) => `${f.hash}: ${f.reason}`)).toEqual([]);
  }, 300_000);
});

describe("fuzz findings replay (regressions)", () => {
  const files = existsSync(FINDINGS_DIR)
    ? readdirSync(FINDINGS_DIR).filter((name) => name.endsWith(".rrd"))
    : [];
  it("the findings directory exists", () => {
    expect(existsSync(FINDINGS_DIR)).toBe(true);
  });
  for (const name of files) {
    it(`${name} decodes without an untyped exception or a hang (decoder and CLI commands)`, async () => {
      expect(await replayInput(new Uint8Array(readFileSync(join(FINDINGS_DIR, name))))).toBeUndefined();
    });
  }
});
