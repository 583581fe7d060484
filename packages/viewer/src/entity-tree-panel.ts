import { entityName, entityPathPrefixes } from "./entity-path-parts.ts";
import type { Visibility } from "./visibility.ts";

/** A view as the blueprint tree lists it. */
export interface TreeView {
  /** The view's id in the layout and in `Visibility` (a 2D view's is its origin). */
  readonly id: string;
  readonly origin: string;
  readonly kind: "2D" | "3D";
  /** Entities the view shows, sorted; only these get their own visibility toggle. */
  readonly entities: readonly string[];
}

/**
 * The left panel's trees: "Views" (Rerun's blueprint tree) — each view with a visibility toggle and its entities,
 * each with a per-view toggle — and "Streams", the recording's entity tree; clicking an entity selects it.
 */
export class EntityTreePanel {
  readonly element: HTMLDivElement;
  /** The "Views" title row (the viewer adds the layout's undo/reset buttons there). */
  readonly viewsTitle: HTMLDivElement;
  private readonly views: HTMLUListElement;
  private readonly streams: HTMLUListElement;
  private viewSignature = "";
  private streamSignature = "";

  constructor(
    private readonly visibility: Visibility,
    private readonly onSelectEntity: (entityPath: string) => void,
    /** "Add a view" for an entity with image data. */
    private readonly onAddView: (entityPath: string) => void = () => undefined,
  ) {
    this.element = document.createElement("div");
    this.element.className = "iris-trees";
    this.viewsTitle = section("Views");
    this.views = document.createElement("ul");
    this.views.className = "iris-view-tree";
    const streamsTitle = section("Streams");
    this.streams = document.createElement("ul");
    this.streams.className = "iris-entity-tree";
    this.element.append(this.viewsTitle, this.views, streamsTitle, this.streams);
    visibility.on("change", () => this.syncToggles());
  }

  update(
    views: readonly TreeView[],
    entityPaths: readonly string[],
    viewable: ReadonlySet<string> = new Set(),
  ): void {
    const viewSignature = JSON.stringify(views);
    if (viewSignature !== this.viewSignature) {
      this.viewSignature = viewSignature;
      this.views.replaceChildren(...views.map((v) => this.viewItem(v)));
      this.syncToggles();
    }
    const streamSignature = `${entityPaths.join("\n")}|${[...viewable].join("\n")}`;
    if (streamSignature !== this.streamSignature) {
      this.streamSignature = streamSignature;
      this.streams.replaceChildren(...this.streamItems(entityPaths, viewable));
    }
  }

  private viewItem(view: TreeView): HTMLLIElement {
    const li = document.createElement("li");
    li.className = "iris-tree-view";
    const row = document.createElement("div");
    row.className = "iris-tree-row";
    const name = document.createElement("span");
    name.className = "iris-tree-name";
    name.textContent = `${view.origin} (${view.kind})`;
    row.append(
      eye(`view ${view.origin}`, { view: view.id }, this.visibility.isViewVisible(view.id), (on) =>
        this.visibility.setViewVisible(view.id, on),
      ),
      name,
    );
    const children = document.createElement("ul");
    for (const entity of view.entities) {
      const item = document.createElement("li");
      const entityRow = document.createElement("div");
      entityRow.className = "iris-tree-row";
      const label = document.createElement("span");
      label.className = "iris-tree-name iris-clickable";
      label.textContent = relative(entity, view.origin);
      label.title = entity;
      label.addEventListener("click", () => this.onSelectEntity(entity));
      entityRow.append(
        eye(
          `${entity} in ${view.origin}`,
          { view: view.id, entity },
          this.visibility.isEntityVisible(view.id, entity),
          (on) => this.visibility.setEntityVisible(view.id, entity, on),
        ),
        label,
      );
      item.append(entityRow);
      children.append(item);
    }
    li.append(row, children);
    return li;
  }

  /** The entity tree, one row per path segment (implicit parents included), indented by depth. */
  private streamItems(entityPaths: readonly string[], viewable: ReadonlySet<string>): HTMLLIElement[] {
    const nodes = new Map<string, boolean>(); // path → has data
    for (const path of entityPaths) {
      for (const prefix of entityPathPrefixes(path)) if (!nodes.has(prefix)) nodes.set(prefix, false);
      nodes.set(path, true);
    }
    return [...nodes.keys()].sort().map((path) => {
      const li = document.createElement("li");
      li.className = "iris-stream";
      li.dataset["entity"] = path;
      const depth = Math.max(0, entityPathPrefixes(path).length - 1);
      li.style.paddingLeft = `${depth * 12 + 4}px`;
      li.textContent = entityName(path);
      li.title = path;
      if (nodes.get(path)) {
        li.classList.add("iris-clickable");
        li.addEventListener("click", () => this.onSelectEntity(path));
      } else li.classList.add("iris-implicit");
      if (viewable.has(path)) {
        const add = document.createElement("button");
        add.className = "iris-add-view";
        add.textContent = "+";
        add.title = `Add a 2D view of ${path}`;
        add.addEventListener("click", (e) => {
          e.stopPropagation();
          this.onAddView(path);
        });
        li.append(" ", add);
      }
      return li;
    });
  }

  private syncToggles(): void {
    for (const box of this.views.querySelectorAll<HTMLInputElement>("input.iris-eye")) {
      const view = box.dataset["view"]!;
      const entity = box.dataset["entity"];
      box.checked =
        entity === undefined
          ? this.visibility.isViewVisible(view)
          : this.visibility.isEntityVisible(view, entity);
      if (entity !== undefined) markInherited(box, this.hiddenBy(view, entity));
    }
  }

  /**
   * What hides an entity of a view although its own toggle is on: the view, or a hidden ancestor (Rerun's
   * `visible` propagates down the hierarchy, and its blueprint tree greys such rows out).
   */
  private hiddenBy(view: string, entity: string): string | undefined {
    if (!this.visibility.isViewVisible(view)) return `the view ${view}`;
    const ancestor = entityPathPrefixes(entity)
      .slice(0, -1)
      .find((prefix) => !this.visibility.isEntityVisible(view, prefix));
    return ancestor;
  }
}

function section(text: string): HTMLDivElement {
  const title = document.createElement("div");
  title.className = "iris-section-title";
  title.textContent = text;
  return title;
}

function eye(
  label: string,
  data: { view: string; entity?: string },
  checked: boolean,
  onChange: (visible: boolean) => void,
): HTMLInputElement {
  const box = document.createElement("input");
  box.type = "checkbox";
  box.className = "iris-eye";
  box.checked = checked;
  box.title = `Show ${label}`;
  box.setAttribute("aria-label", `Show ${label}`);
  box.dataset["view"] = data.view;
  if (data.entity !== undefined) box.dataset["entity"] = data.entity;
  box.addEventListener("change", () => onChange(box.checked));
  return box;
}

/** Greys out the row of a toggle that is on but overruled (`by`: what hides it), as Rerun's blueprint tree does. */
function markInherited(box: HTMLInputElement, by: string | undefined): void {
  const row = box.parentElement;
  row?.classList.toggle("iris-hidden-inherited", by !== undefined);
  if (by === undefined) delete box.dataset["hiddenBy"];
  else box.dataset["hiddenBy"] = by;
  box.title =
    by === undefined
      ? box.getAttribute("aria-label")!
      : `${box.getAttribute("aria-label")!} (hidden with ${by})`;
}

function relative(entity: string, origin: string): string {
  if (entity === origin) return entityName(entity);
  return origin === "/" ? entity.slice(1) : entity.slice(origin.length + 1);
}
