import { Emitter } from "./emitter.ts";
import { entityPathPrefixes } from "./entity-path-parts.ts";

export interface VisibilityEvents extends Record<string, unknown> {
  change: Visibility;
}

/**
 * What the user hid (Rerun's per-view and per-entity visibility): whole views, and entities inside one view.
 * Views and entities are named by path (a view by its origin).
 */
export class Visibility extends Emitter<VisibilityEvents> {
  private readonly hiddenViews = new Set<string>();
  private readonly hiddenInView = new Map<string, Set<string>>();

  isViewVisible(view: string): boolean {
    return !this.hiddenViews.has(view);
  }

  isEntityVisible(view: string, entityPath: string): boolean {
    return !(this.hiddenInView.get(view)?.has(entityPath) ?? false);
  }

  setViewVisible(view: string, visible: boolean): void {
    if (visible) this.hiddenViews.delete(view);
    else this.hiddenViews.add(view);
    this.emit("change", this);
  }

  setEntityVisible(view: string, entityPath: string, visible: boolean): void {
    let set = this.hiddenInView.get(view);
    if (!set) this.hiddenInView.set(view, (set = new Set()));
    if (visible) set.delete(entityPath);
    else set.add(entityPath);
    this.emit("change", this);
  }

  /** Everything visible again (another recording was selected). */
  reset(): void {
    this.hiddenViews.clear();
    this.hiddenInView.clear();
    this.emit("change", this);
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
