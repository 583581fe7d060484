// Test helper (not exported from the package): one value list per Arrow layout the store concatenates.
import {
  Binary,
  Bool,
  type Data,
  type DataType,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Struct,
  TimestampNanosecond,
  Utf8,
  Vector,
} from "apache-arrow";

const utf8Struct = new Struct([new Field("a", new Int32(), true), new Field("b", new Utf8(), true)]);
/** Named Arrow types with values (nulls and empty lists included) that every concatenation must round-trip. */
export const ARROW_CASES: [string, DataType, unknown[]][] = [
  ["Int32 with nulls", new Int32(), [1, null, 3, 4, null, 6, 7, 8, null]],
  ["Bool at odd bit offsets", new Bool(), [true, false, null, true, true, false, true, null, false, true]],
  ["Float64", new Float64(), [0.5, -1, 2.25, null, 4, 5, 6]],
  ["Int64", new Int64(), [1n, -2n, 3n, null, 5n, 6n]],
  ["Timestamp(ns)", new TimestampNanosecond(), [1, 2, 3, 4, 5, 6]],
  ["Utf8", new Utf8(), ["a", "", null, "héllo", "x", "yz", "last"]],
  ["LargeUtf8", new LargeUtf8(), ["a", "bb", null, "ccc", "d", "e"]],
  [
    "Binary",
    new Binary(),
    [Uint8Array.of(1), Uint8Array.of(), null, Uint8Array.of(2, 3), Uint8Array.of(4), Uint8Array.of(5)],
  ],
  [
    "FixedSizeBinary(2)",
    new FixedSizeBinary(2),
    [
      Uint8Array.of(1, 2),
      Uint8Array.of(3, 4),
      null,
      Uint8Array.of(5, 6),
      Uint8Array.of(7, 8),
      Uint8Array.of(9, 9),
    ],
  ],
  [
    "List<Int32>",
    new List(new Field("item", new Int32(), true)),
    [[1, 2], [], null, [3], [4, null], [5, 6, 7], [8]],
  ],
  [
    "FixedSizeList<Float32>[2]",
    new FixedSizeList(2, new Field("item", new Float32(), true)),
    [[1, 2], [3, 4], null, [5, 6], [7, 8], [9, 10]],
  ],
  [
    "Struct<a: Int32, b: Utf8>",
    utf8Struct,
    [{ a: 1, b: "x" }, { a: null, b: "y" }, null, { a: 3, b: null }, { a: 4, b: "w" }, { a: 5, b: "v" }],
  ],
  [
    "List<Struct>",
    new List(new Field("item", utf8Struct, true)),
    [
      [{ a: 1, b: "x" }],
      [],
      null,
      [
        { a: 2, b: "y" },
        { a: 3, b: "z" },
      ],
      [{ a: 4, b: "w" }],
      [{ a: 5, b: "v" }],
    ],
  ],
];

/** Arrow values → plain JS for comparison (vectors to arrays, struct rows to objects, bytes to arrays). */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Vector) return [...value].map(plain);
  if (ArrayBuffer.isView(value)) return Array.from(value as Uint8Array);
  if (typeof value === "object" && "toJSON" in value && typeof value.toJSON === "function") {
    return plain((value as { toJSON(): unknown }).toJSON());
  }
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

export const valuesOf = (data: Data): unknown[] => [...new Vector([data])].map(plain);
