import type { ChunkStore } from "@iris/store";
import type { TimelineState } from "./time-control.ts";

/** Timelines of the store, as the time panel needs them. */
export function storeTimelines(store: ChunkStore): TimelineState[] {
  return [...store.timelines().values()].map((t) => ({ name: t.name, type: t.type, min: t.min, max: t.max }));
}

/** Where one entity has data on a timeline: sorted distinct times and how many rows it has at each. */
export interface EntityDensity {
  readonly times: readonly bigint[];
  /** Rows logged at `times[i]` (the most of any one component there, i.e. the number of log calls). */
  readonly rows: readonly number[];
}

/** Per entity, the sorted distinct times at which it has data on `timeline`, with the row count at each. */
export function entityDensity(store: ChunkStore, timeline: TimelineState): Map<string, EntityDensity> {
  const out = new Map<string, EntityDensity>();
  for (const entityPath of store.entityPaths()) {
    const counts = new Map<bigint, number>();
    for (const c of store.componentsOf(entityPath)) {
      const rows = store.rangeTemporal({
        entityPath,
        timeline: timeline.name,
        start: timeline.min,
        end: timeline.max,
        component: c.descriptor.component,
      });
      const perComponent = new Map<bigint, number>();
      for (const r of rows)
        if (r.time !== null) perComponent.set(r.time, (perComponent.get(r.time) ?? 0) + 1);
      for (const [t, n] of perComponent) counts.set(t, Math.max(counts.get(t) ?? 0, n));
    }
    if (counts.size === 0) continue;
    const times = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.set(entityPath, { times, rows: times.map((t) => counts.get(t)!) });
  }
  return out;
}

/** Per entity, the sorted distinct times at which it has data on `timeline`. */
export function entityTimes(store: ChunkStore, timeline: TimelineState): Map<string, readonly bigint[]> {
  return new Map([...entityDensity(store, timeline)].map(([e, d]) => [e, d.times]));
}

/** The sorted union of all entities' times. */
export function allTimes(perEntity: ReadonlyMap<string, readonly bigint[]>): bigint[] {
  const set = new Set<bigint>();
  for (const times of perEntity.values()) for (const t of times) set.add(t);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A time as the panel shows it. */
export function formatTimeValue(type: TimelineState["type"], value: bigint): string {
  if (type === "sequence") return `#${value}`;
  if (type === "duration") return `${(Number(value) / 1e9).toFixed(3)} s`;
  const date = new Date(Number(value / 1_000_000n));
  return Number.isNaN(date.getTime()) ? `${value} ns` : date.toISOString().replace("T", " ").replace("Z", "");
}
