/**
 * Scene cases of the differential suite: what a view shows beyond one Image — DepthImage colormaps (every Colormap
 * Rerun 0.41 offers, with and without depth_range and meter), SegmentationImage class colours (AnnotationContext
 * colours and the automatic colours of ids without one), and draw order (overlapping images of one view, by
 * explicit DrawOrder and by each archetype's default).
 *
 * Each view is one root entity `vK` whose children Rerun's 2D heuristics overlay in one view: at most one colour
 * Image, at most one DepthImage, any number of SegmentationImages, all 8×6 (two colour Images would get a view
 * each, so draw order is checked between an Image, a DepthImage and SegmentationImages). The view's calibration
 * Image is logged on its colour entity (`calibration`), on its own timeline. A case logs, at its step of the `case`
 * timeline, what its view shows; cases that rely on a component's fallback come first in their view, before any
 * case logs the component. Pixel values are written by hand here (no SDK image code).
 */
import {
  AnnotationContext,
  type Colormap,
  DepthImage,
  Image,
  type RecordingStream,
  SegmentationImage,
} from "@iris/sdk";

export const sceneWidth = 8;
export const sceneHeight = 6;
const n = sceneWidth * sceneHeight;

/** One view's cases and the child entity (a colour Image entity, or one used for nothing else) to calibrate on. */
export interface SceneView {
  readonly calibration: string;
  readonly cases: readonly SceneCase[];
}

export interface SceneCase {
  /** Unique: "depth Viridis range", "draw order b over a", … */
  readonly name: string;
  /** Logs the case under the view root `root` at the recording's current time. */
  readonly log: (rec: RecordingStream, root: string) => void;
}

/** Rerun's Colormap enum values (rerun.components.Colormap, 0.41). */
export const rerunColormaps = {
  Grayscale: 1,
  Inferno: 2,
  Magma: 3,
  Plasma: 4,
  Turbo: 5,
  Viridis: 6,
  CyanToYellow: 7,
  Spectral: 8,
  Twilight: 9,
  RvizMap: 10,
  RvizCostmap: 11,
  Costmap: 12,
} as const;

/** A float32 ramp 0…10 over the pixels (t = p / (n − 1) with depth_range [0, 10]). */
function rampF32(): Float32Array {
  return Float32Array.from({ length: n }, (_, p) => (10 * p) / (n - 1));
}

/** 48 U8 cell values covering every band of the grid-map colormaps: 0, 1…98, 99, 100, 101…127, 128…254, 255. */
function gridCells(): Uint8Array {
  const special = [0, 1, 2, 50, 97, 98, 99, 100, 101, 120, 127, 128, 129, 190, 253, 254, 255];
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) out[p] = p < special.length ? special[p]! : Math.round((255 * p) / (n - 1));
  return out;
}

function depth(
  name: string,
  pixels: Float32Array | Uint16Array | Uint8Array,
  options: {
    colormap?: number;
    depthRange?: readonly [number, number];
    meter?: number;
    /** Over an opaque Image `root/base` (the depth at DrawOrder 1, above the Image's −10). */
    overBase?: boolean;
  },
): SceneCase {
  return {
    name,
    log: (rec, root) => {
      // Opacity 1 explicitly: a colour image's fallback opacity is 0.5 in a view that shows a depth image.
      if (options.overBase)
        rec.log(`${root}/base`, Image.fromFields({ buffer: rgbImage(200), format: rgbFormat, opacity: 1 }));
      rec.log(
        `${root}/depth`,
        new DepthImage(pixels, {
          width: sceneWidth,
          height: sceneHeight,
          ...(options.colormap !== undefined ? { colormap: options.colormap as Colormap } : {}),
          ...(options.depthRange !== undefined ? { depthRange: options.depthRange } : {}),
          ...(options.meter !== undefined ? { meter: options.meter } : {}),
          ...(options.overBase ? { drawOrder: 1 } : {}),
        }),
      );
    },
  };
}

