import type { RrdMessage } from "@iris/rrd";
import { installCompareKeyboard } from "./compare-keyboard.ts";
import { type CompareMode, type CompareSource, CompareView } from "./compare-view.ts";
import { DataframeView } from "./dataframe-view.ts";
import { Emitter } from "./emitter.ts";
import { EntityTreePanel } from "./entity-tree-panel.ts";
import { LayoutControls } from "./layout-controls.ts";
import { LayoutStore } from "./layout-state.ts";
import { installFileDrop } from "./file-drop.ts";
import { LiveRouter } from "./live-router.ts";
import { isProxyUrl } from "./live-source.ts";
import { type LazyLoadOptions, loadFileMaybeLazily, loadUrlMaybeLazily } from "./lazy-url-loader.ts";
import { selectRecordingTimeline, syncRecordingTimelines } from "./lazy-timeline-data.ts";
import { LazyFrameRequests } from "./lazy-needed-entities.ts";
import { NotificationsPanel } from "./notifications-panel.ts";
import { ProbePanel, type ProbeRequest } from "./probe-panel.ts";
import type { ProbeSeries } from "@iris/store";
import { Recording } from "./recording.ts";
import { followRecording } from "./recording-follower.ts";
import { RecordingsPanel } from "./recordings-panel.ts";
import { SelectionPanel } from "./selection-panel.ts";
import type { PixelSelection, Spatial2DView } from "./spatial-2d-view.ts";
import type { Spatial3DView } from "./spatial-3d-view.ts";
import { TimeControl } from "./time-control.ts";
import { TimePanel } from "./time-panel.ts";
import { recordingLabel } from "./recording-info.ts";
import { ViewLayout } from "./view-layout.ts";
import { ViewManager } from "./view-manager.ts";
import { injectViewerStyles } from "./viewer-styles.ts";
import { type ViewerMode, ViewerTopBar } from "./viewer-top-bar.ts";
import { Visibility } from "./visibility.ts";

export interface IrisViewerOptions extends LazyLoadOptions {
  /**
   * Per-recording store memory budget in bytes: a recording loaded whole evicts its oldest temporal data beyond it
   * (default 2 GiB); one read on demand (`lazy`) keeps at most this many resident chunk bytes besides the current
   * frame (default 512 MiB; shown as "resident … / … budget" in the status line).
   */
  memoryBudgetBytes?: number;
  /** Keep the layout in the page URL (`?layout=…`) as well as in local storage; the standalone page does. */
  layoutInUrl?: boolean;
}

export interface IrisViewerEvents extends Record<string, unknown> {
  /** The time cursor moved or the timeline changed. */
  time: { timeline: string | undefined; time: bigint };
  /** A recording was added or selected. */
  recording: { name: string; index: number };
  /** A problem while loading (a skipped message, a decode error…). */
  warning: string;
  /** The user clicked a pixel of an image (undefined: clicked empty space). */
  selection: PixelSelection | undefined;
  /** The user clicked an entity in the left panel. */
  entity: string;
}

/**
 * The Iris web viewer, mountable in any element: `new IrisViewer(el).open("rec.rrd")`. Several recordings can be
 * open at once (a selector switches between them); each is loaded incrementally into its own chunk store.
 */
export class IrisViewer extends Emitter<IrisViewerEvents> {
  readonly element: HTMLDivElement;
  readonly time = new TimeControl();
  readonly recordings: Recording[] = [];
  private active: Recording | undefined;
  /** What the user hid: views, and entities per view. */
  readonly visibility: Visibility;
  /** The user's layout changes (closed, added, rearranged, maximised views), per application id. */
  readonly layoutStore: LayoutStore;
  private readonly viewManager: ViewManager;
  private readonly layout: ViewLayout;
  readonly timePanel: TimePanel;
  private readonly topBar: ViewerTopBar;
  private readonly live: LiveRouter;
  private readonly liveRecordings = new Set<Recording>();
  private readonly empty: HTMLDivElement;
  /** Errors and warnings while loading, shown so that nobody misses them. */
  readonly notifications = new NotificationsPanel();
  private readonly recordingsPanel: RecordingsPanel;
  private readonly treePanel: EntityTreePanel;
  /** What the user clicked (an entity or a pixel): its components, timelines, preview and downloads. */
  readonly selectionPanel: SelectionPanel;
  /** The table of every component per index value (Rerun's DataframeView). */
  readonly dataframe: DataframeView;
  /** The pixel / region probe over time (Alt+click, Alt+drag, Shift+P, `probe()`). */
  readonly probePanel: ProbePanel;
  private mode: ViewerMode = "views";
  private dataChanged = false;
  private readonly lazyRequests = new LazyFrameRequests();
  private lastFrameMs = performance.now();
  private destroyed = false;

