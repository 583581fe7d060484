/**
 * INDEPENDENT TEST FIXTURE WRITER — not Iris's SDK, and deliberately sharing no code with it.
 *
 * A small, hand-rolled `.rrd` writer (Rerun 0.33: RRF2 stream header, hand-encoded protobuf SetStoreInfo /
 * ArrowMsg, Arrow IPC chunks built with apache-arrow) written straight from rrd-format.md §1, §2, §4, §5 and §9.
 * The browser harness uses it to prove itself (and its pixel checks) against the real Rerun web viewer without
 * depending on the SDK under test; it only covers what those fixtures need: `Image` and `EncodedImage`
 * components, static chunks or one sequence timeline, no compression, no footer.
 */
import {
  Data,
  Field,
  FixedSizeBinary,
  Int64,
  List,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Uint32,
  Uint8,
  Utf8,
  type DataType,
} from "apache-arrow";

// ---------------------------------------------------------------------------------------------------------------
// Protobuf (proto3) hand encoding: varints, fixed64, length-delimited.

class ProtoWriter {
  readonly #bytes: number[] = [];

  #varint(value: bigint): void {
    let v = value;
    while (v >= 0x80n) {
      this.#bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#bytes.push(Number(v));
  }

  #tag(field: number, wireType: 0 | 1 | 2): void {
    this.#varint(BigInt((field << 3) | wireType));
  }

  uint(field: number, value: number | bigint): this {
    this.#tag(field, 0);
    this.#varint(BigInt(value));
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  fixed64(field: number, value: bigint): this {
    this.#tag(field, 1);
    for (let i = 0n; i < 8n; i++) this.#bytes.push(Number((value >> (8n * i)) & 0xffn));
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, 2);
    this.#varint(BigInt(value.byteLength));
    for (const b of value) this.#bytes.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// TUIDs: 64-bit nanoseconds + 64-bit counter. Big-endian in Arrow, two fixed64 in protobuf.

export interface FixtureTuid {
  readonly timeNanos: bigint;
  readonly inc: bigint;
}

class TuidGenerator {
  #inc = 0x1234_5678n;
  readonly #timeNanos = BigInt(Date.now()) * 1_000_000n;

  next(): FixtureTuid {
    this.#inc += 1n;
    return { timeNanos: this.#timeNanos, inc: this.#inc };
  }
}

function tuidBigEndian(tuid: FixtureTuid): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, tuid.timeNanos, false);
  view.setBigUint64(8, tuid.inc, false);
  return out;
}

function tuidString(tuid: FixtureTuid): string {
  return (
    tuid.timeNanos.toString(16).padStart(16, "0").toUpperCase() + tuid.inc.toString(16).padStart(16, "0")
  );
}

function protoTuid(tuid: FixtureTuid): ProtoWriter {
  return new ProtoWriter().fixed64(1, tuid.timeNanos).fixed64(2, tuid.inc);
}

// ---------------------------------------------------------------------------------------------------------------
// Components (rrd-format.md §5): a column is List<item: T>, one list entry per row.

/** One component column of a chunk; `rows` has one entry per chunk row (null = not logged in that row). */
export interface FixtureComponent {
  readonly archetype: string;
  readonly component: string;
  readonly componentType: string;
  /** The inner (per-instance) Arrow type T and the per-row single-instance data, already built. */
  readonly itemType: DataType;
  readonly items: Data;
}

/** `rerun.datatypes.Blob`: List<item: UInt8 non-null>. */
const blobType = (): List<Uint8> => new List(new Field("item", new Uint8(), false));

function blobData(blobs: readonly Uint8Array[]): Data {
  const total = blobs.reduce((sum, b) => sum + b.byteLength, 0);
  const values = new Uint8Array(total);
  const offsets = new Int32Array(blobs.length + 1);
  let at = 0;
  blobs.forEach((blob, i) => {
    values.set(blob, at);
    at += blob.byteLength;
    offsets[i + 1] = at;
  });
  const child = makeData({ type: new Uint8(), length: total, nullCount: 0, data: values });
  return makeData({ type: blobType(), length: blobs.length, nullCount: 0, valueOffsets: offsets, child });
}

/** ImageFormat struct (rrd-format.md §5.2). */
export interface FixtureImageFormat {
  readonly width: number;
  readonly height: number;
  readonly pixelFormat?: number;
  readonly colorModel?: number;
  readonly channelDatatype?: number;
}

