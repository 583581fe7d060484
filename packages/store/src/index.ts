export { ChunkStore, type ChunkStoreOptions } from "./chunk-store.ts";
export {
  type CompactionOptions,
  DEFAULT_COMPACTION_MAX_BYTES,
  DEFAULT_COMPACTION_MAX_ROWS,
} from "./compaction.ts";
export type {
  ComponentInfo,
  LatestAtQuery,
  QueryRow,
  QueryValues,
  RangeQuery,
  TimelineInfo,
} from "./query-types.ts";
export type {
  ChunkCompaction,
  DeletionReason,
  StoreEvent,
  StoreEventBase,
  StoreListener,
} from "./store-events.ts";
export type { ChunkCounts, StoreStats } from "./store-stats.ts";
export type { TimeRange } from "./stored-chunk.ts";
export { StoreError, type StoreErrorKind } from "./store-error.ts";
export { queryDataframe, tableToIpcBytes, type DataframeQuery } from "./dataframe.ts";
export { isPropertiesPath, matchesEntityFilter, PROPERTIES_ENTITY, selectsEntity } from "./entity-filter.ts";
export { concatData, emptyData } from "./arrow-concat.ts";
export { gatherListCells, type ListCell } from "./list-gather.ts";
export { concatChunks } from "./chunk-concat.ts";
export { tableToParquetBytes, columnMapping, type ParquetColumnMapping } from "./parquet-export.ts";
export {
  type DecodedImage,
  type ProbeQuery,
  type ProbeSample,
  type ProbeSampleStatus,
  type ProbeSeries,
  imageEntityPaths,
  probeEntityPath,
  probeImageSeries,
} from "./pixel-probe.ts";
export {
  type ProbeChannels,
  type ProbeImage,
  type ProbeImageKind,
  type ProbeRegion,
  type ProbeValue,
  probeChannels,
  probePixel,
  probeRegionMean,
} from "./probe-image.ts";
export { ProbeError, type ProbeErrorKind } from "./probe-error.ts";
export { csvField, formatProbeValue, probeToCsv } from "./probe-export.ts";
export { probeToParquetBytes } from "./probe-parquet.ts";
export { LazyChunkLoader } from "./lazy-chunk-loader.ts";
export type {
  ChunkFetcher,
  ChunkIndexEntry,
  LazyChunkLoaderOptions,
  LazyFrame,
  LazyLoaderCounters,
  LazyRange,
} from "./lazy-loader-types.ts";