  constructor(
    parent: HTMLElement,
    private readonly options: IrisViewerOptions = {},
  ) {
    super();
    injectViewerStyles(parent.ownerDocument);
    this.element = document.createElement("div");
    this.element.className = "iris-viewer";
    this.element.tabIndex = 0;
    const openFiles = (files: Iterable<File>): void => {
      for (const file of files) void this.openFile(file);
    };
    this.topBar = new ViewerTopBar(
      {
        openFiles,
        selectRecording: (index) => this.selectRecording(index),
        setMode: (mode) => this.setMode(mode),
        toggleLinkedViews: () => this.setLinkedViews(!this.linkedViews),
      },
      this.notifications.badge,
    );
    this.live = new LiveRouter({
      addLiveRecording: (name, source) => this.addEmptyRecording(name, { source, live: true }),
      status: (text) => (this.element.dataset["live"] = text.startsWith("live") ? "connected" : text),
      warn: (text) => this.warn(text),
    });
    this.layout = new ViewLayout(() => this.invalidateViews());
    this.layoutStore = new LayoutStore({ useUrl: options.layoutInUrl ?? false });
    this.visibility = new Visibility(this.layoutStore);
    this.viewManager = new ViewManager(
      this.layout,
      this.visibility,
      () => this.active?.store,
      () => this.queryTime(),
      this.layoutStore,
    );
    this.layoutStore.on("change", () => (this.dataChanged = true));
    this.selectionPanel = new SelectionPanel(
      () => this.active?.store,
      () => this.queryTime(),
      (entityPath) =>
        [...this.viewManager.views.values()].find((v) => v.entities().includes(entityPath))?.canvas,
    );
    this.viewManager.onSelect = (selection) => {
      this.selectionPanel.select(selection ? { kind: "pixel", pixel: selection } : undefined);
      this.emit("selection", selection);
    };
    this.visibility.on("change", () => (this.dataChanged = true));
    this.empty = document.createElement("div");
    this.empty.className = "iris-empty";
    this.empty.textContent = "Drop an .rrd file here, use Open…, or add ?url=… to the address.";
    this.recordingsPanel = new RecordingsPanel((index) => this.selectRecording(index));
    this.treePanel = new EntityTreePanel(
      this.visibility,
      (entityPath) => {
        this.selectionPanel.select({ kind: "entity", entityPath });
        this.emit("entity", entityPath);
      },
      (entityPath) => this.layoutStore.add({ origin: entityPath, contents: "subtree" }),
    );
    const layoutControls = new LayoutControls(this.layoutStore);
    this.treePanel.viewsTitle.append(layoutControls.element);
    layoutControls.installKeyboard(this.element);
    this.timePanel = new TimePanel(this.time, (name) => this.selectTimeline(name));
    this.timePanel.installKeyboard(this.element);
    const drop = document.createElement("div");
    drop.className = "iris-drop";
    drop.textContent = "Drop .rrd files to open them";
    this.dataframe = new DataframeView(() => this.active?.store, this.time);
    this.dataframe.element.style.display = "none";
    const left = document.createElement("div");
    left.className = "iris-left";
    left.append(this.recordingsPanel.element, this.treePanel.element);
    const center = document.createElement("div");
    center.className = "iris-center";
    this.probePanel = new ProbePanel({ store: () => this.active?.store, time: this.time });
    this.probePanel.installKeyboard(this.element);
    this.viewManager.onProbe = (request) => this.probePanel.openQuietly(request);
    center.append(this.empty, this.layout.element, this.dataframe.element, this.probePanel.element);
    this.center = center;
    installCompareKeyboard(this.element, {
      comparing: () => this.mode === "compare",
      showCompare: (on) => this.setMode(on ? "compare" : "views"),
      compareView: () => this.compareView,
      linkedViews: () => this.linkedViews,
      setLinkedViews: (on) => this.setLinkedViews(on),
    });
    const main = document.createElement("div");
    main.className = "iris-main";
    main.append(left, center, this.selectionPanel.element);
    this.element.append(this.topBar.element, this.notifications.element, main, this.timePanel.element, drop);
    installFileDrop(this.element, drop, openFiles);
    parent.append(this.element);
    this.time.on("change", (t) => {
      this.requestLazyFrame();
      this.invalidateViews();
      if (this.selectionPanel.current) this.selectionPanel.refresh();
      this.emit("time", { timeline: t.timeline?.name, time: t.time });
    });
    this.updateRecordingSelect();
    requestAnimationFrame((t) => this.animate(t));
  }

