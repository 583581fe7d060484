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
