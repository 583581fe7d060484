import type { Recording } from "./recording.ts";

/** The viewer's main area: the image views or the dataframe table. */
export type ViewerMode = "views" | "dataframe" | "compare";

/** What the top bar asks its viewer to do. */
export interface ViewerTopBarActions {
  openFiles(files: Iterable<File>): void;
  selectRecording(index: number): void;
  setMode(mode: ViewerMode): void;
  toggleLinkedViews(): void;
}

/** One entry of the recording selector. */
export interface RecordingEntry {
  readonly recording: Recording;
  /** The name shown for it (see `recordingLabel`). */
  readonly label: string;
  readonly live: boolean;
}

/**
 * The top bar: brand, recording selector (shown with two or more recordings), "Open…" with a file picker, the
 * Images / Dataframe tabs, the loading status of the active recording, and the notifications badge.
 */
export class ViewerTopBar {
  readonly element: HTMLDivElement;
  private readonly progress: HTMLSpanElement;
  private readonly recordingSelect: HTMLSelectElement;

  constructor(actions: ViewerTopBarActions, notificationsBadge: HTMLElement) {
    this.element = document.createElement("div");
    this.element.className = "iris-top";
    const brand = document.createElement("span");
    brand.className = "iris-brand";
    brand.textContent = "Iris";
    this.recordingSelect = document.createElement("select");
    this.recordingSelect.name = "recording";
    this.recordingSelect.addEventListener("change", () =>
      actions.selectRecording(Number(this.recordingSelect.value)),
    );
    const openButton = document.createElement("button");
    openButton.textContent = "Open…";
    const picker = document.createElement("input");
    picker.type = "file";
    picker.accept = ".rrd";
    picker.multiple = true;
    picker.style.display = "none";
    picker.addEventListener("change", () => actions.openFiles(picker.files ?? []));
    openButton.addEventListener("click", () => picker.click());
    this.progress = document.createElement("span");
    this.progress.className = "iris-progress";
    const tabs = document.createElement("span");
    tabs.className = "iris-tabs";
    const tab = (mode: ViewerMode, label: string): HTMLButtonElement => {
      const b = document.createElement("button");
      b.textContent = label;
      b.dataset["mode"] = mode;
      b.addEventListener("click", () => actions.setMode(mode));
      return b;
    };
    tabs.append(tab("views", "Images"), tab("dataframe", "Dataframe"), tab("compare", "Compare"));
    const link = document.createElement("button");
    link.className = "iris-link-views";
    link.textContent = "🔗 Link views";
    link.title = "Link zoom, pan and hover across views of same-size images (l)";
    link.addEventListener("click", () => actions.toggleLinkedViews());
    tabs.append(link);
    this.element.append(
      brand,
      this.recordingSelect,
      openButton,
      picker,
      tabs,
      this.progress,
      notificationsBadge,
    );
  }

  /** Shows whether the views are linked. */
  showLinkedViews(on: boolean): void {
    this.element.querySelector(".iris-link-views")?.classList.toggle("iris-active", on);
  }

  /** Highlights the tab of the mode shown. */
  showMode(mode: ViewerMode): void {
    for (const b of this.element.querySelectorAll<HTMLButtonElement>(".iris-tabs button")) {
      b.classList.toggle("iris-active", b.dataset["mode"] === mode);
    }
  }

  /** Lists the recordings in the selector (label and application id), the active one selected. */
  showRecordings(entries: readonly RecordingEntry[], activeIndex: number): void {
    this.recordingSelect.replaceChildren(
      ...entries.map(({ recording: r, label, live }, i) => {
        const option = new Option(
          r.applicationId && !(live && label === r.applicationId) ? `${label} (${r.applicationId})` : label,
          String(i),
        );
        if (r.recordingId) option.title = `recording id ${r.recordingId}`;
        return option;
      }),
    );
    this.recordingSelect.value = String(activeIndex);
    this.recordingSelect.style.display = entries.length > 1 ? "" : "none";
  }

  /** The status line: the active recording's name, bytes loaded, chunks and its last warning. */
  showProgress(r: Recording, label: string): void {
    const mb = (n: number): string => (n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`);
    const total = r.totalBytes ? ` of ${mb(r.totalBytes)}` : "";
    const state = r.done ? "loaded" : "loading";
    const stats = r.store.stats();
    this.progress.title = r.recordingId ? `recording id ${r.recordingId}` : "";
    const lazy = r.lazy;
    this.progress.textContent =
      (lazy
        ? `${label}: on demand · resident: ${mb(stats.bytes)} / ${mb(lazy.loader.memoryBudgetBytes)} budget · ` +
          `read ${mb(r.loadedBytes)}${total} · ${stats.chunks} of ${lazy.recording.chunks.length} chunks`
        : `${label}: ${state} ${mb(r.loadedBytes)}${total} · ${stats.chunks} chunks`) +
      (r.warnings.length ? ` · ${r.warnings.length} warning(s): ${r.warnings[r.warnings.length - 1]}` : "");
  }
}
