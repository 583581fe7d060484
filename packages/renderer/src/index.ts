export { RendererError, type RendererErrorKind } from "./renderer-error.ts";
export {
  ColorModel,
  ChannelDatatype,
  PixelFormat,
  YuvLayout,
  type GpuImageDesc,
  type GpuImageFormat,
  type ChannelImageFormat,
  type YuvImageFormat,
  type BayerImageFormat,
  type BayerLayout,
  IrisLayout,
  formatName,
  resolveGpuImageFormat,
  yuvSizeBytes,
} from "./gpu-image-format.ts";
export { type TextureFormat, type SamplerKind, textureFormatFor } from "./texture-format.ts";
export { type TileSpan, tileSpans } from "./tile-grid.ts";
export { type GpuImage, type ImageTile, ImageTexture } from "./image-texture.ts";
export {
  type ColormapName,
  colormapNames,
  colormapTable,
  discreteColormaps,
  sampleColormap,
  sampleColormapRgba,
  isColormapName,
} from "./colormap.ts";
export { type GridMapPalette, gridMapColor } from "./grid-map-palettes.ts";
export {
  type ImagePlacement,
  type ViewFromImage,
  clipFromImageMatrix,
  viewFromImageMatrix,
} from "./placement.ts";
export { type RendererStats } from "./renderer-stats.ts";
export { LinearCompositor, linearFromSrgb } from "./linear-compositor.ts";
export { float16BitsToNumber, defaultValueRange } from "./source-data.ts";
export {
  ImageRenderer,
  drawableValueRange,
  type ImageRendererProps,
  type DrawImageOptions,
  type MagnificationMode,
  type BlendMode,
} from "./image-renderer.ts";
export { LineRenderer, type PrimitiveBatch, type PrimitiveDrawOptions } from "./line-renderer.ts";
export { PointRenderer } from "./point-renderer.ts";
export {
  CompareRenderer,
  sideBySideWidth,
  type CompareDisplay,
  type ComparePairOptions,
  type DifferenceImage,
} from "./compare-renderer.ts";
export {
  planDifference,
  decodedChannels,
  describeFormat,
  type ComparableImage,
  type DifferencePlan,
} from "./compare-rules.ts";
export { differenceStatistics, type DifferenceStatistics } from "./difference-statistics.ts";
