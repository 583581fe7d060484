import type { ChunkStore } from "@iris/store";
import { entitiesWith, queryDepthImage, querySegmentationImage } from "./depth-segmentation-visualizer.ts";
import type { Drawable2D } from "./image-cache.ts";
import { type QueryTime, imageEntities, queryImage } from "./image-visualizer.ts";

/** The image of an entity latest-at `at`: a DepthImage, SegmentationImage, Image or EncodedImage. */
export function queryDrawable(store: ChunkStore, entityPath: string, at: QueryTime): Drawable2D | undefined {
  const components = store.componentsOf(entityPath).map((c) => c.descriptor.component);
  if (components.includes("DepthImage:buffer")) return queryDepthImage(store, entityPath, at);
  if (components.includes("SegmentationImage:buffer")) return querySegmentationImage(store, entityPath, at);
  return queryImage(store, entityPath, at);
}

/**
 * Every image of an entity latest-at `at`, one per archetype it has (Rerun runs each applicable visualizer: an
 * entity with an Image and a DepthImage shows both, stacked by draw order).
 */
export function queryDrawables(store: ChunkStore, entityPath: string, at: QueryTime): Drawable2D[] {
  const components = new Set(store.componentsOf(entityPath).map((c) => c.descriptor.component));
  const out: (Drawable2D | undefined)[] = [];
  if (components.has("DepthImage:buffer")) out.push(queryDepthImage(store, entityPath, at));
  if (components.has("SegmentationImage:buffer")) out.push(querySegmentationImage(store, entityPath, at));
  if (components.has("Image:buffer") || components.has("EncodedImage:blob")) {
    out.push(queryImage(store, entityPath, at));
  }
  return out.filter((d): d is Drawable2D => d !== undefined);
}

/** Every entity with an image of any kind, sorted. */
export function drawableEntities(store: ChunkStore): string[] {
  return [
    ...new Set([
      ...imageEntities(store),
      ...entitiesWith(store, "DepthImage:buffer"),
      ...entitiesWith(store, "SegmentationImage:buffer"),
    ]),
  ].sort();
}
