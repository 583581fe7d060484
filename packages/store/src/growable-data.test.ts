import {
  BufferType,
  type Data,
  DenseUnion,
  Dictionary,
  Field,
  Int32,
  Null,
  SparseUnion,
  Utf8,
  makeData,
  vectorFromArray,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { concatData } from "./arrow-concat.ts";
import { ARROW_CASES, valuesOf } from "./arrow-test-cases.ts";
import { GrowableData } from "./growable-data.ts";
import { StoreError } from "./store-error.ts";

/** Every buffer of a `Data` tree as plain numbers (bigints as strings), with length, offset and null count. */
function layout(data: Data): unknown {
  const buffer = (b: ArrayBufferView | undefined): unknown =>
    b === undefined ? null : Array.from(b as Int32Array, (v: number | bigint) => String(v));
  return {
    type: String(data.type),
    length: data.length,
    offset: data.offset,
    nullCount: data.nullCount,
    values: buffer(data.values as ArrayBufferView | undefined),
    offsets: buffer(data.valueOffsets as ArrayBufferView | undefined),
    validity: buffer(data.nullBitmap as ArrayBufferView | undefined),
    typeIds: buffer(data.typeIds as ArrayBufferView | undefined),
    children: data.children.map(layout),
    dictionary: data.dictionary ? valuesOf(data.dictionary.data[0]!) : null,
  };
}

/** Appends `parts` one by one; after each, the view must equal `concatData` of the parts so far, buffer for buffer,
 * and every earlier view must still read the values it read when it was made. */
function checkAppends(parts: readonly Data[]): void {
  const type = parts[0]!.type;
  const growable = new GrowableData(type);
  const earlier: { view: Data; values: unknown[] }[] = [];
  parts.forEach((part, i) => {
    growable.append(part);
    const view = growable.view();
    expect(layout(view)).toEqual(layout(concatData(type, parts.slice(0, i + 1))));
    earlier.push({ view, values: valuesOf(view) });
  });
  for (const { view, values } of earlier) expect(valuesOf(view)).toEqual(values);
}

/** Slices of 1, 3, 0, 2… rows, over and over, so that buffers grow past their first capacity many times. */
function manySlices(data: Data, count: number): Data[] {
  const sizes = [1, 3, 0, 2, 5, 1];
  const parts: Data[] = [];
  for (let k = 0, at = 0; k < count; k++) {
    const size = Math.min(sizes[k % sizes.length]!, data.length - at);
    parts.push(data.slice(at, size));
    at = (at + size) % Math.max(1, data.length - 5);
  }
  return parts;
}

describe("GrowableData", () => {
  for (const [name, type, values] of ARROW_CASES) {
    it(`appends sliced ${name} exactly as concatData concatenates them`, () => {
      const data = vectorFromArray(values, type).data[0]!;
      checkAppends(manySlices(data, 60));
    });
  }

  it("appends null-free parts without a bitmap, then makes one on the first null", () => {
    const data = vectorFromArray([1, 2, 3, null, 5], new Int32()).data[0]!;
    const growable = new GrowableData(new Int32());
    for (let k = 0; k < 40; k++) growable.append(data.slice(0, 3));
    expect(growable.view().nullBitmap!.byteLength).toBe(0);
    growable.append(data.slice(2, 3));
    const view = growable.view();
    expect(view.nullCount).toBe(1);
    expect(valuesOf(view)).toEqual([...Array.from({ length: 40 }, () => [1, 2, 3]).flat(), 3, null, 5]);
  });

  it("appends dictionaries that share their dictionary, and refuses another dictionary", () => {
    const type = new Dictionary(new Utf8(), new Int32());
    const data = vectorFromArray(["a", "b", "a", null, "c", "b"], type).data[0]!;
    checkAppends(manySlices(data, 30));
    const other = vectorFromArray(["z"], type).data[0]!;
    const growable = new GrowableData(type);
    growable.append(data);
    expect(() => growable.append(other)).toThrow(StoreError);
  });

  it("appends dense and sparse unions, and nulls", () => {
    const children = [new Field("i", new Int32(), true), new Field("s", new Utf8(), true)];
    const dense = makeData({
      type: new DenseUnion([0, 1], children),
      length: 5,
      typeIds: Int8Array.of(0, 1, 0, 1, 0),
      valueOffsets: Int32Array.of(0, 0, 1, 1, 2),
      children: [
        vectorFromArray([10, 20, 30], new Int32()).data[0]!,
        vectorFromArray(["x", "y"], new Utf8()).data[0]!,
      ],
    });
    checkAppends(Array.from({ length: 12 }, () => dense));
    const sparse = makeData({
      type: new SparseUnion([0, 1], children),
      length: 4,
      typeIds: Int8Array.of(0, 1, 0, 1),
      children: [
        vectorFromArray([1, 0, 3, 0], new Int32()).data[0]!,
        vectorFromArray(["", "b", "", "d"], new Utf8()).data[0]!,
      ],
    });
    checkAppends(Array.from({ length: 12 }, (_, k) => sparse.slice(k % 3, 1 + (k % 2))));
    const nulls = makeData({ type: new Null(), length: 3 });
    checkAppends(Array.from({ length: 10 }, () => nulls));
  });

  it("refuses a part of another type", () => {
    const growable = new GrowableData(new Int32());
    expect(() => growable.append(vectorFromArray(["a"], new Utf8()).data[0]!)).toThrow(StoreError);
    expect(growable.view().buffers[BufferType.DATA]).toHaveLength(0);
  });
});
