import type { Chunk } from "@iris/chunk";

/**
 * When an incoming temporal chunk may be merged with the last chunk stored for the same entity, timelines and
 * components (same descriptors and Arrow types): only while the merged chunk stays within both limits.
 * Rerun's defaults (`ChunkStoreConfig`): 4096 rows, 384 KiB.
 */
export interface CompactionOptions {
  readonly maxRows?: number;
  readonly maxBytes?: number;
}

export const DEFAULT_COMPACTION_MAX_ROWS = 4096;
export const DEFAULT_COMPACTION_MAX_BYTES = 384 * 1024;

/** Chunks with equal keys can be concatenated: same entity, timelines (name and type), and columns. */
export function compactionKey(chunk: Chunk): string {
  const timelines = [...chunk.timelines.values()]
    .map((t) => `${t.timeline.name}\u0002${t.timeline.type}`)
    .sort();
  const components = [...chunk.components.entries()]
    .map(([name, c]) =>
      [name, c.descriptor.archetype ?? "", c.descriptor.componentType ?? "", String(c.list.type)].join(
        "\u0002",
      ),
    )
    .sort();
  return [chunk.entityPath, timelines.join("\u0001"), components.join("\u0001")].join("\u0000");
}
