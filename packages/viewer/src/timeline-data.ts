import type { ChunkStore } from "@iris/store";
import type { TimelineState } from "./time-control.ts";

/** Timelines of the store, as the time panel needs them. */
export function storeTimelines(store: ChunkStore): TimelineState[] {
  return [...store.timelines().values()].map((t) => ({ name: t.name, type: t.type, min: t.min, max: t.max }));
}

/** Per entity, the sorted distinct times at which it has data on `timeline`. */
export function entityTimes(store: ChunkStore, timeline: TimelineState): Map<string, bigint[]> {
  const out = new Map<string, bigint[]>();
  for (const entityPath of store.entityPaths()) {
    const times = new Set<bigint>();
    for (const c of store.componentsOf(entityPath)) {
      const rows = store.rangeTemporal({
        entityPath,
        timeline: timeline.name,
        start: timeline.min,
        end: timeline.max,
        component: c.descriptor.component,
      });
      for (const r of rows) if (r.time !== null) times.add(r.time);
    }
    if (times.size > 0)
      out.set(
        entityPath,
        [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      );
  }
  return out;
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
