import {
  Bool,
  type DataType,
  Field,
  FixedSizeBinary,
  Float32,
  Int64,
  List,
  Message,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Uint8,
  Utf8,
  makeData,
  tableToIPC,
  vectorFromArray,
} from "apache-arrow";
import { BufferRegion, FieldNode, RecordBatch as RecordBatchHeader } from "apache-arrow/ipc/metadata/message";
import { concatBytes } from "@iris/types";
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordBatchToIpcParts } from "./ipc-parts.ts";
import {
  RECORD_BATCH_CACHE_MAX_ENTRIES,
  encodeFramedRecordBatchMessage,
  framedRecordBatchMessage,
} from "./record-batch-message-cache.ts";

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Deterministic values for `rows` rows of `type`, with nulls where `nulls` says (changing null counts). */
function values(type: DataType, rows: number, seed: number): unknown[] {
  return Array.from({ length: rows }, (_, i) => {
    if ((i + seed) % 4 === 3) return null;
    if (type instanceof Bool) return (i + seed) % 2 === 0;
    if (type instanceof Int64) return BigInt(i * seed - 5);
    if (type instanceof Float32) return i * 0.5 + seed;
    if (type instanceof Utf8) return "x".repeat((i * seed) % 7);
    if (type instanceof FixedSizeBinary) return Uint8Array.of(i, seed);
    if (type instanceof List) return Array.from({ length: (i + seed) % 5 }, (_, k) => (k * 7 + i) & 0xff);
    if (type instanceof Struct) return { a: i + seed, b: i % 2 === 0 ? "even" : null };
    return i;
  });
}

const shapes: DataType[][] = [
  [new Int64()],
  [new Bool(), new Utf8()],
  [new FixedSizeBinary(2), new Int64(), new List(new Field("item", new Uint8(), true))],
  [
    new Struct([new Field("a", new Float32(), false), new Field("b", new Utf8(), true)]),
    new List(new Field("item", new Float32(), true)),
    new Utf8(),
    new Bool(),
  ],
];

function batchOf(types: DataType[], rows: number, seed: number): RecordBatch {
  const vectors = types.map((type) => vectorFromArray(values(type, rows, seed), type));
  const fields = vectors.map((v, i) => new Field(`c${i}`, v.type, true));
  const struct = makeData({
    type: new Struct(fields),
    length: rows,
    nullCount: 0,
    children: vectors.map((v) => v.data[0]!),
  });
  return new RecordBatch(new Schema(fields), struct);
}

describe("framedRecordBatchMessage", () => {
  afterEach(() => vi.restoreAllMocks());

  it("record batches of many shapes, row counts and null counts encode to exactly apache-arrow's bytes", () => {
    let checked = 0;
    for (const [s, types] of shapes.entries()) {
      // Row counts in an order that reuses each layout with other numbers (0 rows: a layout of its own).
      for (const rows of [3, 0, 1, 17, 2, 0, 300, 5]) {
        for (const seed of [1, 2]) {
          const batch = batchOf(types, rows, seed + s);
          const expected = tableToIPC(new Table(batch), "stream");
          if (!sameBytes(concatBytes(recordBatchToIpcParts(batch)), expected)) {
            throw new Error(`shape ${s}, ${rows} rows, seed ${seed}: bytes differ from tableToIPC`);
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(shapes.length * 8 * 2);
  });

  it("patches every number in place: large values, zero and non-zero lengths, no flatbuffer encode on a hit", () => {
    const cases = [
      {
        length: 7,
        nodes: [[7, 1]],
        buffers: [
          [0, 8],
          [8, 64],
        ],
        bodyLength: 72,
      },
      {
        length: 2 ** 40 + 3,
        nodes: [[2 ** 33 + 1, 2 ** 32]],
        buffers: [
          [2 ** 35, 2 ** 32 + 8],
          [9, 0],
        ],
        bodyLength: 2 ** 36,
      },
      {
        length: 1,
        nodes: [[1, 0]],
        buffers: [
          [0, 0],
          [0, 0],
        ],
        bodyLength: 0,
      },
      {
        length: 0,
        nodes: [[0, 0]],
        buffers: [
          [0, 0],
          [0, 0],
        ],
        bodyLength: 0,
      },
      {
        length: 5,
        nodes: [[5, 0]],
        buffers: [
          [0, 8],
          [8, 16],
        ],
        bodyLength: 24,
      },
    ];
    for (const c of cases) {
      const fields = {
        length: c.length,
        nodes: c.nodes.map(([length, nullCount]) => new FieldNode(length!, nullCount!)),
        bufferRegions: c.buffers.map(([offset, length]) => new BufferRegion(offset!, length!)),
        bodyLength: c.bodyLength,
      };
      const uncached = encodeFramedRecordBatchMessage(fields);
      framedRecordBatchMessage(fields).fill(0); // a caller changing its copy must not change the cache
      const spy = vi.spyOn(Message, "encode");
      const hit = framedRecordBatchMessage(fields);
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
      expect(sameBytes(hit, uncached)).toBe(true);
      // Read back by apache-arrow's own decoder.
      const decoded = Message.decode(hit.subarray(8));
      expect(Number(decoded.bodyLength)).toBe(c.bodyLength);
      const header = decoded.header();
      if (!(header instanceof RecordBatchHeader)) throw new Error("expected a record batch message");
      expect(header.length).toBe(c.length);
      expect(header.nodes.map((n) => [Number(n.length), Number(n.nullCount)])).toEqual(c.nodes);
      expect(header.buffers.map((b) => [Number(b.offset), Number(b.length)])).toEqual(c.buffers);
    }
  });

  it("stays exact when more layouts pass through than the cache holds", () => {
    for (let round = 0; round < 2; round++) {
      for (let n = 1; n <= RECORD_BATCH_CACHE_MAX_ENTRIES + 3; n++) {
        const fields = {
          length: n,
          nodes: Array.from({ length: n }, (_, i) => new FieldNode(n, i % 2)),
          bufferRegions: Array.from({ length: 2 * n }, (_, i) => new BufferRegion(8 * i, 8)),
          bodyLength: 16 * n,
        };
        expect(sameBytes(framedRecordBatchMessage(fields), encodeFramedRecordBatchMessage(fields))).toBe(
          true,
        );
      }
    }
  });
});
