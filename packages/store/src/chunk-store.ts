import type { Chunk } from "@iris/chunk";
import type { DataType } from "apache-arrow";
import {
  type ComponentDescriptor,
  type ComponentType,
  type TimeType,
  type Tuid,
  defaultTuidGenerator,
} from "@iris/types";
import { ChunksPerTime, type RowHit } from "./chunks-per-time.ts";
import {
  type CompactionOptions,
  DEFAULT_COMPACTION_MAX_BYTES,
  DEFAULT_COMPACTION_MAX_ROWS,
  compactionKey,
} from "./compaction.ts";
import type {
  ComponentInfo,
  LatestAtQuery,
  QueryRow,
  QueryValues,
  RangeQuery,
  TimelineInfo,
} from "./query-types.ts";
import { compareRowIds, rowIdAt, tuidKey } from "./row-id.ts";
import { StoreError } from "./store-error.ts";
import type { DeletionReason, StoreEvent, StoreEventBase, StoreListener } from "./store-events.ts";
import { MutableCounts, type StoreStats } from "./store-stats.ts";
import { StoredChunk, type TimeRange, timeRangesOf } from "./stored-chunk.ts";

export interface ChunkStoreOptions {
  /**
   * After each insert, while the chunks take more than this many bytes (`Chunk.sizeBytes`), the temporal chunk
   * with the oldest RowId is evicted. Static data is never evicted. Default: no limit.
   */
  readonly memoryBudgetBytes?: number;
  /**
   * Merging of small temporal chunks on insert. Default: Rerun's limits (4096 rows, 384 KiB), with the byte
   * limit lowered to 1/16 of the memory budget when there is one, so eviction stays fine-grained. A merge appends
   * the incoming rows to the growing chunk's buffers, which double when full: the cost of an insert does not grow
   * with the chunk, and the spare capacity (at most as much again as the rows in use, per growing chunk) is not
   * counted in `stats().bytes`.
   */
  readonly compaction?: CompactionOptions | "disabled";
  /** Makes the ids of compacted chunks. Default: the process-wide TUID generator. */
  readonly chunkIdGenerator?: { next(): Tuid };
}

interface StaticWinner {
  readonly chunk: StoredChunk;
  readonly row: number;
}

interface ComponentEntry {
  readonly descriptor: ComponentDescriptor;
  readonly listType: DataType;
  chunkCount: number;
}

/** Everything the store knows about one entity path. */
class EntityIndex {
  /** timeline → component → chunks sorted by time. */
  readonly temporal = new Map<string, Map<string, ChunksPerTime>>();
  /** component → static chunks holding it. */
  readonly staticChunks = new Map<string, Set<StoredChunk>>();
  /** component → the static row with the greatest RowId (what every query returns for that component). */
  readonly staticWinners = new Map<string, StaticWinner>();
  readonly components = new Map<string, ComponentEntry>();
  chunkCount = 0;
}

/**
 * An in-memory time-series database of chunks (Rerun's `re_chunk_store` + the uncached part of `re_query`).
 *
 * - Indices: entity → timeline → component → chunks sorted by time range (`ChunksPerTime`), and entity →
 *   component → static chunks with the winning static row.
 * - `latestAt`: static data wins over temporal data; otherwise the row with the greatest time ≤ t, ties broken
 *   by the greatest RowId; null cells (component not logged in that row) are skipped; an empty list is a
 *   result (a clear).
 * - `range`: like Rerun, static data shadows temporal data: if the entity has static data for the component, the
 *   result is that one static row; otherwise the temporal rows in [start, end], sorted by (time, RowId).
 *   `rangeTemporal` ignores static data.
 * - Re-inserting a known ChunkId is a no-op (also for ids merged into a compacted chunk; ids of evicted chunks
 *   are forgotten, so such a chunk can be loaded again).
 */
export class ChunkStore {
  private memoryBudgetBytes: number;
  private compaction: { maxRows: number; maxBytes: number } | undefined;
  private readonly chunkIdGenerator: { next(): Tuid };

  private readonly entities = new Map<string, EntityIndex>();
  /** Live chunk by chunk-id key. */
  private readonly chunksById = new Map<string, StoredChunk>();
  /** Every incoming chunk id held by a live chunk (itself or compacted into it). */
  private readonly knownIds = new Set<string>();
  /** Temporal chunks sorted by (smallest RowId, id): the eviction order. */
  private readonly evictionQueue: StoredChunk[] = [];
  /** Compaction key → the last temporal chunk stored with that key (the only merge candidate). */
  private readonly compactionCandidates = new Map<string, StoredChunk>();
  private readonly timelineTypes = new Map<string, TimeType>();
  private timelinesCache: Map<string, TimelineInfo> | undefined;
  private readonly listeners = new Set<StoreListener>();
  private nextEventId = 0;

