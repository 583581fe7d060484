/**
 * Iris extensions in @iris/renderer (Bayer RGGB/BGGR/GRBG/GBRG × U8/U16, UYVY), in Chromium (SwiftShader WebGL2),
 * compared with the CPU reference `decodeIrisLayoutToRgba8`.
 *
 * Tolerances (GPU − CPU, per 8-bit channel):
 * - Bayer (U8 and U16, default and explicit ranges): ±1 — the demosaic means (x.25, x.5, x.75) are normalised in
 *   float32 on the GPU and rounded by the unorm write; the CPU uses float64 and Math.round.
 * - UYVY: 0…+1 — as YUY2, the CPU truncates (Rust `as u8`), the GPU rounds.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumSession, type ConsoleCollector, launchChromium } from "../chromium.ts";
import { type StaticServer, startStaticServer } from "../static-server.ts";
import type { IrisExtensionsTestApi } from "./iris-extensions-page.ts";
import { expectCases } from "./expect-cases.ts";
import { maxDifference } from "./protocol.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

let session: ChromiumSession;
let server: StaticServer;
let page: Page;
let consoleLines: ConsoleCollector;

async function call<K extends keyof IrisExtensionsTestApi>(
  name: K,
): Promise<ReturnType<IrisExtensionsTestApi[K]>> {
  return (await page.evaluate(
    (fn) =>
      (window as unknown as { irisExtensionTests: Record<string, () => unknown> }).irisExtensionTests[fn]!(),
    name,
  )) as ReturnType<IrisExtensionsTestApi[K]>;
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(here, "iris-extensions-page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const html = new TextEncoder().encode(
    `<!doctype html><meta charset="utf-8"><title>iris extension tests</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>`,
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
    () => (window as unknown as { irisExtensionTestsReady?: boolean }).irisExtensionTestsReady === true,
  );
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe("@iris/renderer Iris extensions vs the CPU reference", () => {
  it("demosaics all four Bayer patterns, 8 and 16 bit, default and explicit ranges (±1)", async () => {
    const cases = await call("bayerConformance");
    // 5 sizes × 4 patterns × 2 depths × 2 ranges + the U16 ≤ 255 case.
    expect(cases.length).toBe(5 * 4 * 2 * 2 + 1);
    expectCases(cases);
    if (process.env["IRIS_BROWSER_DEBUG"]) {
      process.stderr.write(`bayer worst |diff| ${Math.max(...cases.map(maxDifference))}\n`);
    }
  });

  it("converts UYVY like the CPU reference (0…+1)", async () => {
    expectCases(await call("uyvyConformance"));
  });

  it("re-wraps data textures larger than the max texture size", async () => {
    expectCases(await call("rewrapped"));
  });

  it("changes the value range of a 16-bit mosaic without re-uploading", async () => {
    const result = await call("rangeWithoutReupload");
    expect(result.uploads).toBe(1);
    expect(result.uploadsAfter).toBe(1);
    expectCases(result.cases);
  });

  it("rejects invalid extension uploads with typed errors", async () => {
    const cases = await call("errors");
    expect(Object.fromEntries(cases.map((c) => [c.name, c.kind]))).toEqual({
      "UYVY odd width": "invalid-format",
      "Bayer 1 pixel wide": "invalid-format",
      "Bayer F32": "invalid-format",
      "Bayer U16 wrong size": "size-mismatch",
      "irisLayout with pixelFormat": "invalid-format",
    });
  });

  it("logs no WebGL warnings or errors", () => {
    expect(consoleLines.problems().map((l) => l.text)).toEqual([]);
  });
});
