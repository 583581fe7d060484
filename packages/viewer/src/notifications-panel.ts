/** How bad a notification is. */
export type NotificationLevel = "error" | "warning" | "info";

/** One problem shown to the user. */
export interface ViewerNotification {
  readonly level: NotificationLevel;
  /** What the notification is about: a file name, a URL, "live". */
  readonly source: string;
  readonly text: string;
}

/**
 * Rerun's notification panel, made hard to miss: a banner under the top bar listing errors and warnings (a
 * damaged file with the byte offset, a failed download, a file that is not an `.rrd`, a blueprint-only file),
 * newest first, each dismissable, with a count in the top bar. Repeated texts are counted, not repeated.
 */
export class NotificationsPanel {
  readonly element: HTMLDivElement;
  /** The top-bar badge ("2 errors · 1 warning"); clicking it shows the panel again. */
  readonly badge: HTMLButtonElement;
  private readonly list: HTMLUListElement;
  private readonly items: { note: ViewerNotification; count: number; el: HTMLLIElement }[] = [];

  constructor() {
    this.element = document.createElement("div");
    this.element.className = "iris-notifications";
    this.element.setAttribute("role", "alert");
    const head = document.createElement("div");
    head.className = "iris-notifications-head";
    const title = document.createElement("span");
    title.textContent = "Notifications";
    const clear = document.createElement("button");
    clear.textContent = "Dismiss all";
    clear.addEventListener("click", () => this.clear());
    const hide = document.createElement("button");
    hide.textContent = "Hide";
    hide.addEventListener("click", () => (this.element.style.display = "none"));
    head.append(title, hide, clear);
    this.list = document.createElement("ul");
    this.element.append(head, this.list);
    this.badge = document.createElement("button");
    this.badge.className = "iris-notification-badge";
    this.badge.addEventListener(
      "click",
      () => (this.element.style.display = this.items.length ? "" : "none"),
    );
    this.render();
  }

  /** The notifications shown now, oldest first. */
  get notifications(): readonly ViewerNotification[] {
    return this.items.map((i) => i.note);
  }

  add(note: ViewerNotification): void {
    const same = this.items.find(
      (i) => i.note.text === note.text && i.note.source === note.source && i.note.level === note.level,
    );
    if (same) {
      same.count += 1;
      same.el.querySelector(".iris-note-count")!.textContent = `×${same.count}`;
      return;
    }
    const el = document.createElement("li");
    el.className = `iris-note iris-note-${note.level}`;
    el.dataset["level"] = note.level;
    const level = document.createElement("strong");
    level.textContent = note.level;
    const source = document.createElement("span");
    source.className = "iris-note-source";
    source.textContent = note.source;
    const text = document.createElement("span");
    text.className = "iris-note-text";
    text.textContent = note.text;
    const count = document.createElement("span");
    count.className = "iris-note-count";
    const dismiss = document.createElement("button");
    dismiss.textContent = "×";
    dismiss.title = "Dismiss";
    const item = { note, count: 1, el };
    dismiss.addEventListener("click", () => {
      this.items.splice(this.items.indexOf(item), 1);
      el.remove();
      this.render();
    });
    el.append(level, source, text, count, dismiss);
    this.items.push(item);
    this.list.prepend(el);
    this.element.style.display = "";
    this.render();
  }

  clear(): void {
    this.items.length = 0;
    this.list.replaceChildren();
    this.render();
  }

  private render(): void {
    const n = (level: NotificationLevel): number => this.items.filter((i) => i.note.level === level).length;
    const errors = n("error");
    const warnings = n("warning");
    const parts = [
      errors ? `${errors} error${errors > 1 ? "s" : ""}` : "",
      warnings ? `${warnings} warning${warnings > 1 ? "s" : ""}` : "",
    ].filter((p) => p !== "");
    this.badge.textContent = parts.join(" · ");
    this.badge.style.display = this.items.length ? "" : "none";
    this.badge.dataset["level"] = errors ? "error" : warnings ? "warning" : "info";
    if (this.items.length === 0) this.element.style.display = "none";
  }
}
