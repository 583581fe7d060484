import { type Data, Type } from "apache-arrow";
import { BufferRegion, FieldNode } from "apache-arrow/ipc/metadata/message";
import { bigIntToNumber } from "apache-arrow/util/bigint";
import { truncateBitmap } from "apache-arrow/util/bit";
import { rebaseValueOffsets } from "apache-arrow/util/buffer";
import { VectorAssembler } from "apache-arrow/visitor/vectorassembler";

/** The field nodes and body buffers of a record batch's columns, as apache-arrow's `VectorAssembler` gives them. */
export interface AssembledColumns {
  nodes: FieldNode[];
  buffers: ArrayBufferView[];
  bufferRegions: BufferRegion[];
  /** The body length: every buffer padded to 8 bytes. */
  byteLength: number;
  variadicBufferCounts: number[];
}

/**
 * `VectorAssembler.assemble` of a record batch's columns (its struct's children), the same nodes, buffers and
 * regions, for the types a chunk is made of (primitive, fixed-size binary, boolean, variable-size binary and
 * string, lists, structs, maps): the same steps as apache-arrow's assembler, dispatched with one `switch` on the
 * type id instead of apache-arrow's visitor lookup per Data. Columns with other types (dictionaries, unions, view
 * types) are assembled by apache-arrow's VectorAssembler.
 */
export function assembleColumns(columns: readonly Data[]): AssembledColumns {
  const out: AssembledColumns = {
    nodes: [],
    buffers: [],
    bufferRegions: [],
    byteLength: 0,
    variadicBufferCounts: [],
  };
  if (columns.every((column) => visit(column, out))) return out;
  const assembler = VectorAssembler.assemble();
  assembler.visitMany(columns);
  const { nodes, buffers, bufferRegions, byteLength, variadicBufferCounts } = assembler;
  return { nodes, buffers, bufferRegions, byteLength, variadicBufferCounts };
}

const EMPTY = new Uint8Array(0);

/** apache-arrow's `addBuffer`: the region is the buffer's length rounded up to 8 bytes. */
function addBuffer(out: AssembledColumns, values: ArrayBufferView): void {
  const byteLength = (values.byteLength + 7) & ~7;
  out.buffers.push(values);
  out.bufferRegions.push(new BufferRegion(out.byteLength, byteLength));
  out.byteLength += byteLength;
}

/** `VectorAssembler.visit` for the supported types; false (with `out` partly written) for any other. */
function visit(data: Data, out: AssembledColumns): boolean {
  const typeId = data.type.typeId;
  if (!SUPPORTED.has(typeId) || data.length > 2147483647) return false;
  const { length } = data;
  if (typeId !== Type.Null) {
    const nullCount = data.nullCount;
    addBuffer(out, nullCount <= 0 ? EMPTY : truncateBitmap(data.offset, length, data.nullBitmap!));
  }
  out.nodes.push(new FieldNode(length, data.nullCount));
  switch (typeId) {
    case Type.Null:
      return true;
    case Type.Bool: {
      const values = data.values as unknown;
      if (data.nullCount >= length) addBuffer(out, new Uint8Array((length + 7) >> 3));
      else if (values instanceof Uint8Array) addBuffer(out, truncateBitmap(data.offset, length, values));
      else return false;
      return true;
    }
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary: {
      const values = data.values as Uint8Array;
      const offsets = data.valueOffsets as Int32Array;
      const begin = bigIntToNumber(offsets[0]!);
      const end = bigIntToNumber(offsets[length]!);
      const byteLength = Math.min(end - begin, values.byteLength - begin);
      addBuffer(out, rebaseValueOffsets(-begin, length + 1, offsets));
      addBuffer(out, values.subarray(begin, begin + byteLength));
      return true;
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map:
    case Type.FixedSizeList: {
      const offsets = data.valueOffsets as Int32Array | undefined;
      // FixedSizeList: no offsets, the child as it is.
      if (!offsets) return visit(data.children[0]!, out);
      const begin = bigIntToNumber(offsets[0]!);
      const end = bigIntToNumber(offsets[length]!);
      addBuffer(out, rebaseValueOffsets(-begin, length + 1, offsets));
      return visit(data.children[0]!.slice(begin, end - begin), out);
    }
    case Type.Struct: {
      const { children } = data;
      for (let i = 0; i < data.type.children.length; i++) {
        const child = children[i];
        if (child && !visit(child, out)) return false;
      }
      return true;
    }
    default: {
      // Flat types: Int, Float, FixedSizeBinary, Date, Timestamp, Time, Decimal, Interval, Duration.
      const values = data.values as Uint8Array;
      addBuffer(out, values.subarray(0, length * data.stride));
      return true;
    }
  }
}

const SUPPORTED = new Set<Type>([
  Type.Null,
  Type.Bool,
  Type.Int,
  Type.Float,
  Type.FixedSizeBinary,
  Type.Date,
  Type.Timestamp,
  Type.Time,
  Type.Decimal,
  Type.Interval,
  Type.Duration,
  Type.Utf8,
  Type.LargeUtf8,
  Type.Binary,
  Type.LargeBinary,
  Type.List,
  Type.LargeList,
  Type.Map,
  Type.FixedSizeList,
  Type.Struct,
]);
