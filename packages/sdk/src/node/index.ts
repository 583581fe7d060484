export { FileSink, onProcessExit } from "./file-sink.ts";
export { save } from "./save.ts";
export { EncodedImage } from "./encoded-image-file.ts";
export {
  type SharpLike,
  type SharpInstanceLike,
  imageFromFile,
  encodedImageFromFile,
  sharpJpegEncoder,
} from "./image-files.ts";
export { type JpegEncoder, compressImage } from "../image-compress.ts";
export { GrpcSink } from "./grpc-sink.ts";
export type { GrpcSinkOptions, GrpcSinkEvent, GrpcSinkStats } from "./grpc-sink-options.ts";
export { type ConnectOptions, connect } from "./connect.ts";
export { type ReadMessagesOptions, readMessages } from "./read-messages.ts";
export { type SpawnOptions, type Spawned, spawn, serveWeb } from "./spawn.ts";
export { fastestLz4, nativeLz4 } from "./native-lz4.ts";
