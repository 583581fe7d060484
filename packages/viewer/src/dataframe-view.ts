import { type ChunkStore, type QueryRow, isPropertiesPath } from "@iris/store";
import { ImageBufferType, ImageFormatType, describeImageFormat, isValidAt } from "@iris/types";
import type { DataframeColumn, DataframeRowSource } from "./dataframe-rows.ts";
import { imageThumbnail } from "./image-thumbnail.ts";
import type { TimeControl } from "./time-control.ts";
import { allTimes, entityTimes, formatTimeValue } from "./timeline-data.ts";

const ROW_HEIGHT = 52;
const THUMB_W = 64;
const THUMB_H = 44;

type Column = DataframeColumn;

/** What a cell whose chunk is not read yet shows (never empty, which would read as "nothing logged"). */
export const PENDING_CELL = "…";

/**
 * Rerun's DataframeView: one row per index value of the selected timeline, one column per entity component, the
 * cell being what was logged at exactly that time (static data shows in every row). Virtualised: only the rows
 * in sight exist in the DOM, so 100k rows scroll smoothly. Image buffers show as thumbnails plus a format
 * summary (`1920×1080 NV12`); clicking a row moves the time cursor there. For a recording read on demand the rows
 * and columns come from a `DataframeRowSource` (every row of the file, indexed in the background, with a progress
 * line above the table meanwhile); the cells of the rows in view are read as they come into sight and show
 * `PENDING_CELL` until then.
 */
export class DataframeView {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly notice: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private columns: Column[] = [];
  private times: ArrayLike<bigint> = [];
  private readonly thumbnails = new Map<string, HTMLCanvasElement>();
  private renderedKey = "";
  private rowSource: DataframeRowSource | undefined;
  private unsubscribe: (() => void) | undefined;
  private refreshQueued = false;
  /** On screen (the Dataframe tab): only then are the cells of the rows in view read. */
  private visible = false;

  /** `rows`: where the rows come from when the store does not hold the whole recording (undefined: the store). */
  constructor(
    private readonly store: () => ChunkStore | undefined,
    private readonly time: TimeControl,
    private readonly rows: () => DataframeRowSource | undefined = () => undefined,
  ) {
    this.element = document.createElement("div");
    this.element.className = "iris-dataframe";
    this.notice = document.createElement("div");
    this.notice.className = "iris-df-notice";
    this.notice.hidden = true;
    this.header = document.createElement("div");
    this.header.className = "iris-df-header";
    this.scroller = document.createElement("div");
    this.scroller.className = "iris-df-scroller";
    this.spacer = document.createElement("div");
    this.spacer.className = "iris-df-spacer";
    this.body = document.createElement("div");
    this.body.className = "iris-df-body";
    this.spacer.append(this.body);
    this.scroller.append(this.spacer);
    this.element.append(this.notice, this.header, this.scroller);
    this.scroller.addEventListener("scroll", () => this.renderRows());
    this.scroller.addEventListener("click", (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>(".iris-df-row");
      const index = row?.dataset["time"];
      if (index !== undefined) this.time.setTime(BigInt(index));
    });
    time.on("change", () => this.renderRows(true));
  }

  /** The table is on screen: re-reads everything, and reads the cells of the rows in view. */
  show(): void {
    this.visible = true;
    this.refresh();
  }

  /** The table left the screen: the chunks kept for its rows in view may go (read again when it is shown). */
  hide(): void {
    this.visible = false;
    this.rowSource?.release();
  }

  /** Number of index rows (for tests). */
  get rowCount(): number {
    return this.times.length;
  }

