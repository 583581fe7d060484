import type { RrdMessage } from "@iris/rrd";
import { installCompareKeyboard } from "./compare-keyboard.ts";
import type { CompareMode, CompareSource, CompareView } from "./compare-view.ts";
import { DataframeView } from "./dataframe-view.ts";
import { onDemandTableRows } from "./lazy-table-rows.ts";
import { Emitter } from "./emitter.ts";
import type { IrisViewerEvents, IrisViewerOptions } from "./iris-viewer-options.ts";
import { LayoutStore } from "./layout-state.ts";
import { onDemandImageEntities, onDemandProbeStore } from "./lazy-entity-store.ts";
import { installFileDrop } from "./file-drop.ts";
import { isProxyUrl } from "./live-source.ts";
import { selectRecordingTimeline, syncRecordingTimelines } from "./lazy-timeline-data.ts";
import { LazyFrameRequests } from "./lazy-needed-entities.ts";
import { NotificationsPanel } from "./notifications-panel.ts";
import { ProbePanel, type ProbeRequest } from "./probe-panel.ts";
import type { ProbeSeries } from "@iris/store";
import type { Recording } from "./recording.ts";
import { SelectionPanel } from "./selection-panel.ts";
import type { Spatial2DView } from "./spatial-2d-view.ts";
import type { Spatial3DView } from "./spatial-3d-view.ts";
import { TimeControl } from "./time-control.ts";
import { TimePanel } from "./time-panel.ts";
import { ViewLayout } from "./view-layout.ts";
import { ViewManager } from "./view-manager.ts";
import { ViewerCenter } from "./viewer-center.ts";
import { ViewerFrameLoop } from "./viewer-frame-loop.ts";
import { ViewerLeftPanel } from "./viewer-left-panel.ts";
import { ViewerRecordings } from "./viewer-recordings.ts";
import { injectViewerStyles } from "./viewer-styles.ts";
import { type ViewerMode, ViewerTopBar } from "./viewer-top-bar.ts";
import { Visibility } from "./visibility.ts";

export type { IrisViewerEvents, IrisViewerOptions } from "./iris-viewer-options.ts";

/**
 * The Iris web viewer, mountable in any element: `new IrisViewer(el).open("rec.rrd")`. Several recordings can be
 * open at once (a selector switches between them); each is loaded incrementally into its own chunk store.
 */
export class IrisViewer extends Emitter<IrisViewerEvents> {
  readonly element: HTMLDivElement;
  readonly time = new TimeControl();
  readonly recordings: Recording[];
  private readonly recordingSet: ViewerRecordings;
  /** What the user hid: views, and entities per view. */
  readonly visibility: Visibility;
  /** The user's layout changes (closed, added, rearranged, maximised views), per application id. */
  readonly layoutStore: LayoutStore;
  private readonly viewManager: ViewManager;
  private readonly layout: ViewLayout;
  readonly timePanel: TimePanel;
  private readonly topBar: ViewerTopBar;
  private readonly center: ViewerCenter;
  /** Errors and warnings while loading, shown so that nobody misses them. */
  readonly notifications = new NotificationsPanel();
  private readonly left: ViewerLeftPanel;
  /** What the user clicked (an entity or a pixel): its components, timelines, preview and downloads. */
  readonly selectionPanel: SelectionPanel;
  /** The table of every component per index value (Rerun's DataframeView). */
  readonly dataframe: DataframeView;
  /** The pixel / region probe over time (Alt+click, Alt+drag, Shift+P, `probe()`). */
  readonly probePanel: ProbePanel;
  private readonly lazyRequests = new LazyFrameRequests();
  private readonly frames = new ViewerFrameLoop({
    refresh: () => this.refreshFromStore(),
    tick: (elapsedMs) => this.time.tick(elapsedMs),
    render: () => {
      this.viewManager.render();
      this.center.render();
    },
  });