/** Depth views: every Colormap over [0, 10] (F32 ramp), the fallbacks first; the grid-map maps over an Image. */
export function depthViews(): SceneView[] {
  const c = rerunColormaps;
  const u16mm = Uint16Array.from({ length: n }, (_, p) => 200 + 40 * p);
  const range = [0, 10] as const;
  const mapped = (name: keyof typeof c): SceneCase =>
    depth(`depth ${name} [0, 10]`, rampF32(), { colormap: c[name], depthRange: range });
  return [
    {
      calibration: "cal",
      cases: [
        // No colormap, no depth_range: Rerun's fallbacks (Turbo, the data's range).
        depth("depth U16 fallbacks", u16mm, {}),
        mapped("Grayscale"),
        mapped("Inferno"),
        mapped("Magma"),
      ],
    },
    {
      calibration: "cal",
      cases: [
        // A colormap but no depth_range.
        depth("depth U16 Viridis, range fallback", u16mm, { colormap: c.Viridis }),
        mapped("Plasma"),
        mapped("Turbo"),
        mapped("Viridis"),
      ],
    },
    {
      calibration: "cal",
      cases: [
        mapped("CyanToYellow"),
        mapped("Spectral"),
        mapped("Twilight"),
        // meter changes the 3D back-projection only, not the 2D colours.
        depth("depth Viridis [0, 10] meter 0.1", rampF32(), {
          colormap: c.Viridis,
          depthRange: range,
          meter: 0.1,
        }),
      ],
    },
    {
      // Over an opaque Image: the cost maps draw cell value 0 transparent.
      calibration: "base",
      cases: [
        depth("depth RvizMap cells", gridCells(), {
          colormap: c.RvizMap,
          depthRange: [0, 255],
          overBase: true,
        }),
        depth("depth RvizCostmap cells", gridCells(), {
          colormap: c.RvizCostmap,
          depthRange: [0, 255],
          overBase: true,
        }),
        depth("depth Costmap cells", gridCells(), {
          colormap: c.Costmap,
          depthRange: [0, 255],
          overBase: true,
        }),
        // Values beyond depth_range clamp to the colormap's ends.
        depth("depth Inferno [2.5, 7.5] clamped", rampF32(), {
          colormap: c.Inferno,
          depthRange: [2.5, 7.5],
          overBase: true,
        }),
      ],
    },
  ];
}

/**
 * Segmentation: alone (ids 1…48, opaque colours: annotation colours for a few, automatic for the rest), then over an
 * opaque Image `root/base` (ids 0…47: 0 transparent, one translucent annotation colour) at the default opacity
 * (Rerun: 0.5 over other images) and at opacity 1.
 */
export function segmentationView(): SceneView {
  const ids = (offset: number): Uint16Array => Uint16Array.from({ length: n }, (_, p) => (p + offset) % 64);
  const context = new AnnotationContext([
    { id: 1, label: "red", color: [255, 0, 0] },
    { id: 2, label: "teal", color: [0, 128, 128] },
    { id: 3, label: "no colour" },
    { id: 5, label: "translucent", color: [255, 255, 0, 128] },
    { id: 40, label: "blue", color: [40, 80, 255] },
  ]);
  const segmentation = (pixels: Uint8Array | Uint16Array, opacity?: number): SegmentationImage =>
    new SegmentationImage(pixels, {
      width: sceneWidth,
      height: sceneHeight,
      ...(opacity !== undefined ? { opacity } : {}),
    });
  const cases: SceneCase[] = [
    {
      name: "segmentation alone, U16 ids 1..48",
      log: (rec, root) => {
        rec.log(root, new AnnotationContext([...opaqueClasses]));
        rec.log(`${root}/seg`, segmentation(ids(1)));
      },
    },
    {
      name: "segmentation over an Image, U8 ids 0..47, default opacity",
      log: (rec, root) => {
        rec.log(root, context);
        rec.log(`${root}/base`, Image.fromFields({ buffer: rgbImage(90), format: rgbFormat, opacity: 1 }));
        rec.log(`${root}/seg`, segmentation(Uint8Array.from(ids(0))));
      },
    },
    {
      name: "segmentation over an Image, U16 ids 0..47, opacity 1",
      log: (rec, root) => rec.log(`${root}/seg`, segmentation(ids(0), 1)),
    },
  ];
  return { calibration: "base", cases };
}

const opaqueClasses = [
  { id: 1, label: "red", color: [255, 0, 0] as const },
  { id: 2, label: "teal", color: [0, 128, 128] as const },
  { id: 3, label: "no colour" },
  { id: 40, label: "blue", color: [40, 80, 255] as const },
];

