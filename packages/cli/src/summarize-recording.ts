import { type Chunk, dataSizeBytes } from "@iris/chunk";
import { arrowTypeSignature } from "./arrow-type-signature.ts";
import type { RrdMessage, StoreId } from "@iris/rrd";
import { storeKey } from "@iris/rrd";
import type { TimeType } from "@iris/types";
import { type Recording, storeLabel } from "./read-recording.ts";
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
  /** `recording:APP/REC`, for display (`storeLabel`). */
  label: string;
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
  const summarizer = new RecordingSummarizer();
  for (const { message } of recording.messages) summarizer.addMessage(message);
  for (const { chunk, storeId } of recording.chunks) summarizer.addChunk(chunk, storeId);
  return { stores: summarizer.stores() };
}

/**
 * `summarizeRecording` fed one message and one chunk at a time, so that nothing read needs to be kept. Messages
 * must come in file order among themselves, and chunks too; how the two interleave does not change the result
 * (stores with a SetStoreInfo come first, in the order of their first one, then the others in chunk order).
 */
export class RecordingSummarizer {
  readonly #byKey = new Map<string, StoreSummary>();
  readonly #withInfo: StoreSummary[] = [];
  readonly #withoutInfo: StoreSummary[] = [];

  addMessage(message: RrdMessage): void {
    if (message.kind !== "setStoreInfo") return;
    const s = this.#storeOf(message.storeId);
    if (!this.#withInfo.includes(s)) {
      this.#withInfo.push(s);
      const i = this.#withoutInfo.indexOf(s);
      if (i >= 0) this.#withoutInfo.splice(i, 1);
    }
    if (message.storeSource) s.source = describeStoreSource(message.storeSource);
    s.versionBits = message.storeVersionBits;
  }

  addChunk(chunk: Chunk, storeId: StoreId): void {
    const s = this.#storeOf(storeId);
    if (!this.#withInfo.includes(s) && !this.#withoutInfo.includes(s)) this.#withoutInfo.push(s);
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

  /** The summaries so far, timelines and entities sorted by name. */
  stores(): StoreSummary[] {
    const stores = [...this.#withInfo, ...this.#withoutInfo];
    for (const s of stores) {
      s.timelines.sort((a, b) => (a.name < b.name ? -1 : 1));
      s.entities.sort((a, b) => (a.path < b.path ? -1 : 1));
    }
    return stores;
  }

  #storeOf(storeId: StoreId): StoreSummary {
    const key = storeKey(storeId);
    let s = this.#byKey.get(key);
    if (!s) {
      s = {
        label: storeLabel(storeId),
        storeId,
        source: undefined,
        versionBits: undefined,
        chunks: 0,
        rows: 0,
        bytes: 0,
        timelines: [],
        entities: [],
      };
      this.#byKey.set(key, s);
    }
    return s;
  }
}
