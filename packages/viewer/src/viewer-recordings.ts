import type { RrdMessage } from "@iris/rrd";
import { type LazyLoadOptions, loadFileMaybeLazily, loadUrlMaybeLazily } from "./lazy-url-loader.ts";
import { LiveRouter } from "./live-router.ts";
import type { ViewerNotification } from "./notifications-panel.ts";
import { Recording } from "./recording.ts";
import { followRecording } from "./recording-follower.ts";
import { recordingLabel } from "./recording-info.ts";
import type { RecordingEntry } from "./viewer-top-bar.ts";

/** What the viewer does as its recordings are opened and load. */
export interface ViewerRecordingsEvents {
  /** Show recording `index` of `list`: the first one opened, or one the user opened. */
  select(index: number): void;
  /** A recording was listed without being shown, or the label of one changed. */
  listed(): void;
  /** New data reached the recording shown. */
  data(): void;
  /** The loading progress of a recording changed. */
  progress(): void;
  warning(text: string): void;
  notice(note: ViewerNotification): void;
  /** A live source's connection status changed ("live …" when connected). */
  liveStatus(text: string): void;
}

/**
 * The viewer's open recordings, in the order they were listed, and the one shown. Opens each (URL, File, bytes,
 * live through a `LiveRouter`) into its own chunk store within the memory budget, follows its loading (another
 * recording found in its input, `cat a.rrd b.rrd`, is listed too) and names it.
 */
export class ViewerRecordings {
  readonly list: Recording[] = [];
  private activeValue: Recording | undefined;
  private readonly live = new Set<Recording>();
  private readonly liveRouter: LiveRouter;

  constructor(
    private readonly options: LazyLoadOptions,
    private readonly events: ViewerRecordingsEvents,
  ) {
    this.liveRouter = new LiveRouter({
      addLiveRecording: (name, source) => this.add(name, { source, live: true }),
      status: (text) => events.liveStatus(text),
      warn: (text) => events.warning(text),
    });
  }

  /** The recording shown. */
  get active(): Recording | undefined {
    return this.activeValue;
  }

  /** The index of the recording shown (0 when none is). */
  get activeIndex(): number {
    return this.activeValue ? this.list.indexOf(this.activeValue) : 0;
  }

  /** Records that `recording` is shown now (the viewer does the showing). */
  setActive(recording: Recording): void {
    this.activeValue = recording;
  }

  /** Streams a recording from a URL (http(s), relative, or blob:); a failure is the recording's error. */
  async openUrl(url: string): Promise<Recording> {
    const recording = this.add(url.split("/").pop() || url, { source: url });
    try {
      await loadUrlMaybeLazily(url, recording, this.options);
    } catch (error) {
      recording.fail(`cannot open ${url}: ${(error as Error).message}`);
    }
    return recording;
  }

  /** Opens a File the user chose (it is shown); a failure is the recording's error. */
  async openFile(file: File): Promise<Recording> {
    const recording = this.add(file.name, { source: `file ${file.name}`, select: true });
    try {
      await loadFileMaybeLazily(file, recording, this.options);
    } catch (error) {
      recording.fail(`cannot open ${file.name}: ${(error as Error).message}`);
    }
    return recording;
  }

  /** Adds a complete `.rrd` held in memory. */
  addBytes(bytes: Uint8Array, name: string): Recording {
    const recording = this.add(name, { source: "memory" });
    recording.push(bytes);
    recording.finish();
    return recording;
  }

  /** Follows a Rerun message proxy live; returns the stream's first recording (see `IrisViewer.openLive`). */
  openLive(url: string): Recording {
    return this.liveRouter.openLive(url);
  }

  /** Feeds one message from a producer in the same page, live. */
  pushMessage(message: RrdMessage): void {
    this.liveRouter.pushMessage(message);
  }

  /** Stops following every live source. */
  stopLive(): void {
    this.liveRouter.stop();
  }

  /** The name shown for a recording (see `recordingLabel`). */
  labelOf(recording: Recording): string {
    return recordingLabel(recording, this.live.has(recording));
  }

  /** The recordings as the recording selector lists them. */
  entries(): RecordingEntry[] {
    return this.list.map((recording) => ({
      recording,
      label: this.labelOf(recording),
      live: this.live.has(recording),
    }));
  }

  /**
   * Adds a recording; it is shown when nothing is shown yet (so `?url=a&url=b` opens `a`, the first one, like
   * Rerun), or when the user opened it (`select`).
   */
  private add(name: string, options: { source: string; select?: boolean; live?: boolean }): Recording {
    const recording = new Recording(name, {
      source: options.source,
      ...(this.options.memoryBudgetBytes !== undefined
        ? { memoryBudgetBytes: this.options.memoryBudgetBytes }
        : {}),
    });
    if (options.live) this.live.add(recording);
    this.follow(recording);
    this.list.push(recording);
    if (options.select || !this.activeValue) this.events.select(this.list.length - 1);
    else this.events.listed();
    return recording;
  }

  /** Follows a recording's loading; another recording found in its input is listed too. */
  private follow(recording: Recording): void {
    followRecording(
      recording,
      {
        split: (other) => {
          this.follow(other);
          this.list.push(other);
          this.events.listed();
        },
        data: (r) => {
          if (r === this.activeValue) this.events.data();
        },
        progress: () => this.events.progress(),
        renamed: () => this.events.listed(),
        warning: (w) => this.events.warning(w),
        notice: (n) => this.events.notice(n),
      },
      (r) => this.labelOf(r),
    );
  }
}
