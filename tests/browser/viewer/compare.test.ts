/**
 * Compare mode and linked views in the Iris viewer (real Chromium): the statistics shown against a CPU reference
 * computed here from the logged arrays, the difference / swipe / blend pixels read back from the canvas, the three
 * ways to pick a pair (two entities, one entity at two times, one entity in two recordings), the size rule, the
 * keyboard, and linked zoom/hover across two 2D views.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleColormap } from "@iris/renderer";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { IrisViewerHarness } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

const W = 16;
const H = 12;

/** Deterministic pseudo-random bytes (xorshift32). */
function bytes(count: number, seed: number, max = 255): Uint8Array {
  let s = seed >>> 0 || 1;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s % (max + 1);
  }
  return out;
}

const camA0 = bytes(W * H * 3, 1);
const camA1 = bytes(W * H * 3, 2);
const camB = bytes(W * H * 3, 3);
const camOther = bytes(W * H * 3, 4);
const u16Left = Uint16Array.from(bytes(8 * 6, 5), (v, i) => v * 250 + i);
const u16Right = Uint16Array.from(bytes(8 * 6, 6), (v, i) => v * 240 + 3 * i);

function record(name: string, log: (rec: RecordingStream) => void): void {
  const rec = new RecordingStream({
    applicationId: name,
    sink: new FileSink(join(harness.dataDir, `${name}.rrd`)),
  });
  log(rec);
  rec.close();
}

interface Reference {
  maxAbs: number;
  meanAbs: number;
  psnr: number;
}

/** max / mean |a − b| and PSNR over all channels, in float64. */
function reference(a: ArrayLike<number>, b: ArrayLike<number>, peak: number): Reference {
  let max = 0;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    max = Math.max(max, d);
    sum += d;
    squares += d * d;
  }
  const mse = squares / a.length;
  return { maxAbs: max, meanAbs: sum / a.length, psnr: 10 * Math.log10((peak * peak) / mse) };
}

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  record("compare", (rec) => {
    rec.setTimeSequence("frame", 0);
    rec.log("cam/a", new Image(camA0, { width: W, height: H, colorModel: "RGB" }));
    rec.log("cam/b", new Image(camB, { width: W, height: H, colorModel: "RGB" }));
    rec.log("u16/left", new Image(u16Left, { width: 8, height: 6 }));
    rec.log("u16/right", new Image(u16Right, { width: 8, height: 6 }));
    rec.setTimeSequence("frame", 1);
    rec.log("cam/a", new Image(camA1, { width: W, height: H, colorModel: "RGB" }));
  });
  record("other", (rec) => {
    rec.setTimeSequence("frame", 0);
    rec.log("cam/a", new Image(camOther, { width: W, height: H, colorModel: "RGB" }));
  });
  await harness.open(["compare.rrd", "other.rrd"]);
  await harness.snapshot(4);
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

interface Shown {
  stats: { maxAbs: number; meanAbs: number; psnr: number | null; count: number; channels: number } | null;
  problem: string | null;
  placement: { x: number; y: number; scale: number; rightX: number } | null;
  width: number;
  rgba: Uint8Array;
  statsText: string;
}

type Source = { recording?: number; entity: string; time?: number };

/** Sets compare mode up through the embedding API and reads back what it shows after it has drawn. */
async function show(a: Source, b: Source, mode: string, amount = 0.5): Promise<Shown> {
  const shown = await harness.page.evaluate(
    async ({ a, b, mode, amount }) => {
      type View = {
        statistics:
          | { maxAbs: number; meanAbs: number; psnr: number | undefined; count: number; channels: number }
          | undefined;
        problemText: string | undefined;
        placement: { x: number; y: number; scale: number; rightX: number } | undefined;
        readCanvasPixels(): { width: number; rgba: Uint8Array };
        controls: { stats: HTMLElement };
      };
      type Viewer = {
        time: { setTime(t: bigint): void };
        compare(a: unknown, b: unknown, o: unknown): View;
      };
      const v = (globalThis as unknown as { irisViewer: Viewer }).irisViewer;
      const source = (s: typeof a): unknown => ({
        ...s,
        ...(s.time === undefined ? {} : { time: BigInt(s.time) }),
      });
      const view = v.compare(source(a), source(b), { mode, amount });
      v.time.setTime(0n);
      for (let i = 0; i < 4; i++) await new Promise((r) => requestAnimationFrame(r));
      const px = view.readCanvasPixels();
      const s = view.statistics;
      return {
        stats: s
          ? {
              maxAbs: s.maxAbs,
              meanAbs: s.meanAbs,
              psnr: s.psnr === undefined ? null : s.psnr,
              count: s.count,
              channels: s.channels,
            }
          : null,
        problem: view.problemText ?? null,
        placement: view.placement ?? null,
        width: px.width,
        // base64: a JSON array of every canvas byte takes tens of seconds to cross to Node.
        rgba: (() => {
          let text = "";
          for (let i = 0; i < px.rgba.length; i += 0x8000)
            text += String.fromCharCode(...px.rgba.subarray(i, i + 0x8000));
          return btoa(text);
        })(),
        statsText: view.controls.stats.textContent ?? "",
      };
    },
    { a, b, mode, amount },
  );
  return { ...shown, rgba: new Uint8Array(Buffer.from(shown.rgba, "base64")) };
}

