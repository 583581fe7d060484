export { RRD_FILE_READ_BYTES, type RrdFileEventsOptions, rrdFileEvents } from "./rrd-file-events.ts";
export { type FileSource, openFileSource } from "./file-source.ts";
export { type AsyncFileSource, openAsyncFileSource } from "./async-file-source.ts";
export { uninitializedBytes } from "./uninitialized-bytes.ts";
export { BLOCK_GRANULE_BYTES, BlockPool, type BlockPoolOptions } from "./block-pool.ts";
