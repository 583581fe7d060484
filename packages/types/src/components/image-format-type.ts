import { type Data, Field, makeData, Struct, Uint8, Uint32 } from "apache-arrow";
import type { ComponentType } from "../component-type.ts";
import type { ImageFormat } from "../image/index.ts";
import type { ChannelDatatype, ColorModel, PixelFormat } from "../image/index.ts";
import { isValidAt, validityBitmap } from "./arrow-builders.ts";

const imageFormatArrowType = new Struct([
  new Field("width", new Uint32(), false),
  new Field("height", new Uint32(), false),
  new Field("pixel_format", new Uint8(), true),
  new Field("color_model", new Uint8(), true),
  new Field("channel_datatype", new Uint8(), true),
]);

function optionalU8(values: readonly (number | undefined)[]): Data {
  const { bitmap, nullCount } = validityBitmap(values.map((v) => v !== undefined));
  const data = Uint8Array.from(values, (v) => v ?? 0);
  return makeData({
    type: new Uint8(),
    length: values.length,
    nullCount,
    data,
    ...(bitmap ? { nullBitmap: bitmap } : {}),
  });
}

function readOptionalU8(data: Data, index: number): number | undefined {
  return isValidAt(data, index) ? (data.values as Uint8Array)[index] : undefined;
}

/** The Struct column of `values` (one row each). */
function buildImageFormats(values: readonly ImageFormat[]): Data {
  const n = values.length;
  const children = [
    makeData({
      type: new Uint32(),
      length: n,
      nullCount: 0,
      data: Uint32Array.from(values, (v) => v.width),
    }),
    makeData({
      type: new Uint32(),
      length: n,
      nullCount: 0,
      data: Uint32Array.from(values, (v) => v.height),
    }),
    optionalU8(values.map((v) => v.pixelFormat)),
    optionalU8(values.map((v) => v.colorModel)),
    optionalU8(values.map((v) => v.channelDatatype)),
  ];
  return makeData({ type: imageFormatArrowType, length: n, nullCount: 0, children });
}

/**
 * The last single format built and its column, returned again for an equal format (Arrow Data is not changed
 * after construction; slices and copies are new objects).
 */
let lastSingle: { format: ImageFormat; data: Data } | undefined;

function sameFormat(a: ImageFormat, b: ImageFormat): boolean {
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.pixelFormat === b.pixelFormat &&
    a.colorModel === b.colorModel &&
    a.channelDatatype === b.channelDatatype
  );
}

/** `rerun.components.ImageFormat`: width, height and either a pixel format or colour model + datatype. */
export const ImageFormatType: ComponentType<ImageFormat> = {
  name: "rerun.components.ImageFormat",
  arrowType: imageFormatArrowType,
  toArrow(values) {
    // Every frame of an image stream usually has the format of the one before: its column is built once.
    if (values.length === 1 && lastSingle !== undefined && sameFormat(values[0]!, lastSingle.format)) {
      return lastSingle.data;
    }
    const data = buildImageFormats(values);
    if (values.length === 1) lastSingle = { format: { ...values[0]! }, data };
    return data;
  },

  fromArrow(data, index) {
    const [w, h, pf, cm, dt] = data.children as Data[];
    // Struct children are sliced together with their parent in Arrow JS, so index them relative to the child.
    const i = index;
    const format: { -readonly [K in keyof ImageFormat]: ImageFormat[K] } = {
      width: (w!.values as Uint32Array)[i]!,
      height: (h!.values as Uint32Array)[i]!,
    };
    const pixelFormat = readOptionalU8(pf!, i);
    const colorModel = readOptionalU8(cm!, i);
    const channelDatatype = readOptionalU8(dt!, i);
    if (pixelFormat !== undefined) format.pixelFormat = pixelFormat as PixelFormat;
    if (colorModel !== undefined) format.colorModel = colorModel as ColorModel;
    if (channelDatatype !== undefined) format.channelDatatype = channelDatatype as ChannelDatatype;
    return format;
  },
};
