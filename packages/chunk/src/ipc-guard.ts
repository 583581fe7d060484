import { type Data, DataType, Type } from "apache-arrow";

/**
 * Bounds checks on the flatbuffer metadata of an Arrow IPC stream, run before apache-arrow reads it.
 *
 * apache-arrow trusts flatbuffer vector lengths: a damaged `RecordBatch.buffers` or `nodes` length (one flipped
 * byte) makes it loop over and allocate millions of entries (seconds of CPU and GC) before failing. This checks
 * that every vector and string the reader will walk (RecordBatch/DictionaryBatch nodes, buffers and variadic
 * counts; Schema fields, children and custom metadata, recursively) lies inside its message, and that each
 * message body fits in the input. Returns a description of the first problem, or undefined.
 *
 * It also caps the value counts a RecordBatch declares (its length and every FieldNode's length) at
 * `MAX_VALUES_PER_BYTE` × the input size (+ 64): a `List<Null>`, `FixedSizeList<Null>` or `List<Struct<>>` needs no
 * bytes per value, so a few hundred bytes could otherwise declare 2^31 values, which every reader that walks them
 * (print, query, compare) turns into gigabytes. Real data never has more than 8 values per byte (a bitmap).
 */
export function checkIpcStreamBounds(bytes: Uint8Array): string | undefined {
  const maxValues = BigInt(MAX_VALUES_PER_BYTE * bytes.length + 64);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    let metaLength = view.getInt32(offset, true);
    let metaStart = offset + 4;
    if (metaLength === -1) {
      if (offset + 8 > bytes.length) return `IPC message at ${offset} is cut`;
      metaLength = view.getInt32(offset + 4, true);
      metaStart = offset + 8;
    }
    if (metaLength === 0) return undefined; // end of stream
    if (metaLength < 0 || metaStart + metaLength > bytes.length) {
      return `IPC message at ${offset} declares ${metaLength} metadata bytes, ${bytes.length - metaStart} left`;
    }
    const fb = new FlatBuffer(bytes.subarray(metaStart, metaStart + metaLength));
    let bodyLength: bigint;
    try {
      bodyLength = checkMessage(fb, maxValues);
    } catch (error) {
      if (error instanceof BoundsProblem) return `IPC message at ${offset}: ${error.message}`;
      throw error;
    }
    const bodyStart = metaStart + metaLength;
    if (bodyLength < 0n || bodyLength > BigInt(bytes.length - bodyStart)) {
      return `IPC message at ${offset} declares a ${bodyLength}-byte body, ${bytes.length - bodyStart} left`;
    }
    offset = bodyStart + Number(bodyLength);
  }
  return undefined;
}

class BoundsProblem extends Error {}

/** The most values an Arrow column holds per byte of input (a validity or boolean bitmap: 8). */
export const MAX_VALUES_PER_BYTE = 8;

const MAX_FIELD_DEPTH = 64;

/** Checks a `Message` table; returns its bodyLength. */
function checkMessage(fb: FlatBuffer, maxValues: bigint): bigint {
  const message = fb.root();
  const headerType = fb.fieldU8(message, 1);
  const header = fb.fieldTable(message, 2);
  if (header !== undefined) {
    if (headerType === 1) checkSchema(fb, header);
    else if (headerType === 3) checkRecordBatch(fb, header, maxValues);
    else if (headerType === 2) {
      const data = fb.fieldTable(header, 1);
      if (data !== undefined) checkRecordBatch(fb, data, maxValues);
    }
  }
  checkKeyValues(fb, message, 4);
  return fb.fieldI64(message, 3);
}

function checkRecordBatch(fb: FlatBuffer, batch: number, maxValues: bigint): void {
  const rows = fb.fieldI64(batch, 0);
  if (rows < 0n || rows > maxValues) {
    throw new BoundsProblem(`record batch declares ${rows} rows, more than ${maxValues} for this input size`);
  }
  const [nodes, count] = fb.fieldVector(batch, 1, 16); // nodes: FieldNode structs { length, null_count }
  for (let i = 0; i < count; i++) {
    const length = fb.i64At(nodes + 16 * i);
    if (length < 0n || length > maxValues) {
      throw new BoundsProblem(
        `field node ${i} declares ${length} values, more than ${maxValues} (${MAX_VALUES_PER_BYTE} per input byte) for this input size`,
      );
    }
  }
  fb.fieldVector(batch, 2, 16); // buffers: Buffer structs
  fb.fieldVector(batch, 4, 8); // variadicBufferCounts: longs
}

