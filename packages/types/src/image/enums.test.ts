import { describe, expect, it } from "vitest";
import {
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
import { ImageFormatError } from "./image-format-error.ts";

const colorModels: [string, number][] = [
  ["L", 1],
  ["RGB", 2],
  ["RGBA", 3],
  ["BGR", 4],
  ["BGRA", 5],
];
const datatypes: [string, number][] = [
  ["U8", 6],
  ["I8", 7],
  ["U16", 8],
  ["I16", 9],
  ["U32", 10],
  ["I32", 11],
  ["U64", 12],
  ["I64", 13],
  ["F16", 33],
  ["F32", 34],
  ["F64", 35],
];
const pixelFormats: [string, number][] = [
  ["Y_U_V12_LimitedRange", 20],
  ["NV12", 26],
  ["YUY2", 27],
  ["Y8_FullRange", 30],
  ["Y_U_V24_LimitedRange", 39],
  ["Y_U_V24_FullRange", 40],
  ["Y8_LimitedRange", 41],
  ["Y_U_V12_FullRange", 44],
  ["Y_U_V16_LimitedRange", 49],
  ["Y_U_V16_FullRange", 50],
  // Rerun 0.41 (rerun/encodings/pixel_format.py of rerun-sdk 0.41.0)
  ["BayerRGGB8", 128],
  ["BayerBGGR8", 129],
  ["BayerGBRG8", 130],
  ["BayerGRBG8", 131],
];
const filters: [string, number][] = [
  ["Nearest", 1],
  ["Linear", 2],
  ["Bicubic", 3],
];

const cases = [
  { name: "ColorModel", table: ColorModel, rows: colorModels, parse: parseColorModel },
  { name: "ChannelDatatype", table: ChannelDatatype, rows: datatypes, parse: parseChannelDatatype },
  { name: "PixelFormat", table: PixelFormat, rows: pixelFormats, parse: parsePixelFormat },
  { name: "MagnificationFilter", table: MagnificationFilter, rows: filters, parse: parseMagnificationFilter },
];

describe.each(cases)("$name", ({ name, table, rows, parse }) => {
  it("has exactly the wire values", () => {
    expect(Object.entries(table)).toEqual(rows);
  });

  it.each(rows)("parses %s / %d by value and by name in any case", (n, v) => {
    expect(parse(v)).toBe(v);
    expect(parse(n)).toBe(v);
    expect(parse(n.toLowerCase())).toBe(v);
    expect(parse(n.toUpperCase())).toBe(v);
  });

  it.each([0, 4.5, -1, 255, NaN, Infinity, "", "nope", "1"])("rejects %s naming the valid values", (bad) => {
    let error: unknown;
    try {
      parse(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImageFormatError);
    const err = error as ImageFormatError;
    expect(err.kind).toBe("unknown-enum");
    expect(err.message).toContain(`Unknown ${name}`);
    expect(err.message).toContain(String(bad));
    for (const [n, v] of rows) expect(err.message).toContain(`${n} (${v})`);
    expect(err.actual).toEqual(bad);
  });
});

describe("enum helpers", () => {
  it("channels per colour model", () => {
    expect(colorModels.map(([, v]) => colorModelChannels(v as ColorModel))).toEqual([1, 3, 4, 3, 4]);
  });

  it("bytes, float-ness and signedness per datatype", () => {
    const bytes = [1, 1, 2, 2, 4, 4, 8, 8, 2, 4, 8];
    const float = [false, false, false, false, false, false, false, false, true, true, true];
    const signed = [false, true, false, true, false, true, false, true, true, true, true];
    datatypes.forEach(([, v], i) => {
      const dt = v as ChannelDatatype;
      expect(channelDatatypeBytes(dt)).toBe(bytes[i]);
      expect(isFloatDatatype(dt)).toBe(float[i]);
      expect(isSignedDatatype(dt)).toBe(signed[i]);
    });
  });

  it("names", () => {
    for (const [n, v] of colorModels) expect(colorModelName(v as ColorModel)).toBe(n);
    for (const [n, v] of datatypes) expect(channelDatatypeName(v as ChannelDatatype)).toBe(n);
    for (const [n, v] of pixelFormats) expect(pixelFormatName(v as PixelFormat)).toBe(n);
  });

  it("helpers reject values outside the tables", () => {
    expect(() => colorModelChannels(9 as ColorModel)).toThrow(ImageFormatError);
    expect(() => channelDatatypeBytes(14 as ChannelDatatype)).toThrow(/Unknown ChannelDatatype 14/);
  });
});
