import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleColormap } from "@iris/renderer";
import {
  AnnotationContext,
  DepthImage,
  Image,
  Pinhole,
  RecordingStream,
  SegmentationImage,
  Transform3D,
} from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { overLinear } from "./linear-blend.ts";
import { IrisViewerHarness } from "./viewer-harness.ts";

let harness: IrisViewerHarness;

const W = 64;
const H = 48;
const QUADRANTS = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
] as const;

/** 64×48 RGB: red top-left, green top-right, blue bottom-left, yellow bottom-right. */
function quadrantImage(): Uint8Array {
  const px = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      px.set(QUADRANTS[(y < H / 2 ? 0 : 2) + (x < W / 2 ? 0 : 1)]!, (y * W + x) * 3);
  return px;
}

function record(name: string, log: (rec: RecordingStream) => void): void {
  const rec = new RecordingStream({
    applicationId: name,
    sink: new FileSink(join(harness.dataDir, `${name}.rrd`)),
  });
  log(rec);
  rec.close();
}

interface View3D {
  pointCount: number;
  warnings: string[];
  projectedImages: { entityPath: string; corners: ([number, number] | undefined)[] }[];
  frusta: { entityPath: string; world: number[][]; screen: ([number, number] | undefined)[] }[];
  projectImagePixel(entityPath: string, x: number, y: number): [number, number] | undefined;
  project(p: number[]): [number, number] | undefined;
  showGrid: boolean;
  grid: { normalAxis: number; spacing: number } | undefined;
  readCanvasPixels(): { width: number; height: number; scale: number; rgba: Uint8Array };
}

/** Waits for the 3D view to draw `minImages` plane images, then returns a summary and pixel sampler data. */
async function view3d(
  minImages: number,
  probes: { entity?: string; x: number; y: number; world?: number[] }[],
) {
  await harness.page.waitForFunction(
    (min) => {
      const v = (globalThis as unknown as { irisViewer?: { spatial3dView?: View3D } }).irisViewer
        ?.spatial3dView;
      return v !== undefined && v.projectedImages.length >= min && v.frusta.length > 0;
    },
    minImages,
    { timeout: 60_000 },
  );
  await harness.page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  );
  return harness.page.evaluate((probes) => {
    const v = (globalThis as unknown as { irisViewer: { spatial3dView: View3D } }).irisViewer.spatial3dView;
    const px = v.readCanvasPixels();
    const sample = (p: [number, number] | undefined): number[] | undefined => {
      if (!p) return undefined;
      const x = Math.floor(p[0] * px.scale);
      const y = Math.floor(p[1] * px.scale);
      const i = (y * px.width + x) * 4;
      return Array.from(px.rgba.subarray(i, i + 4));
    };
    return {
      pointCount: v.pointCount,
      warnings: v.warnings,
      images: v.projectedImages.map((i) => ({ entityPath: i.entityPath, corners: i.corners })),
      frusta: v.frusta.map((f) => ({ entityPath: f.entityPath, world: f.world, screen: f.screen })),
      probes: probes.map((p) => {
        const at = p.world ? v.project(p.world) : v.projectImagePixel(p.entity!, p.x, p.y);
        return { at, rgba: sample(at) };
      }),
      size: [px.width / px.scale, px.height / px.scale],
    };
  }, probes);
}