  /** Re-reads the store's (or the row source's) entities, components and index values. */
  refresh(): void {
    const store = this.store();
    const timeline = this.time.timeline;
    const source = this.rows();
    if (source !== this.rowSource) {
      this.unsubscribe?.();
      this.rowSource = source;
      this.unsubscribe = source?.onChange(() => this.queueRefresh());
    }
    const notice = source?.status();
    this.notice.hidden = notice === undefined;
    this.notice.textContent = notice ?? "";
    if (!store) return;
    if (source) {
      this.columns = source.columns();
      this.times = timeline ? source.times(timeline.name) : [];
    } else {
      // As Rerun's dataframe view, without the recording properties (/__properties/**).
      const entityPaths = store.entityPaths().filter((path) => !isPropertiesPath(path));
      this.columns = entityPaths.flatMap((entityPath) =>
        store
          .componentsOf(entityPath)
          .map((c) => ({ entityPath, component: c.descriptor.component }))
          .sort((a, b) => (a.component < b.component ? -1 : 1)),
      );
      this.times = timeline ? allTimes(entityTimes(store, timeline)) : [];
    }
    const template = `140px ${this.columns.map((c) => (c.component.endsWith(":buffer") ? "220px" : "160px")).join(" ")}`;
    this.element.style.setProperty("--iris-df-columns", template);
    this.header.replaceChildren(
      cell(timeline ? timeline.name : "static", "iris-df-index"),
      ...this.columns.map((c) => cell(`${c.entityPath}\n${c.component}`)),
    );
    this.spacer.style.height = `${Math.max(1, this.times.length) * ROW_HEIGHT}px`;
    this.renderRows(true);
  }

  /** One refresh for the changes of a task (rows indexed, cells read), while the table is on the page. */
  private queueRefresh(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    setTimeout(() => {
      this.refreshQueued = false;
      if (this.element.isConnected) this.refresh();
    }, 0);
  }

  private renderRows(force = false): void {
    const store = this.store();
    const timeline = this.time.timeline;
    if (!store) return;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - 2);
    const count = Math.ceil((this.scroller.clientHeight || 600) / ROW_HEIGHT) + 4;
    const last = Math.min(Math.max(this.times.length, timeline ? 0 : 1), first + count);
    const key = `${first}:${last}:${this.time.time}:${this.columns.length}:${this.times.length}`;
    if (!force && key === this.renderedKey) return;
    this.renderedKey = key;
    const source = this.rowSource;
    if (source && this.visible && timeline && last > first) {
      const entityPaths = [...new Set(this.columns.map((c) => c.entityPath))];
      source.showRows(timeline.name, this.times[first]!, this.times[last - 1]!, entityPaths);
    }
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const t = this.times[i];
      const row = document.createElement("div");
      row.className = "iris-df-row";
      row.style.top = `${i * ROW_HEIGHT}px`;
      if (t !== undefined) {
        row.dataset["time"] = String(t);
        if (t === this.time.time) row.classList.add("iris-df-current");
      }
      row.append(
        cell(t !== undefined && timeline ? formatTimeValue(timeline.type, t) : "static", "iris-df-index"),
      );
      for (const column of this.columns) row.append(this.cellFor(store, column, timeline?.name, t));
      rows.push(row);
    }
    this.body.replaceChildren(...rows);
  }

  private cellFor(
    store: ChunkStore,
    column: Column,
    timeline: string | undefined,
    t: bigint | undefined,
  ): HTMLElement {
    const { entityPath, component } = column;
    if (this.rowSource && timeline !== undefined && t !== undefined) {
      if (!this.rowSource.cellsRead(entityPath, timeline, t)) return cell(PENDING_CELL, "iris-df-pending");
    }
    const found =
      timeline !== undefined && t !== undefined
        ? store.latestAt({ entityPath, timeline, time: t, component })
        : store.latestStatic(entityPath, component);
    // Without sparse fill a cell holds only what was logged at exactly this index value (or static data).
    if (!found || (found.time !== null && found.time !== t)) return cell("");
    if (component.endsWith(":buffer")) return this.imageCell(store, found, column, timeline, t);
    return cell(describeCell(found, component));
  }

  private imageCell(
    store: ChunkStore,
    found: QueryRow,
    column: Column,
    timeline: string | undefined,
    t: bigint | undefined,
  ): HTMLElement {
    const archetype = column.component.slice(0, column.component.indexOf(":"));
    const formatComponent = `${archetype}:format`;
    const formatRow =
      timeline !== undefined && t !== undefined
        ? store.latestAt({ entityPath: column.entityPath, timeline, time: t, component: formatComponent })
        : store.latestStatic(column.entityPath, formatComponent);
    const bytes = found.chunk.componentValues(column.component, found.row, ImageBufferType)?.[0];
    const format = formatRow?.chunk.componentValues(formatComponent, formatRow.row, ImageFormatType)?.[0];
    const el = cell("");
    el.classList.add("iris-df-image");
    if (!bytes || !format) {
      el.textContent = bytes ? `${bytes.length} bytes (no format)` : "";
      return el;
    }
    const key = `${found.chunk.id}:${found.row}:${formatRow!.chunk.id}:${formatRow!.row}`;
    let canvas = this.thumbnails.get(key);
    if (!canvas) {
      canvas = document.createElement("canvas");
      canvas.className = "iris-df-thumb";
      try {
        const thumb = imageThumbnail(bytes, format, THUMB_W, THUMB_H);
        canvas.width = thumb.width;
        canvas.height = thumb.height;
        canvas
          .getContext("2d")
          ?.putImageData(
            new ImageData(thumb.rgba as Uint8ClampedArray<ArrayBuffer>, thumb.width, thumb.height),
            0,
            0,
          );
      } catch {
        canvas.width = 1;
        canvas.height = 1;
      }
      if (this.thumbnails.size > 2000) this.thumbnails.delete(this.thumbnails.keys().next().value!);
      this.thumbnails.set(key, canvas);
    }
    const label = document.createElement("span");
    label.textContent = describeImageFormat(format);
    el.append(canvas.cloneNode(false) as HTMLCanvasElement, label);
    (el.firstChild as HTMLCanvasElement).getContext("2d")?.drawImage(canvas, 0, 0);
    return el;
  }
}

