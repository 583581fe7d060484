import {
  Binary,
  Bool,
  type Data,
  type DataType,
  Dictionary,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float32,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Map_,
  Struct,
  TimestampNanosecond,
  Uint8,
  Utf8,
  Vector,
  vectorFromArray,
} from "apache-arrow";
import { VectorAssembler } from "apache-arrow/visitor/vectorassembler";
import { afterEach, describe, expect, it, vi } from "vitest";
import { assembleColumns } from "./assemble-columns.ts";

const ROWS = 21;

/** Deterministic values with a null every fifth row (where the type allows one). */
function values(make: (i: number) => unknown, nullable = true): unknown[] {
  return Array.from({ length: ROWS }, (_, i) => (nullable && i % 5 === 2 ? null : make(i)));
}

const item = (type: DataType): Field => new Field("item", type, true);

function columns(): Data[] {
  const cols: [DataType, unknown[]][] = [
    [new Bool(), values((i) => i % 3 === 0)],
    [new Bool(), values((i) => i % 2 === 0, false)],
    [new Uint8(), values((i) => i)],
    [new Int32(), values((i) => -i, false)],
    [new Int64(), values((i) => BigInt(i) * 1_000_000_007n)],
    [new Float32(), values((i) => i / 4)],
    [new TimestampNanosecond(), values((i) => i * 1000)],
    [new FixedSizeBinary(3), values((i) => Uint8Array.of(i, i + 1, i + 2))],
    [new Utf8(), values((i) => "x".repeat(i % 4))],
    [new LargeUtf8(), values((i) => `s${i}`)],
    [new Binary(), values((i) => Uint8Array.of(i, 7))],
    [new List(item(new Uint8())), values((i) => Array.from({ length: i % 3 }, (_, k) => k + i))],
    [new List(item(new Utf8())), values((i) => (i % 2 ? ["a", null, "bcd"] : []))],
    [new FixedSizeList(2, item(new Float32())), values((i) => [i, i + 0.5])],
    [
      new Struct([new Field("w", new Int32(), false), new Field("label", new Utf8(), true)]),
      values((i) => ({ w: i, label: i % 3 ? `l${i}` : null })),
    ],
    [
      new List(item(new Struct([new Field("w", new Int32(), false), new Field("on", new Bool(), true)]))),
      values((i) => Array.from({ length: i % 3 }, (_, k) => ({ w: k, on: k % 2 === 0 ? null : true }))),
    ],
    [
      new Map_(
        new Field(
          "entries",
          new Struct<{ key: Utf8; value: Int32 }>([
            new Field("key", new Utf8(), false),
            new Field("value", new Int32(), true),
          ]),
          false,
        ),
      ),
      values((i) => new Map(i % 2 ? [["k", i]] : [])),
    ],
  ];
  return cols.map(([type, vs]) => vectorFromArray(vs, type).data[0]!);
}

function reference(cols: readonly Data[]) {
  const a = VectorAssembler.assemble(...cols.map((c) => new Vector([c])));
  return { nodes: a.nodes, buffers: a.buffers, bufferRegions: a.bufferRegions, byteLength: a.byteLength };
}

function comparable(a: {
  nodes: readonly { length: number; nullCount: number }[];
  buffers: readonly ArrayBufferView[];
  bufferRegions: readonly { offset: number; length: number }[];
  byteLength: number;
}) {
  return {
    nodes: a.nodes.map((n) => [n.length, n.nullCount]),
    regions: a.bufferRegions.map((r) => [r.offset, r.length]),
    buffers: a.buffers.map((b) => Array.from(new Uint8Array(b.buffer, b.byteOffset, b.byteLength))),
    byteLength: a.byteLength,
  };
}

describe("assembleColumns", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gives apache-arrow's nodes, regions and buffer bytes, for whole and sliced columns, without its assembler", () => {
    const cases: [string, Data[]][] = [["whole", columns()]];
    for (const [offset, length] of [
      [0, 7],
      [3, 11],
      [8, 8],
      [13, 8],
      [20, 1],
      [5, 0],
    ] as const) {
      cases.push([`slice ${offset}+${length}`, columns().map((c) => c.slice(offset, length))]);
    }
    for (const [name, cols] of cases) {
      const expected = comparable(reference(cols));
      const spy = vi.spyOn(VectorAssembler, "assemble");
      const actual = comparable(assembleColumns(cols));
      expect(spy, name).not.toHaveBeenCalled();
      spy.mockRestore();
      expect(actual, name).toEqual(expected);
    }
  });

  it("hands columns of other types (here a dictionary) to apache-arrow's assembler, with the same result", () => {
    const dict = vectorFromArray(["a", "b", "a", null], new Dictionary(new Utf8(), new Int32(), 3)).data[0]!;
    const cols = [
      ...columns()
        .slice(0, 3)
        .map((c) => c.slice(0, 4)),
      dict,
    ];
    const expected = comparable(reference(cols));
    expect(comparable(assembleColumns(cols))).toEqual(expected);
  });
});
