/**
 * Browser suite of @iris/renderer: bundles renderer-page.ts with esbuild, serves it with the shared static
 * server, and drives Debian Chromium (SwiftShader WebGL2) through playwright-core.
 *
 * Tolerances (GPU − CPU reference `decodeImageToRgba8`, per 8-bit channel):
 * - U8 colour models with the default range: exact (0).
 * - every other datatype (I8…F64), and any explicit value range: ±1 (float32 normalisation on the GPU vs
 *   float64 on the CPU, both rounding to 8 bits).
 * - pixel formats (YUV): 0…+1 (the CPU reference truncates like Rust's `as u8`, the GPU's unorm write rounds).
 * - colormaps: ±1 against the renderer's own 256-entry table interpolated linearly (`sampleColormap`).
 * - opacity: ±1 against straight "over" compositing computed in float64.
 * - tiled vs untiled: exact with nearest filtering, ±1 with linear.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumSession, type ConsoleCollector, launchChromium } from "../chromium.ts";
import { type StaticServer, startStaticServer } from "../static-server.ts";
import { expectCases } from "./expect-cases.ts";
import { type RendererTestApi, maxDifference } from "./protocol.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

let session: ChromiumSession;
let server: StaticServer;
let page: Page;
let consoleLines: ConsoleCollector;

type ApiName = keyof RendererTestApi;

async function call<K extends ApiName>(name: K): Promise<ReturnType<RendererTestApi[K]>> {
  return (await page.evaluate(
    (fn) => (window as unknown as { rendererTests: Record<string, () => unknown> }).rendererTests[fn]!(),
    name,
  )) as ReturnType<RendererTestApi[K]>;
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(here, "renderer-page.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const js = bundle.outputFiles[0]!.contents;
  const html = new TextEncoder().encode(
    `<!doctype html><meta charset="utf-8"><title>renderer tests</title><link rel="icon" href="data:,"><script type="module" src="/renderer-page.js"></script>`,
  );
  server = await startStaticServer({
    roots: [],
    files: new Map([
      ["/index.html", { body: html }],
      ["/renderer-page.js", { body: js }],
    ]),
  });
  session = await launchChromium({ width: 320, height: 240 });
  ({ page, console: consoleLines } = await session.newPage());
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(
    () => (window as unknown as { rendererTestsReady?: boolean }).rendererTestsReady === true,
  );
});

afterAll(async () => {
  await session?.close();
  await server?.close();
});

describe("@iris/renderer in Chromium (SwiftShader WebGL2)", () => {
  it("runs on WebGL2", async () => {
    const info = await call("info");
    expect(info.version).toMatch(/WebGL 2/);
    expect(info.maxTextureSize).toBeGreaterThanOrEqual(4096);
  });

  it("matches the CPU reference for every ColorModel × ChannelDatatype and every PixelFormat", async () => {
    const cases = await call("conformance");
    // 3 sizes × 5 colour models × 11 datatypes × 2 value sets + 6 sizes × 14 pixel formats (10 YUV, 4 Bayer).
    expect(cases.length).toBe(3 * 5 * 11 * 2 + 6 * 14);
    expectCases(cases);
    const worst = new Map<string, number>();
    for (const c of cases) {
      const key = c.name.replace(/^\S+ /, "").replace(/ (wide|narrow)$/, "");
      worst.set(key, Math.max(worst.get(key) ?? 0, maxDifference(c)));
    }
    const exactU8 = cases.filter((c) => / dt6 /.test(c.name));
    expect(exactU8.every((c) => maxDifference(c) === 0)).toBe(true);
  });

  it("maps explicit value ranges like the CPU reference (incl. a narrow U32 range near 4e9)", async () => {
    expectCases(await call("explicitRange"));
  });

  it("applies every colormap (gradients interpolated, grid-map palettes at the nearest entry) from the lookup table", async () => {
    expectCases(await call("colormaps"));
  });

  it("changes range, colormap, filter and opacity without re-uploading", async () => {
    const result = await call("rangeWithoutReupload");
    expect(result.uploadsBefore).toBe(1);
    expect(result.uploadsAfter).toBe(result.uploadsBefore);
    expect(result.uploadedBytesAfter).toBe(result.uploadedBytesBefore);
    expectCases(result.cases);
  });

  it("blends with opacity over a known background", async () => {
    expectCases(await call("opacity"));
  });

  it("tiles images larger than the max texture size with identical pixels", async () => {
    const result = await call("tiling");
    // 10×7 with max 4: tiles draw 2 pixels each → 5 × 4 tiles.
    expect(result.tiles).toBe(20);
    expect(result.uploads).toBe(20);
    expectCases(result.cases);
  });

  it("shows BGR(A) exactly like RGB(A) with the channels reversed", async () => {
    expectCases(await call("bgrEqualsReversedRgb"));
  });

  it("filters linearly after decoding", async () => {
    expectCases(await call("linearMagnification"));
  });

  it("draws constant images at U64/I64/F64 extremes (collapsed range) and NaN/±Inf like the CPU reference", async () => {
    expectCases(await call("edgeValues"));
  });

  it("blends in linear light through the LinearCompositor (0.5 red over black = 188, as Rerun)", async () => {
    expectCases(await call("linearBlending"));
  });

  it("reports typed errors and frees textures", async () => {
    const { cases, liveTexturesAfterDestroy } = await call("errors");
    expect(Object.fromEntries(cases.map((c) => [c.name, c.kind]))).toEqual({
      "wrong size": "size-mismatch",
      "Y_U_V24 with the SDK's 4·n bytes": "size-mismatch",
      "zero width": "invalid-format",
      "pixelFormat with colorModel": "invalid-format",
      "NV12 too large for max 4": "too-large",
      "infinite range bound": "invalid-option",
      "draw destroyed": "destroyed",
    });
    expect(liveTexturesAfterDestroy).toBe(0);
  });

  it("logs no WebGL warnings or errors", () => {
    expect(consoleLines.problems().map((l) => l.text)).toEqual([]);
  });
});
