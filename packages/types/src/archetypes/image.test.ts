import { describe, expect, it } from "vitest";
import type { ComponentBatch } from "../component-batch.ts";
import {
  type ChannelDatatype,
  type ColorModel,
  ImageFormatError,
  type ImageFormatErrorKind,
  type PixelFormat,
} from "../image/index.ts";
import { EncodedImage } from "./encoded-image.ts";
import { Image } from "./image.ts";
import { guessMediaType } from "./media-type.ts";

// Enum values and sizes written out from image-archetype-detail.md §2 / rrd-format.md §5.2.
const COLOR_MODELS: readonly { name: string; value: ColorModel; channels: number }[] = [
  { name: "L", value: 1, channels: 1 },
  { name: "RGB", value: 2, channels: 3 },
  { name: "RGBA", value: 3, channels: 4 },
  { name: "BGR", value: 4, channels: 3 },
  { name: "BGRA", value: 5, channels: 4 },
];

type ArrayCtor = new (length: number) => ArrayBufferView & { length: number };

const DATATYPES: readonly { name: string; value: ChannelDatatype; bytes: number; ctor: ArrayCtor }[] = [
  { name: "U8", value: 6, bytes: 1, ctor: Uint8Array },
  { name: "I8", value: 7, bytes: 1, ctor: Int8Array },
  { name: "U16", value: 8, bytes: 2, ctor: Uint16Array },
  { name: "I16", value: 9, bytes: 2, ctor: Int16Array },
  { name: "U32", value: 10, bytes: 4, ctor: Uint32Array },
  { name: "I32", value: 11, bytes: 4, ctor: Int32Array },
  { name: "U64", value: 12, bytes: 8, ctor: BigUint64Array },
  { name: "I64", value: 13, bytes: 8, ctor: BigInt64Array },
  { name: "F16", value: 33, bytes: 2, ctor: Uint16Array },
  { name: "F32", value: 34, bytes: 4, ctor: Float32Array },
  { name: "F64", value: 35, bytes: 8, ctor: Float64Array },
];

/** Viewer sizes (image-archetype-detail.md §3.4): bytes for a w×h image. */
const PIXEL_FORMATS: readonly {
  name: string;
  value: PixelFormat;
  size: (w: number, h: number) => number;
}[] = [
  { name: "Y_U_V12_LimitedRange", value: 20, size: (w, h) => w * (h + Math.floor(h / 2)) },
  { name: "NV12", value: 26, size: (w, h) => w * (h + Math.floor(h / 2)) },
  { name: "YUY2", value: 27, size: (w, h) => 2 * w * h },
  { name: "Y8_FullRange", value: 30, size: (w, h) => w * h },
  { name: "Y_U_V24_LimitedRange", value: 39, size: (w, h) => 3 * w * h },
  { name: "Y_U_V24_FullRange", value: 40, size: (w, h) => 3 * w * h },
  { name: "Y8_LimitedRange", value: 41, size: (w, h) => w * h },
  { name: "Y_U_V12_FullRange", value: 44, size: (w, h) => w * (h + Math.floor(h / 2)) },
  { name: "Y_U_V16_LimitedRange", value: 49, size: (w, h) => 2 * w * h },
  { name: "Y_U_V16_FullRange", value: 50, size: (w, h) => 2 * w * h },
];

/** The thrown ImageFormatError; fails the test if none (or another error) is thrown. */
function formatError(fn: () => unknown, kind: ImageFormatErrorKind): ImageFormatError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error, "expected an ImageFormatError").toBeInstanceOf(ImageFormatError);
  const e = error as ImageFormatError;
  expect(e.kind, e.message).toBe(kind);
  return e;
}

