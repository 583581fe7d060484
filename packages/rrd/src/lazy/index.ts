export {
  type AsyncRandomAccessSource,
  type SourceCounters,
  SpanCache,
  asyncBytesSource,
  checkBounds,
} from "./async-random-access-source.ts";
export {
  type FetchFunction,
  type HttpRangeSource,
  type HttpRangeSourceOptions,
  type OpenHttpRangeResult,
  openHttpRangeSource,
  parseContentRange,
} from "./http-range-source.ts";
export {
  type LazyRrdIndex,
  type LazyStoreIndex,
  type OpenLazyRrdIndexOptions,
  openLazyRrdIndex,
  readRrdIndexAsync,
  storeKey,
} from "./lazy-rrd-index.ts";
export { scanRrdIndex } from "./scan-rrd-index.ts";
export { RrdChunkReader, type RrdChunkReaderOptions } from "./rrd-chunk-reader.ts";
export { LazySourceError, type LazySourceErrorKind } from "./lazy-source-error.ts";
