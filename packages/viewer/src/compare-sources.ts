import type { CompareSource, SideChoices } from "./compare-controls.ts";
import { drawableEntities, queryDrawable } from "./drawable-query.ts";
import type { Drawable2D } from "./image-cache.ts";
import type { QueryTime } from "./image-visualizer.ts";
import type { Recording } from "./recording.ts";

/** What compare mode reads from its viewer. */
export interface CompareHost {
  recordings(): readonly Recording[];
  /** Index of the recording shown (sources without `recording` use it). */
  activeIndex(): number;
  time(): QueryTime;
  label(recording: Recording): string;
}

/**
 * The pair compare mode starts with: the first two image entities of the recording shown; with only one, that
 * entity in another open recording that has it; else that entity twice.
 */
export function defaultCompareSources(host: CompareHost): [CompareSource, CompareSource] | undefined {
  const recordings = host.recordings();
  const active = host.activeIndex();
  const store = recordings[active]?.store;
  if (!store) return undefined;
  const entities = drawableEntities(store);
  const first = entities[0];
  if (first === undefined) return undefined;
  const other = recordings.findIndex((r, i) => i !== active && drawableEntities(r.store).includes(first));
  return [
    { recording: active, entity: first },
    entities[1] !== undefined
      ? { recording: active, entity: entities[1] }
      : { recording: other >= 0 ? other : active, entity: first },
  ];
}

/** The image a source names, latest-at its time (pinned, or the time cursor), or why there is none. */
export function findCompareDrawable(
  host: CompareHost,
  source: CompareSource | undefined,
  name: string,
): { drawable: Drawable2D } | { problem: string } {
  if (!source) return { problem: "Choose two images to compare (no image in this recording yet)." };
  const index = source.recording ?? host.activeIndex();
  const recording = host.recordings()[index];
  if (!recording) return { problem: `${name}: recording ${index} is not open` };
  const now = host.time();
  const at: QueryTime = { timeline: now.timeline, time: source.time ?? now.time };
  const drawable = queryDrawable(recording.store, source.entity, at);
  if (!drawable)
    return { problem: `${name}: ${source.entity} has no image at ${at.timeline ?? "static"} ${at.time}` };
  return { drawable };
}

/** What the controls offer for one side: the open recordings, and the image entities of the side's recording. */
export function compareSideChoices(host: CompareHost, source: CompareSource | undefined): SideChoices {
  const recordings = host.recordings();
  const index = source?.recording ?? host.activeIndex();
  const store = recordings[index]?.store;
  return {
    recordings: recordings.map((r) => host.label(r)),
    recording: index,
    entities: store ? drawableEntities(store) : [],
    source,
  };
}