function patternBytes(n: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

function byComponent(batches: readonly ComponentBatch[]): Map<string, ComponentBatch> {
  return new Map(batches.map((b) => [b.descriptor.component, b]));
}

describe("Image descriptors (rrd-format.md §5.3)", () => {
  it("logs buffer and format with Rerun's exact descriptors, and the optional ones when given", () => {
    const image = new Image(new Uint8Array(6), {
      width: 3,
      height: 2,
      opacity: 0.5,
      drawOrder: -3,
      magnificationFilter: "linear",
    });
    const batches = byComponent(image.asComponentBatches());
    expect([...batches.keys()].sort()).toEqual([
      "Image:buffer",
      "Image:draw_order",
      "Image:format",
      "Image:magnification_filter",
      "Image:opacity",
    ]);
    const expected: Record<string, [string, string]> = {
      "Image:buffer": ["rerun.archetypes.Image", "rerun.components.ImageBuffer"],
      "Image:format": ["rerun.archetypes.Image", "rerun.components.ImageFormat"],
      "Image:opacity": ["rerun.archetypes.Image", "rerun.components.Opacity"],
      "Image:draw_order": ["rerun.archetypes.Image", "rerun.components.DrawOrder"],
      "Image:magnification_filter": ["rerun.archetypes.Image", "rerun.components.MagnificationFilter"],
    };
    for (const [component, [archetype, componentType]] of Object.entries(expected)) {
      const b = batches.get(component)!;
      expect(b.descriptor).toEqual({ component, archetype, componentType });
      expect(b.type.name).toBe(componentType);
      expect(b.values.length).toBe(1);
    }
    expect(batches.get("Image:opacity")!.values).toEqual([0.5]);
    expect(batches.get("Image:draw_order")!.values).toEqual([-3]);
    expect(batches.get("Image:magnification_filter")!.values).toEqual([2]);
  });

  it("logs only buffer and format when no style is given", () => {
    const image = new Image(new Uint8Array(6), { width: 3, height: 2 });
    expect(image.asComponentBatches().map((b) => b.descriptor.component)).toEqual([
      "Image:buffer",
      "Image:format",
    ]);
  });
});

describe("new Image(typedArray, { width, height, colorModel, datatype })", () => {
  for (const cm of COLOR_MODELS) {
    for (const dt of DATATYPES) {
      it(`${cm.name} ${dt.name}`, () => {
        const w = 3;
        const h = 2;
        const pixels = new dt.ctor(w * h * cm.channels);
        new Uint8Array(pixels.buffer).set(patternBytes(pixels.byteLength));
        const image = new Image(pixels as never, {
          width: w,
          height: h,
          colorModel: cm.name,
          datatype: dt.name,
        });
        expect(image.format).toEqual({
          width: w,
          height: h,
          colorModel: cm.value,
          channelDatatype: dt.value,
        });
        expect(image.buffer!.byteLength).toBe(w * h * cm.channels * dt.bytes);
        expect(Array.from(image.buffer!)).toEqual(Array.from(patternBytes(w * h * cm.channels * dt.bytes)));
        // Enum numbers are accepted as well as names.
        const byNumber = new Image(pixels as never, {
          width: w,
          height: h,
          colorModel: cm.value,
          datatype: dt.value,
        });
        expect(byNumber.format).toEqual(image.format);
      });
    }
  }

  it("accepts enum names in any case", () => {
    const image = new Image(new Uint16Array(4 * 3), {
      width: 2,
      height: 2,
      colorModel: "rgb",
      datatype: "u16",
    });
    expect(image.format).toEqual({ width: 2, height: 2, colorModel: 2, channelDatatype: 8 });
  });

  it("references the typed array's bytes (little-endian element bytes), honouring byteOffset", () => {
    const backing = new Uint16Array(10);
    const view = backing.subarray(2, 6); // 4 values, 2×2 L
    view.set([0x0102, 0x0304, 0x0506, 0xa0b0]);
    const image = new Image(view, { width: 2, height: 2 });
    expect(Array.from(image.buffer!)).toEqual([0x02, 0x01, 0x04, 0x03, 0x06, 0x05, 0xb0, 0xa0]);
    expect(image.format).toEqual({ width: 2, height: 2, colorModel: 1, channelDatatype: 8 });
  });
});

describe("datatype inferred from the typed-array class", () => {
  const cases: [string, ArrayCtor, number][] = [
    ["Uint8Array", Uint8Array, 6],
    ["Uint8ClampedArray", Uint8ClampedArray, 6],
    ["Int8Array", Int8Array, 7],
    ["Uint16Array", Uint16Array, 8],
    ["Int16Array", Int16Array, 9],
    ["Uint32Array", Uint32Array, 10],
    ["Int32Array", Int32Array, 11],
    ["BigUint64Array", BigUint64Array, 12],
    ["BigInt64Array", BigInt64Array, 13],
    ["Float32Array", Float32Array, 34],
    ["Float64Array", Float64Array, 35],
  ];
  for (const [name, ctor, value] of cases) {
    it(`${name} → ${value}`, () => {
      const image = new Image(new ctor(4 * 3) as never, { width: 4, height: 3 });
      expect(image.format).toEqual({ width: 4, height: 3, colorModel: 1, channelDatatype: value });
      expect(image.buffer!.byteLength).toBe(new ctor(12).byteLength);
    });
  }

  it("never infers F16: a Uint16Array is U16 unless F16 is given", () => {
    expect(new Image(new Uint16Array(1), { width: 1, height: 1 }).format!.channelDatatype).toBe(8);
    expect(
      new Image(new Uint16Array(1), { width: 1, height: 1, datatype: "F16" }).format!.channelDatatype,
    ).toBe(33);
  });
});

describe("colour model inferred from values per pixel", () => {
  it("1 → L, 3 → RGB, 4 → RGBA", () => {
    const w = 5;
    const h = 3;
    expect(new Image(new Uint8Array(w * h), { width: w, height: h }).format!.colorModel).toBe(1);
    expect(new Image(new Uint8Array(w * h * 3), { width: w, height: h }).format!.colorModel).toBe(2);
    expect(new Image(new Uint8Array(w * h * 4), { width: w, height: h }).format!.colorModel).toBe(3);
    expect(new Image(new Float32Array(w * h * 4), { width: w, height: h }).format).toEqual({
      width: w,
      height: h,
      colorModel: 3,
      channelDatatype: 34,
    });
  });

  it("counts elements, not bytes, for multi-byte types", () => {
    // 2×2 RGB U16 = 12 elements = 24 bytes.
    expect(new Image(new Uint16Array(12), { width: 2, height: 2 }).format!.colorModel).toBe(2);
  });

  for (const perPixel of [2, 5]) {
    it(`${perPixel} values per pixel is an error naming the counts`, () => {
      const e = formatError(
        () => new Image(new Uint8Array(2 * 3 * perPixel), { width: 2, height: 3 }),
        "size-mismatch",
      );
      expect(e.message).toContain(String(2 * 3 * perPixel));
      expect(e.actual).toBe(2 * 3 * perPixel);
      expect(String(e.expected)).toContain("6");
      expect(String(e.expected)).toContain("18");
      expect(String(e.expected)).toContain("24");
    });
  }

  it("a non-whole number of pixels is an error", () => {
    formatError(() => new Image(new Uint8Array(7), { width: 2, height: 2 }), "size-mismatch");
  });
});

describe("raw bytes + pixelFormat", () => {
  const sizes: [number, number][] = [
    [4, 4],
    [6, 2],
    [5, 3],
    [3, 5],
    [1, 1],
  ];
  for (const pf of PIXEL_FORMATS) {
    for (const [w, h] of sizes) {
      it(`${pf.name} ${w}×${h} needs ${pf.size(w, h)} bytes`, () => {
        const bytes = patternBytes(pf.size(w, h));
        const image = new Image(bytes, { width: w, height: h, pixelFormat: pf.name });
        expect(image.format).toEqual({ width: w, height: h, pixelFormat: pf.value });
        expect(image.buffer).toEqual(bytes);
        expect(new Image(bytes, { width: w, height: h, pixelFormat: pf.value }).format).toEqual(image.format);
        expect(
          new Image(bytes.buffer as ArrayBuffer, { width: w, height: h, pixelFormat: pf.name }).format,
        ).toEqual(image.format);

        for (const wrong of [pf.size(w, h) - 1, pf.size(w, h) + 1]) {
          if (wrong <= 0) continue;
          const e = formatError(
            () => new Image(new Uint8Array(wrong), { width: w, height: h, pixelFormat: pf.name }),
            "size-mismatch",
          );
          expect(e.expected).toBe(pf.size(w, h));
          expect(e.actual).toBe(wrong);
          expect(e.message).toContain(`${wrong} bytes`);
          expect(e.message).toContain(`expected ${pf.size(w, h)}`);
        }
      });
    }
  }

  it("rejects the upstream SDK's 4·w·h size for Y_U_V24 (the viewer needs 3·w·h)", () => {
    const e = formatError(
      () => new Image(new Uint8Array(4 * 4 * 4), { width: 4, height: 4, pixelFormat: "Y_U_V24_FullRange" }),
      "size-mismatch",
    );
    expect(e.expected).toBe(48);
    expect(e.actual).toBe(64);
  });

  it("rejects the upstream SDK's ⌊1.5·w·h⌋ size for 4:2:0 with odd height (viewer: w·(h+⌊h/2⌋))", () => {
    // 4×3: SDK 18, viewer 4·(3+1) = 16.
    const e = formatError(
      () => new Image(new Uint8Array(18), { width: 4, height: 3, pixelFormat: "NV12" }),
      "size-mismatch",
    );
    expect(e.expected).toBe(16);
  });
});

describe("ArrayBuffer + datatype", () => {
  it("interprets the buffer with the given datatype and infers the colour model", () => {
    const buf = patternBytes(2 * 3 * 3 * 2).buffer as ArrayBuffer; // 2×3 RGB U16
    const image = new Image(buf, { width: 2, height: 3, datatype: "U16" });
    expect(image.format).toEqual({ width: 2, height: 3, colorModel: 2, channelDatatype: 8 });
    expect(Array.from(image.buffer!)).toEqual(Array.from(patternBytes(36)));
  });

  it("takes an explicit colour model", () => {
    const image = new Image(new ArrayBuffer(2 * 2 * 4 * 8), {
      width: 2,
      height: 2,
      datatype: "F64",
      colorModel: "BGRA",
    });
    expect(image.format).toEqual({ width: 2, height: 2, colorModel: 5, channelDatatype: 35 });
  });

  it("needs a datatype", () => {
    formatError(() => new Image(new ArrayBuffer(4), { width: 2, height: 2 }), "missing-format");
  });

  it("refuses a length that is not a multiple of the element size", () => {
    const e = formatError(
      () => new Image(new ArrayBuffer(7), { width: 1, height: 1, datatype: "U32" }),
      "element-size",
    );
    expect(e.message).toContain("7 bytes");
    expect(e.message).toContain("4-byte");
    expect(e.actual).toBe(7);
  });
});

describe("Image.fromImageData", () => {
  it("makes an RGBA U8 image from ImageData-like RGBA8 pixels", () => {
    const data = new Uint8ClampedArray(3 * 2 * 4);
    data.set([255, 0, 0, 255], 0);
    data.set([0, 0, 255, 128], (1 * 3 + 2) * 4);
    const image = Image.fromImageData({ data, width: 3, height: 2 }, { opacity: 0.25 });
    expect(image.format).toEqual({ width: 3, height: 2, colorModel: 3, channelDatatype: 6 });
    expect(Array.from(image.buffer!)).toEqual(Array.from(data));
    expect(image.opacity).toBe(0.25);
  });

  it("checks the size", () => {
    const e = formatError(
      () => Image.fromImageData({ data: new Uint8ClampedArray(10), width: 3, height: 2 }),
      "size-mismatch",
    );
    expect(e.expected).toBe(24);
    expect(e.actual).toBe(10);
  });
});

describe("Image.fromFields (partial updates)", () => {
  const format = { width: 300, height: 200, colorModel: 2, channelDatatype: 6 } as const;

  it("logs only the format", () => {
    const image = Image.fromFields({ format });
    const batches = image.asComponentBatches();
    expect(batches.map((b) => b.descriptor.component)).toEqual(["Image:format"]);
    expect(batches[0]!.values).toEqual([format]);
  });

  it("logs only the buffer", () => {
    const buffer = new Uint8Array(10);
    const batches = Image.fromFields({ buffer }).asComponentBatches();
    expect(batches.map((b) => b.descriptor.component)).toEqual(["Image:buffer"]);
    expect(batches[0]!.values[0]).toBe(buffer);
  });

  it("logs only the style fields", () => {
    const batches = byComponent(
      Image.fromFields({ opacity: 1, magnificationFilter: "nearest" }).asComponentBatches(),
    );
    expect([...batches.keys()].sort()).toEqual(["Image:magnification_filter", "Image:opacity"]);
    expect(batches.get("Image:magnification_filter")!.values).toEqual([1]);
  });

  it("validates buffer and format together", () => {
    const e = formatError(() => Image.fromFields({ format, buffer: new Uint8Array(100) }), "size-mismatch");
    expect(e.expected).toBe(180000);
    expect(e.actual).toBe(100);
    expect(Image.fromFields({ format, buffer: new Uint8Array(180000) }).asComponentBatches()).toHaveLength(2);
  });

  it("validates the format alone", () => {
    formatError(() => Image.fromFields({ format: { width: 0, height: 1 } }), "invalid-dimension");
    formatError(
      () => Image.fromFields({ format: { width: 1, height: 1, colorModel: 9 as never } }),
      "unknown-enum",
    );
    formatError(
      () => Image.fromFields({ format: { width: 1, height: 1, pixelFormat: 26, colorModel: 2 } }),
      "conflicting-format",
    );
  });

  it('accepts enum names and logs their values (colorModel: "RGB", channelDatatype: "U8", pixelFormat: "NV12")', () => {
    const named = Image.fromFields({
      format: { width: 300, height: 200, colorModel: "RGB", channelDatatype: "U8" },
    });
    expect(named.format).toEqual(format);
    expect(named.asComponentBatches()[0]!.values).toEqual([format]);
    const nv12 = Image.fromFields({ format: { width: 4, height: 2, pixelFormat: "NV12" } });
    expect(nv12.format).toEqual({ width: 4, height: 2, pixelFormat: 26 });
    const columns = Image.columns({
      format: [{ width: 1, height: 1, colorModel: "L", channelDatatype: "F32" }],
    });
    expect(columns[0]!.rows).toEqual([[{ width: 1, height: 1, colorModel: 1, channelDatatype: 34 }]]);
    formatError(
      () => Image.fromFields({ format: { width: 1, height: 1, colorModel: "RGBX" as "RGB" } }),
      "unknown-enum",
    );
  });

  it("does not alias the caller's format object", () => {
    const mutable = { width: 2, height: 2 };
    const image = Image.fromFields({ format: mutable });
    mutable.width = 99;
    expect(image.format!.width).toBe(2);
  });
});

describe("Image.columns", () => {
  it("makes one unit-length batch per row for each given column", () => {
    const formats = [
      { width: 1, height: 1, colorModel: 2, channelDatatype: 6 },
      { width: 2, height: 1, colorModel: 1, channelDatatype: 8 },
    ] as const;
    const columns = Image.columns({
      buffer: [new Uint8Array([1, 2, 3]), new Uint16Array([0x0102, 0x0304])],
      format: formats,
      opacity: [0.5, 1],
    });
    const byName = new Map(columns.map((c) => [c.descriptor.component, c]));
    expect([...byName.keys()].sort()).toEqual(["Image:buffer", "Image:format", "Image:opacity"]);
    const buffers = byName.get("Image:buffer")!.rows;
    expect(buffers).toHaveLength(2);
    expect(buffers.every((r) => r.length === 1)).toBe(true);
    expect(Array.from(buffers[1]![0] as Uint8Array)).toEqual([0x02, 0x01, 0x04, 0x03]);
    expect(byName.get("Image:format")!.rows).toEqual([[formats[0]], [formats[1]]]);
    expect(byName.get("Image:opacity")!.rows).toEqual([[0.5], [1]]);
    expect(byName.get("Image:format")!.descriptor).toEqual({
      component: "Image:format",
      archetype: "rerun.archetypes.Image",
      componentType: "rerun.components.ImageFormat",
    });
  });

  it("refuses columns of different lengths, naming both", () => {
    const e = formatError(
      () => Image.columns({ buffer: [new Uint8Array(1), new Uint8Array(1)], opacity: [1, 1, 1] }),
      "size-mismatch",
    );
    expect(e.message).toContain("3");
    expect(e.message).toContain("2");
    expect(e.expected).toBe(2);
    expect(e.actual).toBe(3);
  });

  it("validates each buffer against the format of its row", () => {
    const e = formatError(
      () =>
        Image.columns({
          buffer: [new Uint8Array(3), new Uint8Array(5)],
          format: [
            { width: 1, height: 1, colorModel: 2 },
            { width: 2, height: 1, colorModel: 2 },
          ],
        }),
      "size-mismatch",
    );
    expect(e.expected).toBe(6);
    expect(e.actual).toBe(5);
  });

  it("validates opacity and formats on their own", () => {
    formatError(() => Image.columns({ opacity: [0.5, Number.NaN] }), "invalid-dimension");
    formatError(() => Image.columns({ format: [{ width: -1, height: 1 }] }), "invalid-dimension");
  });
});

describe("invalid input → ImageFormatError naming expected vs actual", () => {
  it("buffer size mismatch with an explicit colour model", () => {
    const e = formatError(
      () => new Image(new Uint8Array(10), { width: 2, height: 2, colorModel: "RGB" }),
      "size-mismatch",
    );
    expect(e.message).toContain("10");
    expect(e.message).toContain("12");
    expect(e.expected).toBe(12);
    expect(e.actual).toBe(10);
  });

  it("size mismatch for a wide datatype counts bytes", () => {
    const e = formatError(
      () => new Image(new Float64Array(5), { width: 2, height: 2, colorModel: "L" }),
      "size-mismatch",
    );
    expect(e.expected).toBe(32);
    expect(e.actual).toBe(40);
  });

  const badDimensions: [string, number][] = [
    ["zero", 0],
    ["negative", -3],
    ["non-integer", 2.5],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["above u32", 2 ** 32],
  ];
  for (const [label, value] of badDimensions) {
    it(`${label} width / height`, () => {
      const w = formatError(
        () => new Image(new Uint8Array(4), { width: value, height: 2 }),
        "invalid-dimension",
      );
      expect(w.message).toContain("width");
      expect(w.message).toContain(String(value));
      const h = formatError(
        () => new Image(new Uint8Array(4), { width: 2, height: value }),
        "invalid-dimension",
      );
      expect(h.message).toContain("height");
      expect(h.message).toContain(String(value));
      formatError(
        () => new Image(new Uint8Array(4), { width: value, height: 2, pixelFormat: "Y8_FullRange" }),
        "invalid-dimension",
      );
    });
  }

  it("missing options", () => {
    formatError(() => new Image(new Uint8Array(4), undefined as never), "missing-format");
  });

  const unknownEnums: [string, Record<string, unknown>][] = [
    ["colorModel string", { colorModel: "YUV" }],
    ["colorModel number", { colorModel: 0 }],
    ["colorModel number 6", { colorModel: 6 }],
    ["datatype string", { datatype: "u7" }],
    ["datatype number", { datatype: 14 }],
    ["pixelFormat string", { pixelFormat: "I420" }],
    ["pixelFormat number", { pixelFormat: 21 }],
    ["magnificationFilter string", { magnificationFilter: "cubic" }],
    ["magnificationFilter number", { magnificationFilter: 0 }],
  ];
  for (const [label, extra] of unknownEnums) {
    it(`unknown enum: ${label}`, () => {
      const e = formatError(
        () => new Image(new Uint8Array(4), { width: 2, height: 2, ...extra } as never),
        "unknown-enum",
      );
      expect(e.message).toContain(String(Object.values(extra)[0]));
      // The message lists what would have been accepted.
      expect(e.message).toMatch(/expected one of/);
    });
  }

  it("colour model together with a pixel format", () => {
    const e = formatError(
      () => new Image(new Uint8Array(24), { width: 4, height: 4, pixelFormat: "NV12", colorModel: "RGB" }),
      "conflicting-format",
    );
    expect(e.message).toMatch(/pixelFormat/);
    expect(e.message).toMatch(/colorModel/);
    formatError(
      () => new Image(new Uint8Array(24), { width: 4, height: 4, pixelFormat: "NV12", datatype: "U8" }),
      "conflicting-format",
    );
  });

  it("F16 backed by a Float32Array", () => {
    const e = formatError(
      () => new Image(new Float32Array(4), { width: 2, height: 2, datatype: "F16" }),
      "float16-backing",
    );
    expect(e.expected).toBe("Uint16Array");
    expect(e.actual).toBe("Float32Array");
    expect(e.message).toContain("Float32Array");
  });

  it("typed array that does not hold the given datatype", () => {
    const size = formatError(
      () => new Image(new Float32Array(4), { width: 2, height: 2, datatype: "U16" }),
      "element-size",
    );
    expect(size.message).toContain("Float32Array");
    expect(size.message).toContain("U16");
    const sign = formatError(
      () => new Image(new Int16Array(4), { width: 2, height: 2, datatype: "U16" }),
      "datatype-mismatch",
    );
    expect(sign.message).toContain("Int16Array");
    expect(sign.message).toContain("U16");
  });

  it("a plain array is not a pixel array", () => {
    formatError(() => new Image([1, 2, 3, 4] as never, { width: 2, height: 2 }), "unsupported-array");
  });

  for (const [name, value] of [
    ["opacity", Number.NaN],
    ["opacity", Number.POSITIVE_INFINITY],
    ["drawOrder", Number.NaN],
  ] as const) {
    it(`${String(value)} ${name}`, () => {
      let error: unknown;
      try {
        new Image(new Uint8Array(4), { width: 2, height: 2, [name]: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ImageFormatError);
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toContain(String(value));
      expect((error as ImageFormatError).actual).toBe(String(value));
    });
  }
});

describe("EncodedImage", () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
  const gif = new TextEncoder().encode("GIF89a\u0001\u0000");
  const webp = new TextEncoder().encode("RIFF\u0024\u0000\u0000\u0000WEBPVP8 ");

  it("detects PNG, JPEG, GIF and WebP from their magic bytes", () => {
    expect(new EncodedImage(png).mediaType).toBe("image/png");
    expect(new EncodedImage(jpeg).mediaType).toBe("image/jpeg");
    expect(new EncodedImage(gif).mediaType).toBe("image/gif");
    expect(new EncodedImage(webp).mediaType).toBe("image/webp");
    expect(guessMediaType(new TextEncoder().encode("GIF87a"))).toBe("image/gif");
  });

  it("does not mistake near-misses for images", () => {
    expect(guessMediaType(png.subarray(0, 7))).toBeUndefined();
    expect(guessMediaType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0b]))).toBeUndefined();
    expect(guessMediaType(new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WAVEfmt "))).toBeUndefined();
    expect(guessMediaType(Uint8Array.from([0xff, 0xd8]))).toBeUndefined();
    expect(guessMediaType(new TextEncoder().encode("hello world"))).toBeUndefined();
  });

  it("logs blob and media type with Rerun's descriptors", () => {
    const batches = byComponent(new EncodedImage(png, { opacity: 0.5, drawOrder: 2 }).asComponentBatches());
    expect(batches.get("EncodedImage:blob")!.descriptor).toEqual({
      component: "EncodedImage:blob",
      archetype: "rerun.archetypes.EncodedImage",
      componentType: "rerun.components.Blob",
    });
    expect(batches.get("EncodedImage:blob")!.values[0]).toBe(png);
    expect(batches.get("EncodedImage:media_type")!.descriptor).toEqual({
      component: "EncodedImage:media_type",
      archetype: "rerun.archetypes.EncodedImage",
      componentType: "rerun.components.MediaType",
    });
    expect(batches.get("EncodedImage:media_type")!.values).toEqual(["image/png"]);
    expect(batches.get("EncodedImage:opacity")!.values).toEqual([0.5]);
    expect(batches.get("EncodedImage:draw_order")!.descriptor.componentType).toBe(
      "rerun.components.DrawOrder",
    );
  });

  it("omits the media type when unknown, and an explicit one wins over detection", () => {
    const unknown = new EncodedImage(Uint8Array.from([1, 2, 3]));
    expect(unknown.mediaType).toBeUndefined();
    expect(unknown.asComponentBatches().map((b) => b.descriptor.component)).toEqual(["EncodedImage:blob"]);
    expect(new EncodedImage(png, { mediaType: "image/x-custom" }).mediaType).toBe("image/x-custom");
  });

  it("refuses an empty blob", () => {
    const e = formatError(() => new EncodedImage(new Uint8Array(0)), "missing-format");
    expect(e.actual).toBe("0 bytes");
    expect(e.message).toContain("non-empty");
  });
});
