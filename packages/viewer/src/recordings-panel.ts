import type { Recording } from "./recording.ts";
import { formatStartTime, recordingSummary } from "./recording-info.ts";

/**
 * Rerun's recordings panel: every open recording with its application id, recording name, start time and
 * source; the active one highlighted; click one to show it.
 */
export class RecordingsPanel {
  readonly element: HTMLDivElement;
  private readonly list: HTMLUListElement;
  private signature = "";

  constructor(private readonly onSelect: (index: number) => void) {
    this.element = document.createElement("div");
    this.element.className = "iris-recordings";
    const title = document.createElement("div");
    title.className = "iris-section-title";
    title.textContent = "Recordings";
    this.list = document.createElement("ul");
    this.element.append(title, this.list);
  }

  update(recordings: readonly Recording[], active: Recording | undefined): void {
    const rows = recordings.map((r) => ({ r, s: recordingSummary(r) }));
    const signature = JSON.stringify(
      rows.map(({ r, s }) => [
        s.applicationId,
        s.name,
        String(s.startTimeNanos),
        s.source,
        r === active,
        r.done,
      ]),
    );
    if (signature === this.signature) return;
    this.signature = signature;
    this.list.replaceChildren(
      ...rows.map(({ r, s }, index) => {
        const li = document.createElement("li");
        li.className = "iris-recording";
        li.classList.toggle("iris-active", r === active);
        li.dataset["index"] = String(index);
        li.tabIndex = 0;
        const app = document.createElement("div");
        app.className = "iris-recording-app";
        app.textContent = s.applicationId ?? "(no application id yet)";
        const name = document.createElement("div");
        name.className = "iris-recording-name";
        name.textContent = s.name;
        const start = document.createElement("div");
        start.className = "iris-recording-start";
        start.textContent = formatStartTime(s.startTimeNanos);
        const source = document.createElement("div");
        source.className = "iris-recording-source";
        source.textContent = s.source;
        li.title = [s.applicationId, s.name, s.recordingId && `recording id ${s.recordingId}`, s.source]
          .filter(Boolean)
          .join("\n");
        li.append(app, name, start, source);
        li.addEventListener("click", () => this.onSelect(index));
        li.addEventListener("keydown", (e) => e.key === "Enter" && this.onSelect(index));
        return li;
      }),
    );
  }
}
