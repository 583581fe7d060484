import { overLinear } from "./linear-blend.ts";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleColormap } from "@iris/renderer";
import { AnnotationContext, Image, RecordingStream, SegmentationImage } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { imageRowUpdates } from "../../../examples/src/image_row_updates.ts";
import { writeExample } from "../../../examples/src/run-example.ts";
import { IrisViewerHarness, type ViewSnapshot, shownPixel } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

function record(name: string, log: (rec: RecordingStream) => void): void {
  const rec = new RecordingStream({
    applicationId: name,
    sink: new FileSink(join(harness.dataDir, `${name}.rrd`)),
  });
  log(rec);
  rec.close();
}

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  await writeExample(imageRowUpdates, join(harness.dataDir, "rows.rrd"));
  record("hover", (rec) => {
    const u16 = new Uint16Array(4 * 3);
    u16[1 * 4 + 1] = 65535;
    u16[2 * 4 + 3] = 1234;
    rec.log("u16", new Image(u16, { width: 4, height: 3 }));
    const f32 = new Float32Array(4 * 3).fill(0.5);
    f32[0] = 0.25;
    rec.log("f32", new Image(f32, { width: 4, height: 3 }));
    // NV12 4×2: Y plane 8 bytes, then one UV row of 4 bytes (U0 V0 U1 V1).
    const nv12 = Uint8Array.from([16, 50, 100, 235, 20, 60, 110, 200, 90, 240, 128, 128]);
    rec.log("nv12", new Image(nv12, { width: 4, height: 2, pixelFormat: "NV12" }));
  });
  record("stack", (rec) => {
    const solid = (rgb: number[]): Uint8Array => {
      const px = new Uint8Array(8 * 8 * 3);
      for (let i = 0; i < 64; i++) px.set(rgb, i * 3);
      return px;
    };
    // Rerun never overlays two colour images by default (each gets its own view), but does overlay a colour
    // image and segmentation images of the same size: a blue class at opacity 1 under 0.5 × red.
    rec.log("stack", new AnnotationContext([[1, "blue", [0, 0, 255]]]), { static: true });
    rec.log("stack/red", new Image(solid([255, 0, 0]), { width: 8, height: 8, drawOrder: 1, opacity: 0.5 }));
    rec.log(
      "stack/blue",
      new SegmentationImage(new Uint8Array(64).fill(1), { width: 8, height: 8, drawOrder: 0, opacity: 1 }),
    );
  });
  record("gradient", (rec) => {
    const f32 = new Float32Array(16 * 4);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 16; x++) f32[y * 16 + x] = x / 15;
    rec.log("depthish", new Image(f32, { width: 16, height: 4 }));
  });
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

/** Page coordinates of the centre of image pixel (x, y) in the view for `root`. */
async function pagePoint(root: string, x: number, y: number): Promise<[number, number]> {
  return harness.page.evaluate(
    ({ root, x, y }) => {
      type View = { canvas: HTMLCanvasElement; drawnImages: { x: number; y: number; scale: number }[] };
      const v = (globalThis as unknown as { irisViewer: { spatialViews: Map<string, View> } }).irisViewer;
      const view = v.spatialViews.get(root)!;
      const r = view.canvas.getBoundingClientRect();
      const d = view.drawnImages[view.drawnImages.length - 1]!;
      return [r.left + d.x + (x + 0.5) * d.scale, r.top + d.y + (y + 0.5) * d.scale] as [number, number];
    },
    { root, x, y },
  );
}

async function hoverText(root: string, x: number, y: number): Promise<string> {
  const [px, py] = await pagePoint(root, x, y);
  await harness.page.mouse.move(px, py);
  await harness.page.waitForFunction((root) => {
    const el = document.querySelector(`.iris-view[data-root="${root}"] .iris-tooltip`) as HTMLElement | null;
    return el !== null && el.style.display === "block";
  }, root);
  return harness.page.$eval(`.iris-view[data-root="${root}"] .iris-tooltip`, (el) => el.textContent ?? "");
}

