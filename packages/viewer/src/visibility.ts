import { Emitter } from "./emitter.ts";
import { entityPathPrefixes } from "./entity-path-parts.ts";
import type { LayoutStore } from "./layout-state.ts";

export interface VisibilityEvents extends Record<string, unknown> {
  change: Visibility;
}

/**
 * What the user hid (Rerun's per-view and per-entity visibility): whole views, and entities inside one view.
 * Views and entities are named by path (a view by its origin). The state lives in the layout (as Rerun keeps it in
 * the blueprint): per application id, persisted with it, and undone and redone with the other layout changes.
 */
export class Visibility extends Emitter<VisibilityEvents> {
  constructor(private readonly layout: LayoutStore) {
    super();
    layout.on("change", () => this.emit("change", this));
  }

  isViewVisible(view: string): boolean {
    return !this.layout.isViewHidden(view);
  }

  isEntityVisible(view: string, entityPath: string): boolean {
    return !this.layout.isEntityHidden(view, entityPath);
  }

  setViewVisible(view: string, visible: boolean): void {
    this.layout.setViewHidden(view, !visible);
  }

  setEntityVisible(view: string, entityPath: string, visible: boolean): void {
    this.layout.setEntityHidden(view, entityPath, !visible);
  }
}

/**
 * Whether an entity is shown: Rerun's `visible` propagates down the entity hierarchy, so an entity is hidden when
 * it or any ancestor is hidden.
 */
export function visibleWithAncestors(
  entityPath: string,
  isVisible: (entityPath: string) => boolean,
): boolean {
  return entityPathPrefixes(entityPath).every(isVisible);
}