  constructor(parent: HTMLElement, options: IrisViewerOptions = {}) {
    super();
    this.recordingSet = new ViewerRecordings(options, {
      select: (index) => this.selectRecording(index),
      listed: () => this.updateRecordingSelect(),
      data: () => {
        this.frames.refreshNextFrame();
        this.probePanel.dataArrived();
      },
      progress: () => this.updateProgress(),
      warning: (text) => this.warn(text),
      notice: (note) => this.notifications.add(note),
      liveStatus: (text) => (this.element.dataset["live"] = text.startsWith("live") ? "connected" : text),
    });
    this.recordings = this.recordingSet.list;
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
    this.layout = new ViewLayout(() => this.invalidateViews());
    this.layoutStore = new LayoutStore({ useUrl: options.layoutInUrl ?? false });
    this.visibility = new Visibility(this.layoutStore);
    this.viewManager = new ViewManager(
      this.layout,
      this.visibility,
      () => this.activeRecording?.store,
      () => this.queryTime(),
      this.layoutStore,
    );
    this.layoutStore.on("change", () => this.frames.refreshNextFrame());
    this.selectionPanel = new SelectionPanel(
      () => this.activeRecording?.store,
      () => this.queryTime(),
      (entityPath) =>
        [...this.viewManager.views.values()].find((v) => v.entities().includes(entityPath))?.canvas,
    );
    this.viewManager.onSelect = (selection) => {
      this.selectionPanel.select(selection ? { kind: "pixel", pixel: selection } : undefined);
      this.emit("selection", selection);
    };
    this.visibility.on("change", () => this.frames.refreshNextFrame());
    this.left = new ViewerLeftPanel(
      { visibility: this.visibility, layoutStore: this.layoutStore },
      {
        selectRecording: (index) => this.selectRecording(index),
        selectEntity: (entityPath) => {
          this.selectionPanel.select({ kind: "entity", entityPath });
          this.emit("entity", entityPath);
        },
      },
      this.element,
    );
    this.timePanel = new TimePanel(this.time, (name) => this.selectTimeline(name));
    this.timePanel.installKeyboard(this.element);
    const drop = document.createElement("div");
    drop.className = "iris-drop";
    drop.textContent = "Drop .rrd files to open them";
    this.dataframe = new DataframeView(
      () => this.activeRecording?.store,
      this.time,
      () => onDemandTableRows(this.activeRecording),
    );
    this.probePanel = new ProbePanel({
      store: () => this.activeRecording?.store,
      time: this.time,
      probeStore: (entityPath) => onDemandProbeStore(this.activeRecording, entityPath),
      imageEntities: () => onDemandImageEntities(this.activeRecording),
    });
    this.probePanel.installKeyboard(this.element);
    this.viewManager.onProbe = (request) => this.probePanel.openQuietly(request);
    this.center = new ViewerCenter({
      views: this.layout.element,
      dataframe: this.dataframe.element,
      probe: this.probePanel.element,
      recordings: this.recordingSet,
      time: () => this.queryTime(),
    });
    installCompareKeyboard(this.element, {
      comparing: () => this.center.mode === "compare",
      showCompare: (on) => this.setMode(on ? "compare" : "views"),
      compareView: () => this.compareView,
      linkedViews: () => this.linkedViews,
      setLinkedViews: (on) => this.setLinkedViews(on),
    });
    const main = document.createElement("div");
    main.className = "iris-main";
    main.append(this.left.element, this.center.element, this.selectionPanel.element);
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
    this.frames.start();
  }

  /** Streams a recording from a URL (http(s), relative, or blob:). */
  async open(url: string): Promise<Recording> {
    if (isProxyUrl(url)) return this.openLive(url);
    return this.recordingSet.openUrl(url);
  }

  /** Opens a File (file picker or drag-and-drop). */
  async openFile(file: File): Promise<Recording> {
    return this.recordingSet.openFile(file);
  }

