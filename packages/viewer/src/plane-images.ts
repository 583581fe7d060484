import type { ImageRenderer } from "@iris/renderer";
import type { ChunkStore } from "@iris/store";
import { entitiesWith, formatClass, querySegmentationImage } from "./depth-segmentation-visualizer.ts";
import type { CachedGpuImage, PlaneDrawable } from "./gpu-image-cache.ts";
import { type QueryTime, imageEntities, queryImage } from "./image-visualizer.ts";
import { type Mat4, type Vec3, multiply, transformHomogeneous, transformPoint } from "./mat4.ts";
import type { PlanePixels } from "./plane-hover.ts";
import type { ResolvedEntity } from "./transform-tree.ts";

/** An image drawn on a pinhole's image plane in the last frame (CSS px of the view canvas). */
export interface ProjectedImage {
  readonly entityPath: string;
  readonly pinholePath: string;
  readonly width: number;
  readonly height: number;
  /** Projected image corners (0,0), (w,0), (w,h), (0,h); undefined where behind the eye. */
  readonly corners: readonly ([number, number] | undefined)[];
  readonly opacity: number;
  /** world_from_image of the plane (column-major 4×4). */
  readonly worldFromImage: readonly number[];
}

/** An image under a pinhole with its texture and its place in the world. */
export interface PlaneImage {
  readonly d: PlaneDrawable;
  readonly img: CachedGpuImage;
  readonly worldFromImage: Mat4;
  readonly pinholePath: string;
}

/**
 * The images (Image, EncodedImage, SegmentationImage) under a pinhole at a time, with their textures (2D content
 * is shown in 3D only under a pinhole) that `visible` lets through; `texture` gives (or starts making) an image's texture.
 */
export function queryPlaneImages(options: {
  store: ChunkStore;
  at: QueryTime;
  resolved: ReadonlyMap<string, ResolvedEntity>;
  visible: (entityPath: string) => boolean;
  texture: (d: PlaneDrawable) => CachedGpuImage | undefined;
}): PlaneImage[] {
  const { store, at, resolved } = options;
  const out: PlaneImage[] = [];
  const drawables: (PlaneDrawable | undefined)[] = [
    ...imageEntities(store).map((p) => queryImage(store, p, at)),
    ...entitiesWith(store, "SegmentationImage:buffer").map((p) => querySegmentationImage(store, p, at)),
  ];
  for (const d of drawables) {
    if (!d || !options.visible(d.entityPath)) continue;
    const r = resolved.get(d.entityPath);
    if (!r?.pinhole) continue;
    const img = options.texture(d);
    if (img) out.push({ d, img, worldFromImage: r.worldFromEntity, pinholePath: r.pinhole.entityPath });
  }
  return out;
}

/**
 * Draws plane images farthest plane first, then by draw order (no depth test; the renderer writes clip z = 0),
 * into a linear target (`LinearCompositor`): they blend in linear light, as in Rerun.
 * Segmentation images default to opacity 0.5 over colour images (Rerun's default), else 1. Returns what was
 * drawn: projected corners for tests and the pixels that hover reads.
 */
export function drawPlaneImages(
  renderer: ImageRenderer,
  planeImages: readonly PlaneImage[],
  options: {
    clip: Mat4;
    width: number;
    height: number;
    project: (p: Vec3) => [number, number] | undefined;
    warn: (text: string) => void;
  },
): { projected: ProjectedImage[]; planePixels: PlanePixels[] } {
  const { clip, width, height } = options;
  const viewportFromClip = new Float64Array([
    width / 2,
    0,
    0,
    0,
    0,
    -height / 2,
    0,
    0,
    0,
    0,
    1,
    0,
    width / 2,
    height / 2,
    0,
    1,
  ]);
  const hasColor = planeImages.some((p) => p.d.kind !== "segmentation");
  const eyeDepth = (m: Mat4, w: number, h: number): number =>
    transformHomogeneous(clip, [...transformPoint(m, [w / 2, h / 2, 0]), 1])[3];
  const sorted = [...planeImages].sort(
    (a, b) =>
      eyeDepth(b.worldFromImage, b.img.width, b.img.height) -
        eyeDepth(a.worldFromImage, a.img.width, a.img.height) || a.d.drawOrder - b.d.drawOrder,
  );
  const projected: ProjectedImage[] = [];
  const planePixels: PlanePixels[] = [];
  for (const { d, img, worldFromImage, pinholePath } of sorted) {
    const opacity =
      d.kind === "segmentation" ? (d.loggedOpacity ?? (hasColor ? 0.5 : 1)) : (d.loggedOpacity ?? d.opacity);
    const viewFromImage = multiply(viewportFromClip, multiply(clip, worldFromImage));
    try {
      renderer.draw(img.gpu, { viewFromImage, opacity, target: "linear" });
    } catch (error) {
      options.warn(`${d.entityPath}: ${(error as Error).message}`);
      continue;
    }
    const corners: Vec3[] = [
      [0, 0, 0],
      [img.width, 0, 0],
      [img.width, img.height, 0],
      [0, img.height, 0],
    ];
    projected.push({
      entityPath: d.entityPath,
      pinholePath,
      width: img.width,
      height: img.height,
      corners: corners.map((c) => options.project(transformPoint(worldFromImage, c))),
      opacity,
      worldFromImage: Array.from(worldFromImage),
    });
    if (d.kind === "segmentation") {
      const classes = d.classes;
      planePixels.push({
        entityPath: d.entityPath,
        worldFromImage,
        bytes: d.bytes,
        format: d.format,
        describe: (values) => formatClass(values[0] ?? 0, classes),
      });
    } else if (d.kind === "raw" && d.format) {
      planePixels.push({
        entityPath: d.entityPath,
        worldFromImage,
        bytes: d.bytes,
        format: d.format,
        irisLayout: d.irisLayout,
      });
    }
  }
  return { projected, planePixels };
}
