import {
  BufferType,
  Data,
  type DataType,
  type Dictionary,
  type FixedSizeList,
  Type,
  type Union,
  UnionMode,
} from "apache-arrow";
import { isValidAt } from "@iris/types";
import {
  type TypedArray,
  type TypedArrayCtor,
  arrayTypeOf,
  checkSameLayout,
  isLargeOffsets,
  strideOf,
} from "./arrow-concat.ts";
import { StoreError } from "./store-error.ts";

/** Smallest capacity (elements) a buffer starts with; keeps the first few appends from reallocating. */
const MIN_CAPACITY = 16;

/**
 * Arrow `Data` of one type that parts can be appended to in time proportional to the part (amortised): every
 * buffer keeps spare capacity and doubles when full, so a value is copied O(1) times on average instead of once
 * per append. `view()` returns a `Data` over what was appended so far, equal buffer for buffer to
 * `concatData(type, parts)` of the same parts.
 *
 * Appending only writes past the end of every earlier view (in its buffers or in new, larger ones), so a view
 * stays valid and unchanged after later appends; only the padding bits of the last bitmap byte(s), which lie
 * past its length, may be set.
 */
export class GrowableData {
  readonly type: DataType;
  length = 0;
  private nullCount = 0;
  /** Validity bits; undefined while no null has been appended (the view then has an empty bitmap). */
  private validity: Uint8Array | undefined;
  /** Fixed-width values, boolean bits, binary bytes or dictionary indices. */
  private values: TypedArray | undefined;
  /** Elements of `values` in use (booleans: bits, so `length`). */
  private valueCount = 0;
  /** `length + 1` offsets of (large) binary, (large) list and map; `length` offsets of a dense union. */
  private offsets: Int32Array | BigInt64Array | undefined;
  private typeIds: Int8Array | undefined;
  private readonly children: GrowableData[];
  private dictionary: Data["dictionary"];
  private hasDictionary = false;

  constructor(type: DataType) {
    this.type = type;
    const fields = (type.children as { type: DataType }[] | null | undefined) ?? [];
    this.children = fields.map((field) => new GrowableData(field.type));
    switch (type.typeId) {
      case Type.Binary:
      case Type.Utf8:
      case Type.LargeBinary:
      case Type.LargeUtf8:
      case Type.List:
      case Type.LargeList:
      case Type.Map:
        this.offsets = isLargeOffsets(type) ? new BigInt64Array(MIN_CAPACITY) : new Int32Array(MIN_CAPACITY);
        break;
      default:
    }
  }

  /** Appends the rows of `part` (same layout as `type`, may be a slice). */
  append(part: Data): void {
    checkSameLayout(this.type, part.type);
    this.appendChecked(part);
  }

  /** The rows appended so far as one contiguous `Data` (offset 0) over this object's buffers. */
  view(): Data {
    const { type, length } = this;
    const typeId = type.typeId;
    if (typeId === Type.Null) return new Data(type, 0, length, length);
    if (typeId === Type.Union) {
      const dense = (type as Union).mode === UnionMode.Dense;
      const typeIds = this.typeIds ?? new Int8Array(0);
      const buffers = { [BufferType.TYPE]: typeIds.subarray(0, length) } as ConstructorParameters<
        typeof Data
      >[4];
      if (dense) (buffers as Record<number, unknown>)[BufferType.OFFSET] = this.offsetsView(length);
      return new Data(
        type,
        0,
        length,
        0,
        buffers,
        this.children.map((c) => c.view()),
      );
    }
    const bitmap =
      this.nullCount === 0 || !this.validity
        ? new Uint8Array(0)
        : this.validity.subarray(0, paddedBytes(length));
    const buffers: Partial<Record<BufferType, TypedArray>> = { [BufferType.VALIDITY]: bitmap };
    let children: Data[] = [];
    switch (typeId) {
      case Type.Bool:
        buffers[BufferType.DATA] = this.valuesView(Uint8Array, paddedBytes(length));
        break;
      case Type.Binary:
      case Type.Utf8:
      case Type.LargeBinary:
      case Type.LargeUtf8:
        buffers[BufferType.OFFSET] = this.offsetsView(length + 1);
        buffers[BufferType.DATA] = this.valuesView(Uint8Array, this.valueCount);
        break;
      case Type.List:
      case Type.LargeList:
      case Type.Map:
        buffers[BufferType.OFFSET] = this.offsetsView(length + 1);
        children = [this.children[0]!.view()];
        break;
      case Type.FixedSizeList:
      case Type.Struct:
        children = this.children.map((c) => c.view());
        break;
      case Type.Dictionary:
        buffers[BufferType.DATA] = this.valuesView(
          arrayTypeOf((type as Dictionary).indices),
          this.valueCount,
        );
        break;
      default:
        buffers[BufferType.DATA] = this.valuesView(arrayTypeOf(type), this.valueCount);
    }
    return new Data(
      type,
      0,
      length,
      this.nullCount,
      buffers as ConstructorParameters<typeof Data>[4],
      children,
      this.hasDictionary ? this.dictionary : undefined,
    );
  }

