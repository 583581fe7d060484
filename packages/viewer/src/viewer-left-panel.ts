import { EntityTreePanel, type TreeView } from "./entity-tree-panel.ts";
import { LayoutControls } from "./layout-controls.ts";
import type { LayoutStore } from "./layout-state.ts";
import type { Recording } from "./recording.ts";
import { RecordingsPanel } from "./recordings-panel.ts";
import type { Visibility } from "./visibility.ts";

/** What the left panel asks its viewer to do. */
export interface ViewerLeftPanelActions {
  selectRecording(index: number): void;
  /** The user clicked an entity in a tree. */
  selectEntity(entityPath: string): void;
}

/**
 * Rerun's left panel: the open recordings, then the Views tree (with the layout's undo, redo and reset, also on
 * the keyboard of `keyboardRoot`) and the Streams tree. Toggles go to `visibility`, "add a view" to `layoutStore`.
 */
export class ViewerLeftPanel {
  readonly element: HTMLDivElement;
  private readonly recordings: RecordingsPanel;
  private readonly trees: EntityTreePanel;

  constructor(
    state: { visibility: Visibility; layoutStore: LayoutStore },
    actions: ViewerLeftPanelActions,
    keyboardRoot: HTMLElement,
  ) {
    this.recordings = new RecordingsPanel((index) => actions.selectRecording(index));
    this.trees = new EntityTreePanel(
      state.visibility,
      (entityPath) => actions.selectEntity(entityPath),
      (entityPath) => state.layoutStore.add({ origin: entityPath, contents: "subtree" }),
    );
    const layoutControls = new LayoutControls(state.layoutStore);
    this.trees.viewsTitle.append(layoutControls.element);
    layoutControls.installKeyboard(keyboardRoot);
    this.element = document.createElement("div");
    this.element.className = "iris-left";
    this.element.append(this.recordings.element, this.trees.element);
  }

  /** Lists the open recordings, `active` highlighted. */
  showRecordings(recordings: readonly Recording[], active: Recording | undefined): void {
    this.recordings.update(recordings, active);
  }

  /** Shows the views with their entities, and the recording's entity paths (`viewable`: those with image data). */
  showTrees(views: readonly TreeView[], entityPaths: readonly string[], viewable: ReadonlySet<string>): void {
    this.trees.update(views, entityPaths, viewable);
  }
}