  /** Streams a recording from a URL (http(s), relative, or blob:). */
  async open(url: string): Promise<Recording> {
    if (isProxyUrl(url)) return this.openLive(url);
    const recording = this.addEmptyRecording(url.split("/").pop() || url, { source: url });
    try {
      await loadUrlMaybeLazily(url, recording, this.options);
    } catch (error) {
      recording.fail(`cannot open ${url}: ${(error as Error).message}`);
    }
    return recording;
  }

  /** Opens a File (file picker or drag-and-drop). */
  async openFile(file: File): Promise<Recording> {
    const recording = this.addEmptyRecording(file.name, { source: `file ${file.name}`, select: true });
    try {
      await loadFileMaybeLazily(file, recording, this.options);
    } catch (error) {
      recording.fail(`cannot open ${file.name}: ${(error as Error).message}`);
    }
    return recording;
  }

  /** Adds a complete `.rrd` held in memory. */
  addRecording(bytes: Uint8Array, name = `recording ${this.recordings.length + 1}`): Recording {
    const recording = this.addEmptyRecording(name, { source: "memory" });
    recording.push(bytes);
    recording.finish();
    return recording;
  }

  /**
   * Probes one pixel (or the mean of a rectangle: `width`/`height`) of an image entity over the current timeline
   * (or `timeline`) and shows the plot panel; resolves with the values per time (EncodedImage frames are decoded
   * by the browser first). Rejects with a `ProbeError` (also shown in the panel) for an unknown entity or
   * timeline, or a region outside the image.
   */
  probe(request: ProbeRequest): Promise<ProbeSeries> {
    return this.probePanel.open(request);
  }

  /** The recording shown now. */
  get activeRecording(): Recording | undefined {
    return this.active;
  }

  /** The 2D views, keyed by their origin, in alphabetical order. */
  get spatialViews(): ReadonlyMap<string, Spatial2DView> {
    return this.viewManager.views;
  }

  /** The 3D view (undefined when the recording has no Pinhole / Transform3D data). */
  get spatial3dView(): Spatial3DView | undefined {
    return this.viewManager.view3d;
  }

  selectRecording(index: number): void {
    const recording = this.recordings[index];
    if (!recording) return;
    if (recording !== this.active) this.viewManager.clear();
    this.active = recording;
    this.selectionPanel.select(undefined);
    this.dataChanged = true;
    this.updateRecordingSelect();
    this.updateProgress();
    this.emit("recording", { name: recording.name, index });
  }

  /** Shows the 2D views or the dataframe table. */
  setMode(mode: ViewerMode): void {
    this.mode = mode;
    this.layout.element.style.display = mode === "views" ? "" : "none";
    this.dataframe.element.style.display = mode === "dataframe" ? "" : "none";
    if (mode === "compare" || this.compareViewValue)
      this.compareView.element.style.display = mode === "compare" ? "" : "none";
    this.topBar.showMode(mode);
    if (mode === "dataframe") this.dataframe.refresh();
    this.requestLazyFrame();
  }

  /**
   * Follows a Rerun message proxy live (`rerun+http://127.0.0.1:9876/proxy`, e.g. `iris serve`): its history,
   * then new data as it arrives, reconnecting when the server restarts. Each recording id in the stream gets its
   * own recording (the first one is returned at once); the time cursor follows the newest data.
   */
  openLive(url: string): Recording {
    return this.live.openLive(url);
  }

  /** Feeds one message from a producer in the same page (the SDK's `toViewer` sink), live. */
  pushMessage(message: RrdMessage): void {
    this.live.pushMessage(message);
  }

  /**
   * Opens compare mode (the Compare tab, key c) with images `a` and `b` — two entities, one entity at two times
   * (`time`), or the same entity in two recordings (`recording`) — shown as `mode` (default: the current one, at
   * first swipe). See docs/compare.md.
   */
  compare(
    a: CompareSource,
    b: CompareSource,
    options: { mode?: CompareMode; amount?: number } = {},
  ): CompareView {
    const view = this.compareView;
    view.setSources(a, b);
    if (options.mode !== undefined) view.setMode(options.mode);
    if (options.amount !== undefined) view.setAmount(options.amount);
    this.setMode("compare");
    return view;
  }

  /** Compare mode's view (created on first use): its mode, amount, sources, statistics and read-back. */
  get compareView(): CompareView {
    if (!this.compareViewValue) {
      this.compareViewValue = new CompareView({
        recordings: () => this.recordings,
        activeIndex: () => (this.active ? this.recordings.indexOf(this.active) : 0),
        time: () => this.queryTime(),
        label: (r) => this.labelOf(r),
      });
      this.compareViewValue.element.style.display = "none";
      this.center.append(this.compareViewValue.element);
    }
    return this.compareViewValue;
  }

