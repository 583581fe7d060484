import { dropIncompleteMetadata } from "./drop-incomplete-metadata.ts";
import { type Data, type List, type RecordBatch, Type, tableFromIPC, FixedSizeBinary } from "apache-arrow";
import { type TimeType, Tuid, timeTypeOfArrowType } from "@iris/types";
import { Chunk, type ChunkComponent, type TimeColumn } from "./chunk.ts";
import { ChunkError } from "./chunk-error.ts";
import { checkDataBounds, checkIpcStreamBounds } from "./ipc-guard.ts";
import { MetadataKey as K } from "./sorbet-schema.ts";
import {
  compareSorbetVersions,
  legacyDescriptor,
  metadataValue,
  migrateDescriptor,
  sorbetVersionOf,
} from "./sorbet-migration.ts";

/**
 * Reads a Sorbet record batch (as written by Rerun or Iris) into a `Chunk`, applying Rerun's validation:
 * chunk id and entity path in the schema metadata, exactly one RowId column first, index columns before data
 * columns, supported time types without nulls, list-typed component columns of the right length.
 */
export function recordBatchToChunk(batch: RecordBatch): Chunk {
  dropIncompleteMetadata(batch.schema);
  const meta = batch.schema.metadata;
  const idText = meta.get(K.chunkId) ?? meta.get("rerun.id");
  if (idText === undefined) throw new ChunkError("missing-chunk-id", "record batch has no rerun:id metadata");
  let id: Tuid;
  try {
    id = Tuid.parse(idText);
  } catch (cause) {
    throw new ChunkError("missing-chunk-id", `rerun:id ${JSON.stringify(idText)} is not a chunk id`, {
      cause,
    });
  }
  const entityPath = meta.get(K.entityPath) ?? meta.get("rerun.entity_path");
  if (entityPath === undefined) {
    throw new ChunkError("missing-entity-path", "record batch has no rerun:entity_path metadata");
  }
  const numRows = batch.numRows;
  const version = sorbetVersionOf(meta);
  let rowIds: Uint8Array | undefined;
  const timelines = new Map<string, TimeColumn>();
  const components = new Map<string, ChunkComponent>();

  batch.schema.fields.forEach((field, index) => {
    const data = batch.data.children[index]!;
    const kind = columnKind(metadataValue(field.metadata, K.kind));
    const bufferProblem = checkDataBounds(data, field.name);
    if (bufferProblem !== undefined)
      throw new ChunkError("bad-ipc", `column buffers too short: ${bufferProblem}`);
    if (data.length !== numRows) {
      throw new ChunkError(
        "length-mismatch",
        `column ${field.name} has ${data.length} rows, expected ${numRows}`,
      );
    }
    if (kind === "control") {
      if (rowIds !== undefined) throw new ChunkError("duplicate-column", "multiple RowId columns");
      if (index !== 0)
        throw new ChunkError("row-id-not-first", `RowId column must be the first column, got ${index}`);
      if (data.typeId !== Type.FixedSizeBinary || (data.type as FixedSizeBinary).byteWidth !== 16) {
        throw new ChunkError(
          "bad-row-id-type",
          `RowId column must be FixedSizeBinary(16), got ${String(data.type)}`,
        );
      }
      const values = data.values as Uint8Array;
      // Arrow JS slices value buffers with the Data (only validity bitmaps keep `offset`).
      rowIds = values.slice(0, numRows * 16);
    } else if (kind === "index") {
      if (components.size > 0) {
        throw new ChunkError("index-after-data", `index column ${field.name} comes after data columns`);
      }
      const name = metadataValue(field.metadata, K.indexName) ?? field.name;
      const type: TimeType | undefined = timeTypeOfArrowType(data.type);
      if (type === undefined) {
        throw new ChunkError(
          "unsupported-time-type",
          `timeline ${name} has unsupported type ${String(data.type)}`,
        );
      }
      if (data.nullCount > 0)
        throw new ChunkError("time-has-nulls", `timeline ${name} has ${data.nullCount} nulls`);
      if (timelines.has(name)) throw new ChunkError("duplicate-column", `timeline ${name} appears twice`);
      const all = data.values as BigInt64Array;
      const times = all.slice(0, numRows);
      timelines.set(name, { timeline: { name, type }, times, isSorted: isNonDecreasing(times) });
    } else {
      if (rowIds === undefined)
        throw new ChunkError("row-id-not-first", "RowId column must be the first column");
      const component = metadataValue(field.metadata, K.component) || field.name;
      if (data.typeId !== Type.List) {
        throw new ChunkError(
          "not-a-list",
          `component column ${component} is ${String(data.type)}, expected a List`,
        );
      }
      const archetype = metadataValue(field.metadata, K.archetype);
      const componentType = metadataValue(field.metadata, K.componentType);
      const legacy =
        compareSorbetVersions(version, "0.1.0") < 0 ? legacyDescriptor(field.metadata) : undefined;
      const descriptor = migrateDescriptor(
        version,
        legacy ?? {
          component,
          ...(archetype ? { archetype } : {}),
          ...(componentType ? { componentType } : {}),
        },
      );
      if (descriptor === undefined) return; // an indicator column of an old Sorbet version
      if (components.has(descriptor.component)) {
        throw new ChunkError("duplicate-column", `component ${descriptor.component} appears twice`);
      }
      components.set(descriptor.component, { descriptor, list: data as Data<List> });
    }
  });
  if (rowIds === undefined) throw new ChunkError("missing-row-id", "record batch has no RowId column");
  const known = new Set<string>([K.chunkId, K.entityPath, K.sorbetVersion, "rerun.id", "rerun.entity_path"]);
  const extraMetadata = new Map([...meta].filter(([k]) => !known.has(k)));
  return new Chunk({ id, entityPath, rowIds, timelines, components, extraMetadata });
}

/** Decodes an ArrowMsg payload (Arrow IPC stream) into a chunk; only the first record batch is read. */
export function chunkFromIpc(bytes: Uint8Array): Chunk {
  const problem = checkIpcStreamBounds(bytes);
  if (problem !== undefined) throw new ChunkError("bad-ipc", `not a readable Arrow IPC stream: ${problem}`);
  let batch: RecordBatch | undefined;
  try {
    batch = tableFromIPC(bytes).batches[0];
  } catch (cause) {
    throw new ChunkError("bad-ipc", `not a readable Arrow IPC stream: ${String(cause)}`, { cause });
  }
  if (!batch) throw new ChunkError("bad-ipc", "Arrow IPC stream has no record batch");
  return recordBatchToChunk(batch);
}

function columnKind(value: string | undefined): "control" | "index" | "data" {
  switch (value) {
    case "control":
    case "row_id":
      return "control";
    case "index":
    case "time":
      return "index";
    case undefined:
    case "data":
    case "component":
      return "data";
    default:
      throw new ChunkError("unknown-column-kind", `unknown rerun:kind ${JSON.stringify(value)}`);
  }
}

function isNonDecreasing(times: BigInt64Array): boolean {
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) return false;
  return true;
}
