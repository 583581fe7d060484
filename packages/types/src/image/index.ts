export {
  ChannelDatatype,
  ColorModel,
  MagnificationFilter,
  PixelFormat,
  channelDatatypeBytes,
  channelDatatypeName,
  colorModelChannels,
  colorModelName,
  isFloatDatatype,
  isSignedDatatype,
  parseChannelDatatype,
  parseColorModel,
  parseMagnificationFilter,
  parsePixelFormat,
  pixelFormatName,
} from "./enums.ts";
export {
  ImageFormatError,
  type ImageFormatErrorDetails,
  type ImageFormatErrorKind,
} from "./image-format-error.ts";
export {
  type ImageFormat,
  type ImageFormatInput,
  describeImageFormat,
  effectiveChannelDatatype,
  effectiveColorModel,
  imageSizeBytes,
  toImageFormat,
  validateImageBuffer,
  validateImageFormat,
} from "./image-format.ts";
export {
  type PixelFormatInfo,
  type YuvLayout,
  type YuvMatrix,
  pixelFormatInfo,
} from "./pixel-format-info.ts";
export {
  type BayerLayout,
  bayerDisplayLevel,
  bayerLayoutOfPixelFormat,
  bayerPixelFormatOf,
  demosaicClamped,
} from "./bayer-pixel-format.ts";
export {
  type PixelArray,
  bytesFromArrayBuffer,
  bytesOfArray,
  checkArrayMatchesDatatype,
  datatypeOfArray,
} from "./typed-array.ts";
export { float16ToFloat32, float32ToFloat16 } from "./float16.ts";
export { dataViewOf, readChannelValue } from "./channel-reader.ts";
export { readExactIntegerTexts, readPixelValues, sampleYuv } from "./pixel-reader.ts";
export { dataRangeHeuristic, datatypeValueRange, finiteValueRange, rangeHeuristic } from "./value-range.ts";
export {
  type DecodeImageOptions,
  colorValuesAreLinear,
  decodeImageToRgba8,
  srgbFromLinear,
  yuvToRgb8,
} from "./cpu-decode.ts";
export {
  type BayerColor,
  type BayerPattern,
  IRIS_PIXEL_LAYOUT_COMPONENT,
  IRIS_PIXEL_LAYOUT_COMPONENT_TYPE,
  IrisPixelLayout,
  bayerColorAt,
  bayerLayoutOf,
  bayerRedPosition,
  irisShownSize,
  isBayerLayout,
  isIrisPixelLayout,
  parseIrisPixelLayout,
  validateIrisPixelLayout,
} from "./iris-pixel-layout.ts";
export {
  type IrisLayoutPixelValues,
  decodeIrisLayoutToRgba8,
  demosaicBilinear,
  mirrorIndex,
  readIrisLayoutPixelValues,
} from "./cpu-decode-iris.ts";
