import type { ChunkStore } from "@iris/store";
import { entitiesWith } from "./depth-segmentation-visualizer.ts";
import type { TreeView } from "./entity-tree-panel.ts";
import { type QueryTime, imageEntities } from "./image-visualizer.ts";
import type { Recording } from "./recording.ts";
import { type PixelSelection, Spatial2DView } from "./spatial-2d-view.ts";
import { Spatial3DView } from "./spatial-3d-view.ts";
import { hasSpatial3dData } from "./transform-tree.ts";
import { recommendedViews2d } from "./view-heuristics.ts";
import type { ViewLayout } from "./view-layout.ts";
import type { Visibility } from "./visibility.ts";

/** The 3D view's id in the layout and in `Visibility`. */
export const VIEW_3D_ID = "3d:/";

/**
 * The views of the active recording: one 2D view per recommendation of Rerun's heuristics (sorted by origin) and
 * a 3D view of "/" when there is Pinhole or Transform3D data; hidden views are left out of the layout.
 */
export class ViewManager {
  readonly views = new Map<string, Spatial2DView>();
  view3d: Spatial3DView | undefined;
  onSelect: ((selection: PixelSelection | undefined) => void) | undefined;

  constructor(
    private readonly layout: ViewLayout,
    private readonly visibility: Visibility,
    private readonly store: () => ChunkStore | undefined,
    private readonly time: () => QueryTime,
  ) {
    visibility.on("change", () => {
      this.applyLayout();
      this.invalidate();
    });
  }

  /** Re-runs the heuristics on the recording's data; keeps views whose recommendation did not change. */
  refresh(recording: Recording): void {
    const store = recording.store;
    const visualizable = new Set([
      ...imageEntities(store),
      ...entitiesWith(store, "DepthImage:buffer"),
      ...entitiesWith(store, "SegmentationImage:buffer"),
    ]);
    const specs = recommendedViews2d({
      entityPaths: store.entityPaths(),
      visualizable,
      dimensions: recording.imageDimensions.dimensions,
      pinholes: new Set(entitiesWith(store, "Pinhole:image_from_camera")),
    });
    const wanted = new Set(specs.map((s) => s.origin));
    for (const [origin, view] of this.views) {
      const spec = specs.find((s) => s.origin === origin);
      if (!spec || spec.contents !== view.spec.contents || !wanted.has(origin)) {
        view.destroy();
        this.views.delete(origin);
      }
    }
    for (const spec of specs) {
      if (this.views.has(spec.origin)) continue;
      const view = new Spatial2DView(spec, this.store, this.time, {
        isVisible: (entity) => this.visibility.isEntityVisible(spec.origin, entity),
      });
      view.onSelect = (selection) => this.onSelect?.(selection);
      this.views.set(spec.origin, view);
    }
    // Keep the map in origin order, so every listing of the views is alphabetical.
    const sorted = [...this.views.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.views.clear();
    for (const [k, v] of sorted) this.views.set(k, v);
    if (!this.view3d && hasSpatial3dData(store)) this.view3d = new Spatial3DView(this.store, this.time);
    this.applyLayout();
    this.invalidate();
  }

  /** Removes every view (another recording was selected). */
  clear(): void {
    for (const view of this.views.values()) view.destroy();
    this.views.clear();
    this.view3d?.element.remove();
    this.view3d = undefined;
    this.layout.setViews([]);
  }

  /** The views as the blueprint tree lists them. */
  treeViews(): TreeView[] {
    return [
      ...(this.view3d ? [{ id: VIEW_3D_ID, origin: "/", kind: "3D" as const, entities: [] }] : []),
      ...[...this.views.values()].map((v) => ({
        id: v.root,
        origin: v.root,
        kind: "2D" as const,
        entities: v.entities(),
      })),
    ];
  }

  invalidate(): void {
    for (const view of this.views.values()) view.invalidate();
    this.view3d?.invalidate();
  }

  render(): void {
    for (const view of this.views.values()) view.render();
    this.view3d?.render();
  }

  private applyLayout(): void {
    const shown: HTMLElement[] = [];
    if (this.view3d && this.visibility.isViewVisible(VIEW_3D_ID)) shown.push(this.view3d.element);
    for (const view of this.views.values())
      if (this.visibility.isViewVisible(view.root)) shown.push(view.element);
    this.layout.setViews(shown);
  }
}
