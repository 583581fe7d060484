import type { LayoutStore } from "./layout-state.ts";

/**
 * Undo, redo and "reset views" for the layout (Rerun: undo/redo of blueprint edits with Ctrl/Cmd+Z and
 * Ctrl/Cmd+Shift+Z, and the blueprint panel's reset button): buttons for the Views tree's title, and the keys on
 * the viewer element.
 */
export class LayoutControls {
  readonly element: HTMLSpanElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly redoButton: HTMLButtonElement;

  constructor(private readonly layout: LayoutStore) {
    this.element = document.createElement("span");
    this.element.className = "iris-layout-controls";
    const button = (
      className: string,
      text: string,
      title: string,
      action: () => void,
    ): HTMLButtonElement => {
      const b = document.createElement("button");
      b.className = className;
      b.textContent = text;
      b.title = title;
      b.addEventListener("click", action);
      return b;
    };
    this.undoButton = button("iris-layout-undo", "↶", "Undo the last layout change (Ctrl+Z)", () =>
      layout.undo(),
    );
    this.redoButton = button("iris-layout-redo", "↷", "Redo (Ctrl+Shift+Z)", () => layout.redo());
    const reset = button(
      "iris-layout-reset",
      "Reset",
      "Reset the views to the default layout: closed views come back, added ones go (undoable)",
      () => layout.reset(),
    );
    this.element.append(this.undoButton, this.redoButton, reset);
    layout.on("change", () => this.update());
    this.update();
  }

  /** Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z (or Ctrl+Y) redoes a layout change, unless a text field has focus. */
  installKeyboard(target: HTMLElement): void {
    target.addEventListener("keydown", (e) => {
      const tag = (e.target as HTMLElement).tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      if (key === "z" && !e.shiftKey) this.layout.undo();
      else if ((key === "z" && e.shiftKey) || key === "y") this.layout.redo();
      else return;
      e.preventDefault();
    });
  }

  private update(): void {
    this.undoButton.disabled = !this.layout.canUndo;
    this.redoButton.disabled = !this.layout.canRedo;
  }
}
