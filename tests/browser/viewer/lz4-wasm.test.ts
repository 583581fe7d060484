// The viewer page decodes LZ4-compressed recordings with lz4-wasm, and with the TypeScript codec when
// WebAssembly is unavailable (packages/viewer/src/load-wasm-lz4.ts).
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageSimple } from "../../../examples/src/image_simple.ts";
import { writeExample } from "../../../examples/src/run-example.ts";
import { IrisViewerHarness, shownPixel } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  // The SDK's FileSink LZ4-compresses every Arrow message (a flat red image with a green square compresses well).
  await writeExample(imageSimple, join(harness.dataDir, "simple.rrd"));
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

type Lz4Global = { irisLz4(): { name: string; decodedBlocks: number } };

async function openAndCheckPixels(): Promise<{ name: string; decodedBlocks: number }> {
  await harness.open(["simple.rrd"]);
  const [view] = await harness.snapshot(1);
  const drawn = view!.drawn[0]!;
  expect(shownPixel(view!, drawn, 10, 10)).toEqual([255, 0, 0, 255]);
  expect(shownPixel(view!, drawn, 100, 100)).toEqual([0, 255, 0, 255]);
  return harness.page.evaluate(() => (globalThis as unknown as Lz4Global).irisLz4());
}

describe("LZ4 in the viewer page", () => {
  it("decodes the recording with lz4-wasm", async () => {
    const info = await openAndCheckPixels();
    expect(info.name).toBe("lz4-wasm");
    // Blocks went through the viewer's codec: the recording's Arrow messages are LZ4-compressed.
    expect(info.decodedBlocks).toBeGreaterThan(0);
    expect(harness.console.problems()).toEqual([]);
  });

  it("falls back to the TypeScript codec when WebAssembly is unavailable", async () => {
    await harness.page.addInitScript(() => {
      delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
    });
    const info = await openAndCheckPixels();
    expect(info.name).toBe("typescript");
    expect(info.decodedBlocks).toBeGreaterThan(0);
    const notes = await harness.page.$$eval(".iris-note", (els) => els.map((n) => n.textContent ?? ""));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/LZ4 in TypeScript: .*WebAssembly/);
  });
});
