import { Emitter } from "./emitter.ts";
import type { ViewSpec } from "./view-heuristics.ts";

/** The user's changes to the default layout (Rerun keeps these in the blueprint). */
export interface LayoutState {
  /** View ids in the order the user arranged them (others follow, alphabetically). */
  order: string[];
  /** Views the user closed. */
  closed: string[];
  /** Views the user added for an entity. */
  added: ViewSpec[];
  /** The maximised view, if any. */
  maximized?: string | undefined;
  /** Views the user hid with their eye toggle (absent: none). */
  hiddenViews?: string[];
  /** Per view, the entities the user hid in it (absent: none). */
  hiddenEntities?: Record<string, string[]>;
}

export interface LayoutStoreEvents extends Record<string, unknown> {
  change: LayoutState;
}

const STORAGE_PREFIX = "iris-layout:";
/** How many layout changes can be undone. */
const HISTORY_LIMIT = 100;
const URL_PARAM = "layout";

/**
 * The layout of one application id: loaded from the page URL (`?layout=…`, shareable) or else from local
 * storage (per application id), and saved to both on every change. Every change can be undone and redone (like
 * Rerun's undo of blueprint edits), and `reset` returns to the default views (Rerun's "reset blueprint").
 */
export class LayoutStore extends Emitter<LayoutStoreEvents> {
  state: LayoutState = emptyLayout();
  private applicationId: string | undefined;
  private readonly past: LayoutState[] = [];
  private readonly future: LayoutState[] = [];

  constructor(private readonly options: { useUrl: boolean }) {
    super();
  }

  /** Switches to the layout of `applicationId` (a new recording was shown). */
  load(applicationId: string | undefined): void {
    if (applicationId === this.applicationId) return;
    this.applicationId = applicationId;
    this.state = this.fromUrl() ?? this.fromStorage() ?? emptyLayout();
    this.past.length = 0;
    this.future.length = 0;
    this.emit("change", this.state);
  }

  /** Whether there is a change to undo / to redo. */
  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** Goes back to the layout before the last change (a closed view comes back). */
  undo(): void {
    const previous = this.past.pop();
    if (!previous) return;
    this.future.push(this.state);
    this.state = previous;
    this.changed();
  }

  /** Re-applies the last undone change. */
  redo(): void {
    const next = this.future.pop();
    if (!next) return;
    this.past.push(this.state);
    this.state = next;
    this.changed();
  }

  /** Back to the default views: none closed or added, default order, none maximised (undoable). */
  reset(): void {
    if (JSON.stringify(this.state) === JSON.stringify(emptyLayout())) return;
    this.record();
    this.state = emptyLayout();
    this.changed();
  }

  close(id: string): void {
    this.record();
    if (!this.state.closed.includes(id)) this.state.closed.push(id);
    if (this.state.maximized === id) this.state.maximized = undefined;
    this.changed();
  }

  add(spec: ViewSpec): void {
    this.record();
    this.state.closed = this.state.closed.filter((c) => c !== spec.origin);
    if (!this.state.added.some((a) => a.origin === spec.origin)) this.state.added.push(spec);
    this.changed();
  }

  maximize(id: string | undefined): void {
    this.record();
    this.state.maximized = id;
    this.changed();
  }

  /** Puts `id` just before `before` in the arrangement `current` (the order shown now). */
  move(id: string, before: string, current: readonly string[]): void {
    this.record();
    const order = current.filter((x) => x !== id);
    const at = order.indexOf(before);
    order.splice(at < 0 ? order.length : at, 0, id);
    this.state.order = order;
    this.changed();
  }

  isViewHidden(view: string): boolean {
    return this.state.hiddenViews?.includes(view) ?? false;
  }

  isEntityHidden(view: string, entityPath: string): boolean {
    return this.state.hiddenEntities?.[view]?.includes(entityPath) ?? false;
  }

  /** Hides or shows a view (undoable, like every layout change; Rerun keeps visibility in the blueprint). */
  setViewHidden(view: string, hidden: boolean): void {
    if (this.isViewHidden(view) === hidden) return;
    this.record();
    const rest = (this.state.hiddenViews ?? []).filter((v) => v !== view);
    if (hidden) rest.push(view);
    if (rest.length > 0) this.state.hiddenViews = rest;
    else delete this.state.hiddenViews;
    this.changed();
  }