  private readonly staticCounts = new MutableCounts();
  private readonly temporalCounts = new MutableCounts();
  private readonly evictedCounts = new MutableCounts();
  private readonly overwrittenCounts = new MutableCounts();
  private compactionCount = 0;

  constructor(options: ChunkStoreOptions = {}) {
    const budget = options.memoryBudgetBytes ?? Number.POSITIVE_INFINITY;
    if (!(budget >= 0)) {
      throw new StoreError("invalid-query", `memoryBudgetBytes must be ≥ 0, got ${budget}`);
    }
    this.memoryBudgetBytes = budget;
    const compaction = options.compaction ?? {};
    this.compaction =
      compaction === "disabled"
        ? undefined
        : {
            maxRows: compaction.maxRows ?? DEFAULT_COMPACTION_MAX_ROWS,
            maxBytes: compaction.maxBytes ?? Math.min(DEFAULT_COMPACTION_MAX_BYTES, Math.floor(budget / 16)),
          };
    this.chunkIdGenerator = options.chunkIdGenerator ?? defaultTuidGenerator;
  }

  // --- writes ---

  /**
   * Adds a chunk and returns the events it caused (also sent to subscribers): one addition, then any
   * deletions (static chunks overwritten, temporal chunks evicted for the memory budget). Returns no events for
   * a known ChunkId or an empty chunk. Throws `StoreError` for a malformed chunk or a timeline whose type
   * differs from earlier chunks, before changing anything.
   */
  insert(chunk: Chunk): StoreEvent[] {
    if (chunk.numRows === 0 || this.knownIds.has(tuidKey(chunk.id))) return [];
    this.validate(chunk);
    for (const column of chunk.timelines.values())
      this.timelineTypes.set(column.timeline.name, column.timeline.type);

    const events: StoreEvent[] = [];
    if (chunk.isStatic) this.insertStatic(chunk, events);
    else this.insertTemporal(chunk, events);
    this.enforceBudget(events);
    this.emit(events);
    return events;
  }

  /**
   * Hands memory management to the caller (e.g. a `LazyChunkLoader`): from now on no compaction and no budget of
   * the store's own. Throws `StoreError` "invalid-query" unless the store holds no temporal chunk yet.
   */
  manageMemoryExternally(): void {
    if (this.temporalCounts.chunks > 0) {
      throw new StoreError(
        "invalid-query",
        `manageMemoryExternally needs a store without temporal chunks, this one holds ${this.temporalCounts.chunks}`,
      );
    }
    this.compaction = undefined;
    this.memoryBudgetBytes = Number.POSITIVE_INFINITY;
  }

  /**
   * Removes the chunk stored under `chunkId` (as inserted; not one compacted into another) with a deletion event
   * of reason "evicted", for a caller that manages memory itself (lazy loading: the chunk can be inserted again
   * later). Returns no events when no such chunk is stored.
   */
  evict(chunkId: Tuid): StoreEvent[] {
    const stored = this.chunksById.get(tuidKey(chunkId));
    if (!stored) return [];
    const events: StoreEvent[] = [];
    this.removeChunk(stored, "evicted", events);
    this.emit(events);
    return events;
  }

  /** Calls `listener` with the events of every later insert. Returns the function that unsubscribes. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // --- queries ---

  /** The row a latest-at query selects (see the class comment), or undefined if there is none. */
  latestAt(query: LatestAtQuery): QueryRow | undefined {
    return this.latestStatic(query.entityPath, query.component) ?? this.latestAtTemporal(query);
  }

  /** `latestAt`, with the row's instances read through `type`; `[]` means the component was cleared. */
  latestAtValues<T>(query: LatestAtQuery, type: ComponentType<T>): T[] | undefined {
    const row = this.latestAt(query);
    return row ? (row.chunk.componentValues(query.component, row.row, type) ?? undefined) : undefined;
  }

  /** Latest-at over temporal data only (static data ignored). */
  latestAtTemporal(query: LatestAtQuery): QueryRow | undefined {
    const index = this.entities.get(query.entityPath)?.temporal.get(query.timeline)?.get(query.component);
    const hit = index?.latestAt(query.time);
    return hit ? temporalRow(hit) : undefined;
  }

