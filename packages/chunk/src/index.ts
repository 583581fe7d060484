export { Chunk, type ChunkComponent, type TimeColumn, dataSizeBytes } from "./chunk.ts";
export {
  ChunkBuilder,
  type ChunkBuildOptions,
  buildListColumn,
  type TimeCell,
  type TimePoint,
} from "./chunk-builder.ts";
export { ChunkError, type ChunkErrorKind } from "./chunk-error.ts";
export { chunkToRecordBatch, chunkToIpc } from "./chunk-to-record-batch.ts";
export { recordBatchToChunk, chunkFromIpc } from "./record-batch-to-chunk.ts";
export { SORBET_VERSION, SORBET_READ_VERSION, ROW_ID_COLUMN, MetadataKey } from "./sorbet-schema.ts";
export { compareSorbetVersions, migrateDescriptor, sorbetVersionOf } from "./sorbet-migration.ts";
export {
  IPC_VIEW_MIN_BYTES,
  byteSegmentsPlaceholder,
  chunkToIpcParts,
  recordBatchToIpcParts,
} from "./ipc-parts.ts";
export { framedSchemaMessage } from "./schema-message-cache.ts";
