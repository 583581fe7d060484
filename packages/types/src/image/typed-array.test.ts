import { describe, expect, it } from "vitest";
import { ChannelDatatype as CD } from "./enums.ts";
import { ImageFormatError } from "./image-format-error.ts";
import {
  type PixelArray,
  bytesFromArrayBuffer,
  bytesOfArray,
  checkArrayMatchesDatatype,
  datatypeOfArray,
} from "./typed-array.ts";

function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImageFormatError) return e.kind;
    throw e;
  }
  return "none";
}

describe("datatypeOfArray", () => {
  it.each([
    [new Uint8Array(2), CD.U8],
    [new Uint8ClampedArray(2), CD.U8],
    [new Int8Array(2), CD.I8],
    [new Uint16Array(2), CD.U16],
    [new Int16Array(2), CD.I16],
    [new Uint32Array(2), CD.U32],
    [new Int32Array(2), CD.I32],
    [new BigUint64Array(2), CD.U64],
    [new BigInt64Array(2), CD.I64],
    [new Float32Array(2), CD.F32],
    [new Float64Array(2), CD.F64],
  ] as [PixelArray, CD][])("%o → %d", (a, dt) => {
    expect(datatypeOfArray(a)).toBe(dt);
    checkArrayMatchesDatatype(a, dt);
  });

  it("rejects non-typed arrays", () => {
    expect(kindOf(() => datatypeOfArray([1, 2] as unknown as PixelArray))).toBe("unsupported-array");
    expect(kindOf(() => datatypeOfArray(new DataView(new ArrayBuffer(2)) as unknown as PixelArray))).toBe(
      "unsupported-array",
    );
  });
});

describe("checkArrayMatchesDatatype", () => {
  it("accepts F16 only from a Uint16Array", () => {
    checkArrayMatchesDatatype(new Uint16Array(2), CD.F16);
    for (const a of [new Float32Array(2), new Int16Array(2), new Uint8Array(4)]) {
      expect(kindOf(() => checkArrayMatchesDatatype(a, CD.F16))).toBe("float16-backing");
    }
    const e = (() => {
      try {
        checkArrayMatchesDatatype(new Float32Array(1), CD.F16);
      } catch (err) {
        return err as ImageFormatError;
      }
      throw new Error("no error");
    })();
    expect(e.message).toContain("Uint16Array");
    expect(e.message).toContain("Float32Array");
    expect(e.expected).toBe("Uint16Array");
    expect(e.actual).toBe("Float32Array");
  });

  it("element-size: Float32Array with U16 names both", () => {
    try {
      checkArrayMatchesDatatype(new Float32Array(2), CD.U16);
      expect.unreachable();
    } catch (e) {
      const err = e as ImageFormatError;
      expect(err.kind).toBe("element-size");
      expect(err.message).toBe("Float32Array has 4-byte elements but datatype U16 needs 2-byte elements");
      expect(err.expected).toBe("U16 (2 bytes)");
      expect(err.actual).toBe("Float32Array (4 bytes)");
    }
    expect(kindOf(() => checkArrayMatchesDatatype(new Uint8Array(4), CD.F32))).toBe("element-size");
  });

  it("datatype-mismatch for same-size arrays of another type", () => {
    expect(kindOf(() => checkArrayMatchesDatatype(new Int16Array(2), CD.U16))).toBe("datatype-mismatch");
    expect(kindOf(() => checkArrayMatchesDatatype(new Uint32Array(2), CD.F32))).toBe("datatype-mismatch");
  });
});

describe("byte views", () => {
  it("bytesOfArray is a zero-copy view honouring the offset", () => {
    const buffer = new ArrayBuffer(16);
    const a = new Uint16Array(buffer, 4, 3);
    a.set([0x0102, 0x0304, 0x0506]);
    const bytes = bytesOfArray(a);
    expect(bytes.buffer).toBe(buffer);
    expect(bytes.byteOffset).toBe(4);
    expect(Array.from(bytes)).toEqual([0x02, 0x01, 0x04, 0x03, 0x06, 0x05]);
    bytes[0] = 0xff;
    expect(a[0]).toBe(0x01ff);
  });

  it("bytesFromArrayBuffer checks the element size", () => {
    const buf = new ArrayBuffer(8);
    expect(bytesFromArrayBuffer(buf, CD.F64).buffer).toBe(buf);
    try {
      bytesFromArrayBuffer(new ArrayBuffer(3), CD.U16);
      expect.unreachable();
    } catch (e) {
      const err = e as ImageFormatError;
      expect(err.kind).toBe("element-size");
      expect(err.message).toContain("3 bytes");
      expect(err.message).toContain("2-byte U16");
      expect(err.expected).toBe("multiple of 2");
      expect(err.actual).toBe(3);
    }
  });
});
