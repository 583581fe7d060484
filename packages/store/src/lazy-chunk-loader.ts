import type { Chunk } from "@iris/chunk";
import type { ChunkStore } from "./chunk-store.ts";
import type {
  ChunkFetcher,
  ChunkIndexEntry,
  LazyChunkLoaderOptions,
  LazyFrame,
  LazyLoaderCounters,
  LazyRange,
} from "./lazy-loader-types.ts";
import type { TimelineInfo } from "./query-types.ts";
import { tuidKey } from "./row-id.ts";
import { StoreError } from "./store-error.ts";
import type { TimeRange } from "./stored-chunk.ts";

/**
 * Loads chunks into a `ChunkStore` on demand from an index (e.g. an RRD footer manifest) instead of reading a
 * whole recording: static chunks at `loadStatic()`, and for each frame (`ensureFrame`) exactly the temporal chunks
 * that latest-at queries at that time can return, i.e. per entity and component the chunks whose time range
 * starts at or before the time and does not end before the latest such start (then a check against the store
 * adds any the row-level data shows are also needed). Resident chunks are evicted least recently used first while
 * the store holds more than the budget; what the current frame needs and static data stay. The loader takes over the
 * store's memory management (`ChunkStore.manageMemoryExternally`: no compaction, whose merged chunks could not
 * be evicted by their own id, and no budget of the store's own), so the store must hold no temporal chunk yet.
 *
 * Frames requested while one is loading are coalesced: only the newest waits to run (scrubbing does not queue up
 * reads for every position passed).
 */
