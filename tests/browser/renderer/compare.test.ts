/**
 * Compare mode in @iris/renderer (`CompareRenderer`), in Chromium (SwiftShader WebGL2): the difference read back
 * from the GPU and its statistics against a CPU reference computed from the raw bytes (compare-page.ts), the
 * difference as shown, swipe at 50 %, blend at 0.5, side by side, and the refusals.
 *
 * Tolerances: 0 for colour-model images (exact in float32); ±1 per value for YUV (the GPU rounds 255·rgb, the CPU
 * oracle truncates like Rerun's `as u8`) and Bayer (the GPU keeps demosaic means such as 12.5, the oracle rounds);
 * ±1 for shown 8-bit pixels; ±1.5 for the blend of an NV12 image.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumSession, type ConsoleCollector, launchChromium } from "../chromium.ts";
import { type StaticServer, startStaticServer } from "../static-server.ts";
import type { CompareTestApi, DifferenceCase, ScreenCase } from "./compare-page.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

let session: ChromiumSession;
let server: StaticServer;
let page: Page;
let consoleLines: ConsoleCollector;

async function call<K extends keyof CompareTestApi>(name: K): Promise<ReturnType<CompareTestApi[K]>> {
  return (await page.evaluate(
    (fn) => (window as unknown as { compareTests: Record<string, () => unknown> }).compareTests[fn]!(),
    name,
  )) as ReturnType<CompareTestApi[K]>;
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(here, "compare-page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const html = new TextEncoder().encode(
    `<!doctype html><meta charset="utf-8"><title>compare tests</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>`,
  );
  server = await startStaticServer({
    roots: [],
    files: new Map([
      ["/index.html", { body: html }],
      ["/page.js", { body: bundle.outputFiles[0]!.contents }],
    ]),
  });
  session = await launchChromium({ width: 320, height: 240 });
  ({ page, console: consoleLines } = await session.newPage());
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(
    () => (window as unknown as { compareTestsReady?: boolean }).compareTestsReady === true,
  );
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

function valueMismatches(c: DifferenceCase): string[] {
  const out: string[] = [];
  expect(c.gpu.length).toBe(c.expected.length);
  for (let i = 0; i < c.expected.length && out.length < 8; i++) {
    const [g, e] = [c.gpu[i]!, c.expected[i]!];
    const same = Number.isFinite(e) ? Math.abs(g - e) <= c.tolerance : !Number.isFinite(g);
    if (!same) out.push(`value ${i} (pixel ${Math.floor(i / c.channels)}): gpu ${g} vs cpu ${e}`);
  }
  for (let p = 0; p < c.shownExpected.length && out.length < 8; p++)
    if (
      Math.abs(c.shown[p]! - c.shownExpected[p]!) >
      1 + 255 * (c.tolerance / Math.max(1, c.expectedStats.maxAbs))
    )
      out.push(`shown pixel ${p}: ${c.shown[p]} vs ${c.shownExpected[p]}`);
  return out;
}

function expectStats(c: DifferenceCase): void {
  const s = c.stats;
  const e = c.expectedStats;
  expect(s.nonFinite, c.name).toBe(e.nonFinite);
  if (c.tolerance === 0) {
    expect(s.maxAbs, c.name).toBe(e.maxAbs);
    expect(s.meanAbs, c.name).toBeCloseTo(e.meanAbs, 9);
    if (e.psnr === Infinity || e.psnr === null) expect(s.psnr, c.name).toBe(e.psnr);
    else expect(s.psnr!, c.name).toBeCloseTo(e.psnr, 9);
  } else {
    expect(Math.abs(s.maxAbs - e.maxAbs), c.name).toBeLessThanOrEqual(c.tolerance);
    expect(Math.abs(s.meanAbs - e.meanAbs), c.name).toBeLessThanOrEqual(c.tolerance);
    // PSNR = 20·log10(peak) − 10·log10(mse): a ±1 error per value moves it by well under 1 dB here.
    expect(Math.abs(s.psnr! - e.psnr!), c.name).toBeLessThan(1);
  }
}

function screenMismatches(c: ScreenCase): string[] {
  const out: string[] = [];
  const pixels = c.mask ?? Array.from({ length: c.width * c.height }, (_, i) => i);
  for (const p of pixels) {
    for (let ch = 0; ch < 4 && out.length < 8; ch++) {
      const [g, e] = [c.gpu[4 * p + ch]!, c.expected[4 * p + ch]!];
      if (Math.abs(g - e) > c.tolerance)
        out.push(`(${p % c.width},${Math.floor(p / c.width)}) ${"rgba"[ch]}: ${g} vs ${e}`);
    }
  }
  return out;
}

describe("compare mode (CompareRenderer) vs a CPU reference", () => {
  it("the difference of identical images is 0 everywhere, for every kind of format", async () => {
    const cases = await call("identical");
    expect(cases.length).toBe(9);
    for (const c of cases) {
      expect(
        c.gpu.every((v) => v === 0),
        c.name,
      ).toBe(true);
      expect(c.stats, c.name).toMatchObject({ maxAbs: 0, meanAbs: 0, psnr: Infinity, nonFinite: 0 });
      expect(c.stats.count, c.name).toBe(c.gpu.length);
      expect(
        c.shown.every((v) => v === 0),
        c.name,
      ).toBe(true);
      expect(c.glError, c.name).toBe(0);
    }
  });

  it("the difference of known pairs (U8, L vs RGB, RGBA vs RGB, U16, F32 with NaN/Inf, NV12, YUV vs RGB, Bayer) equals the CPU reference, and so do max/mean/PSNR", async () => {
    const cases = await call("knownPairs");
    expect(cases.length).toBe(8);
    const failures = cases.map((c) => ({ c, bad: valueMismatches(c) })).filter((x) => x.bad.length > 0);
    expect(failures.map(({ c, bad }) => `${c.name}: ${bad.join("; ")}`)).toEqual([]);
    for (const c of cases) {
      expectStats(c);
      expect(c.glError, c.name).toBe(0);
      // Every pair really differs (a test of "0 everywhere" that always passes proves nothing).
      expect(c.expectedStats.maxAbs, c.name).toBeGreaterThan(0);
    }
    const float = cases.find((c) => c.name.startsWith("L F32"))!;
    expect(float.stats.nonFinite).toBe(2); // NaN vs number, number vs NaN; Inf vs Inf counts as equal
  });

  it("swipe at 50 % shows A left of the divider and B right of it", async () => {
    const c = await call("swipe");
    expect(screenMismatches(c)).toEqual([]);
    expect(c.glError).toBe(0);
  });

  it("blend at 0.5 shows (A + B) / 2 within ±1 (±1.5 with an NV12 image)", async () => {
    const c = await call("blend");
    expect(screenMismatches(c)).toEqual([]);
    expect(c.glError).toBe(0);
  });

  it("side by side shows A and B in the two halves with the same placement", async () => {
    const c = await call("sideBySide");
    expect(screenMismatches(c)).toEqual([]);
    expect(c.glError).toBe(0);
  });

  it("refuses the difference of differing sizes and of different value kinds, saying what differs", async () => {
    const [size, kind] = await call("errors");
    expect(size).toEqual({
      kind: "incompatible-images",
      message:
        "The difference needs two images of the same size: A is 4×3, B is 3×4 (swipe, blend and side by side show them aligned top-left)",
    });
    expect(kind!.kind).toBe("incompatible-images");
    expect(kind!.message).toBe(
      "The difference needs values of the same kind: A (L U16) holds U16 values, B (L U8) holds 8-bit values",
    );
    expect(consoleLines.problems()).toEqual([]);
  });
});
