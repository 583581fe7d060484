import { RrdChunkReader } from "@iris/rrd";
import { ChunkStore, probeEntityPath } from "@iris/store";
import type { LazyRecordingSource } from "./lazy-recording-source.ts";
import type { Recording } from "./recording.ts";
import { viewerLz4 } from "./viewer-lz4.ts";

/** An entity's chunks read whole from a recording read on demand, or why they were not. */
export type LazyEntityStore =
  { kind: "store"; store: ChunkStore } | { kind: "too-large"; bytes: number; maxBytes: number };

/**
 * Every chunk of `entityPath` (as `probeEntityPath` gives it: "/camera") read from the file of a recording read on
 * demand into a store of its own, when their size in the file is at most `maxBytes`: for questions about all of an
 * entity's times (the probe) that the frame-by-frame store cannot answer. The store is the caller's to drop.
 */
export async function readEntityStore(
  lazy: LazyRecordingSource,
  entityPath: string,
  maxBytes: number,
): Promise<LazyEntityStore> {
  const entries = lazy.loader.entriesOf(entityPath);
  const bytes = entries.reduce((n, e) => n + e.byteSize, 0);
  if (bytes > maxBytes) return { kind: "too-large", bytes, maxBytes };
  const store = new ChunkStore();
  const reader = new RrdChunkReader(lazy.source, { lz4: viewerLz4 });
  for (const chunk of await reader.read(entries)) store.insert(chunk);
  return { kind: "store", store };
}

/** The last entity read for a probe, per recording (probing it again, e.g. another pixel, reads nothing). */
const lastRead = new WeakMap<LazyRecordingSource, { entityPath: string; read: Promise<LazyEntityStore> }>();

/**
 * The probe panel's store for `entityPath` of a recording read on demand (undefined for one loaded whole): all of
 * the entity's data, read for the probe when it fits the recording's memory budget; otherwise the chunks in memory,
 * with a notice saying so. A file that cannot be read falls back the same way, saying why.
 */
export function onDemandProbeStore(
  recording: Recording | undefined,
  entityPath: string,
): Promise<{ store: ChunkStore; notice?: string | undefined }> | undefined {
  const lazy = recording?.lazy;
  if (!recording || !lazy) return undefined;
  let path: string;
  try {
    path = probeEntityPath(entityPath);
  } catch {
    return undefined; // not an entity path: the probe of `store()` says so
  }
  let cached = lastRead.get(lazy);
  if (cached?.entityPath !== path) {
    cached = { entityPath: path, read: readEntityStore(lazy, path, lazy.loader.memoryBudgetBytes) };
    lastRead.set(lazy, cached);
  }
  const resident = (why: string): { store: ChunkStore; notice: string } => ({
    store: recording.store,
    notice:
      `Read on demand: ${why}, so the series covers the times whose chunks are in memory now ` +
      `(${recording.store.stats().chunks} of the ${lazy.loader.indexedChunks} chunks in the file). ` +
      `For every time, load the file whole (?lazy=off) or run iris probe on it.`,
  });
  return cached.read.then(
    (read) =>
      read.kind === "store"
        ? { store: read.store }
        : resident(
            `the entity's data (${mb(read.bytes)}) is larger than the memory budget (${mb(read.maxBytes)})`,
          ),
    (error: unknown) => {
      lastRead.delete(lazy);
      return resident(`the entity's data could not be read (${(error as Error).message})`);
    },
  );
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** The image entities of a recording read on demand, from its index (undefined for one loaded whole). */
export function onDemandImageEntities(recording: Recording | undefined): string[] | undefined {
  const loader = recording?.lazy?.loader;
  if (!loader) return undefined;
  return loader
    .entityPaths()
    .filter((path) =>
      loader.entriesOf(path).some((e) => e.components.some((c) => /:buffer$|^EncodedImage:blob$/.test(c))),
    );
}