/** The canvas colour at the centre of image pixel (x, y) (offset `dx` CSS px, e.g. B's half side by side). */
function pixelAt(s: Shown, x: number, y: number, dx = 0): number[] {
  const p = s.placement!;
  const cx = Math.floor(p.x + dx + (x + 0.5) * p.scale);
  const cy = Math.floor(p.y + (y + 0.5) * p.scale);
  const i = (cy * s.width + cx) * 4;
  return Array.from(s.rgba.subarray(i, i + 3));
}

function expectClose(actual: number[], expected: readonly number[], tolerance: number, what: string): void {
  const bad = actual.some((v, i) => Math.abs(v - expected[i]!) > tolerance);
  expect(
    bad,
    `${what}: shown ${actual.join(",")} vs expected ${expected.map((v) => v.toFixed(1)).join(",")}`,
  ).toBe(false);
}

describe("compare mode", () => {
  it("the difference of identical images is 0 everywhere (PSNR ∞, every pixel turbo(0))", async () => {
    const s = await show({ entity: "cam/a" }, { entity: "cam/a" }, "difference");
    expect(s.problem).toBe(null);
    expect(s.stats).toMatchObject({ maxAbs: 0, meanAbs: 0, psnr: Infinity, count: W * H * 3, channels: 3 });
    expect(s.statsText).toContain("PSNR ∞ dB");
    const zero = sampleColormap("turbo", 0);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) expectClose(pixelAt(s, x, y), zero, 1, `pixel ${x},${y}`);
  });

  it("two entities: the statistics equal the CPU reference and each pixel shows turbo(max |a−b| / max)", async () => {
    const s = await show({ entity: "cam/a" }, { entity: "cam/b" }, "difference");
    const ref = reference(camA0, camB, 255);
    expect(s.stats!.maxAbs).toBe(ref.maxAbs);
    expect(s.stats!.meanAbs).toBeCloseTo(ref.meanAbs, 10);
    expect(s.stats!.psnr!).toBeCloseTo(ref.psnr, 10);
    expect(s.statsText).toContain(`max |A−B| ${ref.maxAbs}`);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = 3 * (y * W + x);
        const d = Math.max(...[0, 1, 2].map((c) => Math.abs(camA0[i + c]! - camB[i + c]!)));
        expectClose(pixelAt(s, x, y), sampleColormap("turbo", d / ref.maxAbs), 1.5, `pixel ${x},${y}`);
      }
  });

  it("one entity at two times, and one entity in two recordings", async () => {
    const times = await show({ entity: "cam/a", time: 0 }, { entity: "cam/a", time: 1 }, "difference");
    const refTimes = reference(camA0, camA1, 255);
    expect(times.stats!.maxAbs).toBe(refTimes.maxAbs);
    expect(times.stats!.meanAbs).toBeCloseTo(refTimes.meanAbs, 10);
    expect(times.stats!.psnr!).toBeCloseTo(refTimes.psnr, 10);
    const recordings = await show(
      { recording: 0, entity: "cam/a" },
      { recording: 1, entity: "cam/a" },
      "difference",
    );
    const refRecordings = reference(camA0, camOther, 255);
    expect(recordings.stats!.meanAbs).toBeCloseTo(refRecordings.meanAbs, 10);
    expect(recordings.stats!.psnr!).toBeCloseTo(refRecordings.psnr, 10);
  });

  it("a U16 pair scores with peak 65535; different sizes are refused in difference mode and shown aligned in swipe", async () => {
    const u16 = await show({ entity: "u16/left" }, { entity: "u16/right" }, "difference");
    const ref = reference(u16Left, u16Right, 65535);
    expect(u16.stats!.maxAbs).toBe(ref.maxAbs);
    expect(u16.stats!.meanAbs).toBeCloseTo(ref.meanAbs, 10);
    expect(u16.stats!.psnr!).toBeCloseTo(ref.psnr, 10);
    const refused = await show({ entity: "cam/a" }, { entity: "u16/left" }, "difference");
    expect(refused.stats).toBe(null);
    expect(refused.problem).toContain(
      "The difference needs two images of the same size: A is 16×12, B is 8×6",
    );
    const swiped = await show({ entity: "cam/a" }, { entity: "u16/left" }, "swipe", 1);
    expect(swiped.problem).toBe(null);
    // B (8×6) starts at A's top-left corner: with the divider at the right edge only A shows.
    expectClose(pixelAt(swiped, 0, 0), Array.from(camA0.subarray(0, 3)), 0, "A's corner");
  });

  it("swipe at 50 % shows A left of the divider and B right of it", async () => {
    const s = await show({ entity: "cam/a" }, { entity: "cam/b" }, "swipe", 0.5);
    const split = s.width / 2;
    let checked = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const cx = s.placement!.x + (x + 0.5) * s.placement!.scale;
        if (Math.abs(cx - split) < s.placement!.scale) continue; // the divider's pixel column
        const src = cx < split ? camA0 : camB;
        const i = 3 * (y * W + x);
        expectClose(pixelAt(s, x, y), Array.from(src.subarray(i, i + 3)), 0, `pixel ${x},${y}`);
        checked += 1;
      }
    expect(checked).toBeGreaterThan(W * H - 2 * H - 1);
  });

  it("blend at 0.5 shows (A + B) / 2 within ±1", async () => {
    const s = await show({ entity: "cam/a" }, { entity: "cam/b" }, "blend", 0.5);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = 3 * (y * W + x);
        const mean = [0, 1, 2].map((c) => (camA0[i + c]! + camB[i + c]!) / 2);
        expectClose(pixelAt(s, x, y), mean, 1, `pixel ${x},${y}`);
      }
  });

  it("side by side shows A on the left and B on the right with one zoom", async () => {
    const s = await show({ entity: "cam/a" }, { entity: "cam/b" }, "side-by-side");
    for (const [x, y] of [
      [0, 0],
      [7, 5],
      [15, 11],
    ] as const) {
      const i = 3 * (y * W + x);
      expectClose(pixelAt(s, x, y), Array.from(camA0.subarray(i, i + 3)), 0, `A ${x},${y}`);
      expectClose(
        pixelAt(s, x, y, s.placement!.rightX),
        Array.from(camB.subarray(i, i + 3)),
        0,
        `B ${x},${y}`,
      );
    }
  });

  it("dragging the swipe divider moves it, and hovering a pixel shows its raw values in A and B", async () => {
    const page = harness.page;
    const s = await show({ entity: "cam/a" }, { entity: "cam/b" }, "swipe", 0.5);
    const canvas = await page.$eval(".iris-compare .iris-canvas", (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width, height: r.height };
    });
    const handle = await page.$eval(".iris-compare-handle", (el) => {
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await page.mouse.move(canvas.left + 0.25 * canvas.width, handle.y, { steps: 5 });
    await page.mouse.up();
    const amount = await page.evaluate(
      () =>
        (globalThis as unknown as { irisViewer: { compareView: { amount: number } } }).irisViewer.compareView
          .amount,
    );
    expect(amount).toBeCloseTo(0.25, 2);
    const p = s.placement!;
    await page.mouse.move(canvas.left + p.x + 6.5 * p.scale, canvas.top + p.y + 5.5 * p.scale);
    await page.waitForFunction(
      () =>
        (document.querySelector(".iris-compare .iris-tooltip") as HTMLElement | null)?.style.display ===
        "block",
    );
    const text = await page.$eval(".iris-compare .iris-tooltip", (el) => el.textContent ?? "");
    const i = 3 * (5 * W + 6);
    expect(text).toBe(
      `x 6, y 5  A RGB [${Array.from(camA0.subarray(i, i + 3)).join(", ")}]  B RGB [${Array.from(camB.subarray(i, i + 3)).join(", ")}]`,
    );
  });

  it("is reachable from the keyboard: c opens it, 1–4 pick the mode, ] moves the divider, x swaps, c closes", async () => {
    const page = harness.page;
    await page.evaluate(() => {
      const v = (globalThis as unknown as { irisViewer: { setMode(m: string): void; element: HTMLElement } })
        .irisViewer;
      v.setMode("views");
      v.element.focus();
    });
    const state = (): Promise<{ shown: boolean; mode: string; amount: number; a: string }> =>
      page.evaluate(() => {
        type V = {
          compareView: {
            element: HTMLElement;
            mode: string;
            amount: number;
            sources: { a?: { entity: string } };
          };
        };
        const c = (globalThis as unknown as { irisViewer: V }).irisViewer.compareView;
        return {
          shown: c.element.style.display !== "none",
          mode: c.mode,
          amount: c.amount,
          a: c.sources.a?.entity ?? "",
        };
      });
    await page.keyboard.press("c");
    expect((await state()).shown).toBe(true);
    await page.keyboard.press("3");
    expect((await state()).mode).toBe("difference");
    await page.keyboard.press("1");
    const before = await state();
    await page.keyboard.press("]");
    expect((await state()).amount).toBeCloseTo(before.amount + 0.05, 10);
    await page.keyboard.press("x");
    expect((await state()).a).not.toBe(before.a);
    await page.keyboard.press("c");
    expect((await state()).shown).toBe(false);
  });
});

