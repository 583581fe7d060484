import type { ManifestChunk } from "@iris/rrd";
import type { LazyChunkLoader } from "@iris/store";

type Loader = LazyChunkLoader<ManifestChunk>;
import type { Recording } from "./recording.ts";
import type { TimeControl, TimelineState } from "./time-control.ts";
import type { TimePanel } from "./time-panel.ts";
import { selectStoreTimeline, syncTimelines } from "./timeline-sync.ts";
import { type EntityDensity, allTimes, entityDensity, entityTimes, storeTimelines } from "./timeline-data.ts";

/** The timelines of an on-demand recording with their full ranges, from its index (nothing read yet). */
export function lazyTimelines(loader: Loader): TimelineState[] {
  return [...loader.timelines().values()].map((t) => ({
    name: t.name,
    type: t.type,
    min: t.min,
    max: t.max,
  }));
}

/**
 * Where each entity has data on `timeline`, from the index: the start and end of each chunk's time range (rows
 * inside a chunk are not known before it is read), with the chunk's rows counted at its start.
 */
export function lazyEntityDensity(loader: Loader, timeline: TimelineState): Map<string, EntityDensity> {
  const out = new Map<string, EntityDensity>();
  for (const entityPath of loader.entityPaths()) {
    const counts = new Map<bigint, number>();
    for (const entry of loader.entriesOf(entityPath)) {
      const range = entry.timeRanges.get(timeline.name);
      if (!range) continue;
      counts.set(range.min, (counts.get(range.min) ?? 0) + 1);
      if (range.max !== range.min) counts.set(range.max, counts.get(range.max) ?? 1);
    }
    if (counts.size === 0) continue;
    const times = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.set(entityPath, { times, rows: times.map((t) => counts.get(t)!) });
  }
  return out;
}

const densityCache = new WeakMap<Loader, Map<string, Map<string, EntityDensity>>>();

/** `lazyEntityDensity`, computed once per loader and timeline (the index does not change). */
function cachedDensity(loader: Loader, timeline: TimelineState): Map<string, EntityDensity> {
  let perTimeline = densityCache.get(loader);
  if (!perTimeline) densityCache.set(loader, (perTimeline = new Map()));
  let density = perTimeline.get(timeline.name);
  if (!density) perTimeline.set(timeline.name, (density = lazyEntityDensity(loader, timeline)));
  return density;
}

/** The timelines the time panel shows for a recording: from its index when read on demand, else its store. */
export function recordingTimelines(recording: Recording): TimelineState[] {
  return recording.lazy ? lazyTimelines(recording.lazy.loader) : storeTimelines(recording.store);
}

/** Where each entity has data on `timeline` (from the index when read on demand). */
export function recordingDensity(recording: Recording, timeline: TimelineState): Map<string, EntityDensity> {
  return recording.lazy
    ? cachedDensity(recording.lazy.loader, timeline)
    : entityDensity(recording.store, timeline);
}

/** The sorted times frame stepping visits on `timeline`. */
export function recordingTimes(recording: Recording, timeline: TimelineState): bigint[] {
  return recording.lazy
    ? allTimes(new Map([...cachedDensity(recording.lazy.loader, timeline)].map(([e, d]) => [e, d.times])))
    : allTimes(entityTimes(recording.store, timeline));
}

/** `selectStoreTimeline` for a recording, from its index when it is read on demand. */
export function selectRecordingTimeline(recording: Recording, time: TimeControl, name: string): boolean {
  if (!recording.lazy) return selectStoreTimeline(recording.store, time, name);
  const timelines = recordingTimelines(recording);
  const t = timelines.find((x) => x.name === name);
  if (!t) return false;
  time.selectTimeline(name, timelines, recordingTimes(recording, t));
  return true;
}

/** `syncTimelines` for a recording: a recording read on demand shows its index's full ranges and chunk marks. */
export function syncRecordingTimelines(recording: Recording, time: TimeControl, panel: TimePanel): void {
  if (!recording.lazy) return syncTimelines(recording.store, time, panel);
  const timelines = recordingTimelines(recording);
  time.updateTimelines(timelines, (name) =>
    recordingTimes(
      recording,
      timelines.find((x) => x.name === name)!,
    ),
  );
  panel.setTimelines(timelines, time.timeline ? recordingDensity(recording, time.timeline) : new Map());
}
