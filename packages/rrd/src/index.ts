export type { ByteSink } from "./byte-sink.ts";
export {
  type CrateVersion,
  OLDEST_READABLE_VERSION,
  RERUN_VERSION,
  compareCrateVersions,
  crateVersionFromBits,
  crateVersionFromBytes,
  crateVersionToBits,
  crateVersionToBytes,
  formatCrateVersion,
} from "./crate-version.ts";
export { arrowMsgPayloadOffset } from "./arrow-msg-payload-offset.ts";
export { varintBytes, writeVarint } from "./protobuf-varint.ts";
export {
  GRPC_FRAME_HEADER_BYTES,
  type GrpcFrame,
  GrpcFrameDecoder,
  grpcFrame,
  logMsgArrowPayloadOffset,
} from "./grpc-frame-decoder.ts";
export { decodeRrd } from "./decode-rrd.ts";
export { encodeRrd } from "./encode-rrd.ts";
export { type Lz4Codec, Lz4Error, lz4 } from "./lz4/index.ts";
export { MemorySink } from "./memory-sink.ts";
export {
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type RrdMessageFromProtoOptions,
  arrowMsgFromProto,
  blueprintActivationFromProto,
  rrdMessageFromProto,
  setStoreInfoFromProto,
  storeIdFromProto,
  tuidFromProto,
} from "./message-from-proto.ts";
export {
  MESSAGE_HEADER_BYTES,
  type MessageHeader,
  MessageKind,
  encodeMessageHeader,
  isKnownMessageKind,
  parseMessageHeader,
} from "./message-header.ts";
export {
  decodeLogMsg,
  decodeMessagePayload,
  encodeLogMsg,
  encodeLogMsgParts,
  writeMessagesRequestFrameParts,
  encodeMessagePayload,
  encodeMessagePayloadParts,
} from "./message-payload.ts";
export {
  type LogMsgBody,
  type PayloadCompressionOptions,
  rrdMessageToProto,
  storeIdToProto,
  tuidToProto,
} from "./message-to-proto.ts";
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_DECOMPRESSION_RATIO,
  MAX_WARNINGS_PER_KIND,
  RrdDecoder,
  type RrdDecoderEvent,
  type RrdDecoderOptions,
} from "./rrd-decoder.ts";
export { RrdEncoder, type RrdEncoderOptions } from "./rrd-encoder.ts";
export { RrdError, type RrdErrorKind, isRrdError } from "./rrd-error.ts";
export type {
  ArrowMsgMessage,
  BlueprintActivationMessage,
  RrdMessage,
  SetStoreInfoMessage,
  StoreId,
  StoreSource,
} from "./rrd-message.ts";
export { arrowMsgFromParts, ipcByteLength, ownArrowMsg } from "./arrow-msg-parts.ts";
export type { RrdWarning, RrdWarningKind } from "./rrd-warning.ts";
export {
  STREAM_FOOTER_BYTES,
  type StreamFooter,
  encodeStreamFooter,
  hasStreamFooterMagic,
  parseStreamFooter,
  rrdFooterChecksum,
  streamFooterFor,
  verifyStreamFooter,
} from "./stream-footer.ts";
export {
  RRD_MAGIC,
  STREAM_HEADER_BYTES,
  type StreamHeader,
  encodeStreamHeader,
  hasRrdMagic,
  isNewerThanReader,
  parseStreamHeader,
} from "./stream-header.ts";
export { RRD_FOOTER_XXH32_SEED, xxh32 } from "./xxh32.ts";
/** Generated protobuf messages (protobuf-es), for gRPC and footer work. */
export * as commonPb from "./gen/rerun/v1alpha1/common_pb.ts";
export * as logMsgPb from "./gen/rerun/v1alpha1/log_msg_pb.ts";
export * as sdkCommsPb from "./gen/rerun/v1alpha1/sdk_comms_pb.ts";
export {
  type ManifestChunk,
  type ManifestTimeRange,
  type ParseManifestOptions,
  type RrdManifest,
  parseRrdManifest,
} from "./manifest/rrd-manifest.ts";
export {
  type RandomAccessSource,
  type ReadRrdIndexOptions,
  type RrdIndex,
  type StreamIndex,
  type ByteRequest,
  bytesSource,
  chunkFromMessageBytes,
  chunkMessageSpan,
  readChunkAt,
  rrdIndexSteps,
  readRrdIndex,
} from "./manifest/read-rrd-footer.ts";
export { RrdManifestBuilder, type ManifestByteSpan } from "./manifest/rrd-manifest-builder.ts";
export { encodeRrdFooter, sorbetSchemaSha256 } from "./manifest/rrd-footer-encoding.ts";
export { chunkOfMessage, withChunk } from "./manifest/chunk-of-message.ts";
export * from "./lazy/index.ts";
