import {
  type AsyncRandomAccessSource,
  type LazyRrdIndex,
  type LazyStoreIndex,
  type ManifestChunk,
  type OpenLazyRrdIndexOptions,
  RrdChunkReader,
  openLazyRrdIndex,
} from "@iris/rrd";
import { ChunkStore, LazyChunkLoader } from "@iris/store";

/** Default memory budget of a lazily read recording: 512 MiB of resident chunks. */
export const DEFAULT_LAZY_BUDGET_BYTES = 512 * 1024 * 1024;

/** A recording read on demand: its index, the store it fills and the loader that fills it. */
export interface LazyRecordingSource {
  readonly source: AsyncRandomAccessSource;
  readonly index: LazyRrdIndex;
  /** The recording store read (one of `index.stores`). */
  readonly recording: LazyStoreIndex;
  readonly store: ChunkStore;
  readonly loader: LazyChunkLoader<ManifestChunk>;
}

export interface OpenLazyRecordingOptions extends OpenLazyRrdIndexOptions {
  /** Resident chunk bytes kept at most (besides the current frame and static data); default 512 MiB. */
  memoryBudgetBytes?: number;
  /** The store to fill (its memory is then managed by the loader: `manageMemoryExternally`); default a new one. */
  store?: ChunkStore;
}

/**
 * Opens an `.rrd` for reading on demand (Node or browser; the source decides: a file, HTTP Range requests, a
 * Blob): reads its index (footer, or one pass without footer), then the static chunks of its first recording.
 * Frames are loaded with `loader.ensureFrame`. The other recordings of the input (`index.stores`) are opened with
 * `openIndexedRecording`. Throws what `openLazyRrdIndex` throws, and `Error` when the input holds no recording.
 */
export async function openLazyRecording(
  source: AsyncRandomAccessSource,
  options: OpenLazyRecordingOptions = {},
): Promise<LazyRecordingSource> {
  const index = await openLazyRrdIndex(source, options);
  const recording = index.stores.find((s) => s.storeId.kind === "recording");
  if (!recording) throw new Error("the input holds no recording store (only blueprints, or nothing)");
  return openIndexedRecording(source, index, recording, options);
}

/** Reads `recording`, one of the recording stores of `index` (read from `source`), on demand: its static chunks now. */
export async function openIndexedRecording(
  source: AsyncRandomAccessSource,
  index: LazyRrdIndex,
  recording: LazyStoreIndex,
  options: OpenLazyRecordingOptions = {},
): Promise<LazyRecordingSource> {
  const store = options.store ?? new ChunkStore();
  const reader = new RrdChunkReader(source, options.lz4 ? { lz4: options.lz4 } : {});
  const loader = new LazyChunkLoader<ManifestChunk>(
    store,
    recording.chunks,
    (entries) => reader.read(entries),
    {
      memoryBudgetBytes: options.memoryBudgetBytes ?? DEFAULT_LAZY_BUDGET_BYTES,
      timelineTypes: recording.timelines,
    },
  );
  await loader.loadStatic();
  return { source, index, recording, store, loader };
}