  /** The winning static row of an entity + component (greatest RowId), if any. */
  latestStatic(entityPath: string, component: string): QueryRow | undefined {
    const winner = this.entities.get(entityPath)?.staticWinners.get(component);
    if (!winner) return undefined;
    const chunk = winner.chunk.chunk;
    return { chunk, row: winner.row, time: null, rowId: rowIdAt(chunk.rowIds, winner.row), isStatic: true };
  }

  /**
   * Range query (see the class comment): the static row alone if there is static data for the component,
   * otherwise every temporal row with start ≤ time ≤ end that logged it, sorted by (time, RowId).
   */
  range(query: RangeQuery): QueryRow[] {
    const staticRow = this.latestStatic(query.entityPath, query.component);
    return staticRow ? [staticRow] : this.rangeTemporal(query);
  }

  /** `range`, with each row's instances read through `type`. */
  rangeValues<T>(query: RangeQuery, type: ComponentType<T>): QueryValues<T>[] {
    return this.range(query).map((r) => ({
      time: r.time,
      rowId: r.rowId,
      isStatic: r.isStatic,
      values: r.chunk.componentValues(query.component, r.row, type) ?? [],
    }));
  }

  /** Range over temporal data only (static data ignored), sorted by (time, RowId). */
  rangeTemporal(query: RangeQuery): QueryRow[] {
    const index = this.entities.get(query.entityPath)?.temporal.get(query.timeline)?.get(query.component);
    return index ? index.range(query.start, query.end).map(temporalRow) : [];
  }

  /** Entity paths that have data, sorted. */
  entityPaths(): string[] {
    return [...this.entities.keys()].sort();
  }