function cell(text: string, extraClass?: string): HTMLDivElement {
  const el = document.createElement("div");
  el.className = extraClass ? `iris-df-cell ${extraClass}` : "iris-df-cell";
  el.textContent = text;
  return el;
}

/** A short text for any component cell, read generically from Arrow. */
function describeCell(found: QueryRow, component: string): string {
  const column = found.chunk.components.get(component);
  if (!column) return "";
  const list = column.list;
  if (!isValidAt(list, found.row)) return "null";
  if (column.descriptor.componentType === "rerun.components.ImageFormat") {
    const f = found.chunk.componentValues(component, found.row, ImageFormatType);
    return f ? f.map(describeImageFormat).join(", ") : "";
  }
  const start = list.valueOffsets[found.row]!;
  const end = list.valueOffsets[found.row + 1]!;
  const child = list.children[0]!;
  const parts: string[] = [];
  for (let i = start; i < Math.min(end, start + 8); i++) parts.push(valueText(child, i));
  if (end - start > 8) parts.push(`… ${end - start} values`);
  const text = parts.length === 1 ? parts[0]! : `[${parts.join(", ")}]`;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function valueText(data: import("apache-arrow").Data, index: number): string {
  if (!isValidAt(data, index)) return "null";
  const values = data.values as ArrayLike<number | bigint> | Uint8Array | undefined;
  if (data.valueOffsets && data.children.length === 1) {
    const n = data.valueOffsets[index + 1]! - data.valueOffsets[index]!;
    return `<${n} values>`;
  }
  if (data.valueOffsets && values instanceof Uint8Array) {
    return JSON.stringify(
      new TextDecoder().decode(values.subarray(data.valueOffsets[index], data.valueOffsets[index + 1])),
    );
  }
  if (data.children.length > 0) return `{${data.children.map((c) => valueText(c, index)).join(", ")}}`;
  return values ? String(values[index]) : "?";
}
