import { PixelFormat, parsePixelFormat, pixelFormatName } from "./enums.ts";
import { ImageFormatError } from "./image-format-error.ts";

/** How the bytes of a pixel format are arranged (names follow Rerun's `YuvPixelLayout`). */
export type YuvLayout = "Y_U_V444" | "Y_U_V422" | "Y_U_V420" | "Y_UV420" | "YUYV422" | "Y400";

/** YUV→RGB matrix; Rerun hard-codes BT.601 for NV12/YUY2 and (an approximate) BT.709 for the rest. */
export type YuvMatrix = "BT601" | "BT709";

export interface PixelFormatInfo {
  layout: YuvLayout;
  /** Limited ("TV") range: Y in 16…235, U/V in 16…240. */
  limitedRange: boolean;
  matrix: YuvMatrix;
}

/**
 * Layout, range and matrix of a YUV pixel format, exactly as Rerun's viewer (`image_to_gpu.rs`) chooses them.
 * Throws "conflicting-format" for the Bayer formats (`bayerLayoutOfPixelFormat`).
 */
export function pixelFormatInfo(pf: PixelFormat): PixelFormatInfo {
  switch (parsePixelFormat(pf)) {
    case PixelFormat.Y_U_V24_LimitedRange:
      return { layout: "Y_U_V444", limitedRange: true, matrix: "BT709" };
    case PixelFormat.Y_U_V24_FullRange:
      return { layout: "Y_U_V444", limitedRange: false, matrix: "BT709" };
    case PixelFormat.Y_U_V16_LimitedRange:
      return { layout: "Y_U_V422", limitedRange: true, matrix: "BT709" };
    case PixelFormat.Y_U_V16_FullRange:
      return { layout: "Y_U_V422", limitedRange: false, matrix: "BT709" };
    case PixelFormat.Y_U_V12_LimitedRange:
      return { layout: "Y_U_V420", limitedRange: true, matrix: "BT709" };
    case PixelFormat.Y_U_V12_FullRange:
      return { layout: "Y_U_V420", limitedRange: false, matrix: "BT709" };
    case PixelFormat.Y8_LimitedRange:
      return { layout: "Y400", limitedRange: true, matrix: "BT709" };
    case PixelFormat.Y8_FullRange:
      return { layout: "Y400", limitedRange: false, matrix: "BT709" };
    case PixelFormat.NV12:
      return { layout: "Y_UV420", limitedRange: true, matrix: "BT601" };
    case PixelFormat.YUY2:
      return { layout: "YUYV422", limitedRange: true, matrix: "BT601" };
    case PixelFormat.BayerRGGB8:
    case PixelFormat.BayerBGGR8:
    case PixelFormat.BayerGBRG8:
    case PixelFormat.BayerGRBG8:
      throw new ImageFormatError(
        "conflicting-format",
        `${pixelFormatName(pf)} is a Bayer format, not a YUV one (see bayer-pixel-format.ts)`,
        { expected: "a YUV pixel format", actual: pixelFormatName(pf) },
      );
  }
}
