import { CompareView } from "./compare-view.ts";
import type { QueryTime } from "./image-visualizer.ts";
import type { ViewerRecordings } from "./viewer-recordings.ts";
import type { ViewerMode } from "./viewer-top-bar.ts";

/** What the centre shows and what compare mode reads; the viewer makes them (the compare view is made here). */
export interface ViewerCenterParts {
  /** The grid of 2D and 3D views (views mode). */
  readonly views: HTMLElement;
  /** The dataframe table (dataframe mode). */
  readonly dataframe: HTMLElement;
  /** The probe panel, below whichever mode is shown. */
  readonly probe: HTMLElement;
  /** The recordings compare mode chooses from. */
  readonly recordings: ViewerRecordings;
  /** The time cursor (sides without a pinned time are shown at it). */
  readonly time: () => QueryTime;
}

/**
 * The centre of the viewer: the views, the dataframe table or compare mode, one at a time (`ViewerMode`), the
 * probe panel below them, and a hint while no recording is open. Compare mode's view is made on first use.
 */
export class ViewerCenter {
  readonly element: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private modeValue: ViewerMode = "views";
  private compare: CompareView | undefined;

  constructor(private readonly parts: ViewerCenterParts) {
    this.empty = document.createElement("div");
    this.empty.className = "iris-empty";
    this.empty.textContent = "Drop an .rrd file here, use Open…, or add ?url=… to the address.";
    parts.dataframe.style.display = "none";
    this.element = document.createElement("div");
    this.element.className = "iris-center";
    this.element.append(this.empty, parts.views, parts.dataframe, parts.probe);
  }

  get mode(): ViewerMode {
    return this.modeValue;
  }

  /** Shows the content of `mode` and hides the others'. */
  show(mode: ViewerMode): void {
    this.modeValue = mode;
    this.parts.views.style.display = mode === "views" ? "" : "none";
    this.parts.dataframe.style.display = mode === "dataframe" ? "" : "none";
    if (mode === "compare" || this.compare)
      this.compareView.element.style.display = mode === "compare" ? "" : "none";
  }

  /** Shows the hint to open a recording while `recordingCount` is 0. */
  showHint(recordingCount: number): void {
    this.empty.style.display = recordingCount === 0 ? "" : "none";
  }

  /** Compare mode's view (made on first use, hidden until compare mode is shown). */
  get compareView(): CompareView {
    if (!this.compare) {
      const { recordings, time } = this.parts;
      this.compare = new CompareView({
        recordings: () => recordings.list,
        activeIndex: () => recordings.activeIndex,
        time,
        label: (r) => recordings.labelOf(r),
      });
      this.compare.element.style.display = "none";
      this.element.append(this.compare.element);
    }
    return this.compare;
  }

  /** Has the compare view, if made, draw again on its next `render`. */
  invalidate(): void {
    this.compare?.invalidate();
  }

  /** Draws compare mode's view when it is shown and something changed (called on each animation frame). */
  render(): void {
    if (this.modeValue === "compare") this.compare?.render();
  }

  destroy(): void {
    this.compare?.destroy();
  }
}