  private appendChecked(part: Data): void {
    const typeId = this.type.typeId;
    const n = part.length;
    if (typeId === Type.Null) {
      this.length += n;
      this.nullCount = this.length;
      return;
    }
    if (typeId === Type.Union) {
      this.appendUnion(part);
      return;
    }
    this.appendValidity(part);
    switch (typeId) {
      case Type.Bool:
        this.appendBits(part);
        break;
      case Type.Binary:
      case Type.Utf8:
      case Type.LargeBinary:
      case Type.LargeUtf8: {
        const range = this.appendOffsets(part);
        const bytes = part.values as Uint8Array | undefined;
        const values = this.reserveValues(Uint8Array, this.valueCount + range.end - range.start);
        if (bytes && range.end > range.start)
          values.set(bytes.subarray(range.start, range.end), this.valueCount);
        this.valueCount += range.end - range.start;
        break;
      }
      case Type.List:
      case Type.LargeList:
      case Type.Map: {
        const range = this.appendOffsets(part);
        this.children[0]!.appendChecked(part.children[0]!.slice(range.start, range.end - range.start));
        break;
      }
      case Type.FixedSizeList: {
        const size = (this.type as FixedSizeList).listSize;
        this.children[0]!.appendChecked(part.children[0]!.slice(0, n * size));
        break;
      }
      case Type.Struct:
        this.children.forEach((child, k) => child.appendChecked(part.children[k]!.slice(0, n)));
        break;
      case Type.Dictionary: {
        if (this.hasDictionary && part.dictionary !== this.dictionary) {
          throw new StoreError(
            "unsupported-arrow-type",
            `cannot concatenate ${String(this.type)} data with different dictionaries`,
          );
        }
        this.dictionary = part.dictionary;
        this.hasDictionary = true;
        this.appendFixedWidth(part, (this.type as Dictionary).indices);
        break;
      }
      case Type.Int:
      case Type.Float:
      case Type.Decimal:
      case Type.Date:
      case Type.Time:
      case Type.Timestamp:
      case Type.Interval:
      case Type.Duration:
      case Type.FixedSizeBinary:
        this.appendFixedWidth(part, this.type);
        break;
      default:
        throw new StoreError(
          "unsupported-arrow-type",
          `cannot concatenate Arrow data of type ${String(this.type)} (type id ${typeId})`,
        );
    }
    this.length += n;
  }

  /** Validity bits of `part` at rows `length…`; allocates the bitmap (all earlier rows valid) on the first null. */
  private appendValidity(part: Data): void {
    const n = part.length;
    if (part.nullCount === 0 && !this.validity) return;
    const end = this.length + n;
    if (!this.validity) {
      this.validity = new Uint8Array(Math.max(paddedBytes(end), MIN_CAPACITY));
      setBits(this.validity, 0, this.length);
    } else {
      this.validity = grow(this.validity, paddedBytes(end), paddedBytes(this.length));
    }
    const bitmap = this.validity;
    if (part.nullCount === 0) setBits(bitmap, this.length, end);
    else {
      for (let i = 0, at = this.length; i < n; i++, at++) {
        if (isValidAt(part, i)) bitmap[at >> 3]! |= 1 << (at & 7);
        else this.nullCount++;
      }
    }
  }

  private appendBits(part: Data): void {
    const end = this.length + part.length;
    const out = this.reserveValues(Uint8Array, paddedBytes(end));
    const bits = part.values as Uint8Array | undefined;
    if (bits) {
      for (let i = 0, at = this.length; i < part.length; i++, at++) {
        const bit = part.offset + i;
        if (((bits[bit >> 3]! >> (bit & 7)) & 1) === 1) out[at >> 3]! |= 1 << (at & 7);
      }
    }
    this.valueCount = end;
  }

