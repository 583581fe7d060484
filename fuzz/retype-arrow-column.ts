// Structure-aware mutation for fuzz-rrd.ts: one column of an Arrow IPC chunk replaced by a column of a random
// (often nested, sometimes hostile) Arrow type, so the fuzzer reaches Arrow types no example recording has.
import {
  Binary,
  Bool,
  type Data,
  type DataType,
  Dictionary,
  Field,
  FixedSizeList,
  Float16,
  Float32,
  Float64,
  Int8,
  Int32,
  Int64,
  List,
  Null,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeUnit,
  Timestamp,
  Uint8,
  Utf8,
  makeData,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from "apache-arrow";

interface RandomSource {
  int(n: number): number;
  u32(): number;
}

/** Re-encodes `ipc` with one column (any, also the RowId) replaced by a random column of the same length. */
export function retypeIpc(ipc: Uint8Array, rng: RandomSource): Uint8Array {
  const table = tableFromIPC(ipc);
  const batch = table.batches[0];
  if (batch === undefined || batch.schema.fields.length === 0) return ipc;
  const index = rng.int(batch.schema.fields.length);
  const old = batch.schema.fields[index]!;
  const data = randomData(rng, batch.numRows, 0);
  const fields = batch.schema.fields.map((f, i) =>
    i === index ? new Field(old.name, data.type, true, old.metadata) : f,
  );
  const children = batch.data.children.map((c, i) => (i === index ? data : c));
  const schema = new Schema(fields, batch.schema.metadata);
  const struct = makeData({ type: new Struct(fields), length: batch.numRows, nullCount: 0, children });
  return tableToIPC(new Table(schema, [new RecordBatch(schema, struct)]), "stream");
}

/** A random Data of `length` values: primitives, strings, lists, fixed-size lists, structs, dictionaries. */
function randomData(rng: RandomSource, length: number, depth: number): Data {
  const choice = rng.int(depth >= 3 ? 9 : 14);
  switch (choice) {
    case 0:
      return makeData({ type: new Null(), length });
    case 1:
      return makeData({
        type: new Bool(),
        length,
        nullCount: 0,
        data: randomBytes(rng, Math.ceil(length / 8)),
      });
    case 2:
      return makeData({
        type: new Int8(),
        length,
        nullCount: 0,
        data: new Int8Array(randomBytes(rng, length).buffer),
      });
    case 3:
      return makeData({
        type: new Int32(),
        length,
        nullCount: 0,
        data: new Int32Array(randomBytes(rng, 4 * length).buffer),
      });
    case 4:
      return makeData({
        type: new Int64(),
        length,
        nullCount: 0,
        data: new BigInt64Array(randomBytes(rng, 8 * length).buffer),
      });
    case 5:
      return makeData({
        type: new Float16(),
        length,
        nullCount: 0,
        data: new Uint16Array(randomBytes(rng, 2 * length).buffer),
      });
    case 6:
      return makeData({
        type: rng.int(2) === 0 ? new Float32() : new Float64(),
        length,
        nullCount: 0,
        data:
          rng.int(2) === 0
            ? new Float32Array(randomBytes(rng, 4 * length).buffer)
            : new Float64Array(randomBytes(rng, 8 * length).buffer),
      } as Parameters<typeof makeData>[0]);
    case 7:
      return vectorFromArray(
        Array.from({ length }, () => String.fromCharCode(...randomBytes(rng, rng.int(8)))),
        new Utf8(),
      ).data[0]!;
    case 8:
      return makeData({
        type: new Timestamp(TimeUnit.NANOSECOND),
        length,
        nullCount: 0,
        data: new BigInt64Array(randomBytes(rng, 8 * length).buffer),
      });
    case 9:
    case 10: {
      // List<T>: random sizes, sometimes a bufferless child of a huge declared length.
      const sizes = Array.from({ length }, () => rng.int(4));
      let total = sizes.reduce((a, b) => a + b, 0);
      let child: Data;
      if (rng.int(8) === 0) {
        total = 2 ** 20 + rng.int(2 ** 31 - 2 ** 20);
        child =
          rng.int(2) === 0
            ? makeData({ type: new Null(), length: total })
            : makeData({ type: new Struct([]), length: total, nullCount: 0, children: [] });
        sizes.fill(0);
        if (length > 0) sizes[length - 1] = total;
      } else child = randomData(rng, total, depth + 1);
      const offsets = new Int32Array(length + 1);
      for (let i = 0; i < length; i++) offsets[i + 1] = offsets[i]! + sizes[i]!;
      return makeData({
        type: new List(new Field("item", child.type, true)),
        length,
        nullCount: 0,
        valueOffsets: offsets,
        child,
      });
    }
    case 11: {
      const size = rng.int(5);
      const child = randomData(rng, length * size, depth + 1);
      return makeData({
        type: new FixedSizeList(size, new Field("item", child.type, true)),
        length,
        nullCount: 0,
        child,
      });
    }
    case 12: {
      const children = Array.from({ length: rng.int(3) }, () => randomData(rng, length, depth + 1));
      return makeData({
        type: new Struct(children.map((c, i) => new Field(`f${i}`, c.type as DataType, true))),
        length,
        nullCount: 0,
        children,
      });
    }
    default: {
      // Dictionary<Utf8 | Binary, Int8 | Uint8>; indices may point past the dictionary.
      const entries = rng.int(4);
      const valueType = rng.int(2) === 0 ? new Utf8() : new Binary();
      const dictionary = vectorFromArray(
        Array.from({ length: entries }, (_, i) => (valueType instanceof Utf8 ? `v${i}` : Uint8Array.of(i))),
        valueType,
      );
      const indexType = rng.int(2) === 0 ? new Int8() : new Uint8();
      const indices = randomBytes(rng, length).map((b) => b % (entries + 2));
      return makeData({
        type: new Dictionary(valueType, indexType, rng.u32() % 1000),
        length,
        nullCount: 0,
        data: indexType instanceof Int8 ? new Int8Array(indices.buffer) : indices,
        dictionary,
      } as Parameters<typeof makeData>[0]);
    }
  }
}

function randomBytes(rng: RandomSource, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}
