import { dataSizeBytes } from "@iris/chunk";
import { arrowTypeSignature } from "./arrow-type-signature.ts";
import type { StoreId } from "@iris/rrd";
import type { TimeType } from "@iris/types";
import { type Recording, storeKey } from "./read-recording.ts";
import { type StoreSourceInfo, describeStoreSource } from "./store-source.ts";

export interface ComponentSummary {
  component: string;
  componentType: string | undefined;
  arrowType: string;
  cells: number;
  bytes: number;
}

export interface EntitySummary {
  path: string;
  chunks: number;
  rows: number;
  staticRows: number;
  components: ComponentSummary[];
}

export interface StoreSummary {
  key: string;
  storeId: StoreId;
  source: StoreSourceInfo | undefined;
  versionBits: number | undefined;
  chunks: number;
  rows: number;
  bytes: number;
  timelines: { name: string; type: TimeType; min: bigint; max: bigint }[];
  entities: EntitySummary[];
}

/** Per store: timelines with their ranges, entities with per-component types, cell counts and sizes. */
export function summarizeRecording(recording: Recording): { stores: StoreSummary[] } {
  const stores = new Map<string, StoreSummary>();
  const storeOf = (storeId: StoreId): StoreSummary => {
    const key = storeKey(storeId);
    let s = stores.get(key);
    if (!s) {
      s = {
        key,
        storeId,
        source: undefined,
        versionBits: undefined,
        chunks: 0,
        rows: 0,
        bytes: 0,
        timelines: [],
        entities: [],
      };
      stores.set(key, s);
    }
    return s;
  };
  for (const { message } of recording.messages) {
    if (message.kind !== "setStoreInfo") continue;
    const s = storeOf(message.storeId);
    if (message.storeSource) s.source = describeStoreSource(message.storeSource);
    s.versionBits = message.storeVersionBits;
  }
  for (const { chunk, storeId } of recording.chunks) {
    const s = storeOf(storeId);
    s.chunks += 1;
    s.rows += chunk.numRows;
    s.bytes += chunk.sizeBytes;
    for (const [name, t] of chunk.timelines) {
      let min = t.times[0]!;
      let max = t.times[0]!;
      for (const v of t.times) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const known = s.timelines.find((x) => x.name === name);
      if (!known) s.timelines.push({ name, type: t.timeline.type, min, max });
      else {
        if (min < known.min) known.min = min;
        if (max > known.max) known.max = max;
      }
    }
    let entity = s.entities.find((e) => e.path === chunk.entityPath);
    if (!entity) {
      entity = { path: chunk.entityPath, chunks: 0, rows: 0, staticRows: 0, components: [] };
      s.entities.push(entity);
    }
    entity.chunks += 1;
    entity.rows += chunk.numRows;
    if (chunk.isStatic) entity.staticRows += chunk.numRows;
    for (const [component, column] of chunk.components) {
      let c = entity.components.find((x) => x.component === component);
      if (!c) {
        c = {
          component,
          componentType: column.descriptor.componentType,
          arrowType: arrowTypeSignature(column.list.type.children[0]!.type),
          cells: 0,
          bytes: 0,
        };
        entity.components.push(c);
      }
      c.cells += column.list.length - column.list.nullCount;
      c.bytes += dataSizeBytes(column.list);
    }
  }
  for (const s of stores.values()) {
    s.timelines.sort((a, b) => (a.name < b.name ? -1 : 1));
    s.entities.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  return { stores: [...stores.values()] };
}