  private appendFixedWidth(part: Data, valueType: DataType): void {
    const count = part.length * strideOf(valueType);
    const out = this.reserveValues(arrayTypeOf(valueType), this.valueCount + count);
    const values = part.values as TypedArray | undefined;
    if (values && count > 0)
      (out as Uint8Array).set(values.subarray(0, count) as Uint8Array, this.valueCount);
    this.valueCount += count;
  }

  /** Appends `part`'s offsets rebased onto the values so far; returns the range of its values to append. */
  private appendOffsets(part: Data): { start: number; end: number } {
    const n = part.length;
    const source = part.valueOffsets as Int32Array | BigInt64Array | undefined;
    const base = Number(this.offsets![this.length]!);
    this.offsets = grow(this.offsets!, this.length + n + 1, this.length + 1);
    if (!source || n === 0) {
      for (let i = 1; i <= n; i++) this.setOffset(this.length + i, base);
      return { start: 0, end: 0 };
    }
    const start = Number(source[0]!);
    const end = Number(source[n]!);
    if (!isLargeOffsets(this.type) && base + end - start > 0x7fffffff) {
      throw new StoreError(
        "unsupported-arrow-type",
        `concatenated ${String(this.type)} needs ${base + end - start} values, more than 32-bit offsets allow`,
      );
    }
    for (let i = 1; i <= n; i++) this.setOffset(this.length + i, base + Number(source[i]!) - start);
    return { start, end };
  }

  private setOffset(at: number, value: number): void {
    const offsets = this.offsets!;
    if (offsets instanceof BigInt64Array) offsets[at] = BigInt(value);
    else offsets[at] = value;
  }

  private appendUnion(part: Data): void {
    const n = part.length;
    const end = this.length + n;
    const typeIds = grow(this.typeIds ?? new Int8Array(MIN_CAPACITY), end, this.length);
    typeIds.set((part.typeIds as Int8Array).subarray(0, n), this.length);
    this.typeIds = typeIds;
    const union = this.type as Union;
    if (union.mode === UnionMode.Sparse) {
      this.children.forEach((child, k) => child.appendChecked(part.children[k]!.slice(0, n)));
    } else {
      // Dense: children are appended whole; the part's offsets shift by the child lengths before it.
      const offsets = grow(
        (this.offsets as Int32Array | undefined) ?? new Int32Array(MIN_CAPACITY),
        end,
        this.length,
      );
      const partOffsets = part.valueOffsets as Int32Array;
      for (let i = 0, at = this.length; i < n; i++, at++) {
        const child = union.typeIdToChildIndex[typeIds[at]!]!;
        offsets[at] = partOffsets[i]! + this.children[child]!.length;
      }
      this.offsets = offsets;
      this.children.forEach((child, k) => child.appendChecked(part.children[k]!));
    }
    this.length = end;
  }

  /** `values` with room for `needed` elements of `ctor` (what is in use is kept). */
  private reserveValues<T extends TypedArray>(ctor: new (length: number) => T, needed: number): T {
    const used = this.type.typeId === Type.Bool ? paddedBytes(this.length) : this.valueCount;
    this.values = grow((this.values as T | undefined) ?? new ctor(MIN_CAPACITY), needed, used);
    return this.values as T;
  }

  private valuesView(ctor: TypedArrayCtor, count: number): TypedArray {
    return this.values ? this.values.subarray(0, count) : new ctor(0);
  }

  private offsetsView(count: number): Int32Array | BigInt64Array {
    if (this.offsets) return this.offsets.subarray(0, count);
    return new Int32Array(count);
  }
}

/** Bytes of a bitmap of `bits` bits padded to 64 bits (as `concatData` allocates them). */
function paddedBytes(bits: number): number {
  return ((bits + 63) & ~63) >> 3;
}

/** `buffer` if it holds `needed` elements, else a buffer of at least twice the size with its first `used` copied. */
function grow<T extends TypedArray>(buffer: T, needed: number, used: number): T {
  if (buffer.length >= needed) return buffer;
  const next = new (buffer.constructor as new (length: number) => T)(Math.max(needed, buffer.length * 2));
  (next as Uint8Array).set(buffer.subarray(0, used) as Uint8Array);
  return next;
}

function setBits(bitmap: Uint8Array, from: number, to: number): void {
  for (let at = from; at < to; at++) bitmap[at >> 3]! |= 1 << (at & 7);
}