function checkSchema(fb: FlatBuffer, schema: number): void {
  for (const field of fb.fieldTables(schema, 1)) checkField(fb, field, 0);
  checkKeyValues(fb, schema, 2);
}

function checkField(fb: FlatBuffer, field: number, depth: number): void {
  if (depth > MAX_FIELD_DEPTH) throw new BoundsProblem(`fields nested deeper than ${MAX_FIELD_DEPTH}`);
  fb.fieldString(field, 0);
  for (const child of fb.fieldTables(field, 5)) checkField(fb, child, depth + 1);
  checkKeyValues(fb, field, 6);
}

function checkKeyValues(fb: FlatBuffer, table: number, slot: number): void {
  for (const kv of fb.fieldTables(table, slot)) {
    fb.fieldString(kv, 0);
    fb.fieldString(kv, 1);
  }
}

/** Just enough of a bounds-checked flatbuffer reader. Positions are byte offsets into `bytes`. */
class FlatBuffer {
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  root(): number {
    return this.u32(0);
  }

  fieldU8(table: number, slot: number): number | undefined {
    const at = this.slot(table, slot);
    return at === undefined ? undefined : (this.need(at, 1), this.view.getUint8(at));
  }

  fieldI64(table: number, slot: number): bigint {
    const at = this.slot(table, slot);
    if (at === undefined) return 0n;
    this.need(at, 8);
    return this.view.getBigInt64(at, true);
  }

  i64At(at: number): bigint {
    this.need(at, 8);
    return this.view.getBigInt64(at, true);
  }

  fieldTable(table: number, slot: number): number | undefined {
    const at = this.slot(table, slot);
    return at === undefined ? undefined : this.indirect(at);
  }

  /** Checks a vector of `elementBytes`-sized elements; returns [start, length]. */
  fieldVector(table: number, slot: number, elementBytes: number): [number, number] {
    const at = this.slot(table, slot);
    if (at === undefined) return [0, 0];
    const vector = this.indirect(at);
    const length = this.u32(vector);
    if (length * elementBytes > this.bytes.length - vector - 4) {
      throw new BoundsProblem(
        `a vector of ${length} × ${elementBytes} bytes at ${vector} overruns the metadata`,
      );
    }
    return [vector + 4, length];
  }

  fieldTables(table: number, slot: number): number[] {
    const [start, length] = this.fieldVector(table, slot, 4);
    const tables: number[] = [];
    for (let i = 0; i < length; i++) tables.push(this.indirect(start + 4 * i));
    return tables;
  }

  fieldString(table: number, slot: number): void {
    this.fieldVector(table, slot, 1);
  }

  /** Position of a table's field, or undefined when absent. */
  private slot(table: number, slot: number): number | undefined {
    this.need(table, 4);
    const vtable = table - this.view.getInt32(table, true);
    this.need(vtable, 4);
    const vtableSize = this.view.getUint16(vtable, true);
    const entry = 4 + 2 * slot;
    if (entry + 2 > vtableSize) return undefined;
    this.need(vtable + entry, 2);
    const fieldOffset = this.view.getUint16(vtable + entry, true);
    return fieldOffset === 0 ? undefined : table + fieldOffset;
  }

  private indirect(at: number): number {
    const target = at + this.u32(at);
    this.need(target, 4);
    return target;
  }

  private u32(at: number): number {
    this.need(at, 4);
    return this.view.getUint32(at, true);
  }

  private need(at: number, size: number): void {
    if (!(at >= 0 && at + size <= this.bytes.length)) {
      throw new BoundsProblem(`offset ${at} (+${size}) is outside the ${this.bytes.length}-byte metadata`);
    }
  }
}

