import {
  type Data,
  type DataType,
  DenseUnion,
  Dictionary,
  Field,
  Float32,
  Int32,
  List,
  SparseUnion,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { concatData, emptyData } from "./arrow-concat.ts";
import { ARROW_CASES, valuesOf } from "./arrow-test-cases.ts";
import { StoreError } from "./store-error.ts";
import { gatherListCells } from "./list-gather.ts";

/** Slices `values` into uneven pieces (at odd offsets), concatenates them, and checks the values come back. */
function roundTrip(type: DataType, values: readonly unknown[]): void {
  const data = vectorFromArray(values as unknown[], type).data[0]!;
  const cuts = [0, 1, 4, 5, values.length].filter((c) => c <= values.length);
  const parts = cuts.slice(1).map((end, i) => data.slice(cuts[i]!, end - cuts[i]!));
  const joined = concatData(type, parts);
  expect(joined.offset).toBe(0);
  expect(joined.length).toBe(values.length);
  expect(valuesOf(joined)).toEqual(valuesOf(data));
  expect(joined.nullCount).toBe(values.filter((v) => v === null).length);
  // The middle pieces alone, too.
  expect(valuesOf(concatData(type, parts.slice(1, 3)))).toEqual(valuesOf(data.slice(1, 4)));
}

describe("concatData", () => {
  const cases = ARROW_CASES;
  for (const [name, type, values] of cases) {
    it(`concatenates sliced ${name}`, () => roundTrip(type, values));
  }

  it("concatenates dictionaries that share their dictionary", () => {
    const type = new Dictionary(new Utf8(), new Int32());
    const data = vectorFromArray(["a", "b", "a", null, "c", "b"], type).data[0]!;
    const joined = concatData(type, [data.slice(0, 2), data.slice(3, 3)]);
    expect(valuesOf(joined)).toEqual(["a", "b", null, "c", "b"]);
  });

  it("concatenates dense and sparse unions", () => {
    const children = [new Field("i", new Int32(), true), new Field("s", new Utf8(), true)];
    const ints = vectorFromArray([10, 20, 30], new Int32()).data[0]!;
    const strs = vectorFromArray(["x", "y"], new Utf8()).data[0]!;
    const dense = makeData({
      type: new DenseUnion([0, 1], children),
      length: 5,
      typeIds: Int8Array.of(0, 1, 0, 1, 0),
      valueOffsets: Int32Array.of(0, 0, 1, 1, 2),
      children: [ints, strs],
    });
    const joinedDense = concatData(dense.type, [dense.slice(1, 3), dense]);
    expect(valuesOf(joinedDense)).toEqual(["x", 20, "y", 10, "x", 20, "y", 30]);

    const sparseInts = vectorFromArray([1, 0, 3, 0], new Int32()).data[0]!;
    const sparseStrs = vectorFromArray(["", "b", "", "d"], new Utf8()).data[0]!;
    const sparse = makeData({
      type: new SparseUnion([0, 1], children),
      length: 4,
      typeIds: Int8Array.of(0, 1, 0, 1),
      children: [sparseInts, sparseStrs],
    });
    expect(valuesOf(concatData(sparse.type, [sparse.slice(2, 2), sparse.slice(0, 2)]))).toEqual([
      3,
      "d",
      1,
      "b",
    ]);
  });

  it("makes empty data of any supported type, and refuses mismatched types", () => {
    expect(emptyData(new List(new Field("item", new Utf8(), true))).length).toBe(0);
    const ints = vectorFromArray([1], new Int32()).data[0]!;
    const floats = vectorFromArray([1], new Float32()).data[0]!;
    expect(() => concatData(new Int32(), [ints, floats])).toThrow(StoreError);
  });
});

describe("gatherListCells", () => {
  it("picks list cells from several columns, merging consecutive rows, with null cells", () => {
    const type = new List(new Field("item", new Utf8(), true));
    const a = vectorFromArray([["a0"], ["a1", "a1"], null, []], type).data[0]! as Data<List>;
    const b = vectorFromArray([["b0"], ["b1"]], type).data[0]! as Data<List>;
    const gathered = gatherListCells(type, [
      { list: a, row: 0 },
      { list: a, row: 1 },
      null,
      { list: b, row: 1 },
      { list: a, row: 2 }, // a null cell in the source stays null
      { list: a, row: 3 },
      { list: b, row: 1 },
    ]);
    expect(valuesOf(gathered)).toEqual([["a0"], ["a1", "a1"], null, ["b1"], null, [], ["b1"]]);
    expect(gathered.nullCount).toBe(2);
  });
});
