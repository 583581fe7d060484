export { RRD_FILE_READ_BYTES, type RrdFileEventsOptions, rrdFileEvents } from "./rrd-file-events.ts";
export { type FileSource, openFileSource } from "./file-source.ts";
export { type AsyncFileSource, openAsyncFileSource } from "./async-file-source.ts";
export { uninitializedBytes } from "./uninitialized-bytes.ts";
export { BLOCK_GRANULE_BYTES, BlockPool, type BlockPoolOptions } from "./block-pool.ts";
export { H2ClientCall, type H2CallEnd } from "./h2/h2-client-call.ts";
export { H2Session, sessionTarget } from "./h2/h2-session.ts";
export type { H2InPlaceBody, H2Stream, H2StreamEnd } from "./h2/h2-stream.ts";
export { H2Error, type H2ErrorKind } from "./h2/h2-error.ts";
export { H2FrameParser, type H2FrameSink } from "./h2/h2-frame-parser.ts";
export { HeaderBlockAssembler, type HeaderBlock } from "./h2/h2-header-block.ts";
export { encodeLiteralHeaderBlock } from "./h2/hpack-literal.ts";
export {
  CLIENT_PREFACE,
  DEFAULT_WINDOW_BYTES,
  ErrorCode,
  FRAME_HEADER_BYTES,
  Flag,
  FrameType,
  MAX_MAX_FRAME_BYTES,
  MAX_WINDOW_BYTES,
  MIN_MAX_FRAME_BYTES,
  Setting,
  encodeFrame,
  errorCodeName,
  frameHeader,
  goawayFrame,
  rstStreamFrame,
  settingsFrame,
  windowUpdateFrame,
} from "./h2/h2-frame.ts";
export {
  type PeerSettings,
  expectConnection,
  expectLength,
  expectStream,
  readPeerSettings,
  readU32,
  u32,
} from "./h2/h2-frame-checks.ts";
export { malformedField, malformedRequestField } from "./h2/h2-field-checks.ts";
export { H2InPlaceReads } from "./h2/h2-in-place-reads.ts";
