/**
 * What compare mode may take the difference of, and how (pure; Node-tested). The size rule: the difference needs
 * two images of the SAME width and height (anything else is refused with both sizes in the message); swipe, blend
 * and side by side show any two images, both placed with their top-left corner at the same point.
 */
import { ChannelDatatype, type GpuImageFormat, formatName } from "./gpu-image-format.ts";
import { RendererError } from "./renderer-error.ts";

/** The part of a `GpuImage` the rules read. */
export interface ComparableImage {
  readonly width: number;
  readonly height: number;
  readonly format: GpuImageFormat;
  /** Finite min/max of the data (float images: the PSNR peak comes from it). */
  readonly finiteRange: readonly [number, number] | undefined;
}

/** How the difference of two compatible images is taken and scored. */
export interface DifferencePlan {
  readonly width: number;
  readonly height: number;
  /**
   * Decoded channels compared: 1 when both are single-channel (L), 4 when either has alpha, else 3 (an L image
   * counts as grey r = g = b, an image without alpha as opaque).
   */
  readonly channels: 1 | 3 | 4;
  /** What the decoded values are: "8-bit" (U8, YUV, Bayer U8), an integer datatype name, or "float". */
  readonly domain: string;
  /**
   * PSNR peak: 255 for 8-bit, the width of the datatype's range for other integers (65535 for U16, 2³²−1 for
   * U32/I32 …), the finite data range of both images together for floats (undefined when that is empty or 0).
   */
  readonly peak: number | undefined;
  /** Alpha written for images without an alpha channel (opaque: 255, the datatype maximum, 1.0 for floats). */
  readonly opaqueValueA: number;
  readonly opaqueValueB: number;
}

interface Domain {
  readonly name: string;
  readonly peak: number | undefined;
  readonly opaque: number;
}

function domainOf(format: GpuImageFormat): Domain {
  if (format.kind === "yuv") return { name: "8-bit", peak: 255, opaque: 255 };
  switch (format.channelDatatype) {
    case ChannelDatatype.U8:
      return { name: "8-bit", peak: 255, opaque: 255 };
    case ChannelDatatype.U16:
      return { name: "U16", peak: 65535, opaque: 65535 };
    case ChannelDatatype.U32:
      return { name: "U32", peak: 4294967295, opaque: 4294967295 };
    case ChannelDatatype.U64:
      return { name: "U64", peak: 2 ** 64 - 1, opaque: 2 ** 64 - 1 };
    case ChannelDatatype.I8:
      return { name: "I8", peak: 255, opaque: 127 };
    case ChannelDatatype.I16:
      return { name: "I16", peak: 65535, opaque: 32767 };
    case ChannelDatatype.I32:
      return { name: "I32", peak: 4294967295, opaque: 2147483647 };
    case ChannelDatatype.I64:
      return { name: "I64", peak: 2 ** 64 - 1, opaque: 2 ** 63 - 1 };
    case ChannelDatatype.F16:
    case ChannelDatatype.F32:
    case ChannelDatatype.F64:
      return { name: "float", peak: undefined, opaque: 1 };
  }
}

/** Decoded channels of one image: 1 (L), 3 (RGB, BGR, YUV, Bayer) or 4 (RGBA, BGRA). */
export function decodedChannels(format: GpuImageFormat): 1 | 3 | 4 {
  return format.kind === "channels" ? format.channels : 3;
}

/** A short name of an image's format for messages ("L U16", "NV12", "BayerRGGB U8"). */
export function describeFormat(format: GpuImageFormat): string {
  if (format.kind === "yuv")
    return format.pixelFormat === undefined ? "UYVY" : formatName({ pixelFormat: format.pixelFormat });
  if (format.kind === "bayer")
    return formatName({ irisLayout: format.layout, channelDatatype: format.channelDatatype });
  return formatName({ colorModel: format.colorModel, channelDatatype: format.channelDatatype });
}

/**
 * The plan for |A − B|, or a RendererError "incompatible-images" saying what differs (expected vs actual): the
 * sizes or the value kinds (8-bit vs U16 vs float …). Channel counts may differ (L is grey, no alpha is opaque).
 */
export function planDifference(a: ComparableImage, b: ComparableImage): DifferencePlan {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RendererError(
      "incompatible-images",
      `The difference needs two images of the same size: A is ${a.width}×${a.height}, B is ${b.width}×${b.height}` +
        " (swipe, blend and side by side show them aligned top-left)",
      { expected: `${a.width}×${a.height}`, actual: `${b.width}×${b.height}` },
    );
  }
  const da = domainOf(a.format);
  const db = domainOf(b.format);
  if (da.name !== db.name) {
    throw new RendererError(
      "incompatible-images",
      `The difference needs values of the same kind: A (${describeFormat(a.format)}) holds ${da.name} values, ` +
        `B (${describeFormat(b.format)}) holds ${db.name} values`,
      { expected: `${da.name} values`, actual: `${db.name} values` },
    );
  }
  const ca = decodedChannels(a.format);
  const cb = decodedChannels(b.format);
  const channels = ca === 1 && cb === 1 ? 1 : ca === 4 || cb === 4 ? 4 : 3;
  let peak = da.peak;
  if (da.name === "float") {
    const ranges = [a.finiteRange, b.finiteRange].filter(
      (r): r is readonly [number, number] => r !== undefined,
    );
    const lo = Math.min(...ranges.map((r) => r[0]));
    const hi = Math.max(...ranges.map((r) => r[1]));
    peak = ranges.length > 0 && hi > lo ? hi - lo : undefined;
  }
  return {
    width: a.width,
    height: a.height,
    channels,
    domain: da.name,
    peak,
    opaqueValueA: da.opaque,
    opaqueValueB: db.opaque,
  };
}
