import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageRowUpdates } from "../../../examples/src/image_row_updates.ts";
import { imageSimple } from "../../../examples/src/image_simple.ts";
import { writeExample } from "../../../examples/src/run-example.ts";
import { IrisViewerHarness } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  await writeExample(imageSimple, join(harness.dataDir, "simple.rrd"));
  // One frame per chunk so that the file holds 20 separate messages.
  await writeExample(imageRowUpdates, join(harness.dataDir, "rows.rrd"));
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

type ViewerGlobal = {
  irisViewer: {
    recordings: { done: boolean; name: string }[];
    spatialViews: Map<string, { drawnImages: unknown[] }>;
    activeRecording?: { name: string };
  };
};

describe("opening data", () => {
  it("shows the first image before a slow download has finished", async () => {
    const bytes = new Uint8Array(readFileSync(join(harness.dataDir, "rows.rrd")));
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    const half = Math.floor(bytes.length / 2);
    const slow: Server = createServer((_req, res) => {
      res.writeHead(200, {
        "Content-Type": "application/octet-stream",
        "Content-Length": bytes.length,
        "Access-Control-Allow-Origin": "*",
      });
      res.write(bytes.subarray(0, half));
      void released.then(() => res.end(bytes.subarray(half)));
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/rows.rrd`;
    try {
      await harness.page.goto(`${harness.server.url}/?url=${encodeURIComponent(url)}`);
      await harness.page.waitForFunction(() => {
        const v = (globalThis as unknown as ViewerGlobal).irisViewer;
        let n = 0;
        for (const view of v?.spatialViews.values() ?? []) n += view.drawnImages.length;
        return n > 0;
      });
      const state = await harness.page.evaluate(() => ({
        done: (globalThis as unknown as ViewerGlobal).irisViewer.recordings[0]!.done,
        progress: document.querySelector(".iris-progress")?.textContent ?? "",
      }));
      expect(state.done).toBe(false);
      expect(state.progress).toMatch(/loading .* of /);
      release();
      await harness.page.waitForFunction(
        () => (globalThis as unknown as ViewerGlobal).irisViewer.recordings[0]!.done,
      );
      expect(await harness.page.$eval(".iris-progress", (e) => e.textContent)).toMatch(/loaded/);
      // Following the live edge: once everything arrived the cursor is on the last frame.
      expect(await harness.page.$eval(".iris-time-label", (e) => e.textContent)).toBe("time #19");
    } finally {
      release();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });

  it("opens files from the file picker, with a recording selector for several recordings", async () => {
    await harness.page.goto(`${harness.server.url}/`);
    await harness.page.setInputFiles(".iris-top input[type=file]", [
      join(harness.dataDir, "simple.rrd"),
      join(harness.dataDir, "rows.rrd"),
    ]);
    await harness.page.waitForFunction(() => {
      const v = (globalThis as unknown as ViewerGlobal).irisViewer;
      return v.recordings.length === 2 && v.recordings.every((r) => r.done);
    });
    const options = await harness.page.$$eval(".iris-top select[name=recording] option", (o) =>
      o.map((x) => x.textContent),
    );
    expect(options).toEqual([
      "simple.rrd (rerun_example_image)",
      "rows.rrd (rerun_example_image_row_updates)",
    ]);
    await harness.page.selectOption(".iris-top select[name=recording]", "0");
    await harness.page.waitForFunction(() => {
      const v = (globalThis as unknown as ViewerGlobal).irisViewer;
      return (
        v.activeRecording?.name === "simple.rrd" &&
        [...v.spatialViews.values()].some((s) => s.drawnImages.length > 0)
      );
    });
    const roots = await harness.page.$$eval(".iris-view", (views) =>
      views.map((v) => (v as HTMLElement).dataset["root"]),
    );
    expect(roots).toEqual(["/image"]);
  });

  it("opens a dropped file", async () => {
    await harness.page.goto(`${harness.server.url}/`);
    const bytes = Array.from(readFileSync(join(harness.dataDir, "simple.rrd")));
    const dataTransfer = await harness.page.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], "dropped.rrd"));
      return dt;
    }, bytes);
    await harness.page.dispatchEvent(".iris-viewer", "drop", { dataTransfer });
    await harness.page.waitForFunction(() => {
      const v = (globalThis as unknown as ViewerGlobal).irisViewer;
      return v.recordings.length === 1 && v.recordings[0]!.done && v.recordings[0]!.name === "dropped.rrd";
    });
    const snapshot = await harness.snapshot(1);
    expect(snapshot[0]!.drawn[0]!.entityPath).toBe("/image");
  });

  it("reports a file that is not a recording instead of failing silently", async () => {
    await harness.page.goto(`${harness.server.url}/?url=${encodeURIComponent("/data/missing.rrd")}`);
    await harness.page
      .waitForFunction(
        () => /cannot open .*404/.test(document.querySelector(".iris-progress")?.textContent ?? ""),
        undefined,
        {
          timeout: 15_000,
        },
      )
      .catch(async (error: unknown) => {
        const text = await harness.page.$eval(".iris-progress", (e) => e.textContent);
        throw new Error(`status shows ${JSON.stringify(text)}: ${String(error)}`);
      });
  });
});

describe("view controls", () => {
  it("toggles magnification between nearest and linear", async () => {
    await harness.open(["simple.rrd"]);
    const before = await harness.snapshot(1);
    const view = before[0]!;
    const d = view.drawn[0]!;
    // At the green square's left edge (image x 49 → 50), nearest gives a hard edge.
    const edgeX = Math.floor((d.x + 50 * d.scale) * view.scale) - 1;
    const y = Math.floor((d.y + 100.5 * d.scale) * view.scale);
    const at = (v: typeof view, x: number): number[] =>
      Array.from(v.rgba.subarray((y * v.width + x) * 4, (y * v.width + x) * 4 + 3));
    expect([
      [255, 0, 0],
      [0, 255, 0],
    ]).toContainEqual(at(view, edgeX));
    await harness.page.click(".iris-view .iris-mag");
    expect(await harness.page.$eval(".iris-view .iris-mag", (b) => b.textContent)).toBe("linear");
    const after = (await harness.snapshot(1))[0]!;
    // Linear blends red and green somewhere across the edge.
    const blended = [-2, -1, 0, 1, 2].some((dx) => {
      const [r, g] = at(after, edgeX + dx);
      return r! > 10 && r! < 245 && g! > 10 && g! < 245;
    });
    expect(blended).toBe(true);
  });

  it("zooms with the wheel around the cursor, pans by dragging, and resets on double-click", async () => {
    await harness.open(["simple.rrd"]);
    const start = (await harness.snapshot(1))[0]!.drawn[0]!;
    const box = (await harness.page.$(".iris-view .iris-canvas"))!;
    const rect = (await box.boundingBox())!;
    // Whole pixels: Chromium reports wheel events at integer client coordinates.
    const cx = Math.round(rect.x + rect.width / 2);
    const cy = Math.round(rect.y + rect.height / 2);
    await harness.page.mouse.move(cx, cy);
    await harness.page.mouse.wheel(0, -400);
    const zoomed = (await harness.snapshot(1))[0]!.drawn[0]!;
    expect(zoomed.scale).toBeGreaterThan(start.scale * 1.5);
    // The point under the cursor stays put: its image coordinate is unchanged.
    const imageX = (p: typeof start): number => (cx - rect.x - p.x) / p.scale;
    expect(imageX(zoomed)).toBeCloseTo(imageX(start), 1);
    await harness.page.mouse.down();
    await harness.page.mouse.move(cx + 40, cy + 30, { steps: 4 });
    await harness.page.mouse.up();
    const panned = (await harness.snapshot(1))[0]!.drawn[0]!;
    expect(panned.x - zoomed.x).toBeCloseTo(40, 0);
    expect(panned.y - zoomed.y).toBeCloseTo(30, 0);
    await harness.page.mouse.dblclick(cx, cy);
    const reset = (await harness.snapshot(1))[0]!.drawn[0]!;
    expect(reset.scale).toBeCloseTo(start.scale, 5);
  });
});
