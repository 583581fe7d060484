import { entityPathPrefixes } from "./entity-path-parts.ts";
import type { Recording } from "./recording.ts";
import type { TimeControl } from "./time-control.ts";
import { visibleWithAncestors } from "./visibility.ts";

/** An open, visible view as the on-demand loader sees it: the entities it lists and which of them it shows. */
export interface ShownView {
  readonly entities: readonly string[];
  /** The entity tree's own toggle of `entityPath` in this view (ancestors are checked here). */
  isEntityVisible(entityPath: string): boolean;
}

/**
 * The entities whose temporal chunks an on-demand recording reads for the current time, given the open, visible
 * views (`views`), or `undefined` for every entity (`views` undefined: a mode such as the dataframe table shows
 * everything). Needed are:
 * - the entities a view shows (in its list and visible with all their ancestors), and the ancestors of those that
 *   have data in the index (their transforms and pinholes place them, e.g. in the 3D view);
 * - every entity of the index that has no chunk in the store (`residentEntities`): the views are made from the
 *   store's entities, so an entity never read, or evicted whole, must be read once to get a view and a tree row
 *   (at first that is every entity). A hidden entity keeps its chunks until the memory budget evicts them.
 * Static data is not concerned: it is read once when the recording opens and never evicted.
 */
export function lazyNeededEntities(
  indexEntities: readonly string[],
  residentEntities: ReadonlySet<string>,
  views: readonly ShownView[] | undefined,
): string[] | undefined {
  if (!views) return undefined;
  const index = new Set(indexEntities);
  const needed = new Set(indexEntities.filter((e) => !residentEntities.has(e)));
  for (const view of views) {
    for (const entity of view.entities) {
      if (!visibleWithAncestors(entity, (e) => view.isEntityVisible(e))) continue;
      for (const path of ["/", ...entityPathPrefixes(entity)]) if (index.has(path)) needed.add(path);
    }
  }
  return [...needed].sort();
}

/**
 * Asks an on-demand recording for the chunks of the time shown and of the entities needed, once per change of
 * recording, time or needed entities (the viewer calls it on every time change and every refresh of its views).
 */
export class LazyFrameRequests {
  private last: { recording: Recording; timeline: string; time: bigint; key: string } | undefined;

  request(
    recording: Recording | undefined,
    time: TimeControl,
    views: readonly ShownView[] | undefined,
  ): void {
    const lazy = recording?.lazy;
    const timeline = time.timeline?.name;
    if (!recording || !lazy || timeline === undefined) return;
    const entityPaths = lazyNeededEntities(
      lazy.loader.entityPaths(),
      new Set(recording.store.entityPaths()),
      views,
    );
    const key = entityPaths === undefined ? "*" : entityPaths.join("\n");
    const at = time.time;
    const last = this.last;
    if (
      last &&
      last.recording === recording &&
      last.timeline === timeline &&
      last.time === at &&
      last.key === key
    )
      return;
    this.last = { recording, timeline, time: at, key };
    lazy.loader
      .ensureFrame({ timeline, time: at, ...(entityPaths ? { entityPaths } : {}) })
      .catch((error: unknown) => {
        recording.warn(
          `${recording.name}: cannot read the chunks at ${timeline} ${at}: ${(error as Error).message}`,
          "error",
        );
      });
  }
}