/**
 * Draw order, explicit: an Image `root/img`, a DepthImage `root/depth` and a SegmentationImage `root/seg` with
 * DrawOrders (and opacities) set at every step, so each step's stacking is its own.
 */
export function drawOrderView(): SceneView {
  const depthPixels = rampF32();
  const segIds = Uint16Array.from({ length: n }, (_, p) => 1 + (p % 9));
  const log = (
    rec: RecordingStream,
    root: string,
    order: { img: number; depth: number; seg: number },
    options: { rgba?: boolean; segOpacity?: number } = {},
  ): void => {
    rec.log(
      `${root}/img`,
      Image.fromFields({
        buffer: options.rgba ? rgbaImage(0) : rgbImage(0),
        format: options.rgba ? rgbaFormat : rgbFormat,
        drawOrder: order.img,
        opacity: 1,
      }),
    );
    rec.log(
      `${root}/depth`,
      new DepthImage(depthPixels, {
        width: sceneWidth,
        height: sceneHeight,
        colormap: rerunColormaps.Viridis as Colormap,
        depthRange: [0, 10],
        drawOrder: order.depth,
      }),
    );
    rec.log(
      `${root}/seg`,
      new SegmentationImage(segIds, {
        width: sceneWidth,
        height: sceneHeight,
        opacity: options.segOpacity ?? 1,
        drawOrder: order.seg,
      }),
    );
  };
  return {
    calibration: "img",
    cases: [
      {
        name: "draw order: depth over image over segmentation",
        log: (r, root) => log(r, root, { depth: 3, img: 2, seg: 1 }),
      },
      {
        name: "draw order: image over depth over segmentation",
        log: (r, root) => log(r, root, { img: 3, depth: 2, seg: 1 }),
      },
      {
        name: "draw order: segmentation at 0.5 over image over depth",
        log: (r, root) => log(r, root, { seg: 3, img: 2, depth: 1 }, { segOpacity: 0.5 }),
      },
      {
        name: "draw order: RGBA image (alpha ramp) over depth over segmentation",
        log: (r, root) => log(r, root, { img: 3, depth: 2, seg: 1 }, { rgba: true }),
      },
    ],
  };
}

/**
 * Each archetype's default draw order and opacity in one view: an RGBA Image (−10; opacity fallback 0.5 in a view
 * with a depth image) over a DepthImage (−20), then a SegmentationImage (0; 0.5 over other images) over both.
 */
export function defaultDrawOrderView(): SceneView {
  const image = rgbaImage(64);
  const depthPixels = rampF32();
  const segIds = Uint16Array.from({ length: n }, (_, p) => p % 7);
  return {
    calibration: "image",
    cases: [
      {
        name: "default order: Image over DepthImage",
        log: (rec, root) => {
          rec.log(
            `${root}/depth`,
            new DepthImage(depthPixels, { width: sceneWidth, height: sceneHeight, depthRange: [0, 10] }),
          );
          rec.log(`${root}/image`, Image.fromFields({ buffer: image, format: rgbaFormat }));
        },
      },
      {
        name: "default order: SegmentationImage over Image over DepthImage",
        log: (rec, root) =>
          rec.log(`${root}/seg`, new SegmentationImage(segIds, { width: sceneWidth, height: sceneHeight })),
      },
    ],
  };
}

/** The RGB U8 test image of `seed` (also what the suite checks blended pixels against). */
export function rgbImage(seed: number): Uint8Array {
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++)
    out.set([(p * 53 + seed) % 256, (p * 97 + 40 + seed) % 256, 255 - ((p * 29) % 256)], 3 * p);
  return out;
}

/** `rgbImage(seed)` with an alpha ramp 0…255 over the pixels. */
export function rgbaImage(seed: number): Uint8Array {
  const rgb = rgbImage(seed);
  const out = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    out.set(rgb.subarray(3 * p, 3 * p + 3), 4 * p);
    out[4 * p + 3] = Math.round((255 * p) / (n - 1));
  }
  return out;
}

const rgbFormat = { width: sceneWidth, height: sceneHeight, colorModel: 2, channelDatatype: 6 } as const;
const rgbaFormat = { width: sceneWidth, height: sceneHeight, colorModel: 3, channelDatatype: 6 } as const;