const imageFormatType = (): Struct =>
  new Struct([
    new Field("width", new Uint32(), false),
    new Field("height", new Uint32(), false),
    new Field("pixel_format", new Uint8(), true),
    new Field("color_model", new Uint8(), true),
    new Field("channel_datatype", new Uint8(), true),
  ]);

function optionalU8(values: readonly (number | undefined)[]): Data {
  const data = new Uint8Array(values.length);
  const validity = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === undefined) nullCount++;
    else {
      data[i] = v;
      validity[i >> 3]! |= 1 << (i & 7);
    }
  });
  return makeData({
    type: new Uint8(),
    length: values.length,
    nullCount,
    data,
    ...(nullCount > 0 ? { nullBitmap: validity } : {}),
  });
}

function imageFormatData(formats: readonly FixtureImageFormat[]): Data {
  const u32 = (values: number[]): Data =>
    makeData({ type: new Uint32(), length: values.length, nullCount: 0, data: Uint32Array.from(values) });
  return makeData({
    type: imageFormatType(),
    length: formats.length,
    nullCount: 0,
    children: [
      u32(formats.map((f) => f.width)),
      u32(formats.map((f) => f.height)),
      optionalU8(formats.map((f) => f.pixelFormat)),
      optionalU8(formats.map((f) => f.colorModel)),
      optionalU8(formats.map((f) => f.channelDatatype)),
    ],
  });
}

function utf8Data(values: readonly string[]): Data {
  const encoded = values.map((v) => new TextEncoder().encode(v));
  const offsets = new Int32Array(values.length + 1);
  const total = encoded.reduce((sum, e, i) => ((offsets[i + 1] = sum + e.byteLength), sum + e.byteLength), 0);
  const bytes = new Uint8Array(total);
  encoded.forEach((e, i) => bytes.set(e, offsets[i]!));
  return makeData({
    type: new Utf8(),
    length: values.length,
    nullCount: 0,
    valueOffsets: offsets,
    data: bytes,
  });
}

export const ColorModel = { L: 1, RGB: 2, RGBA: 3, BGR: 4, BGRA: 5 } as const;
export const ChannelDatatype = { U8: 6 } as const;
export const PixelFormat = { Y_U_V16_FullRange: 50 } as const;

/** `Image:buffer` + `Image:format` columns, one image per row. */
export function imageComponents(
  rows: readonly { buffer: Uint8Array; format: FixtureImageFormat }[],
): FixtureComponent[] {
  return [
    {
      archetype: "rerun.archetypes.Image",
      component: "Image:buffer",
      componentType: "rerun.components.ImageBuffer",
      itemType: blobType(),
      items: blobData(rows.map((r) => r.buffer)),
    },
    {
      archetype: "rerun.archetypes.Image",
      component: "Image:format",
      componentType: "rerun.components.ImageFormat",
      itemType: imageFormatType(),
      items: imageFormatData(rows.map((r) => r.format)),
    },
  ];
}

