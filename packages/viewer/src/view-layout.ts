/**
 * Arranges views in a grid (one cell per view, near-square) with draggable gutters between columns and rows,
 * so the user can resize the split.
 */
export class ViewLayout {
  readonly element: HTMLDivElement;
  private columns: number[] = [];
  private rows: number[] = [];
  private cells: HTMLElement[] = [];

  constructor(private readonly onResize: () => void) {
    this.element = document.createElement("div");
    this.element.className = "iris-layout";
  }

  setViews(views: readonly HTMLElement[]): void {
    if (views.length === this.cells.length && views.every((v, i) => v === this.cells[i])) return;
    this.cells = [...views];
    const n = Math.max(1, views.length);
    const cols = Math.ceil(Math.sqrt(n));
    const rows = Math.ceil(n / cols);
    this.columns = new Array<number>(cols).fill(1);
    this.rows = new Array<number>(rows).fill(1);
    this.element.replaceChildren();
    views.forEach((view, i) => {
      view.style.gridColumn = String(2 * (i % cols) + 1);
      view.style.gridRow = String(2 * Math.floor(i / cols) + 1);
      this.element.append(view);
    });
    for (let c = 1; c < cols; c++) this.element.append(this.gutter("column", c));
    for (let r = 1; r < rows; r++) this.element.append(this.gutter("row", r));
    this.apply();
  }

  private apply(): void {
    const template = (fr: number[]): string => fr.map((f) => `minmax(0, ${f}fr)`).join(" 5px ");
    this.element.style.gridTemplateColumns = template(this.columns);
    this.element.style.gridTemplateRows = template(this.rows);
    this.onResize();
  }

  private gutter(axis: "column" | "row", index: number): HTMLDivElement {
    const g = document.createElement("div");
    g.className = `iris-gutter iris-gutter-${axis}`;
    if (axis === "column") {
      g.style.gridColumn = String(2 * index);
      g.style.gridRow = "1 / -1";
    } else {
      g.style.gridRow = String(2 * index);
      g.style.gridColumn = "1 / -1";
    }
    g.addEventListener("pointerdown", (down) => {
      g.setPointerCapture(down.pointerId);
      const fr = axis === "column" ? this.columns : this.rows;
      const rect = this.element.getBoundingClientRect();
      const total = fr.reduce((a, b) => a + b, 0);
      const pxPerFr = (axis === "column" ? rect.width : rect.height) / total;
      let last = axis === "column" ? down.clientX : down.clientY;
      const move = (e: PointerEvent): void => {
        const pos = axis === "column" ? e.clientX : e.clientY;
        const delta = (pos - last) / pxPerFr;
        last = pos;
        const a = fr[index - 1]!;
        const b = fr[index]!;
        const shift = Math.max(-a + 0.1, Math.min(b - 0.1, delta));
        fr[index - 1] = a + shift;
        fr[index] = b - shift;
        this.apply();
      };
      const up = (): void => {
        g.removeEventListener("pointermove", move);
        g.removeEventListener("pointerup", up);
      };
      g.addEventListener("pointermove", move);
      g.addEventListener("pointerup", up);
    });
    return g;
  }
}
