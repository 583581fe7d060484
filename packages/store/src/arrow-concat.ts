import {
  BufferType,
  Data,
  type DataType,
  type Dictionary,
  type Field,
  type FixedSizeList,
  Type,
  type Union,
  UnionMode,
} from "apache-arrow";
import { isValidAt } from "@iris/types";
import { StoreError } from "./store-error.ts";

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export type TypedArrayCtor = new (length: number) => TypedArray;

type Buffers = Partial<Record<BufferType, TypedArray | undefined>>;

/**
 * Concatenates Arrow `Data` of one type into a single contiguous `Data` (offset 0), for any layout Rerun can
 * produce: null, boolean, fixed-width (ints, floats, decimals, dates, times, timestamps, durations, intervals,
 * fixed-size binary), (large) binary/utf8, (large) list, map, fixed-size list, struct, sparse and dense unions,
 * and dictionaries that share one dictionary. Buffers are copied once; the inputs are untouched.
 *
 * Follows apache-arrow's JS convention: value/offset/type-id buffers of a sliced `Data` are already sliced,
 * `data.offset` only applies to validity bitmaps and boolean values.
 */
export function concatData(type: DataType, parts: readonly Data[]): Data {
  for (const part of parts) checkSameLayout(type, part.type);
  const length = parts.reduce((n, p) => n + p.length, 0);
  const typeId = type.typeId;
  if (typeId === Type.Null) return new Data(type, 0, length, length);
  if (typeId === Type.Union) return concatUnion(type as Union, parts, length);

  const validity = concatValidity(parts, length);
  const make = (buffers: Buffers, children: Data[] = [], dictionary?: Data["dictionary"]): Data =>
    new Data(
      type,
      0,
      length,
      validity.nullCount,
      { ...buffers, [BufferType.VALIDITY]: validity.bitmap } as ConstructorParameters<typeof Data>[4],
      children,
      dictionary,
    );

  switch (typeId) {
    case Type.Bool:
      return make({ [BufferType.DATA]: concatBits(parts, length) });
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
    case Type.Date:
    case Type.Time:
    case Type.Timestamp:
    case Type.Interval:
    case Type.Duration:
    case Type.FixedSizeBinary:
      return make({ [BufferType.DATA]: concatFixedWidth(type, parts, length) });
    case Type.Dictionary:
      return concatDictionary(type as Dictionary, parts, length, make);
    case Type.Binary:
    case Type.Utf8:
    case Type.LargeBinary:
    case Type.LargeUtf8: {
      const { offsets, ranges } = concatOffsets(type, parts, length);
      const bytes = new Uint8Array(ranges.reduce((n, r) => n + (r.end - r.start), 0));
      let at = 0;
      ranges.forEach((r, i) => {
        const values = parts[i]!.values as Uint8Array | undefined;
        if (values && r.end > r.start) bytes.set(values.subarray(r.start, r.end), at);
        at += r.end - r.start;
      });
      return make({ [BufferType.OFFSET]: offsets, [BufferType.DATA]: bytes });
    }
    case Type.List:
    case Type.LargeList:
    case Type.Map: {
      const { offsets, ranges } = concatOffsets(type, parts, length);
      const childType = type.children[0]!.type as DataType;
      const child = concatData(
        childType,
        parts.map((p, i) => p.children[0]!.slice(ranges[i]!.start, ranges[i]!.end - ranges[i]!.start)),
      );
      return make({ [BufferType.OFFSET]: offsets }, [child]);
    }
    case Type.FixedSizeList: {
      const size = (type as FixedSizeList).listSize;
      const childType = type.children[0]!.type as DataType;
      const child = concatData(
        childType,
        parts.map((p) => p.children[0]!.slice(0, p.length * size)),
      );
      return make({}, [child]);
    }
    case Type.Struct: {
      const children = type.children.map((field, k) =>
        concatData(
          field.type as DataType,
          parts.map((p) => p.children[k]!.slice(0, p.length)),
        ),
      );
      return make({}, children);
    }
    default:
      throw new StoreError(
        "unsupported-arrow-type",
        `cannot concatenate Arrow data of type ${String(type)} (type id ${typeId})`,
      );
  }
}

/** An empty `Data` of any supported type. */
export function emptyData(type: DataType): Data {
  return concatData(type, []);
}

export function checkSameLayout(expected: DataType, actual: DataType): void {
  const same =
    expected.typeId === actual.typeId &&
    childFields(expected).length === childFields(actual).length &&
    strideOf(expected) === strideOf(actual) &&
    (expected.typeId !== Type.FixedSizeList ||
      (expected as FixedSizeList).listSize === (actual as FixedSizeList).listSize);
  if (!same) {
    throw new StoreError(
      "arrow-type-mismatch",
      `cannot concatenate Arrow data of different types: expected ${String(expected)}, got ${String(actual)}`,
    );
  }
  const actualChildren = childFields(actual);
  childFields(expected).forEach((field, k) =>
    checkSameLayout(field.type as DataType, actualChildren[k]!.type as DataType),
  );
}

/** The child fields of a nested type; apache-arrow leaves `children` null on primitive types. */
function childFields(type: DataType): readonly Field[] {
  return (type.children as Field[] | null | undefined) ?? [];
}

export function strideOf(type: DataType): number {
  return new Data(type, 0, 0).stride;
}

