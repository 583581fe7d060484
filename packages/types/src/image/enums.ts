import { ImageFormatError } from "./image-format-error.ts";

/** How the channels of a pixel are interpreted (`rerun.datatypes.ColorModel`, u8 on the wire). */
export const ColorModel = { L: 1, RGB: 2, RGBA: 3, BGR: 4, BGRA: 5 } as const;
export type ColorModel = (typeof ColorModel)[keyof typeof ColorModel];

/** Element type of each channel (`rerun.datatypes.ChannelDatatype`, u8 on the wire). */
export const ChannelDatatype = {
  U8: 6,
  I8: 7,
  U16: 8,
  I16: 9,
  U32: 10,
  I32: 11,
  U64: 12,
  I64: 13,
  F16: 33,
  F32: 34,
  F64: 35,
} as const;
export type ChannelDatatype = (typeof ChannelDatatype)[keyof typeof ChannelDatatype];

/**
 * Chroma-subsampled / YUV pixel formats (`rerun.datatypes.PixelFormat`, u8 on the wire; 8 bits per sample), and
 * Rerun 0.41's raw 8-bit Bayer formats (128…131, one sample per pixel; see bayer-pixel-format.ts).
 */
export const PixelFormat = {
  Y_U_V12_LimitedRange: 20,
  NV12: 26,
  YUY2: 27,
  Y8_FullRange: 30,
  Y_U_V24_LimitedRange: 39,
  Y_U_V24_FullRange: 40,
  Y8_LimitedRange: 41,
  Y_U_V12_FullRange: 44,
  Y_U_V16_LimitedRange: 49,
  Y_U_V16_FullRange: 50,
  BayerRGGB8: 128,
  BayerBGGR8: 129,
  BayerGBRG8: 130,
  BayerGRBG8: 131,
} as const;
export type PixelFormat = (typeof PixelFormat)[keyof typeof PixelFormat];

/** Texture filter when zoomed in (`rerun.components.MagnificationFilter`, u8 on the wire). */
export const MagnificationFilter = { Nearest: 1, Linear: 2, Bicubic: 3 } as const;
export type MagnificationFilter = (typeof MagnificationFilter)[keyof typeof MagnificationFilter];

type EnumTable = Readonly<Record<string, number>>;

function nameOf(table: EnumTable, value: number): string | undefined {
  return lookupsOf(table).names.get(value);
}

function validValues(table: EnumTable): string {
  return Object.entries(table)
    .map(([name, v]) => `${name} (${v})`)
    .join(", ");
}

interface EnumLookups {
  /** Value → its first name in the table. */
  names: ReadonlyMap<number, string>;
  /** Lower-case name → value (the first entry of that name in any case). */
  byLowerName: ReadonlyMap<string, number>;
}

/** Per table, built once: every logged image names its colour model and datatype. */
const lookups = new Map<EnumTable, EnumLookups>();

function lookupsOf(table: EnumTable): EnumLookups {
  let found = lookups.get(table);
  if (found === undefined) {
    const names = new Map<number, string>();
    const byLowerName = new Map<string, number>();
    for (const [name, value] of Object.entries(table)) {
      if (!names.has(value)) names.set(value, name);
      const lower = name.toLowerCase();
      if (!byLowerName.has(lower)) byLowerName.set(lower, value);
    }
    found = { names, byLowerName };
    lookups.set(table, found);
  }
  return found;
}

function parseEnum<T extends number>(enumName: string, table: EnumTable, x: unknown): T {
  if (typeof x === "number") {
    if (lookupsOf(table).names.has(x)) return x as T;
  } else if (typeof x === "string") {
    const value = lookupsOf(table).byLowerName.get(x.trim().toLowerCase());
    if (value !== undefined) return value as T;
  }
  const actual = typeof x === "string" ? `"${x}"` : String(x);
  throw new ImageFormatError(
    "unknown-enum",
    `Unknown ${enumName} ${actual}; expected one of ${validValues(table)}`,
    { expected: validValues(table), actual: typeof x === "number" || typeof x === "string" ? x : String(x) },
  );
}

/** Accepts a ColorModel value or its name in any case ("rgb"); throws `ImageFormatError` "unknown-enum" otherwise. */
export function parseColorModel(x: number | string): ColorModel {
  return parseEnum<ColorModel>("ColorModel", ColorModel, x);
}

/** Accepts a ChannelDatatype value or its name in any case ("u8"); throws "unknown-enum" otherwise. */
export function parseChannelDatatype(x: number | string): ChannelDatatype {
  return parseEnum<ChannelDatatype>("ChannelDatatype", ChannelDatatype, x);
}

/** Accepts a PixelFormat value or its name in any case ("nv12"); throws "unknown-enum" otherwise. */
export function parsePixelFormat(x: number | string): PixelFormat {
  return parseEnum<PixelFormat>("PixelFormat", PixelFormat, x);
}

/** Accepts a MagnificationFilter value or its name in any case ("linear"); throws "unknown-enum" otherwise. */
export function parseMagnificationFilter(x: number | string): MagnificationFilter {
  return parseEnum<MagnificationFilter>("MagnificationFilter", MagnificationFilter, x);
}

/** Channels per pixel: L 1, RGB/BGR 3, RGBA/BGRA 4. */
export function colorModelChannels(cm: ColorModel): number {
  switch (parseColorModel(cm)) {
    case ColorModel.L:
      return 1;
    case ColorModel.RGB:
    case ColorModel.BGR:
      return 3;
    case ColorModel.RGBA:
    case ColorModel.BGRA:
      return 4;
  }
}

/** Bytes per channel value: 1, 2, 4 or 8 (F16 is 2). */
export function channelDatatypeBytes(dt: ChannelDatatype): number {
  switch (parseChannelDatatype(dt)) {
    case ChannelDatatype.U8:
    case ChannelDatatype.I8:
      return 1;
    case ChannelDatatype.U16:
    case ChannelDatatype.I16:
    case ChannelDatatype.F16:
      return 2;
    case ChannelDatatype.U32:
    case ChannelDatatype.I32:
    case ChannelDatatype.F32:
      return 4;
    case ChannelDatatype.U64:
    case ChannelDatatype.I64:
    case ChannelDatatype.F64:
      return 8;
  }
}

/** True for F16, F32 and F64. */
export function isFloatDatatype(dt: ChannelDatatype): boolean {
  const d = parseChannelDatatype(dt);
  return d === ChannelDatatype.F16 || d === ChannelDatatype.F32 || d === ChannelDatatype.F64;
}

/** True for the signed integers and the floats. */
export function isSignedDatatype(dt: ChannelDatatype): boolean {
  const d = parseChannelDatatype(dt);
  return isFloatDatatype(d) || d % 2 === 1;
}

/** "L", "RGB", … */
export function colorModelName(cm: ColorModel): string {
  return nameOf(ColorModel, parseColorModel(cm))!;
}

/** "U8", "F16", … */
export function channelDatatypeName(dt: ChannelDatatype): string {
  return nameOf(ChannelDatatype, parseChannelDatatype(dt))!;
}

/** "NV12", "Y_U_V16_FullRange", … */
export function pixelFormatName(pf: PixelFormat): string {
  return nameOf(PixelFormat, parsePixelFormat(pf))!;
}
