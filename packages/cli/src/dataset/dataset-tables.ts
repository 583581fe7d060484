import { join } from "node:path";
import { type Data, makeVector } from "apache-arrow";
import type { Chunk } from "@iris/chunk";
import { type ManifestChunk, readChunkAt } from "@iris/rrd";
import { type FileSource, openFileSource } from "@iris/rrd/node";
import { Tuid, isValidAt } from "@iris/types";
import type { ChunkEntry, DatasetIndex, ImageEntry, MemberEntry } from "./dataset-types.ts";
import { firstBlob } from "./image-rows.ts";

export type SqlType = "VARCHAR" | "BIGINT" | "INTEGER" | "DOUBLE" | "BLOB" | "BOOLEAN";
export type SqlValue = string | bigint | number | boolean | Uint8Array | null;

export interface TableColumn {
  readonly name: string;
  readonly type: SqlType;
}

/** A table to load into an SQL engine: typed columns and rows of values in column order. */
export interface DatasetTable {
  readonly name: string;
  readonly columns: readonly TableColumn[];
  readonly rows: SqlValue[][];
}

/** Channels with statistics columns (`min_0` … `mean_3`): L, RGB/BGR and RGBA/BGRA images. */
export const STAT_CHANNELS = 4;

/** The indexed members that could be read. */
function readable(index: DatasetIndex): MemberEntry[] {
  return index.members.filter((m) => m.error === null);
}

/** `files`: every member file, readable or not, with why not. */
export function filesTable(index: DatasetIndex): DatasetTable {
  return {
    name: "files",
    columns: [
      { name: "file", type: "VARCHAR" },
      { name: "size_bytes", type: "BIGINT" },
      { name: "indexed_with", type: "VARCHAR" },
      { name: "error", type: "VARCHAR" },
      { name: "recordings", type: "INTEGER" },
    ],
    rows: index.members.map((m) => [m.file, BigInt(m.size), m.indexedWith, m.error, m.recordings.length]),
  };
}

/** `recordings`: one row per recording store of every readable member. */
export function recordingsTable(index: DatasetIndex): DatasetTable {
  const rows: SqlValue[][] = [];
  for (const m of readable(index)) {
    for (const r of m.recordings) {
      const entities = new Set(
        m.chunks.filter((c) => c.recordingId === r.recordingId).map((c) => c.entityPath),
      );
      rows.push([
        r.applicationId,
        r.recordingId,
        r.name,
        r.startTime === null ? null : BigInt(r.startTime),
        m.file,
        BigInt(m.size),
        Object.keys(r.timelines).sort().join(","),
        [...entities].sort().join(","),
      ]);
    }
  }
  return {
    name: "recordings",
    columns: [
      { name: "application_id", type: "VARCHAR" },
      { name: "recording_id", type: "VARCHAR" },
      { name: "name", type: "VARCHAR" },
      { name: "start_time_ns", type: "BIGINT" },
      { name: "file", type: "VARCHAR" },
      { name: "size_bytes", type: "BIGINT" },
      { name: "timelines", type: "VARCHAR" },
      { name: "entities", type: "VARCHAR" },
    ],
    rows,
  };
}

/** `chunks`: one row per chunk, from the manifests. */
export function chunksTable(index: DatasetIndex): DatasetTable {
  const rows: SqlValue[][] = [];
  for (const m of readable(index)) {
    for (const c of m.chunks) {
      rows.push([
        c.recordingId,
        c.chunkId,
        c.entityPath,
        c.isStatic,
        c.numRows,
        BigInt(c.byteOffset),
        BigInt(c.byteSize),
        c.components.join(","),
        m.file,
      ]);
    }
  }
  return {
    name: "chunks",
    columns: [
      { name: "recording_id", type: "VARCHAR" },
      { name: "chunk_id", type: "VARCHAR" },
      { name: "entity_path", type: "VARCHAR" },
      { name: "is_static", type: "BOOLEAN" },
      { name: "num_rows", type: "INTEGER" },
      { name: "byte_offset", type: "BIGINT" },
      { name: "byte_size", type: "BIGINT" },
      { name: "components", type: "VARCHAR" },
      { name: "file", type: "VARCHAR" },
    ],
    rows,
  };
}