export function arrayTypeOf(type: DataType): TypedArrayCtor {
  return (type as unknown as { ArrayType: TypedArrayCtor }).ArrayType;
}

function concatValidity(parts: readonly Data[], length: number): { bitmap: Uint8Array; nullCount: number } {
  if (parts.every((p) => p.nullCount === 0)) return { bitmap: new Uint8Array(0), nullCount: 0 };
  const bitmap = new Uint8Array(((length + 63) & ~63) >> 3);
  let nullCount = 0;
  let at = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++, at++) {
      if (isValidAt(p, i)) bitmap[at >> 3]! |= 1 << (at & 7);
      else nullCount++;
    }
  }
  return { bitmap, nullCount };
}

function concatBits(parts: readonly Data[], length: number): Uint8Array {
  const out = new Uint8Array(((length + 63) & ~63) >> 3);
  let at = 0;
  for (const p of parts) {
    const bits = p.values as Uint8Array | undefined;
    for (let i = 0; i < p.length; i++, at++) {
      const bit = p.offset + i;
      if (bits && ((bits[bit >> 3]! >> (bit & 7)) & 1) === 1) out[at >> 3]! |= 1 << (at & 7);
    }
  }
  return out;
}

function concatFixedWidth(type: DataType, parts: readonly Data[], length: number): TypedArray {
  const stride = strideOf(type);
  const out = new (arrayTypeOf(type))(length * stride);
  let at = 0;
  for (const p of parts) {
    const values = p.values as TypedArray | undefined;
    const n = p.length * stride;
    if (values && n > 0) (out as Uint8Array).set(values.subarray(0, n) as Uint8Array, at);
    at += n;
  }
  return out;
}

/** True for the types with 64-bit offsets. */
export function isLargeOffsets(type: DataType): boolean {
  return type.typeId === Type.LargeBinary || type.typeId === Type.LargeUtf8 || type.typeId === Type.LargeList;
}

/** New offsets for the concatenation, and the range of each part's values (child or bytes) to copy. */
function concatOffsets(
  type: DataType,
  parts: readonly Data[],
  length: number,
): { offsets: Int32Array | BigInt64Array; ranges: { start: number; end: number }[] } {
  const large = isLargeOffsets(type);
  const out: number[] = new Array<number>(length + 1);
  out[0] = 0;
  const ranges: { start: number; end: number }[] = [];
  let at = 0;
  let base = 0;
  for (const p of parts) {
    const offsets = p.valueOffsets as Int32Array | BigInt64Array | undefined;
    if (!offsets || p.length === 0) {
      ranges.push({ start: 0, end: 0 });
      continue;
    }
    const start = Number(offsets[0]!);
    for (let i = 1; i <= p.length; i++) out[at + i] = base + Number(offsets[i]!) - start;
    const end = Number(offsets[p.length]!);
    ranges.push({ start, end });
    at += p.length;
    base += end - start;
  }
  if (!large && base > 0x7fffffff) {
    throw new StoreError(
      "unsupported-arrow-type",
      `concatenated ${String(type)} needs ${base} values, more than 32-bit offsets allow`,
    );
  }
  return {
    offsets: large ? BigInt64Array.from(out, (v) => BigInt(v)) : Int32Array.from(out),
    ranges,
  };
}

function concatDictionary(
  type: Dictionary,
  parts: readonly Data[],
  length: number,
  make: (buffers: Buffers, children?: Data[], dictionary?: Data["dictionary"]) => Data,
): Data {
  const dictionary = parts[0]?.dictionary;
  if (parts.some((p) => p.dictionary !== dictionary)) {
    throw new StoreError(
      "unsupported-arrow-type",
      `cannot concatenate ${String(type)} data with different dictionaries`,
    );
  }
  return make({ [BufferType.DATA]: concatFixedWidth(type.indices, parts, length) }, [], dictionary);
}

function concatUnion(type: Union, parts: readonly Data[], length: number): Data {
  const typeIds = new Int8Array(length);
  let at = 0;
  for (const p of parts) {
    typeIds.set((p.typeIds as Int8Array).subarray(0, p.length), at);
    at += p.length;
  }
  if (type.mode === UnionMode.Sparse) {
    const children = type.children.map((field, k) =>
      concatData(
        field.type as DataType,
        parts.map((p) => p.children[k]!.slice(0, p.length)),
      ),
    );
    return new Data(type, 0, length, 0, { [BufferType.TYPE]: typeIds }, children);
  }
  // Dense: children are taken whole; each part's offsets are shifted by the child lengths before it.
  const offsets = new Int32Array(length);
  const childBase = type.children.map(() => 0);
  at = 0;
  for (const p of parts) {
    const partOffsets = p.valueOffsets as Int32Array;
    for (let i = 0; i < p.length; i++, at++) {
      const child = type.typeIdToChildIndex[typeIds[at]!]!;
      offsets[at] = partOffsets[i]! + childBase[child]!;
    }
    p.children.forEach((c, k) => (childBase[k]! += c.length));
  }
  const children = type.children.map((field, k) =>
    concatData(
      field.type as DataType,
      parts.map((p) => p.children[k]!),
    ),
  );
  return new Data(
    type,
    0,
    length,
    0,
    { [BufferType.TYPE]: typeIds, [BufferType.OFFSET]: offsets } as ConstructorParameters<typeof Data>[4],
    children,
  );
}