/** `EncodedImage:blob` + `EncodedImage:media_type`, one file per row. */
export function encodedImageComponents(
  rows: readonly { file: Uint8Array; mediaType: string }[],
): FixtureComponent[] {
  return [
    {
      archetype: "rerun.archetypes.EncodedImage",
      component: "EncodedImage:blob",
      componentType: "rerun.components.Blob",
      itemType: blobType(),
      items: blobData(rows.map((r) => r.file)),
    },
    {
      archetype: "rerun.archetypes.EncodedImage",
      component: "EncodedImage:media_type",
      componentType: "rerun.components.MediaType",
      itemType: new Utf8(),
      items: utf8Data(rows.map((r) => r.mediaType)),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Chunks and the stream.

export interface FixtureChunk {
  readonly entityPath: string;
  /** A sequence timeline (Int64) with one value per row; omit for a static chunk (exactly one row then). */
  readonly sequence?: { readonly name: string; readonly values: readonly number[] };
  readonly components: readonly FixtureComponent[];
}

export interface FixtureRecording {
  readonly applicationId: string;
  readonly recordingId: string;
  readonly chunks: readonly FixtureChunk[];
}

/** Wraps per-row single instances into the column type List<item: T> (item nullable, as Rerun writes it). */
function oneInstancePerRow(component: FixtureComponent, rowCount: number): Data {
  if (component.items.length !== rowCount) {
    throw new Error(`${component.component}: ${component.items.length} items for ${rowCount} rows`);
  }
  const offsets = Int32Array.from({ length: rowCount + 1 }, (_, i) => i);
  const type = new List(new Field("item", component.itemType, true));
  return makeData({ type, length: rowCount, nullCount: 0, valueOffsets: offsets, child: component.items });
}

function chunkIpc(chunk: FixtureChunk, chunkId: FixtureTuid, tuids: TuidGenerator): Uint8Array {
  const rowCount = chunk.sequence?.values.length ?? 1;
  const rowIds = new Uint8Array(16 * rowCount);
  for (let i = 0; i < rowCount; i++) rowIds.set(tuidBigEndian(tuids.next()), 16 * i);

  const fields: Field[] = [
    new Field(
      "rerun.controls.RowId",
      new FixedSizeBinary(16),
      false,
      new Map([
        ["rerun:kind", "control"],
        ["ARROW:extension:name", "rerun.datatypes.TUID"],
        ["ARROW:extension:metadata", '{"namespace":"row"}'],
        ["rerun:is_sorted", "true"],
      ]),
    ),
  ];
  const columns: Data[] = [
    makeData({ type: new FixedSizeBinary(16), length: rowCount, nullCount: 0, data: rowIds }),
  ];
  if (chunk.sequence !== undefined) {
    const values = BigInt64Array.from(chunk.sequence.values.map((v) => BigInt(v)));
    const sorted = chunk.sequence.values.every((v, i, all) => i === 0 || all[i - 1]! <= v);
    fields.push(
      new Field(
        chunk.sequence.name,
        new Int64(),
        true,
        new Map([
          ["rerun:kind", "index"],
          ["rerun:index_name", chunk.sequence.name],
          ...(sorted ? [["rerun:is_sorted", "true"] as [string, string]] : []),
        ]),
      ),
    );
    columns.push(makeData({ type: new Int64(), length: rowCount, nullCount: 0, data: values }));
  }
  for (const component of chunk.components) {
    const data = oneInstancePerRow(component, rowCount);
    fields.push(
      new Field(
        component.component,
        data.type,
        true,
        new Map([
          ["rerun:kind", "data"],
          ["rerun:component", component.component],
          ["rerun:archetype", component.archetype],
          ["rerun:component_type", component.componentType],
        ]),
      ),
    );
    columns.push(data);
  }
  const schema = new Schema(
    fields,
    new Map([
      ["rerun:id", `chunk_${tuidString(chunkId)}`],
      ["rerun:entity_path", chunk.entityPath],
      ["sorbet:version", "0.1.3"],
    ]),
  );
  const structData = makeData({
    type: new Struct(schema.fields),
    length: rowCount,
    nullCount: 0,
    children: columns,
  });
  const batch = new RecordBatch(schema, structData);
  return RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
}

function frame(kind: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + payload.byteLength);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(kind), true);
  view.setBigUint64(8, BigInt(payload.byteLength), true);
  out.set(payload, 16);
  return out;
}

/** `RRF2`, version 0.33.0, compression byte 0 (advisory), serializer 2 (protobuf), reserved. */
export const fixtureStreamHeader = Uint8Array.from([
  0x52, 0x52, 0x46, 0x32, 0x00, 0x21, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
]);

/** Writes one complete `.rrd` stream: header, SetStoreInfo, one ArrowMsg per chunk (uncompressed), no footer. */
export function writeFixtureRrd(recording: FixtureRecording): Uint8Array {
  const tuids = new TuidGenerator();
  const storeId = (): ProtoWriter =>
    new ProtoWriter()
      .uint(1, 1) // STORE_KIND_RECORDING
      .string(2, recording.recordingId)
      .message(3, new ProtoWriter().string(1, recording.applicationId));

  const storeInfo = new ProtoWriter()
    .message(2, storeId())
    .message(
      5,
      new ProtoWriter().uint(1, 6).message(2, new ProtoWriter().string(1, "iris-independent-fixture")),
    )
    .message(6, new ProtoWriter().uint(1, 0x2100));
  const setStoreInfo = new ProtoWriter().message(1, protoTuid(tuids.next())).message(2, storeInfo).finish();

  const parts: Uint8Array[] = [fixtureStreamHeader, frame(1, setStoreInfo)];
  for (const chunk of recording.chunks) {
    const chunkId = tuids.next();
    const ipc = chunkIpc(chunk, chunkId, tuids);
    const arrowMsg = new ProtoWriter()
      .message(1, storeId())
      .uint(2, 1) // COMPRESSION_NONE
      .uint(3, ipc.byteLength)
      .uint(4, 1) // ENCODING_ARROW_IPC
      .bytes(5, ipc)
      .message(6, protoTuid(chunkId))
      .bool(7, chunk.sequence === undefined)
      .finish();
    parts.push(frame(2, arrowMsg));
  }
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
