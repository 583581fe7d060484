import type { ChunkStore } from "@iris/store";
import { entitiesWith } from "./depth-segmentation-visualizer.ts";
import { entityPathPrefixes } from "./entity-path-parts.ts";
import { imageEntities } from "./image-visualizer.ts";

/**
 * The entities the 3D view draws, sorted (each gets a visibility toggle in the Views tree): pinholes (frusta),
 * entities with a Transform3D (axes), and images, depth and segmentation images under a pinhole (image planes
 * and point clouds).
 */
export function spatial3dEntities(store: ChunkStore): string[] {
  const pinholes = new Set(entitiesWith(store, "Pinhole:image_from_camera"));
  const transformed = store
    .entityPaths()
    .filter((p) => store.componentsOf(p).some((c) => c.descriptor.component.startsWith("Transform3D:")));
  const underPinhole = [
    ...imageEntities(store),
    ...entitiesWith(store, "DepthImage:buffer"),
    ...entitiesWith(store, "SegmentationImage:buffer"),
  ].filter((p) => entityPathPrefixes(p).some((prefix) => pinholes.has(prefix)));
  return [...new Set([...pinholes, ...transformed, ...underPinhole])].sort();
}