function viewOf(views: ViewSnapshot[], root: string): ViewSnapshot {
  const v = views.find((x) => x.root === root);
  if (!v) throw new Error(`no view ${root} in ${views.map((x) => x.root).join(", ")}`);
  return v;
}

describe("hover shows raw values in the image's own datatype", () => {
  it("U16, F32 and NV12 (decoded RGB, then Y/U/V)", async () => {
    await harness.open(["hover.rrd"]);
    await harness.snapshot(3);
    expect(await hoverText("/u16", 1, 1)).toContain("x 1, y 1  L 65535");
    expect(await hoverText("/u16", 3, 2)).toContain("x 3, y 2  L 1234");
    expect(await hoverText("/f32", 0, 0)).toContain("x 0, y 0  L 0.25");
    expect(await hoverText("/f32", 2, 1)).toContain("L 0.5");
    // NV12 pixel (3, 1): Y = 200; chroma pair of x 2..3 in UV row 0 → U = 128, V = 128. As Rerun's hover, the RGB it
    // is shown as comes first (limited range, BT.601: (200 − 16) / 219 · 255 → 214), then the stored samples.
    expect(await hoverText("/nv12", 3, 1)).toContain("RGB [214, 214, 214] (Y 200 U 128 V 128)");
    // Pixel (0, 0): Y = 16, U = 90, V = 240 → R = 1.402 · 0.5 → 178, G and B below 0 → 0.
    expect(await hoverText("/nv12", 0, 0)).toContain("RGB [178, 0, 0] (Y 16 U 90 V 240)");
  });
});

describe("selection events (embedding API)", () => {
  it("emits the clicked pixel with its raw values, and undefined for empty space", async () => {
    await harness.open(["hover.rrd"]);
    await harness.snapshot(3);
    await harness.page.evaluate(() => {
      const g = globalThis as unknown as {
        irisViewer: { on(event: "selection", fn: (s: unknown) => void): () => void };
        selections: unknown[];
      };
      g.selections = [];
      g.irisViewer.on("selection", (s) => g.selections.push(s ?? null));
    });
    const [px, py] = await pagePoint("/u16", 1, 1);
    await harness.page.mouse.click(px, py);
    const box = (await (await harness.page.$('.iris-view[data-root="/u16"] .iris-canvas'))!.boundingBox())!;
    await harness.page.mouse.click(box.x + 2, box.y + 2);
    const selections = await harness.page.evaluate(
      () => (globalThis as unknown as { selections: unknown[] }).selections,
    );
    expect(selections).toEqual([{ entityPath: "/u16", x: 1, y: 1, values: [65535], text: "L 65535" }, null]);
  });
});

describe("stacking", () => {
  it("draws higher draw order on top and blends its opacity", async () => {
    await harness.open(["stack.rrd"]);
    const views = await harness.snapshot(2);
    const view = viewOf(views, "/stack");
    expect(view.drawn.map((d) => d.entityPath)).toEqual(["/stack/blue", "/stack/red"]);
    const [r, g, b] = shownPixel(view, view.drawn[0]!, 4, 4);
    // 0.5 × red over opaque blue, blended in linear light as Rerun does: 255·srgb(0.5) = 187.5 (not 127.5).
    const [er, , eb] = overLinear([255, 0, 0], 0.5, [0, 0, 255]);
    expect(er).toBeCloseTo(187.5, 0);
    expect(Math.abs(r! - er!)).toBeLessThanOrEqual(1);
    expect(g).toBe(0);
    expect(Math.abs(b! - eb!)).toBeLessThanOrEqual(1);
  });
});