/** `time_ranges`: one row per temporal chunk and timeline, with the chunk's inclusive time range. */
export function timeRangesTable(index: DatasetIndex): DatasetTable {
  const rows: SqlValue[][] = [];
  for (const m of readable(index)) {
    for (const c of m.chunks) {
      for (const [timeline, [min, max]] of Object.entries(c.timeRanges).sort()) {
        rows.push([c.recordingId, c.chunkId, c.entityPath, timeline, BigInt(min), BigInt(max)]);
      }
    }
  }
  return {
    name: "time_ranges",
    columns: [
      { name: "recording_id", type: "VARCHAR" },
      { name: "chunk_id", type: "VARCHAR" },
      { name: "entity_path", type: "VARCHAR" },
      { name: "timeline", type: "VARCHAR" },
      { name: "min", type: "BIGINT" },
      { name: "max", type: "BIGINT" },
    ],
    rows,
  };
}

/** Every entity path of the readable members, sorted. */
export function entityPaths(index: DatasetIndex): string[] {
  const out = new Set<string>();
  for (const m of readable(index)) for (const c of m.chunks) out.add(c.entityPath);
  return [...out].sort();
}

/** Names the fixed columns of an entity table use; a timeline of the same name gets a `timeline:` prefix. */
const FIXED = new Set([
  "recording_id",
  "row_id",
  "chunk_id",
  "width",
  "height",
  "color_model",
  "channel_datatype",
  "pixel_format",
  "image",
  ...Array.from({ length: STAT_CHANNELS }, (_, c) => [`min_${c}`, `max_${c}`, `mean_${c}`]).flat(),
]);

/**
 * The dataframe of one entity over the whole dataset: one row per logged row (temporal rows; static rows only
 * for an entity that has nothing else), with `recording_id`, `row_id`, `chunk_id`, one BIGINT column per
 * timeline, and per component one column (JSON text of the row's values, or BLOB for byte blobs). An entity with
 * images also gets the resolved format (`width`, `height`, `color_model`, `channel_datatype`, `pixel_format`), the
 * image bytes as `image` BLOB and per-channel `min_c`/`max_c`/`mean_c` from the index; its buffer and format
 * components are not repeated. Reads the entity's chunks from the member files.
 */