  /** Whether zoom, pan and hover are linked across 2D views of same-size images (button and key l). */
  get linkedViews(): boolean {
    return this.viewManager.link.enabled;
  }

  setLinkedViews(on: boolean): void {
    this.viewManager.link.setEnabled(on);
    this.topBar.showLinkedViews(on);
  }

  private compareViewValue: CompareView | undefined;
  private center!: HTMLDivElement;

  destroy(): void {
    this.compareViewValue?.destroy();
    this.live.stop();
    this.destroyed = true;
    this.element.remove();
  }

  /**
   * Adds a recording; it is shown when nothing is shown yet (so `?url=a&url=b` opens `a`, the first one, like
   * Rerun), or when the user opened it (`select`).
   */
  private addEmptyRecording(
    name: string,
    options: { source: string; select?: boolean; live?: boolean },
  ): Recording {
    const recording = new Recording(name, {
      source: options.source,
      ...(this.options.memoryBudgetBytes !== undefined
        ? { memoryBudgetBytes: this.options.memoryBudgetBytes }
        : {}),
    });
    if (options.live) this.liveRecordings.add(recording);
    this.listen(recording);
    this.recordings.push(recording);
    if (options.select || !this.active) this.selectRecording(this.recordings.length - 1);
    else this.updateRecordingSelect();
    return recording;
  }

  /** Follows a recording's loading; another recording found in its input (`cat a.rrd b.rrd`) is listed too. */
  private listen(recording: Recording): void {
    followRecording(
      recording,
      {
        split: (other) => {
          this.listen(other);
          this.recordings.push(other);
          this.updateRecordingSelect();
        },
        data: (r) => {
          if (r !== this.active) return;
          this.dataChanged = true;
          this.probePanel.dataArrived();
        },
        progress: () => this.updateProgress(),
        renamed: () => this.updateRecordingSelect(),
        warning: (w) => this.warn(w),
        notice: (n) => this.notifications.add(n),
      },
      (r) => this.labelOf(r),
    );
  }

  private warn(text: string): void {
    this.emit("warning", text);
  }

  private selectTimeline(name: string): void {
    const recording = this.active;
    if (!recording || !selectRecordingTimeline(recording, this.time, name)) return;
    if (this.mode === "dataframe") this.dataframe.refresh();
  }

  private refreshFromStore(): void {
    const recording = this.active;
    if (!recording) return;
    const store = recording.store;
    syncRecordingTimelines(recording, this.time, this.timePanel);
    if (this.active) this.viewManager.refresh(this.active);
    this.treePanel.update(this.viewManager.treeViews(), store.entityPaths(), this.viewManager.visualizable);
    this.recordingsPanel.update(this.recordings, this.active);
    this.invalidateViews();
    if (this.mode === "dataframe") this.dataframe.refresh();
    this.requestLazyFrame();
  }

  /** Has an on-demand recording read the chunks the views on screen need now (every entity outside the views mode). */
  private requestLazyFrame(): void {
    this.lazyRequests.request(
      this.active,
      this.time,
      this.mode === "views" ? this.viewManager.shownViews() : undefined,
    );
  }

  private queryTime(): { timeline: string | undefined; time: bigint } {
    return { timeline: this.time.timeline?.name, time: this.time.time };
  }

  private invalidateViews(): void {
    this.viewManager.invalidate();
    this.compareViewValue?.invalidate();
  }

  private animate(nowMs: number): void {
    if (this.destroyed) return;
    const elapsed = nowMs - this.lastFrameMs;
    this.lastFrameMs = nowMs;
    if (this.dataChanged) {
      this.dataChanged = false;
      this.refreshFromStore();
    }
    this.time.tick(elapsed);
    this.viewManager.render();
    if (this.mode === "compare") this.compareViewValue?.render();
    requestAnimationFrame((t) => this.animate(t));
  }

  private updateProgress(): void {
    const r = this.active;
    if (!r) return;
    this.topBar.showProgress(r, this.labelOf(r));
    this.element.dataset["loading"] = r.done ? "done" : "loading";
    this.recordingsPanel.update(this.recordings, this.active);
  }

  /** The name shown for a recording (see `recordingLabel`). */
  labelOf(recording: Recording): string {
    return recordingLabel(recording, this.liveRecordings.has(recording));
  }

  private updateRecordingSelect(): void {
    this.topBar.showRecordings(
      this.recordings.map((recording) => ({
        recording,
        label: this.labelOf(recording),
        live: this.liveRecordings.has(recording),
      })),
      this.active ? this.recordings.indexOf(this.active) : 0,
    );
    this.empty.style.display = this.recordings.length === 0 ? "" : "none";
    this.recordingsPanel.update(this.recordings, this.active);
  }
}