describe("value range and colormap", () => {
  it("applies the colormap and a manual range without re-uploading", async () => {
    await harness.open(["gradient.rrd"]);
    let view = viewOf(await harness.snapshot(1), "/depthish");
    // Auto range for floats in [0, 1] is [0, 1]: grey ramp.
    expect(shownPixel(view, view.drawn[0]!, 15, 0).slice(0, 3)).toEqual([255, 255, 255]);
    const uploads = async (): Promise<number> =>
      harness.page.evaluate(() => {
        const v = (
          globalThis as unknown as {
            irisViewer: { spatialViews: Map<string, { rendererStats: { textureUploads: number } }> };
          }
        ).irisViewer;
        return v.spatialViews.get("/depthish")!.rendererStats.textureUploads;
      });
    const before = await uploads();
    const panel = '.iris-view[data-root="/depthish"] .iris-image-panel';
    await harness.page.selectOption(`${panel} select[name=colormap]`, "turbo");
    view = viewOf(await harness.snapshot(1), "/depthish");
    for (const x of [0, 5, 15]) {
      const expected = sampleColormap("turbo", x / 15);
      const shown = shownPixel(view, view.drawn[0]!, x, 1);
      for (let c = 0; c < 3; c++)
        expect(Math.abs(shown[c]! - expected[c]!), `x ${x} channel ${c}`).toBeLessThanOrEqual(2);
    }
    // Manual range [0, 0.5]: everything at or above 0.5 saturates to the top of the map.
    await harness.page.fill(`${panel} input[name=max]`, "0.5");
    await harness.page.dispatchEvent(`${panel} input[name=max]`, "change");
    await harness.page.fill(`${panel} input[name=min]`, "0");
    await harness.page.dispatchEvent(`${panel} input[name=min]`, "change");
    view = viewOf(await harness.snapshot(1), "/depthish");
    const top = sampleColormap("turbo", 1);
    const mid = sampleColormap("turbo", 2 / 15 / 0.5);
    const shownTop = shownPixel(view, view.drawn[0]!, 12, 1);
    const shownMid = shownPixel(view, view.drawn[0]!, 2, 1);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(shownTop[c]! - top[c]!)).toBeLessThanOrEqual(2);
      expect(Math.abs(shownMid[c]! - mid[c]!)).toBeLessThanOrEqual(2);
    }
    expect(await uploads()).toBe(before);
    // The histogram is drawn.
    const histogramInk = await harness.page.$eval(`${panel} canvas.iris-histogram`, (c) => {
      const ctx = (c as HTMLCanvasElement).getContext("2d")!;
      const d = ctx.getImageData(0, 0, (c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(histogramInk).toBeGreaterThan(50);
  });
});

describe("time scrubbing", () => {
  it("t = 5 differs from t = 0 exactly where the rectangle moved", async () => {
    await harness.open(["rows.rrd"]);
    await harness.snapshot(1);
    await harness.page.focus(".iris-viewer");
    await harness.page.keyboard.press("Home");
    const t0 = viewOf(await harness.snapshot(1), "/image");
    expect(await harness.page.$eval(".iris-time-label", (e) => e.textContent)).toBe("time #0");
    for (let i = 0; i < 5; i++) await harness.page.keyboard.press("ArrowRight");
    const t5 = viewOf(await harness.snapshot(1), "/image");
    expect(await harness.page.$eval(".iris-time-label", (e) => e.textContent)).toBe("time #5");
    const d0 = t0.drawn[0]!;
    const d5 = t5.drawn[0]!;
    for (let y = 0; y < 200; y += 7) {
      for (let x = 0; x < 300; x += 3) {
        const inRect = (t: number): boolean => y >= 50 && y < 150 && x >= 10 * t && x < 10 * t + 100;
        const changed = shownPixel(t0, d0, x, y).join() !== shownPixel(t5, d5, x, y).join();
        expect(changed, `pixel (${x}, ${y})`).toBe(inRect(0) !== inRect(5));
      }
    }
  });

  it("plays: the time advances and loops", async () => {
    await harness.page.keyboard.press("Home");
    await harness.page.keyboard.press(" ");
    await harness.page.waitForFunction(() =>
      /time #([1-9]|1\d)$/.test(document.querySelector(".iris-time-label")?.textContent ?? ""),
    );
    await harness.page.keyboard.press(" ");
    expect(await harness.page.$eval(".iris-play", (e) => e.textContent)).toBe("Play");
  });
});