export function entityTable(
  root: string,
  index: DatasetIndex,
  entityPath: string,
  open: (path: string) => FileSource = openFileSource,
): DatasetTable {
  const members = readable(index)
    .map((m) => ({ member: m, chunks: m.chunks.filter((c) => c.entityPath === entityPath) }))
    .filter((x) => x.chunks.length > 0);
  const hasTemporal = members.some((x) => x.chunks.some((c) => !c.isStatic));
  const timelines = new Set<string>();
  const components = new Set<string>();
  const images = new Map<string, ImageEntry>();
  const imageArchetypes = new Set<string>();
  for (const { member, chunks } of members) {
    for (const c of chunks) {
      if (c.isStatic === hasTemporal) continue;
      for (const t of Object.keys(c.timeRanges)) timelines.add(t);
      for (const component of c.components) components.add(component);
    }
    for (const image of member.images) {
      if (chunks.some((c) => c.chunkId === image.chunkId)) {
        images.set(`${image.recordingId}/${image.chunkId}/${image.row}`, image);
        imageArchetypes.add(image.archetype);
      }
    }
  }
  const archetype = [...imageArchetypes].sort()[0];
  const hidden = new Set(archetype === undefined ? [] : [`${archetype}:buffer`, `${archetype}:format`]);
  const componentList = [...components].filter((c) => !hidden.has(c)).sort();
  const timelineList = [...timelines].sort();
  const columns: TableColumn[] = [
    { name: "recording_id", type: "VARCHAR" },
    { name: "row_id", type: "VARCHAR" },
    { name: "chunk_id", type: "VARCHAR" },
    ...timelineList.map((t): TableColumn => ({ name: FIXED.has(t) ? `timeline:${t}` : t, type: "BIGINT" })),
  ];
  if (archetype !== undefined) {
    columns.push(
      { name: "width", type: "INTEGER" },
      { name: "height", type: "INTEGER" },
      { name: "color_model", type: "VARCHAR" },
      { name: "channel_datatype", type: "VARCHAR" },
      { name: "pixel_format", type: "VARCHAR" },
      { name: "image", type: "BLOB" },
    );
    for (const stat of ["min", "max", "mean"]) {
      for (let c = 0; c < STAT_CHANNELS; c++) columns.push({ name: `${stat}_${c}`, type: "DOUBLE" });
    }
  }
  const componentStart = columns.length;
  const blobComponents = new Set<string>();
  const rows: SqlValue[][] = [];
  for (const { member, chunks } of members) {
    const wanted = chunks.filter((c) => c.isStatic !== hasTemporal);
    if (wanted.length === 0) continue;
    const source = open(join(root, member.file));
    try {
      for (const entry of wanted) {
        const chunk = readChunkAt(source, manifestChunk(entry));
        for (let row = 0; row < chunk.numRows; row++) {
          const out: SqlValue[] = [entry.recordingId, chunk.rowId(row).toString(), entry.chunkId];
          for (const t of timelineList) {
            const column = chunk.timelines.get(t);
            out.push(column === undefined ? null : column.times[row]!);
          }
          if (archetype !== undefined) {
            const image = images.get(`${entry.recordingId}/${entry.chunkId}/${row}`);
            const buffer = chunk.components.get(`${archetype}:buffer`);
            const bytes = buffer === undefined ? undefined : firstBlob(buffer.list, row);
            out.push(
              image?.width ?? null,
              image?.height ?? null,
              image?.colorModel ?? null,
              image?.channelDatatype ?? null,
              image?.pixelFormat ?? null,
              bytes === undefined ? null : bytes.slice(),
            );
            for (const stat of [image?.min, image?.max, image?.mean]) {
              for (let c = 0; c < STAT_CHANNELS; c++) out.push(stat?.[c] ?? null);
            }
          }
          for (const component of componentList) out.push(cellValue(chunk, component, row, blobComponents));
          rows.push(out);
        }
      }
    } finally {
      source.close();
    }
  }
  for (const component of componentList) {
    columns.push({ name: component, type: blobComponents.has(component) ? "BLOB" : "VARCHAR" });
  }
  // A component column is BLOB when any of its cells was a byte blob; JSON text in the other rows stays text.
  for (const row of rows) {
    componentList.forEach((component, i) => {
      const v = row[componentStart + i];
      if (blobComponents.has(component) && typeof v === "string") row[componentStart + i] = null;
    });
  }
  return { name: entityPath, columns, rows };
}

function manifestChunk(entry: ChunkEntry): ManifestChunk {
  return {
    chunkId: Tuid.parse(entry.chunkId),
    entityPath: entry.entityPath,
    isStatic: entry.isStatic,
    numRows: entry.numRows,
    byteOffset: entry.byteOffset,
    byteSize: entry.byteSize,
    byteSizeUncompressed: 0,
    timeRanges: new Map(),
    components: entry.components,
  };
}

/** One component cell: the first blob of a byte-list column, else the row's values as JSON text. */
function cellValue(chunk: Chunk, component: string, row: number, blobs: Set<string>): SqlValue {
  const column = chunk.components.get(component);
  if (column === undefined || !isValidAt(column.list, row)) return null;
  const child = column.list.children[0]!;
  if (isByteList(child)) {
    blobs.add(component);
    return firstBlob(column.list, row)?.slice() ?? null;
  }
  const start = column.list.valueOffsets[row]!;
  const end = column.list.valueOffsets[row + 1]!;
  const values = [...makeVector(child.slice(start, end - start) as Data)];
  return JSON.stringify(values.map(plain));
}

function isByteList(child: Data): boolean {
  return (
    child.valueOffsets != null &&
    child.children.length === 1 &&
    child.children[0]!.type.toString() === "Uint8"
  );
}

/** An Arrow JS value as plain JSON data: typed arrays → arrays, bigint → number when exact, rows → objects. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint")
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value === null || typeof value !== "object") return value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, plain);
  if (Array.isArray(value)) return value.map(plain);
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function") return plain(json.call(value));
  if (Symbol.iterator in value) return Array.from(value as Iterable<unknown>, plain);
  return value;
}