/**
 * Checks that an Arrow `Data` read from IPC has buffers as large as its length and type need (validity bitmap,
 * offsets within the child or value buffer, fixed-width values, children), recursively. apache-arrow does not
 * check this when reading, and a damaged buffer length would otherwise surface later as a RangeError (or
 * silently wrong values) in whatever reads the column. Returns the first problem, or undefined.
 */
export function checkDataBounds(data: Data, path: string, depth = 0): string | undefined {
  if (depth > MAX_FIELD_DEPTH) return `${path}: nested deeper than ${MAX_FIELD_DEPTH}`;
  const end = data.offset + data.length;
  const bitmap = data.nullBitmap;
  if (bitmap !== undefined && bitmap.length > 0 && bitmap.length * 8 < end) {
    return `${path}: validity bitmap of ${bitmap.length} bytes for ${end} values`;
  }
  const type = data.type as DataType;
  const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
  const hasOffsets =
    DataType.isList(type) ||
    DataType.isUtf8(type) ||
    DataType.isBinary(type) ||
    DataType.isLargeUtf8(type) ||
    DataType.isLargeBinary(type) ||
    type.typeId === Type.LargeList;
  if (hasOffsets) {
    if (offsets === undefined || offsets.length < data.length + 1) {
      return `${path}: ${offsets?.length ?? 0} offsets for ${data.length} values`;
    }
    const limit =
      DataType.isList(type) || type.typeId === Type.LargeList
        ? (data.children[0]?.length ?? 0)
        : ((data.values as ArrayLike<number> | undefined)?.length ?? 0);
    let previous = Number(offsets[0]);
    if (previous < 0) return `${path}: negative offset`;
    for (let i = 1; i <= data.length; i++) {
      const next = Number(offsets[i]);
      if (!(next >= previous)) return `${path}: offsets decrease at ${i}`;
      previous = next;
    }
    if (previous > limit) return `${path}: offsets reach ${previous}, only ${limit} values`;
  } else if (DataType.isBool(type)) {
    const values = data.values as Uint8Array | undefined;
    if ((values?.length ?? 0) * 8 < end) return `${path}: ${values?.length ?? 0} bytes for ${end} booleans`;
  } else if (DataType.isFixedSizeList(type)) {
    const child = data.children[0];
    if ((child?.length ?? 0) < end * type.listSize) return `${path}: child too short for ${end} lists`;
  } else if (
    !DataType.isStruct(type) &&
    !DataType.isNull(type) &&
    !DataType.isUnion(type) &&
    !DataType.isDictionary(type) &&
    !DataType.isMap(type)
  ) {
    const values = data.values as ArrayLike<unknown> | undefined;
    const needed = end * data.stride;
    if (values !== undefined && values.length < needed) {
      return `${path}: ${values.length} value slots for ${end} values of ${String(type)}`;
    }
  }
  if (DataType.isDictionary(type)) {
    const problem = checkDictionaryIndices(data);
    if (problem !== undefined) return `${path}: ${problem}`;
  }
  if (DataType.isStruct(type)) {
    for (const child of data.children) {
      if (child.length < end) return `${path}: struct child has ${child.length} values, need ${end}`;
    }
  }
  for (let i = 0; i < data.children.length; i++) {
    const problem = checkDataBounds(data.children[i]!, `${path}.${i}`, depth + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Every non-null index of a dictionary-encoded column must point into its dictionary (apache-arrow reads null). */
function checkDictionaryIndices(data: Data): string | undefined {
  const size = data.dictionary?.length ?? 0;
  const indices = data.values as ArrayLike<number | bigint> | undefined;
  if (indices === undefined) return data.length > 0 ? "dictionary indices missing" : undefined;
  const bitmap = data.nullBitmap;
  for (let i = 0; i < data.length; i++) {
    const at = data.offset + i;
    if (bitmap !== undefined && bitmap.length > 0 && ((bitmap[at >> 3]! >> (at & 7)) & 1) === 0) continue;
    const index = Number(indices[i]);
    if (!(index >= 0 && index < size)) {
      return `dictionary index ${index} at row ${i} is outside the ${size}-entry dictionary`;
    }
  }
  return undefined;
}