  /** Adds a complete `.rrd` held in memory. */
  addRecording(bytes: Uint8Array, name = `recording ${this.recordings.length + 1}`): Recording {
    return this.recordingSet.addBytes(bytes, name);
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
    return this.recordingSet.active;
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
    if (recording !== this.activeRecording) this.viewManager.clear();
    this.recordingSet.setActive(recording);
    this.selectionPanel.select(undefined);
    this.frames.refreshNextFrame();
    this.updateRecordingSelect();
    this.updateProgress();
    this.emit("recording", { name: recording.name, index });
  }

  /** Shows the 2D views or the dataframe table. */
  setMode(mode: ViewerMode): void {
    this.center.show(mode);
    this.topBar.showMode(mode);
    if (mode === "dataframe") this.dataframe.show();
    else this.dataframe.hide();
    this.requestLazyFrame();
  }

  /**
   * Follows a Rerun message proxy live (`rerun+http://127.0.0.1:9876/proxy`, e.g. `iris serve`): its history,
   * then new data as it arrives, reconnecting when the server restarts. Each recording id in the stream gets its
   * own recording (the first one is returned at once); the time cursor follows the newest data.
   */
  openLive(url: string): Recording {
    return this.recordingSet.openLive(url);
  }

  /** Feeds one message from a producer in the same page (the SDK's `toViewer` sink), live. */
  pushMessage(message: RrdMessage): void {
    this.recordingSet.pushMessage(message);
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
    return this.center.compareView;
  }

  /** Whether zoom, pan and hover are linked across 2D views of same-size images (button and key l). */
  get linkedViews(): boolean {
    return this.viewManager.link.enabled;
  }

  setLinkedViews(on: boolean): void {
    this.viewManager.link.setEnabled(on);
    this.topBar.showLinkedViews(on);
  }

  destroy(): void {
    this.center.destroy();
    this.recordingSet.stopLive();
    this.frames.stop();
    this.element.remove();
  }

  private warn(text: string): void {
    this.emit("warning", text);
  }

  private selectTimeline(name: string): void {
    const recording = this.activeRecording;
    if (!recording || !selectRecordingTimeline(recording, this.time, name)) return;
    if (this.center.mode === "dataframe") this.dataframe.refresh();
  }

  private refreshFromStore(): void {
    const recording = this.activeRecording;
    if (!recording) return;
    const store = recording.store;
    syncRecordingTimelines(recording, this.time, this.timePanel);
    if (this.activeRecording) this.viewManager.refresh(this.activeRecording);
    this.left.showTrees(this.viewManager.treeViews(), store.entityPaths(), this.viewManager.visualizable);
    this.left.showRecordings(this.recordings, this.activeRecording);
    this.invalidateViews();
    if (this.center.mode === "dataframe") this.dataframe.refresh();
    this.requestLazyFrame();
  }

  /** Has an on-demand recording read the chunks the views on screen need now (every entity outside the views mode). */
  private requestLazyFrame(): void {
    this.lazyRequests.request(
      this.activeRecording,
      this.time,
      this.center.mode === "views" ? this.viewManager.shownViews() : undefined,
    );
  }

  private queryTime(): { timeline: string | undefined; time: bigint } {
    return { timeline: this.time.timeline?.name, time: this.time.time };
  }

  private invalidateViews(): void {
    this.viewManager.invalidate();
    this.center.invalidate();
  }

  private updateProgress(): void {
    const r = this.activeRecording;
    if (!r) return;
    this.topBar.showProgress(r, this.labelOf(r));
    this.element.dataset["loading"] = r.done ? "done" : "loading";
    this.left.showRecordings(this.recordings, this.activeRecording);
  }

  /** The name shown for a recording (see `recordingLabel`). */
  labelOf(recording: Recording): string {
    return this.recordingSet.labelOf(recording);
  }

  private updateRecordingSelect(): void {
    this.topBar.showRecordings(this.recordingSet.entries(), this.recordingSet.activeIndex);
    this.center.showHint(this.recordings.length);
    this.left.showRecordings(this.recordings, this.activeRecording);
  }
}