export class LazyChunkLoader<E extends ChunkIndexEntry = ChunkIndexEntry> {
  readonly counters: LazyLoaderCounters = {
    chunksFetched: 0,
    bytesFetched: 0,
    fetchCalls: 0,
    evictions: 0,
    framesServed: 0,
  };
  readonly memoryBudgetBytes: number;
  private readonly entries: readonly E[];
  private readonly byKey = new Map<string, E>();
  /** entity → timeline → temporal entries sorted by range start. */
  private readonly temporal = new Map<string, Map<string, E[]>>();
  /** entity → components with static data (static data wins over temporal in latest-at). */
  private readonly staticComponents = new Map<string, Set<string>>();
  /** Keys of the chunks this loader inserted and the store still holds. */
  private readonly residentKeys = new Set<string>();
  /** When each resident chunk was last needed by a frame (a tick count). */
  private readonly lastUsed = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<void>>();
  private pinned = new Set<string>();
  /** What the last `ensureRange` needs (kept like the current frame's chunks until the next one). */
  private rangePinned = new Set<string>();
  private tick = 0;
  private running: Promise<void> | undefined;
  private pending:
    { frame: LazyFrame; done: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;
  private readonly timelineInfos: ReadonlyMap<string, TimelineInfo>;

  constructor(
    readonly store: ChunkStore,
    entries: readonly E[],
    private readonly fetcher: ChunkFetcher<E>,
    options: LazyChunkLoaderOptions = {},
  ) {
    const budget = options.memoryBudgetBytes ?? 512 * 1024 * 1024;
    if (!(budget >= 0)) throw new StoreError("invalid-query", `memoryBudgetBytes must be ≥ 0, got ${budget}`);
    this.memoryBudgetBytes = budget;
    store.manageMemoryExternally();
    this.entries = entries;
    const ranges = new Map<string, TimeRange>();
    for (const entry of entries) {
      const key = tuidKey(entry.chunkId);
      this.byKey.set(key, entry);
      if (entry.isStatic) {
        let set = this.staticComponents.get(entry.entityPath);
        if (!set) this.staticComponents.set(entry.entityPath, (set = new Set()));
        for (const c of entry.components) set.add(c);
        continue;
      }
      let perTimeline = this.temporal.get(entry.entityPath);
      if (!perTimeline) this.temporal.set(entry.entityPath, (perTimeline = new Map()));
      for (const [timeline, range] of entry.timeRanges) {
        let list = perTimeline.get(timeline);
        if (!list) perTimeline.set(timeline, (list = []));
        list.push(entry);
        const prev = ranges.get(timeline);
        ranges.set(timeline, {
          min: prev && prev.min < range.min ? prev.min : range.min,
          max: prev && prev.max > range.max ? prev.max : range.max,
        });
      }
    }
    for (const perTimeline of this.temporal.values()) {
      for (const [timeline, list] of perTimeline)
        list.sort((a, b) => cmp(start(a, timeline), start(b, timeline)));
    }
    this.timelineInfos = new Map(
      [...ranges.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, r]) => [name, { name, type: options.timelineTypes?.get(name) ?? "sequence", ...r }]),
    );
    store.subscribe((events) => {
      for (const event of events) {
        if (event.kind !== "deletion") continue;
        this.lastUsed.delete(tuidKey(event.chunk.id));
        this.residentKeys.delete(tuidKey(event.chunk.id));
      }
    });
  }

  /** Every timeline of the index with its full time range (known before any chunk is read). */
  timelines(): ReadonlyMap<string, TimelineInfo> {
    return this.timelineInfos;
  }

  /** Chunks in the index (static and temporal). */
  get indexedChunks(): number {
    return this.entries.length;
  }

  /** Every entity of the index, sorted. */
  entityPaths(): string[] {
    return [...new Set(this.entries.map((e) => e.entityPath))].sort();
  }

  /** The index entries of an entity (e.g. to draw where it has data). */
  entriesOf(entityPath: string): E[] {
    return this.entries.filter((e) => e.entityPath === entityPath);
  }

  /** Chunk bytes resident in the store now (its own accounting). */
  residentBytes(): number {
    return this.store.stats().bytes;
  }

  /** Reads every static chunk (they answer queries at any time and are never evicted). */
  async loadStatic(): Promise<void> {
    await this.load(this.entries.filter((e) => e.isStatic));
  }

  /**
   * Makes the chunks that latest-at queries at `frame` need resident, pins them (the previous frame's pins are
   * released) and evicts beyond the budget. When another frame is requested before this one started, only the
   * newer one runs and both promises resolve when it is done.
   */
  ensureFrame(frame: LazyFrame): Promise<void> {
    if (this.pending) {
      this.pending.frame = frame;
      return this.pending.done;
    }
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const done = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    this.pending = { frame, done, resolve, reject };
    if (!this.running) this.running = this.drain();
    return done;
  }

  /**
   * Makes resident the chunks whose time range meets `range` (every row logged in it) and those latest-at queries
   * at its start need (e.g. an image format logged once before), keeps them until the next call (as the current
   * frame's) and evicts beyond the budget. Independent of `ensureFrame`: the frame's chunks stay pinned too.
   * Chunks beyond `maxBytes` are not read; resolves to how many those are.
   */
  async ensureRange(range: LazyRange): Promise<{ skipped: number }> {
    const frame = { timeline: range.timeline, time: range.min };
    const latest = this.neededFor(range.entityPaths ? { ...frame, entityPaths: range.entityPaths } : frame);
    const inRange = this.entriesInRange(range).sort((a, b) =>
      cmp(start(a, range.timeline), start(b, range.timeline)),
    );
    const maxBytes = range.maxBytes ?? this.memoryBudgetBytes / 2;
    const { needed, skipped } = firstWithin([...new Set([...latest, ...inRange])], maxBytes);
    this.rangePinned = new Set([...needed].map((e) => tuidKey(e.chunkId)));
    await this.load([...needed]);
    this.tick++;
    for (const key of this.rangePinned) this.lastUsed.set(key, this.tick);
    this.evict();
    return { skipped };
  }

  /** Lets the chunks the last `ensureRange` kept go (e.g. the table was hidden): evicted as others when over budget. */
  releaseRange(): void {
    this.rangePinned.clear();
  }

  /** The temporal index entries whose time range on `range.timeline` meets [`min`, `max`]. */
  entriesInRange(range: LazyRange): E[] {
    const out: E[] = [];
    for (const entity of range.entityPaths ?? this.temporal.keys()) {
      const list = this.temporal.get(entity)?.get(range.timeline);
      if (!list) continue;
      for (const entry of prefixStartingBy(list, range.timeline, range.max))
        if (entry.timeRanges.get(range.timeline)!.max >= range.min) out.push(entry);
    }
    return out;
  }

  /** Whether the chunk of `entry` is in the store now. */
  isResident(entry: E): boolean {
    return this.residentKeys.has(tuidKey(entry.chunkId));
  }

  /**
   * Reads the chunks of `entries` through the fetcher without inserting them (nothing stays resident: the caller
   * keeps what it needs of them, e.g. their times, and drops them).
   */
  async readTransient(entries: readonly E[]): Promise<Chunk[]> {
    this.counters.fetchCalls++;
    return this.fetcher(entries);
  }

  /** The index entries latest-at queries at `frame` need (before the row-level check `ensureFrame` adds). */
  neededFor(frame: LazyFrame): E[] {
    const needed = new Set<E>();
    for (const entity of frame.entityPaths ?? this.temporal.keys()) {
      const list = this.temporal.get(entity)?.get(frame.timeline);
      if (!list) continue;
      const statics = this.staticComponents.get(entity);
      const candidates = prefixStartingBy(list, frame.timeline, frame.time);
      // Per component: the latest start at or before the time bounds the answer from below.
      const bound = new Map<string, bigint>();
      for (const entry of candidates) {
        const s = start(entry, frame.timeline);
        for (const c of entry.components) {
          if (statics?.has(c)) continue;
          const b = bound.get(c);
          if (b === undefined || s > b) bound.set(c, s);
        }
      }
      for (const entry of candidates) {
        const end = entry.timeRanges.get(frame.timeline)!.max;
        if (entry.components.some((c) => !statics?.has(c) && end >= bound.get(c)!)) needed.add(entry);
      }
    }
    return [...needed];
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const { frame, resolve, reject } = this.pending;
      this.pending = undefined;
      try {
        await this.serve(frame);
        resolve();
      } catch (error) {
        reject(error);
      }
    }
    this.running = undefined;
  }

  private async serve(frame: LazyFrame): Promise<void> {
    let needed = this.neededFor(frame);
    this.pinned = new Set(needed.map((e) => tuidKey(e.chunkId)));
    await this.load(needed);
    // Row-level check: a chunk's first row may not hold every component it has; then older chunks can hold
    // the answer. Load those until every query's answer is resident (rarely more than one round).
    for (let round = 0; round < 64; round++) {
      needed = this.missingAfterQueries(frame);
      if (needed.length === 0) break;
      for (const e of needed) this.pinned.add(tuidKey(e.chunkId));
      await this.load(needed);
    }
    this.tick++;
    for (const key of this.pinned) this.lastUsed.set(key, this.tick);
    this.counters.framesServed++;
    this.evict();
  }

  /** Entries not resident whose time range could still hold a better answer than what the store returns. */
  private missingAfterQueries(frame: LazyFrame): E[] {
    const missing = new Set<E>();
    for (const entity of frame.entityPaths ?? this.temporal.keys()) {
      const list = this.temporal.get(entity)?.get(frame.timeline);
      if (!list) continue;
      const statics = this.staticComponents.get(entity);
      const candidates = prefixStartingBy(list, frame.timeline, frame.time);
      const components = new Set(candidates.flatMap((e) => e.components).filter((c) => !statics?.has(c)));
      for (const component of components) {
        const found = this.store.latestAtTemporal({
          entityPath: entity,
          timeline: frame.timeline,
          time: frame.time,
          component,
        });
        for (const entry of candidates) {
          if (!entry.components.includes(component) || this.isResident(entry)) continue;
          if (found === undefined || entry.timeRanges.get(frame.timeline)!.max >= found.time!)
            missing.add(entry);
        }
      }
    }
    return [...missing];
  }

  /** Reads the entries that are neither resident nor being read, and inserts them. */
  private async load(entries: readonly E[]): Promise<void> {
    const waits: Promise<void>[] = [];
    const toFetch: E[] = [];
    for (const entry of entries) {
      const key = tuidKey(entry.chunkId);
      if (this.residentKeys.has(key)) continue;
      const running = this.inflight.get(key);
      if (running) waits.push(running);
      else toFetch.push(entry);
    }
    if (toFetch.length > 0) {
      this.counters.fetchCalls++;
      const fetching = this.fetcher(toFetch).then((chunks) => {
        for (const [i, chunk] of chunks.entries()) {
          const entry = toFetch[i]!;
          const key = tuidKey(entry.chunkId);
          if (chunk.entityPath !== entry.entityPath || tuidKey(chunk.id) !== key) {
            throw new StoreError(
              "invalid-chunk",
              `the index says chunk ${entry.chunkId.toString()} of ${entry.entityPath} is at this place, ` +
                `the file has chunk ${chunk.id.toString()} of ${chunk.entityPath}`,
            );
          }
          this.counters.chunksFetched++;
          this.counters.bytesFetched += entry.byteSize;
          this.residentKeys.add(key);
          this.lastUsed.set(key, this.tick);
          this.store.insert(chunk);
        }
      });
      const settled = fetching.finally(() => {
        for (const entry of toFetch) this.inflight.delete(tuidKey(entry.chunkId));
      });
      for (const entry of toFetch) this.inflight.set(tuidKey(entry.chunkId), settled);
      waits.push(settled);
    }
    await Promise.all(waits);
  }

  /** Evicts least recently used unpinned temporal chunks while the store is over the budget. */
  private evict(): void {
    if (this.store.stats().bytes <= this.memoryBudgetBytes) return;
    const order = [...this.residentKeys]
      .filter((key) => !this.pinned.has(key) && !this.rangePinned.has(key) && !this.byKey.get(key)!.isStatic)
      .sort((a, b) => (this.lastUsed.get(a) ?? 0) - (this.lastUsed.get(b) ?? 0));
    for (const key of order) {
      if (this.store.stats().bytes <= this.memoryBudgetBytes) break;
      this.store.evict(this.byKey.get(key)!.chunkId);
      this.residentKeys.delete(key);
      this.counters.evictions++;
    }
  }
}

function start(entry: ChunkIndexEntry, timeline: string): bigint {
  return entry.timeRanges.get(timeline)!.min;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The entries (sorted by start) whose range starts at or before `time`. */
function prefixStartingBy<E extends ChunkIndexEntry>(
  list: readonly E[],
  timeline: string,
  time: bigint,
): E[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (start(list[mid]!, timeline) <= time) lo = mid + 1;
    else hi = mid;
  }
  return list.slice(0, lo);
}

/** The first entries whose decoded sizes sum to at most `maxBytes` (at least one), and how many are left out. */
function firstWithin<E extends ChunkIndexEntry>(
  entries: readonly E[],
  maxBytes: number,
): { needed: E[]; skipped: number } {
  const needed: E[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entry.byteSizeUncompressed ?? entry.byteSize;
    if (needed.length > 0 && bytes + size > maxBytes) break;
    needed.push(entry);
    bytes += size;
  }
  return { needed, skipped: entries.length - needed.length };
}
