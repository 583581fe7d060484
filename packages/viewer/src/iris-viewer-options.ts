import type { LazyLoadOptions } from "./lazy-url-loader.ts";
import type { PixelSelection } from "./spatial-2d-view.ts";

export interface IrisViewerOptions extends LazyLoadOptions {
  /**
   * Per-recording store memory budget in bytes: a recording loaded whole evicts its oldest temporal data beyond it
   * (default 2 GiB); one read on demand (`lazy`) keeps at most this many resident chunk bytes besides the current
   * frame (default 512 MiB; shown as "resident … / … budget" in the status line).
   */
  memoryBudgetBytes?: number;
  /** Keep the layout in the page URL (`?layout=…`) as well as in local storage; the standalone page does. */
  layoutInUrl?: boolean;
}

export interface IrisViewerEvents extends Record<string, unknown> {
  /** The time cursor moved or the timeline changed. */
  time: { timeline: string | undefined; time: bigint };
  /** A recording was added or selected. */
  recording: { name: string; index: number };
  /** A problem while loading (a skipped message, a decode error…). */
  warning: string;
  /** The user clicked a pixel of an image (undefined: clicked empty space). */
  selection: PixelSelection | undefined;
  /** The user clicked an entity in the left panel. */
  entity: string;
}