  /** Timelines with temporal data, sorted by name, with their type and time range. */
  timelines(): ReadonlyMap<string, TimelineInfo> {
    if (!this.timelinesCache) {
      const ranges = new Map<string, TimeRange>();
      for (const stored of this.chunksById.values()) {
        for (const [name, r] of stored.timeRanges) {
          const prev = ranges.get(name);
          ranges.set(name, prev ? { min: min(prev.min, r.min), max: max(prev.max, r.max) } : r);
        }
      }
      this.timelinesCache = new Map(
        [...ranges.entries()]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, r]) => [name, { name, type: this.timelineTypes.get(name)!, ...r }]),
      );
    }
    return this.timelinesCache;
  }

  /** The type of a timeline ever seen by this store (also after its data was evicted). */
  timelineType(name: string): TimeType | undefined {
    return this.timelineTypes.get(name);
  }

  /** The components of an entity that have data, sorted by identifier. */
  componentsOf(entityPath: string): ComponentInfo[] {
    const entity = this.entities.get(entityPath);
    if (!entity) return [];
    return [...entity.components.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, c]) => ({
        descriptor: c.descriptor,
        listType: c.listType,
        hasStatic: entity.staticWinners.has(name),
      }));
  }

  stats(): StoreStats {
    const s = this.staticCounts;
    const t = this.temporalCounts;
    return {
      chunks: s.chunks + t.chunks,
      rows: s.rows + t.rows,
      bytes: s.bytes + t.bytes,
      static: s.snapshot(),
      temporal: t.snapshot(),
      evicted: this.evictedCounts.snapshot(),
      overwrittenStatic: this.overwrittenCounts.snapshot(),
      compactions: this.compactionCount,
    };
  }

  // --- internals ---

  private validate(chunk: Chunk): void {
    const fail = (what: string): never => {
      throw new StoreError("invalid-chunk", `chunk ${chunk.id.toString()} of ${chunk.entityPath}: ${what}`);
    };
    if (chunk.entityPath.length === 0) fail("empty entity path");
    if (chunk.rowIds.length % 16 !== 0) fail(`RowId bytes ${chunk.rowIds.length} not a multiple of 16`);
    for (const [name, column] of chunk.timelines) {
      if (column.times.length !== chunk.numRows) {
        fail(`timeline ${name} has ${column.times.length} times, expected ${chunk.numRows}`);
      }
      const known = this.timelineTypes.get(name);
      if (known !== undefined && known !== column.timeline.type) {
        throw new StoreError(
          "timeline-type-mismatch",
          `timeline ${name} is ${known} in the store but ${column.timeline.type} in chunk ` +
            `${chunk.id.toString()} of ${chunk.entityPath}`,
        );
      }
    }
    for (const [name, column] of chunk.components) {
      if (column.list.length !== chunk.numRows) {
        fail(`component ${name} has ${column.list.length} rows, expected ${chunk.numRows}`);
      }
    }
  }

  private entity(entityPath: string): EntityIndex {
    let entity = this.entities.get(entityPath);
    if (!entity) {
      entity = new EntityIndex();
      this.entities.set(entityPath, entity);
    }
    return entity;
  }

  private insertStatic(chunk: Chunk, events: StoreEvent[]): void {
    const stored = new StoredChunk(chunk);
    this.knownIds.add(stored.idKey);
    const entity = this.entity(chunk.entityPath);
    this.addCommon(stored, entity);
    for (const component of chunk.components.keys()) {
      let set = entity.staticChunks.get(component);
      if (!set) {
        set = new Set();
        entity.staticChunks.set(component, set);
      }
      set.add(stored);
      const row = stored.latestStatic(component);
      const current = entity.staticWinners.get(component);
      if (
        row !== undefined &&
        (!current || compareRowIds(chunk.rowIds, row, current.chunk.chunk.rowIds, current.row) > 0)
      ) {
        entity.staticWinners.set(component, { chunk: stored, row });
      }
    }
    this.staticCounts.add(chunk.numRows, stored.sizeBytes);
    events.push({ ...this.eventBase(chunk, stored.timeRanges), kind: "addition", chunk });

    // Static chunks that no longer hold the winning row of any of their components can never be returned.
    const candidates = new Set<StoredChunk>();
    for (const component of chunk.components.keys()) {
      for (const c of entity.staticChunks.get(component) ?? []) candidates.add(c);
    }
    for (const candidate of candidates) {
      const holdsWinner = [...candidate.chunk.components.keys()].some(
        (component) => entity.staticWinners.get(component)?.chunk === candidate,
      );
      if (!holdsWinner) this.removeChunk(candidate, "overwritten-static", events);
    }
  }

  private insertTemporal(chunk: Chunk, events: StoreEvent[]): void {
    const entity = this.entity(chunk.entityPath);
    const key = this.compaction ? compactionKey(chunk) : undefined;
    const candidate = key === undefined ? undefined : this.compactionCandidates.get(key);
    let stored: StoredChunk;
    let compaction: { sourceChunkIds: Tuid[]; newChunk: Chunk } | undefined;
    if (
      candidate &&
      this.compaction &&
      this.chunksById.get(candidate.idKey) === candidate &&
      candidate.chunk.numRows + chunk.numRows <= this.compaction.maxRows &&
      candidate.sizeBytes + chunk.sizeBytes <= this.compaction.maxBytes
    ) {
      // Appended to the candidate's growing buffers: the cost is that of the incoming rows, not of the whole chunk.
      stored = StoredChunk.merged(candidate, new StoredChunk(chunk), this.chunkIdGenerator.next());
      // The candidate leaves the indices but its ids stay known: they move to the merged chunk.
      this.removeTemporalFromIndices(candidate, entity, false);
      this.knownIds.add(tuidKey(chunk.id));
      compaction = { sourceChunkIds: [candidate.chunk.id, chunk.id], newChunk: stored.chunk };
      this.compactionCount++;
    } else {
      stored = new StoredChunk(chunk);
      this.knownIds.add(stored.idKey);
    }
    this.addCommon(stored, entity);
    for (const timeline of chunk.timelines.keys()) {
      let perComponent = entity.temporal.get(timeline);
      if (!perComponent) {
        perComponent = new Map();
        entity.temporal.set(timeline, perComponent);
      }
      for (const component of chunk.components.keys()) {
        let index = perComponent.get(component);
        if (!index) {
          index = new ChunksPerTime(timeline, component);
          perComponent.set(component, index);
        }
        index.insert(stored);
      }
    }
    this.evictionQueue.splice(this.evictionPosition(stored), 0, stored);
    this.temporalCounts.add(stored.chunk.numRows, stored.sizeBytes);
    if (key !== undefined) this.compactionCandidates.set(key, stored);
    const base = this.eventBase(chunk, timeRangesOf(chunk));
    events.push(
      compaction ? { ...base, kind: "addition", chunk, compaction } : { ...base, kind: "addition", chunk },
    );
  }

  /** Registers a chunk in the id maps and the per-entity component table. */
  private addCommon(stored: StoredChunk, entity: EntityIndex): void {
    // Compaction may just have removed the entity's last chunk (and so the entity) before adding the merged one.
    this.entities.set(stored.chunk.entityPath, entity);
    this.chunksById.set(stored.idKey, stored);
    entity.chunkCount++;
    for (const [name, column] of stored.chunk.components) {
      const entry = entity.components.get(name);
      if (entry) entry.chunkCount++;
      else {
        entity.components.set(name, {
          descriptor: column.descriptor,
          listType: column.list.type,
          chunkCount: 1,
        });
      }
    }
    this.timelinesCache = undefined;
  }

  /**
   * Undoes `addCommon` and the temporal indices of a chunk (used by compaction and eviction); `forget` also
   * forgets its source ids (not when it is being merged into a new chunk that keeps them).
   */
  private removeTemporalFromIndices(stored: StoredChunk, entity: EntityIndex, forget: boolean): void {
    for (const timeline of stored.chunk.timelines.keys()) {
      const perComponent = entity.temporal.get(timeline);
      for (const component of stored.chunk.components.keys()) {
        const index = perComponent?.get(component);
        index?.remove(stored);
        if (index && index.size === 0) perComponent!.delete(component);
      }
      if (perComponent && perComponent.size === 0) entity.temporal.delete(timeline);
    }
    const at = this.evictionPosition(stored);
    if (this.evictionQueue[at] === stored) this.evictionQueue.splice(at, 1);
    this.temporalCounts.add(stored.chunk.numRows, stored.sizeBytes, -1);
    this.removeCommon(stored, entity, forget);
  }

  private removeCommon(stored: StoredChunk, entity: EntityIndex, forget: boolean): void {
    this.chunksById.delete(stored.idKey);
    if (forget) for (const id of stored.sourceIdKeys) this.knownIds.delete(id);
    entity.chunkCount--;
    for (const name of stored.chunk.components.keys()) {
      const entry = entity.components.get(name)!;
      if (--entry.chunkCount === 0) entity.components.delete(name);
    }
    if (entity.chunkCount === 0) this.entities.delete(stored.chunk.entityPath);
    this.timelinesCache = undefined;
  }

  /** Removes a chunk for good, with a deletion event. */
  private removeChunk(stored: StoredChunk, reason: DeletionReason, events: StoreEvent[]): void {
    const entity = this.entities.get(stored.chunk.entityPath)!;
    const { numRows } = stored.chunk;
    if (stored.chunk.isStatic) {
      for (const component of stored.chunk.components.keys()) {
        const set = entity.staticChunks.get(component);
        set?.delete(stored);
        if (set && set.size === 0) entity.staticChunks.delete(component);
        if (entity.staticWinners.get(component)?.chunk === stored) entity.staticWinners.delete(component);
      }
      this.staticCounts.add(numRows, stored.sizeBytes, -1);
      this.removeCommon(stored, entity, true);
    } else {
      this.removeTemporalFromIndices(stored, entity, true);
      const key = compactionKey(stored.chunk);
      if (this.compactionCandidates.get(key) === stored) this.compactionCandidates.delete(key);
    }
    (reason === "evicted" ? this.evictedCounts : this.overwrittenCounts).add(numRows, stored.sizeBytes);
    events.push({
      ...this.eventBase(stored.chunk, stored.timeRanges),
      kind: "deletion",
      chunk: stored.chunk,
      reason,
    });
  }

  private enforceBudget(events: StoreEvent[]): void {
    while (
      this.staticCounts.bytes + this.temporalCounts.bytes > this.memoryBudgetBytes &&
      this.evictionQueue.length > 0
    ) {
      this.removeChunk(this.evictionQueue[0]!, "evicted", events);
    }
  }

  /** Where `stored` is (or would go) in the eviction queue. */
  private evictionPosition(stored: StoredChunk): number {
    let lo = 0;
    let hi = this.evictionQueue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.evictionQueue[mid]!;
      const before =
        other.minRowIdKey < stored.minRowIdKey ||
        (other.minRowIdKey === stored.minRowIdKey && other.idKey < stored.idKey);
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private eventBase(chunk: Chunk, timeRanges: ReadonlyMap<string, TimeRange>): StoreEventBase {
    return {
      eventId: this.nextEventId++,
      entityPath: chunk.entityPath,
      isStatic: chunk.isStatic,
      components: [...chunk.components.keys()].sort(),
      timeRanges,
      numRows: chunk.numRows,
    };
  }

  private emit(events: readonly StoreEvent[]): void {
    if (events.length === 0) return;
    const errors: unknown[] = [];
    for (const listener of [...this.listeners]) {
      try {
        listener(events);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw new StoreError(
        "listener-failed",
        `${errors.length} store listener(s) threw; the insert itself completed`,
        { cause: errors.length === 1 ? errors[0] : new AggregateError(errors) },
      );
    }
  }
}

function temporalRow(hit: RowHit): QueryRow {
  const chunk = hit.chunk.chunk;
  return { chunk, row: hit.row, time: hit.time, rowId: rowIdAt(chunk.rowIds, hit.row), isStatic: false };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
