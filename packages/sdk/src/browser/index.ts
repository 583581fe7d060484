export { BytesSink } from "../sinks/bytes-sink.ts";
export { downloadRecording } from "./download-recording.ts";
export {
  type DrawableSource,
  imageFromImageData,
  imageFromDrawable,
  imageFromCanvas,
  imageFromImageBitmap,
  imageFromVideoFrame,
  offscreenCanvasJpegEncoder,
} from "./image-sources.ts";
export { type JpegEncoder, compressImage } from "../image-compress.ts";
export {
  type InPageViewer,
  InPageViewerSink,
  toViewer,
  type RerunLogChannel,
  type RerunWebViewerLike,
  type RerunWebViewerSinkOptions,
  RerunWebViewerSink,
  toRerunWebViewer,
} from "./viewer-sinks.ts";
