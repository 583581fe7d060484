import { Data, DataType, Field, FixedSizeList, List, makeData, Struct } from "apache-arrow";

/** Packs booleans into an Arrow validity bitmap (LSB first); undefined when everything is valid. */
export function validityBitmap(valid: readonly boolean[]): {
  bitmap: Uint8Array | undefined;
  nullCount: number;
} {
  let nullCount = 0;
  for (const v of valid) if (!v) nullCount++;
  if (nullCount === 0) return { bitmap: undefined, nullCount };
  const bitmap = new Uint8Array((valid.length + 7) >> 3);
  valid.forEach((v, i) => {
    if (v) bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { bitmap, nullCount };
}

export function isValidAt(data: Data, index: number): boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) return true;
  const i = data.offset + index;
  return ((bitmap[i >> 3]! >> (i & 7)) & 1) === 1;
}

/** `List<Field{"item", child, nullable}>` — the list shape Rerun uses everywhere. */
export function listOf(child: DataType, childNullable: boolean): List {
  return new List(new Field("item", child, childNullable));
}

/** `FixedSizeList<Field{"item", child, nullable=false}, n>`. */
export function fixedSizeListOf(child: DataType, size: number): FixedSizeList {
  return new FixedSizeList(size, new Field("item", child, false));
}

/** A List Data whose elements are byte arrays, concatenated into one child buffer (one copy). */
export function makeByteListData(type: List, values: readonly Uint8Array[]): Data {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  values.forEach((v, i) => {
    total += v.length;
    if (total > 0x7fffffff)
      throw new RangeError(`a List<UInt8> column cannot exceed 2 GiB, got ${total} bytes`);
    offsets[i + 1] = total;
  });
  const bytes = new Uint8Array(total);
  values.forEach((v, i) => bytes.set(v, offsets[i]!));
  const child = makeData({ type: type.children[0]!.type, length: total, nullCount: 0, data: bytes });
  return makeData({ type, length: values.length, nullCount: 0, valueOffsets: offsets, child });
}

/** Reads element `index` of a List<UInt8> Data as a zero-copy view. */
export function byteListValue(data: Data, index: number): Uint8Array {
  const offsets = data.valueOffsets as Int32Array;
  const child = data.children[0]!;
  const start = offsets[index]!;
  const end = offsets[index + 1]!;
  const values = child.values as Uint8Array;
  return values.subarray(start, end);
}

export function makeStructData(type: Struct, length: number, children: Data[]): Data {
  return makeData({ type, length, nullCount: 0, children });
}

/** Data of a fixed-width type (numbers, FixedSizeBinary, times) over an existing typed array, without copying. */
export function primitiveData(
  type: DataType,
  values: ArrayBufferView,
  length: number,
  validity?: { bitmap: Uint8Array | undefined; nullCount: number },
): Data {
  const make = makeData as unknown as (props: {
    type: DataType;
    length: number;
    nullCount: number;
    data: ArrayBufferView;
    nullBitmap?: Uint8Array;
  }) => Data;
  return make({
    type,
    length,
    nullCount: validity?.nullCount ?? 0,
    data: values,
    ...(validity?.bitmap ? { nullBitmap: validity.bitmap } : {}),
  });
}