describe("linked views", () => {
  it("linked zoom keeps two same-size views aligned, and hover shows both raw values", async () => {
    const page = harness.page;
    await page.evaluate(() => {
      const v = (globalThis as unknown as { irisViewer: { setMode(m: string): void; element: HTMLElement } })
        .irisViewer;
      v.setMode("views");
      v.element.focus();
    });
    await page.keyboard.press("l");
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { irisViewer: { linkedViews: boolean } }).irisViewer.linkedViews,
      ),
    ).toBe(true);
    const views = (): Promise<
      Record<string, { x: number; y: number; scale: number; left: number; top: number; w: number; h: number }>
    > =>
      page.evaluate(async () => {
        for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
        type View = { canvas: HTMLCanvasElement; drawnImages: { x: number; y: number; scale: number }[] };
        const v = (globalThis as unknown as { irisViewer: { spatialViews: Map<string, View> } }).irisViewer;
        const out: Record<
          string,
          { x: number; y: number; scale: number; left: number; top: number; w: number; h: number }
        > = {};
        for (const [root, view] of v.spatialViews) {
          const d = view.drawnImages[0]!;
          const r = view.canvas.getBoundingClientRect();
          out[root] = { x: d.x, y: d.y, scale: d.scale, left: r.left, top: r.top, w: r.width, h: r.height };
        }
        return out;
      });
    const before = await views();
    const a = before["/cam/a"]!;
    // Zoom in on view /cam/a around a point inside the image, then pan it.
    await page.mouse.move(a.left + a.x + 5.5 * a.scale, a.top + a.y + 4.5 * a.scale);
    await page.mouse.wheel(0, -400);
    await page.mouse.down();
    await page.mouse.move(a.left + a.x + 3 * a.scale, a.top + a.y + 2 * a.scale, { steps: 4 });
    await page.mouse.up();
    const after = await views();
    const za = after["/cam/a"]!;
    const zb = after["/cam/b"]!;
    expect(za.scale).toBeGreaterThan(a.scale * 1.5);
    expect(zb.scale).toBeCloseTo(za.scale, 9);
    // Same image point at the centre of both views.
    const centre = (v: typeof za): [number, number] => [(v.w / 2 - v.x) / v.scale, (v.h / 2 - v.y) / v.scale];
    expect(centre(zb)[0]).toBeCloseTo(centre(za)[0], 6);
    expect(centre(zb)[1]).toBeCloseTo(centre(za)[1], 6);
    // A view of other-size images is left alone.
    expect(after["/u16/left"]!.scale).toBeCloseTo(before["/u16/left"]!.scale, 9);
    // Hover pixel (6, 5) of /cam/a: both views show a tooltip, each listing both raw values.
    await page.mouse.move(za.left + za.x + 6.5 * za.scale, za.top + za.y + 5.5 * za.scale);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLElement>(".iris-view .iris-tooltip")].filter(
          (t) => t.style.display === "block",
        ).length >= 2,
    );
    const texts = await page.$$eval(".iris-view .iris-tooltip", (els) =>
      els.filter((e) => (e as HTMLElement).style.display === "block").map((e) => e.textContent ?? ""),
    );
    const i = 3 * (5 * W + 6);
    const rgb = (b: Uint8Array): string => `RGB [${Array.from(b.subarray(i, i + 3)).join(", ")}]`;
    expect(texts.length).toBe(2);
    for (const t of texts) {
      expect(t).toContain("x 6, y 5");
      expect(t).toContain(rgb(camA0));
      expect(t).toContain(rgb(camB));
    }
    await page.keyboard.press("l");
    expect(harness.console.problems()).toEqual([]);
  });
});
