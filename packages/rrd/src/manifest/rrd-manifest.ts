import { type Data, type RecordBatch, RecordBatchReader, type Schema, Type } from "apache-arrow";
import { type TimeType, Tuid, isValidAt, timeTypeOfArrowType } from "@iris/types";
import { Compression } from "../gen/rerun/v1alpha1/common_pb.ts";
import type { RrdManifest as RrdManifestProto } from "../gen/rerun/v1alpha1/log_msg_pb.ts";
import { type Lz4Codec, lz4 as defaultLz4 } from "../lz4/index.ts";
import { storeIdFromProto } from "../message-from-proto.ts";
import { RrdError } from "../rrd-error.ts";
import type { StoreId } from "../rrd-message.ts";
import { ManifestColumn as C } from "./manifest-columns.ts";

/** An inclusive time range on one timeline. */
export interface ManifestTimeRange {
  min: bigint;
  max: bigint;
}

/** One chunk as described by an RRD manifest, without reading the chunk itself. */
export interface ManifestChunk {
  chunkId: Tuid;
  entityPath: string;
  isStatic: boolean;
  numRows: number;
  /** Absolute byte offset of the chunk's ArrowMsg payload (just after its MessageHeader) in the input. */
  byteOffset: number;
  /** Length of that protobuf payload. */
  byteSize: number;
  /** Length of the chunk's uncompressed Arrow IPC. */
  byteSizeUncompressed: number;
  /** The chunk's time range on each of its timelines (empty for static chunks). */
  timeRanges: Map<string, ManifestTimeRange>;
  /** The `rerun:component` of every component holding data in the chunk. */
  components: string[];
}

/** A decoded `RrdManifest`: the chunk index of one store of one stream. */
export interface RrdManifest {
  storeId: StoreId;
  /** The timelines indexed by the manifest and their kinds. */
  timelines: Map<string, TimeType>;
  chunks: ManifestChunk[];
  /** The merged (dataframe) schema of the whole store. */
  sorbetSchema: Schema;
}

export interface ParseManifestOptions {
  /** Added to every `chunk_byte_offset` (which counts from the start of the manifest's stream). */
  streamStartOffset?: number;
  lz4?: Lz4Codec;
  /** Largest `DataframePart.uncompressed_size` accepted; default 256 MiB. */
  maxUncompressedBytes?: number;
}

/**
 * Reads one `RrdManifest` protobuf (as found in an `RrdFooter`) with Rerun's required-field checks. Throws
 * `RrdError` "invalid-payload" for missing fields, undecodable Arrow or a missing/mistyped global column.
 */
export function parseRrdManifest(proto: RrdManifestProto, options: ParseManifestOptions = {}): RrdManifest {
  if (proto.storeId === undefined) throw invalid("RrdManifest.store_id is missing");
  if (proto.sorbetSchema?.arrowSchema === undefined) throw invalid("RrdManifest.sorbet_schema is missing");
  if (proto.sorbetSchemaSha256?.length !== 32)
    throw invalid("RrdManifest.sorbet_schema_sha256 is not 32 bytes");
  if (proto.data?.payload === undefined) throw invalid("RrdManifest.data is missing");
  const storeId = storeIdFromProto(proto.storeId, { applicationIdFor: () => "" });
  const sorbetSchema = readIpc(proto.sorbetSchema.arrowSchema, "sorbet schema").schema;
  const part = proto.data;
  let ipc = part.payload!;
  if (part.compression === Compression.LZ4) {
    const max = options.maxUncompressedBytes ?? 256 * 1024 * 1024;
    if (part.uncompressedSize > BigInt(max)) {
      throw invalid(`manifest uncompressed_size ${part.uncompressedSize} exceeds the limit of ${max} bytes`);
    }
    try {
      ipc = (options.lz4 ?? defaultLz4).decompressBlock(ipc, Number(part.uncompressedSize));
    } catch (cause) {
      throw new RrdError("invalid-payload", `manifest LZ4 decompression failed: ${String(cause)}`, { cause });
    }
  }
  const { batches } = readIpc(ipc, "manifest data");
  const base = options.streamStartOffset ?? 0;
  const timelines = new Map<string, TimeType>();
  const chunks: ManifestChunk[] = [];
  for (const batch of batches) chunks.push(...chunksOf(batch, base, timelines));
  return { storeId, timelines, chunks, sorbetSchema };
}