  /** Hides or shows an entity in one view (undoable). */
  setEntityHidden(view: string, entityPath: string, hidden: boolean): void {
    if (this.isEntityHidden(view, entityPath) === hidden) return;
    this.record();
    const rest = (this.state.hiddenEntities?.[view] ?? []).filter((e) => e !== entityPath);
    if (hidden) rest.push(entityPath);
    const all = Object.fromEntries(
      Object.entries({ ...this.state.hiddenEntities, [view]: rest }).filter(([, list]) => list.length > 0),
    );
    if (Object.keys(all).length > 0) this.state.hiddenEntities = all;
    else delete this.state.hiddenEntities;
    this.changed();
  }

  /** Orders `ids`: first as arranged by the user, the rest in their given order. */
  arrange(ids: readonly string[]): string[] {
    const rank = (id: string): number => {
      const i = this.state.order.indexOf(id);
      return i < 0 ? this.state.order.length + ids.indexOf(id) : i;
    };
    return [...ids].sort((a, b) => rank(a) - rank(b));
  }

  /** Keeps a copy of the state before a change (for undo); a new change drops what was undone. */
  private record(): void {
    this.past.push(structuredClone(this.state));
    if (this.past.length > HISTORY_LIMIT) this.past.shift();
    this.future.length = 0;
  }

  private changed(): void {
    const text = JSON.stringify(this.state);
    try {
      if (this.applicationId !== undefined)
        globalThis.localStorage?.setItem(`${STORAGE_PREFIX}${this.applicationId}`, text);
    } catch {
      // Storage can be unavailable (private mode, quota): the layout then lives in the URL only.
    }
    if (this.options.useUrl && typeof location !== "undefined") {
      const url = new URL(location.href);
      url.searchParams.set(URL_PARAM, text);
      history.replaceState(history.state, "", url);
    }
    this.emit("change", this.state);
  }

  private fromUrl(): LayoutState | undefined {
    if (!this.options.useUrl || typeof location === "undefined") return undefined;
    return parseLayout(new URL(location.href).searchParams.get(URL_PARAM));
  }

  private fromStorage(): LayoutState | undefined {
    if (this.applicationId === undefined) return undefined;
    try {
      return parseLayout(globalThis.localStorage?.getItem(`${STORAGE_PREFIX}${this.applicationId}`) ?? null);
    } catch {
      return undefined;
    }
  }
}

function emptyLayout(): LayoutState {
  return { order: [], closed: [], added: [] };
}

/** A stored layout, or undefined when the text is missing or not one (a hand-edited URL, an older format). */
export function parseLayout(text: string | null): LayoutState | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<LayoutState>;
    const strings = (x: unknown): string[] =>
      Array.isArray(x) ? x.filter((s): s is string => typeof s === "string") : [];
    const added = Array.isArray(v.added)
      ? v.added.filter(
          (a): a is ViewSpec =>
            typeof a === "object" &&
            a !== null &&
            typeof a.origin === "string" &&
            (a.contents === "subtree" || a.contents === "entity"),
        )
      : [];
    const hiddenViews = strings(v.hiddenViews);
    const hiddenEntities: Record<string, string[]> = {};
    if (
      typeof v.hiddenEntities === "object" &&
      v.hiddenEntities !== null &&
      !Array.isArray(v.hiddenEntities)
    ) {
      for (const [view, entities] of Object.entries(v.hiddenEntities as Record<string, unknown>)) {
        const list = strings(entities);
        if (list.length > 0) hiddenEntities[view] = list;
      }
    }
    return {
      order: strings(v.order),
      closed: strings(v.closed),
      added,
      ...(typeof v.maximized === "string" ? { maximized: v.maximized } : {}),
      ...(hiddenViews.length > 0 ? { hiddenViews } : {}),
      ...(Object.keys(hiddenEntities).length > 0 ? { hiddenEntities } : {}),
    };
  } catch {
    return undefined;
  }
}