beforeAll(async () => {
  harness = await IrisViewerHarness.start();
  record("pinhole", (rec) => {
    rec.log(
      "world/camera",
      new Transform3D({ translation: [1, 2, 0.5], rotation: { axis: [0, 0, 1], angle: 0.3 } }),
      { static: true },
    );
    rec.log(
      "world/camera",
      Pinhole.fromFocalLength({ focalLength: 40, width: W, height: H, imagePlaneDistance: 1.5 }),
      { static: true },
    );
    rec.log("world/camera/image", new Image(quadrantImage(), { width: W, height: H }), { static: true });
    rec.log("world/point_of_reference", new Transform3D({ translation: [-1, -1, 0] }), { static: true });
  });
  record("pinholeseg", (rec) => {
    rec.log("cam", Pinhole.fromFocalLength({ focalLength: 40, width: W, height: H, imagePlaneDistance: 2 }), {
      static: true,
    });
    rec.log("cam/image", new Image(new Uint8Array(W * H * 3).fill(100), { width: W, height: H }), {
      static: true,
    });
    rec.log("cam", new AnnotationContext([[3, "person", [0, 255, 0]]]), { static: true });
    const ids = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W / 2; x++) ids[y * W + x] = 3;
    rec.log("cam/seg", new SegmentationImage(ids, { width: W, height: H }), { static: true });
  });
  record("gradient3d", (rec) => {
    rec.log("world/cam", new Transform3D({ translation: [0.5, -1, 0.2] }), { static: true });
    rec.log(
      "world/cam",
      Pinhole.fromFocalLength({ focalLength: 40, width: W, height: H, imagePlaneDistance: 1 }),
      { static: true },
    );
    const px = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) px.set([4 * x, 5 * y, 7], (y * W + x) * 3);
    rec.log("world/cam/image", new Image(px, { width: W, height: H }), { static: true });
  });
  record("depth3d", (rec) => {
    rec.log("cam", Pinhole.fromFocalLength({ focalLength: 20, width: 16, height: 12 }), { static: true });
    const depth = new Uint16Array(16 * 12);
    for (let y = 0; y < 12; y++) for (let x = 0; x < 16; x++) depth[y * 16 + x] = 1000 + 100 * x;
    depth[0] = 0; // invalid: no point
    rec.log("cam/depth", new DepthImage(depth, { width: 16, height: 12, meter: 1000 }), { static: true });
  });
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

