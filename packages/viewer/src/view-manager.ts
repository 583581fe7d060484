import type { ProbeRequest } from "./probe-panel.ts";
import { type ChunkStore, isPropertiesPath } from "@iris/store";
import { entitiesWith } from "./depth-segmentation-visualizer.ts";
import type { TreeView } from "./entity-tree-panel.ts";
import { type QueryTime, imageEntities } from "./image-visualizer.ts";
import type { Recording } from "./recording.ts";
import { type PixelSelection, Spatial2DView } from "./spatial-2d-view.ts";
import { Spatial3DView } from "./spatial-3d-view.ts";
import { hasSpatial3dData } from "./transform-tree.ts";
import { type ViewSpec, recommendedViews2d } from "./view-heuristics.ts";
import type { LayoutStore } from "./layout-state.ts";
import type { ShownView } from "./lazy-needed-entities.ts";
import type { ViewLayout } from "./view-layout.ts";
import { ViewLink } from "./view-link.ts";
import { type Visibility, visibleWithAncestors } from "./visibility.ts";

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
  onProbe: ((request: ProbeRequest) => void) | undefined;
  /** Linked zoom, pan and hover across same-size 2D views (off until enabled). */
  readonly link = new ViewLink(() => this.views.values());

  constructor(
    private readonly layout: ViewLayout,
    private readonly visibility: Visibility,
    private readonly store: () => ChunkStore | undefined,
    private readonly time: () => QueryTime,
    private readonly layoutStore: LayoutStore,
  ) {
    visibility.on("change", () => {
      this.applyLayout();
      this.invalidate();
    });
  }

  /** Entities a 2D view can show (for "add a view"). */
  visualizable = new Set<string>();

  /** Re-runs the heuristics on the recording's data; keeps views whose recommendation did not change. */
  refresh(recording: Recording): void {
    const store = recording.store;
    this.layoutStore.load(recording.applicationId);
    const visualizable = new Set([
      ...imageEntities(store),
      ...entitiesWith(store, "DepthImage:buffer"),
      ...entitiesWith(store, "SegmentationImage:buffer"),
    ]);
    this.visualizable = visualizable;
    const { closed, added } = this.layoutStore.state;
    const specs: ViewSpec[] = [
      ...recommendedViews2d({
        // Recording properties are shown in the recordings panel, never in a view (Rerun excludes /__properties/**).
        entityPaths: store.entityPaths().filter((path) => !isPropertiesPath(path)),
        visualizable,
        dimensions: recording.imageDimensions.dimensions,
        pinholes: new Set(entitiesWith(store, "Pinhole:image_from_camera")),
      }),
    ];
    for (const a of added) if (!specs.some((s) => s.origin === a.origin)) specs.push(a);
    specs.sort((a, b) => (a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0));
    for (let i = specs.length - 1; i >= 0; i--) if (closed.includes(specs[i]!.origin)) specs.splice(i, 1);
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
        // Rerun's `visible` propagates down the entity hierarchy: a hidden entity hides its descendants.
        isVisible: (entity) =>
          visibleWithAncestors(entity, (e) => this.visibility.isEntityVisible(spec.origin, e)),
      });
      view.onSelect = (selection) => this.onSelect?.(selection);
      view.onProbe = (request) => this.onProbe?.(request);
      view.link = this.link;
      this.addViewControls(view.header, view.element, spec.origin);
      this.views.set(spec.origin, view);
    }
    // Keep the map in origin order, so every listing of the views is alphabetical.
    const sorted = [...this.views.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.views.clear();
    for (const [k, v] of sorted) this.views.set(k, v);
    if (this.view3d && closed.includes(VIEW_3D_ID)) {
      this.view3d.element.remove();
      this.view3d = undefined;
    }
    if (!this.view3d && hasSpatial3dData(store) && !closed.includes(VIEW_3D_ID)) {
      this.view3d = new Spatial3DView(this.store, this.time, {
        isVisible: (entity) => this.visibility.isEntityVisible(VIEW_3D_ID, entity),
      });
      const header = this.view3d.element.querySelector<HTMLElement>(".iris-view-header");
      if (header) this.addViewControls(header, this.view3d.element, VIEW_3D_ID);
    }
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

  /** The views as the blueprint tree lists them, in layout order. */
  treeViews(): TreeView[] {
    const all: TreeView[] = [
      ...(this.view3d
        ? [{ id: VIEW_3D_ID, origin: "/", kind: "3D" as const, entities: this.view3d.entities() }]
        : []),
      ...[...this.views.values()].map((v) => ({
        id: v.root,
        origin: v.root,
        kind: "2D" as const,
        entities: v.entities(),
      })),
    ];
    return this.layoutStore.arrange(all.map((v) => v.id)).map((id) => all.find((v) => v.id === id)!);
  }

  /** View ids in layout order (3D first, then 2D by origin, unless the user rearranged them). */
  arrangedIds(): string[] {
    return this.layoutStore.arrange([...(this.view3d ? [VIEW_3D_ID] : []), ...this.views.keys()]);
  }

  /** The views on screen (not hidden, and the maximised one alone), for the on-demand loader. */
  shownViews(): ShownView[] {
    // A view the user has just closed is still among the views until the next refresh (on the next animation
    // frame); a time change before then must not read its entities.
    const closed = new Set(this.layoutStore.state.closed);
    const ids = this.arrangedIds().filter((id) => !closed.has(id) && this.visibility.isViewVisible(id));
    const maximized = this.layoutStore.state.maximized;
    return (maximized !== undefined && ids.includes(maximized) ? [maximized] : ids).map((id) => ({
      entities: (id === VIEW_3D_ID ? this.view3d : this.views.get(id))?.entities() ?? [],
      isEntityVisible: (entity) => this.visibility.isEntityVisible(id, entity),
    }));
  }

  /** Maximise/restore and close buttons in a view's header, and dragging the header to rearrange. */
  private addViewControls(header: HTMLElement, element: HTMLElement, id: string): void {
    element.dataset["viewId"] = id;
    const maximize = document.createElement("button");
    maximize.className = "iris-maximize";
    maximize.textContent = "⤢";
    maximize.title = "Maximise / restore this view";
    maximize.addEventListener("click", () =>
      this.layoutStore.maximize(this.layoutStore.state.maximized === id ? undefined : id),
    );
    const close = document.createElement("button");
    close.className = "iris-close-view";
    close.textContent = "×";
    close.title = "Close this view (undo with Ctrl+Z or ↶ in the Views tree; Reset brings back every view)";
    close.addEventListener("click", () => this.layoutStore.close(id));
    header.append(maximize, close);
    header.draggable = true;
    header.addEventListener("dragstart", (e) => {
      e.dataTransfer?.setData("application/x-iris-view", id);
      if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
    });
    element.addEventListener("dragover", (e) => {
      if (e.dataTransfer?.types.includes("application/x-iris-view")) e.preventDefault();
    });
    element.addEventListener("drop", (e) => {
      const dragged = e.dataTransfer?.getData("application/x-iris-view");
      if (!dragged || dragged === id) return;
      e.preventDefault();
      e.stopPropagation();
      this.layoutStore.move(dragged, id, this.arrangedIds());
    });
  }

  invalidate(): void {
    for (const view of this.views.values()) view.invalidate();
    this.view3d?.invalidate();
  }

  render(): void {
    for (const view of this.views.values()) view.render();
    this.view3d?.render();
  }

  /** Puts the visible views into the grid in layout order, or the maximised one alone. */
  private applyLayout(): void {
    const element = (id: string): HTMLElement | undefined =>
      id === VIEW_3D_ID ? this.view3d?.element : this.views.get(id)?.element;
    // A view the user has just closed is still among the views until the next refresh (on the next animation
    // frame); a time change before then must not read its entities.
    const closed = new Set(this.layoutStore.state.closed);
    const ids = this.arrangedIds().filter((id) => !closed.has(id) && this.visibility.isViewVisible(id));
    const maximized = this.layoutStore.state.maximized;
    const shown = maximized !== undefined && ids.includes(maximized) ? [maximized] : ids;
    for (const id of ids)
      element(id)?.classList.toggle("iris-maximized", shown.length === 1 && id === maximized);
    this.layout.setViews(shown.map(element).filter((e): e is HTMLElement => e !== undefined));
  }
}
