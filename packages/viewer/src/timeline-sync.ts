import type { ChunkStore } from "@iris/store";
import type { TimeControl } from "./time-control.ts";
import type { TimePanel } from "./time-panel.ts";
import { allTimes, entityDensity, entityTimes, storeTimelines } from "./timeline-data.ts";

/** Makes `name` the current timeline of the time control, with the store's times on it; false if unknown. */
export function selectStoreTimeline(store: ChunkStore, time: TimeControl, name: string): boolean {
  const timelines = storeTimelines(store);
  const t = timelines.find((x) => x.name === name);
  if (!t) return false;
  time.selectTimeline(name, timelines, allTimes(entityTimes(store, t)));
  return true;
}

/** Brings the time control and the time panel (timelines, per-entity density rows) up to the store's data. */
export function syncTimelines(store: ChunkStore, time: TimeControl, panel: TimePanel): void {
  const timelines = storeTimelines(store);
  time.updateTimelines(timelines, (name) => {
    const t = timelines.find((x) => x.name === name)!;
    return allTimes(entityTimes(store, t));
  });
  panel.setTimelines(timelines, time.timeline ? entityDensity(store, time.timeline) : new Map());
}