describe("Spatial3DView", () => {
  it("draws an image under a pinhole on its image plane, exactly inside the frustum", async () => {
    await harness.open(["pinhole.rrd"]);
    const probes = [
      { entity: "/world/camera/image", x: W / 4, y: H / 4 },
      { entity: "/world/camera/image", x: (3 * W) / 4, y: H / 4 },
      { entity: "/world/camera/image", x: W / 4, y: (3 * H) / 4 },
      { entity: "/world/camera/image", x: (3 * W) / 4, y: (3 * H) / 4 },
      { entity: "/world/camera/image", x: 2, y: 2 },
      { entity: "/world/camera/image", x: W - 2, y: H - 2 },
    ];
    const s = await view3d(1, probes);
    const png = await harness.page.screenshot();
    writeFileSync(join(harness.dataDir, "spatial-3d.png"), png);

    expect(s.images.map((i) => i.entityPath)).toEqual(["/world/camera/image"]);
    expect(s.frusta.map((f) => f.entityPath)).toEqual(["/world/camera"]);
    const frustum = s.frusta[0]!;
    // Camera origin at the logged translation; the plane corners are 1.5 m in front (RDF: +Z forward).
    expect(frustum.world[0]![0]).toBeCloseTo(1, 5);
    expect(frustum.world[0]![1]).toBeCloseTo(2, 5);
    expect(frustum.world[0]![2]).toBeCloseTo(0.5, 5);
    for (let i = 1; i <= 4; i++) expect(frustum.world[i]![2]).toBeCloseTo(2, 5);
    // The image corners coincide with the frustum's image-plane corners on screen.
    s.images[0]!.corners.forEach((c, i) => {
      const f = frustum.screen[i + 1]!;
      expect(c).toBeDefined();
      expect(Math.hypot(c![0] - f[0], c![1] - f[1])).toBeLessThan(0.5);
    });
    // Quadrant centres show the quadrant colours; points near the corners too.
    const expected = [...QUADRANTS, QUADRANTS[0], QUADRANTS[3]];
    s.probes.forEach((p, i) => {
      expect(p.at).toBeDefined();
      const [x, y] = p.at!;
      expect(x).toBeGreaterThan(0);
      expect(y).toBeGreaterThan(0);
      expect(x).toBeLessThan(s.size[0]!);
      expect(y).toBeLessThan(s.size[1]!);
      expect(p.rgba!.slice(0, 3)).toEqual([...expected[i]!]);
    });
  });

  it("blends a segmentation image at 0.5 over the image on the same image plane, in linear light", async () => {
    await harness.open(["pinholeseg.rrd"]);
    const s = await view3d(2, [
      { entity: "/cam/seg", x: W / 4, y: H / 2 },
      { entity: "/cam/seg", x: (3 * W) / 4, y: H / 2 },
    ]);
    expect(s.images.map((i) => i.entityPath).sort()).toEqual(["/cam/image", "/cam/seg"]);
    const [person, background] = s.probes.map((p) => p.rgba!.slice(0, 3));
    // Blended in linear light, as in Rerun and the 2D view (independent reference: linear-blend.ts, from the sRGB
    // standard): (0, 255, 0) at 0.5 over grey 100 is (71, 198, 71); mixing 8-bit sRGB values would give 50/177.5.
    const near = (actual: readonly number[], expected: readonly number[]): void =>
      expected.forEach((v, i) => expect(Math.abs(actual[i]! - v)).toBeLessThanOrEqual(1.5));
    near(person!, overLinear([0, 255, 0], 0.5, [100, 100, 100]));
    expect(Math.abs(person![1]! - 177.5)).toBeGreaterThan(10);
    // Class 0 has no annotation colour: the automatic colour (188, 77, 77), as Rerun shows it, at 0.5.
    near(background!, overLinear([188, 77, 77], 0.5, [100, 100, 100]));
  });

  it("orbits on drag, zooms on wheel and resets on double-click", async () => {
    await harness.open(["pinhole.rrd"]);
    const before = await view3d(1, [{ x: 0, y: 0, world: [1, 2, 0.5] }]);
    const at = await harness.page.evaluate(() => {
      const v = (globalThis as unknown as { irisViewer: { spatial3dView: { canvas: HTMLCanvasElement } } })
        .irisViewer.spatial3dView;
      const r = v.canvas.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];
    });
    await harness.page.mouse.move(at[0]!, at[1]!);
    await harness.page.mouse.down();
    await harness.page.mouse.move(at[0]! + 80, at[1]! + 30, { steps: 4 });
    await harness.page.mouse.up();
    const orbited = await view3d(1, [{ x: 0, y: 0, world: [1, 2, 0.5] }]);
    const moved = (a: typeof before, b: typeof before): number =>
      Math.hypot(a.probes[0]!.at![0] - b.probes[0]!.at![0], a.probes[0]!.at![1] - b.probes[0]!.at![1]);
    expect(moved(before, orbited)).toBeGreaterThan(5);
    await harness.page.mouse.wheel(0, -300);
    const zoomed = await view3d(1, [{ x: 0, y: 0, world: [1, 2, 0.5] }]);
    expect(moved(orbited, zoomed)).toBeGreaterThan(5);
    await harness.page.mouse.dblclick(at[0]!, at[1]!);
    const reset = await view3d(1, [{ x: 0, y: 0, world: [1, 2, 0.5] }]);
    expect(moved(before, reset)).toBeLessThan(0.01);
    const axes = await harness.page.evaluate(
      () =>
        (globalThis as unknown as { irisViewer: { spatial3dView: { transformAxes: string[] } } }).irisViewer
          .spatial3dView.transformAxes,
    );
    // The camera's pose is shown by its frustum; other transformed entities get small axes.
    expect(axes).toEqual(["/world/point_of_reference"]);
  });

  it("draws a ground grid on the plane perpendicular to the scene's up axis, and none when turned off", async () => {
    await harness.open(["pinhole.rrd"]);
    await view3d(1, []);
    // The camera is RDF turned 0.3 rad about +Z: its "down" (+Y) maps to (-sin 0.3, cos 0.3, 0), so the scene's
    // up is closest to -Y and the grid lies in the XZ plane through the origin, 1 m apart (Rerun's default).
    // Points on the lines x = 1 and z = 1 and one between lines, away from the cameras, axes and images.
    const worlds = [
      [1, 0, 1.5],
      [1.5, 0, 1],
      [1.5, 0, 1.5],
    ];
    const sample = async (on: boolean) => {
      await harness.page.evaluate((on) => {
        (
          globalThis as unknown as { irisViewer: { spatial3dView: View3D } }
        ).irisViewer.spatial3dView.showGrid = on;
      }, on);
      await harness.page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      );
      return harness.page.evaluate((worlds) => {
        const v = (globalThis as unknown as { irisViewer: { spatial3dView: View3D } }).irisViewer
          .spatial3dView;
        const px = v.readCanvasPixels();
        return {
          grid: v.grid ? { normalAxis: v.grid.normalAxis, spacing: v.grid.spacing } : undefined,
          size: [px.width, px.height],
          // The 3×3 device-pixel neighbourhood of each projected point (a 1 px line may round either way).
          near: worlds.map((w) => {
            const at = v.project(w);
            if (!at) return undefined;
            const cx = Math.floor(at[0] * px.scale);
            const cy = Math.floor(at[1] * px.scale);
            const out: number[][] = [];
            for (let dy = -1; dy <= 1; dy++)
              for (let dx = -1; dx <= 1; dx++) {
                const i = ((cy + dy) * px.width + cx + dx) * 4;
                out.push(Array.from(px.rgba.subarray(i, i + 3)));
              }
            return { cx, cy, out };
          }),
        };
      }, worlds);
    };
    const background = [18, 20, 23]; // clear colour (0.07, 0.08, 0.09)
    const gridColor = [72, 76, 82];
    const on = await sample(true);
    expect(on.grid).toEqual({ normalAxis: 1, spacing: 1 });
    for (const n of on.near) {
      expect(n).toBeDefined();
      expect(n!.cx).toBeGreaterThan(1);
      expect(n!.cy).toBeGreaterThan(1);
      expect(n!.cx).toBeLessThan(on.size[0]! - 1);
      expect(n!.cy).toBeLessThan(on.size[1]! - 1);
    }
    const has = (out: number[][], c: number[]) => out.some((p) => p.every((x, i) => x === c[i]));
    expect(has(on.near[0]!.out, gridColor)).toBe(true);
    expect(has(on.near[1]!.out, gridColor)).toBe(true);
    expect(on.near[2]!.out.every((p) => p.every((x, i) => x === background[i]))).toBe(true);
    const off = await sample(false);
    expect(off.grid).toBeUndefined();
    for (const n of off.near) expect(n!.out.every((p) => p.every((x, i) => x === background[i]))).toBe(true);
    await sample(true);
  });

  it("hovering an image plane shows that pixel's coordinates and raw values", async () => {
    await harness.open(["gradient3d.rrd"]);
    const s = await view3d(1, [
      { entity: "/world/cam/image", x: 37.5, y: 21.5 },
      { entity: "/world/cam/image", x: 3.5, y: 44.5 },
    ]);
    const rect = await harness.page.evaluate(() => {
      const r = (
        globalThis as unknown as { irisViewer: { spatial3dView: { canvas: HTMLCanvasElement } } }
      ).irisViewer.spatial3dView.canvas.getBoundingClientRect();
      return [r.left, r.top];
    });
    const tooltip = async (): Promise<string | undefined> =>
      harness.page.evaluate(() => {
        const t = document.querySelector<HTMLElement>(".iris-tooltip-3d");
        return t && t.style.display !== "none" ? (t.textContent ?? "") : undefined;
      });
    const hoverAt = async (p: [number, number]) => {
      await harness.page.mouse.move(rect[0]! + p[0], rect[1]! + p[1]);
      await harness.page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    };
    // The pixel centres (37.5, 21.5) and (3.5, 44.5) projected to the canvas; the logged values are 4x, 5y, 7.
    await hoverAt(s.probes[0]!.at!);
    expect(await tooltip()).toBe("/world/cam/image  x 37, y 21  RGB [148, 105, 7]");
    await hoverAt(s.probes[1]!.at!);
    expect(await tooltip()).toBe("/world/cam/image  x 3, y 44  RGB [12, 220, 7]");
    // Off the image plane (the canvas corner shows only background): no tooltip.
    await hoverAt([2, 2]);
    expect(await tooltip()).toBeUndefined();
  });

  it("back-projects a depth image under a pinhole into a point cloud coloured by the depth colormap", async () => {
    await harness.open(["depth3d.rrd"]);
    // Pixel (8, 6) → depth 1.8 m, on the optical axis offset by half a pixel: x = 0.5/20·1.8.
    const z = (1000 + 100 * 8) / 1000;
    const world = [(0.5 / 20) * z, (0.5 / 20) * z, z];
    const s = await view3d(0, [{ x: 0, y: 0, world }]);
    writeFileSync(join(harness.dataDir, "depth-cloud.png"), await harness.page.screenshot());
    expect(s.pointCount).toBe(16 * 12 - 1);
    expect(s.warnings).toEqual([]);
    const max = 1000 + 100 * 15;
    const [r, g, b] = sampleColormap("turbo", (1000 + 100 * 8) / max);
    const got = s.probes[0]!.rgba!;
    expect(Math.abs(got[0]! - r)).toBeLessThanOrEqual(2);
    expect(Math.abs(got[1]! - g)).toBeLessThanOrEqual(2);
    expect(Math.abs(got[2]! - b)).toBeLessThanOrEqual(2);
  });
  it("hovering a depth point shows its depth pixel's coordinates, depth and raw value", async () => {
    await harness.open(["depth3d.rrd"]);
    // The centres of depth pixels (8, 6) → 1.8 m and (3, 9) → 1.3 m, back-projected (focal length 20, centre 8, 6).
    const at = (u: number, v: number): number[] => {
      const z = (1000 + 100 * u) / 1000;
      return [((u + 0.5 - 8) / 20) * z, ((v + 0.5 - 6) / 20) * z, z];
    };
    const s = await view3d(0, [
      { x: 0, y: 0, world: at(8, 6) },
      { x: 0, y: 0, world: at(3, 9) },
    ]);
    const rect = await harness.page.evaluate(() => {
      const r = (
        globalThis as unknown as { irisViewer: { spatial3dView: { canvas: HTMLCanvasElement } } }
      ).irisViewer.spatial3dView.canvas.getBoundingClientRect();
      return [r.left, r.top];
    });
    const hover = async (p: [number, number]): Promise<string | undefined> => {
      await harness.page.mouse.move(rect[0]! + p[0], rect[1]! + p[1]);
      await harness.page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
      return harness.page.evaluate(() => {
        const t = document.querySelector<HTMLElement>(".iris-tooltip-3d");
        return t && t.style.display !== "none" ? (t.textContent ?? "") : undefined;
      });
    };
    expect(await hover(s.probes[0]!.at!)).toBe("/cam/depth  x 8, y 6  Depth: 1.800 m  Val: 1800");
    expect(await hover(s.probes[1]!.at!)).toBe("/cam/depth  x 3, y 9  Depth: 1.300 m  Val: 1300");
    expect(await hover([2, 2])).toBeUndefined();
  });

  it("applies the Views tree's visibility toggles: per entity (inherited by children) and per view", async () => {
    await harness.open(["pinhole.rrd"]);
    await view3d(1, []);
    const eye = (entity?: string): string =>
      `.iris-view-tree .iris-eye[data-view='3d:/']${entity ? `[data-entity='${entity}']` : ":not([data-entity])"}`;
    // The 3D view lists what it draws: the pinhole, the image under it, the transformed entity.
    const listed = await harness.page.$$eval(
      ".iris-view-tree .iris-eye[data-view='3d:/'][data-entity]",
      (els) => els.map((e) => (e as HTMLElement).dataset["entity"]),
    );
    expect(listed).toEqual(["/world/camera", "/world/camera/image", "/world/point_of_reference"]);
    /** A hash of the whole canvas, how many pixels are exactly one of the image's quadrant colours, and what was drawn. */
    const frame = async () => {
      await harness.page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      );
      return harness.page.evaluate(
        (quadrants) => {
          const v = (
            globalThis as unknown as { irisViewer: { spatial3dView: View3D & { transformAxes: string[] } } }
          ).irisViewer.spatial3dView;
          const px = v.readCanvasPixels();
          let quadrantPixels = 0;
          for (let i = 0; i < px.rgba.length; i += 4) {
            if (
              quadrants.some((q) => q[0] === px.rgba[i] && q[1] === px.rgba[i + 1] && q[2] === px.rgba[i + 2])
            )
              quadrantPixels++;
          }
          let hash = 0x811c9dc5; // FNV-1a over the whole canvas: equal frames give equal hashes
          for (let i = 0; i < px.rgba.length; i++) hash = Math.imul(hash ^ px.rgba[i]!, 0x01000193) >>> 0;
          return {
            hash,
            quadrantPixels,
            images: v.projectedImages.map((i) => i.entityPath),
            frusta: v.frusta.map((f) => f.entityPath),
            axes: v.transformAxes,
          };
        },
        QUADRANTS.map((q) => [...q]),
      );
    };
    const shown = await frame();
    expect(shown.images).toEqual(["/world/camera/image"]);
    expect(shown.quadrantPixels).toBeGreaterThan(500);

    await harness.page.click(eye("/world/camera/image"));
    const noImage = await frame();
    writeFileSync(join(harness.dataDir, "spatial-3d-image-hidden.png"), await harness.page.screenshot());
    expect(noImage.images).toEqual([]);
    expect(noImage.quadrantPixels).toBe(0);
    expect(noImage.frusta).toEqual(["/world/camera"]);
    await harness.page.click(eye("/world/camera/image"));
    const again = await frame();
    expect(again.images).toEqual(["/world/camera/image"]);
    expect(again.hash).toBe(shown.hash);

    // Hiding the pinhole hides its frustum and the image under it; the other entity's axes stay.
    await harness.page.click(eye("/world/camera"));
    const noCamera = await frame();
    expect(noCamera.images).toEqual([]);
    expect(noCamera.frusta).toEqual([]);
    expect(noCamera.quadrantPixels).toBe(0);
    expect(noCamera.axes).toEqual(["/world/point_of_reference"]);
    expect(await harness.page.isChecked(eye("/world/camera/image"))).toBe(true);
    // Its own toggle stays on, but its row says (and shows, greyed out) that the hidden parent hides it.
    const hiddenBy = (entity: string): Promise<string | undefined> =>
      harness.page.$eval(eye(entity), (e) => (e as HTMLElement).dataset["hiddenBy"]);
    expect(await hiddenBy("/world/camera/image")).toBe("/world/camera");
    expect(await hiddenBy("/world/point_of_reference")).toBeUndefined();
    await harness.page.click(eye("/world/camera"));
    expect((await frame()).quadrantPixels).toBe(shown.quadrantPixels);
    expect(await hiddenBy("/world/camera/image")).toBeUndefined();

    // The view's own toggle takes the whole view out of the layout, and puts it back.
    const attached = () =>
      harness.page.evaluate(() => document.querySelector(".iris-view-3d")?.isConnected ?? false);
    await harness.page.click(eye());
    await frame();
    expect(await attached()).toBe(false);
    await harness.page.click(eye());
    await frame();
    expect(await attached()).toBe(true);
  });

  it("hides a depth cloud from the Views tree and shows it again", async () => {
    await harness.open(["depth3d.rrd"]);
    const z = (1000 + 100 * 8) / 1000;
    const world = [(0.5 / 20) * z, (0.5 / 20) * z, z];
    const before = await view3d(0, [{ x: 0, y: 0, world }]);
    expect(before.pointCount).toBe(16 * 12 - 1);
    const eye = ".iris-view-tree .iris-eye[data-view='3d:/'][data-entity='/cam/depth']";
    const [r, g, b] = sampleColormap("turbo", (1000 + 100 * 8) / (1000 + 100 * 15));
    const near = (got: number[] | undefined): boolean =>
      got !== undefined &&
      Math.abs(got[0]! - r) <= 2 &&
      Math.abs(got[1]! - g) <= 2 &&
      Math.abs(got[2]! - b) <= 2;
    expect(near(before.probes[0]!.rgba)).toBe(true);
    await harness.page.click(eye);
    const hidden = await view3d(0, [{ x: 0, y: 0, world }]);
    writeFileSync(join(harness.dataDir, "depth-cloud-hidden.png"), await harness.page.screenshot());
    expect(hidden.pointCount).toBe(0);
    expect(near(hidden.probes[0]!.rgba)).toBe(false);
    await harness.page.click(eye);
    const after = await view3d(0, [{ x: 0, y: 0, world }]);
    expect(after.pointCount).toBe(16 * 12 - 1);
    expect(after.probes[0]).toEqual(before.probes[0]);
  });
});