function chunksOf(batch: RecordBatch, base: number, timelines: Map<string, TimeType>): ManifestChunk[] {
  const column = (name: string, type: Type): Data => {
    const index = batch.schema.fields.findIndex((f) => f.name === name);
    const field = batch.schema.fields[index];
    if (field === undefined || field.type.typeId !== type) {
      throw invalid(`manifest column ${name} is missing or not of Arrow type ${Type[type]}`);
    }
    return batch.data.children[index]!;
  };
  const entity = batch.getChild(C.entityPath);
  if (
    entity === null ||
    batch.schema.fields.find((f) => f.name === C.entityPath)?.type.typeId !== Type.Utf8
  ) {
    throw invalid(`manifest column ${C.entityPath} is missing or not Utf8`);
  }
  const ids = column(C.chunkId, Type.FixedSizeBinary);
  column(C.isStatic, Type.Bool); // type check only; read below as a Vector
  const numRows = column(C.numRows, Type.Int);
  const offsets = column(C.byteOffset, Type.Int);
  const sizes = column(C.byteSize, Type.Int);
  const uncompressed = column(C.byteSizeUncompressed, Type.Int);
  const idBytes = ids.values as Uint8Array;
  const staticFlag = batch.getChild(C.isStatic)!;

  // Per-timeline :start/:end (rerun:index = timeline, no rerun:component) and per-component data markers.
  const ranges: { timeline: string; start: number; end: number }[] = [];
  const markers: { component: string; index: number; kind: "static" | "rows" }[] = [];
  batch.schema.fields.forEach((f, i) => {
    const index = f.metadata.get("rerun:index");
    const component = f.metadata.get("rerun:component");
    if (component !== undefined) {
      if (f.name.endsWith(":has_static_data")) markers.push({ component, index: i, kind: "static" });
      else if (f.name.endsWith(":num_rows")) markers.push({ component, index: i, kind: "rows" });
      return;
    }
    if (index === undefined || !f.name.endsWith(":start")) return;
    const endName = `${f.name.slice(0, -":start".length)}:end`;
    const end = batch.schema.fields.findIndex((g) => g.name === endName);
    const timeType = timeTypeOfArrowType(f.type);
    if (end < 0 || timeType === undefined) return;
    timelines.set(index, timeType);
    ranges.push({ timeline: index, start: i, end });
  });

  const out: ManifestChunk[] = [];
  for (let row = 0; row < batch.numRows; row++) {
    const timeRanges = new Map<string, ManifestTimeRange>();
    for (const r of ranges) {
      const start = batch.data.children[r.start]!;
      const end = batch.data.children[r.end]!;
      if (!isValidAt(start, row) || !isValidAt(end, row)) continue;
      timeRanges.set(r.timeline, { min: bigintAt(start, row), max: bigintAt(end, row) });
    }
    const components = new Set<string>();
    for (const m of markers) {
      const data = batch.data.children[m.index]!;
      if (!isValidAt(data, row)) continue;
      const has =
        m.kind === "static" ? batch.getChildAt(m.index)!.get(row) === true : bigintAt(data, row) > 0n;
      if (has) components.add(m.component);
    }
    out.push({
      chunkId: Tuid.fromBytes(idBytes, 16 * row),
      entityPath: String(entity.get(row)),
      isStatic: staticFlag.get(row) === true,
      numRows: Number(bigintAt(numRows, row)),
      byteOffset: base + Number(bigintAt(offsets, row)),
      byteSize: Number(bigintAt(sizes, row)),
      byteSizeUncompressed: Number(bigintAt(uncompressed, row)),
      timeRanges,
      components: [...components],
    });
  }
  return out;
}

function bigintAt(data: Data, row: number): bigint {
  const values = data.values as BigInt64Array | BigUint64Array;
  return BigInt(values[row]!);
}

function readIpc(bytes: Uint8Array, what: string): { schema: Schema; batches: RecordBatch[] } {
  try {
    const reader = RecordBatchReader.from(bytes);
    reader.open();
    const batches = [...reader];
    return { schema: reader.schema, batches };
  } catch (cause) {
    throw new RrdError("invalid-payload", `the manifest's ${what} is not Arrow IPC: ${String(cause)}`, {
      cause,
    });
  }
}

function invalid(message: string): RrdError {
  return new RrdError("invalid-payload", message);
}
