import { chunkFromIpc } from "@iris/chunk";
import { RrdDecoder, type RrdMessage, type RrdWarning, type StoreId } from "@iris/rrd";
import { ChunkStore } from "@iris/store";
import { Emitter } from "./emitter.ts";
import { ImageDimensionsTracker } from "./image-dimensions.ts";
import type { LazyRecordingSource } from "./lazy-recording-source.ts";
import { viewerLz4 } from "./viewer-lz4.ts";

export interface RecordingEvents extends Record<string, unknown> {
  /** New data reached the store (after each pushed piece that held complete messages). */
  data: Recording;
  /** Loading progress or completion changed. */
  progress: Recording;
  warning: string;
  /** A problem with its level (every warning is also emitted as `warning`). */
  notice: RecordingNotice;
  /**
   * The input holds another recording (e.g. `cat a.rrd b.rrd`): it gets its own Recording (and store), as in
   * Rerun, which opens one recording per StoreId.
   */
  split: Recording;
}

/** A loading problem: errors lose data or the whole file, warnings are worth knowing. */
export interface RecordingNotice {
  readonly level: "error" | "warning";
  readonly text: string;
}

export interface RecordingOptions {
  /** The store's memory budget; the oldest temporal data is evicted beyond it (default 2 GiB). */
  memoryBudgetBytes?: number;
}

/**
 * One loaded (or loading) recording: a push decoder feeding a `ChunkStore`. Bytes can arrive in pieces, so the
 * first images show before a large file has finished loading.
 */
export class Recording extends Emitter<RecordingEvents> {
  readonly name: string;
  readonly store: ChunkStore;
  /** Per entity, the largest image logged so far and its image kinds (for the view heuristics). */
  readonly imageDimensions: ImageDimensionsTracker;
  applicationId: string | undefined;
  recordingId: string | undefined;
  loadedBytes = 0;
  totalBytes: number | undefined;
  done = false;
  readonly warnings: string[] = [];
  /** Where the data comes from: a URL, a file name, a live proxy. */
  source: string;
  /** Chunks of blueprint stores seen (not shown: Iris does not apply blueprints). */
  blueprintChunks = 0;
  /** Other recordings found in the same input, by application id and recording id. */
  readonly others = new Map<string, Recording>();
  /** Set when the recording is read on demand from its index (a large file): see lazy-url-loader.ts. */
  lazy: LazyRecordingSource | undefined;
  private readonly decoder = new RrdDecoder({ lz4: viewerLz4 });
  private readonly options: RecordingOptions;

  constructor(name: string, options: RecordingOptions & { source?: string } = {}) {
    super();
    this.name = name;
    this.options = {
      ...(options.memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes: options.memoryBudgetBytes }),
    };
    this.source = options.source ?? name;
    this.store = new ChunkStore({ memoryBudgetBytes: options.memoryBudgetBytes ?? 2 * 1024 ** 3 });
    this.imageDimensions = new ImageDimensionsTracker(this.store);
  }

  /** Feeds the next piece of the `.rrd` stream. */
  push(bytes: Uint8Array): void {
    this.loadedBytes += bytes.length;
    try {
      this.decoder.push(bytes);
      this.drain(false);
    } catch (error) {
      this.warn(`cannot read ${this.name}: ${(error as Error).message}`, "error");
      this.done = true;
    }
    this.emit("progress", this);
  }

  /** Feeds one already-decoded message (a live source: the gRPC proxy, or an SDK sink in the same page). */
  pushMessage(message: RrdMessage): void {
    if (message.kind === "setStoreInfo" && message.storeId.kind === "recording") {
      this.applicationId = message.storeId.applicationId;
      this.recordingId = message.storeId.recordingId;
    } else if (message.kind === "arrowMsg" && message.storeId.kind === "blueprint") {
      this.blueprintChunks += 1;
    } else if (message.kind === "arrowMsg") {
      this.loadedBytes += message.ipc.byteLength;
      try {
        this.store.insert(chunkFromIpc(message.ipc));
        this.emit("data", this);
      } catch (error) {
        this.warn(`skipped a live chunk: ${(error as Error).message}`, "error");
      }
    }
    this.emit("progress", this);
  }

  /** The stream ended: reports anything truncated. */
  finish(): void {
    if (!this.done) {
      try {
        this.drain(true);
      } catch (error) {
        this.warn(`cannot read ${this.name}: ${(error as Error).message}`, "error");
      }
    }
    if (this.store.stats().chunks === 0 && this.blueprintChunks > 0)
      this.warn(
        `${this.name} holds only a blueprint (${this.blueprintChunks} blueprint chunk${this.blueprintChunks > 1 ? "s" : ""}, ` +
          "no recording data): Iris does not apply blueprints; open the recording (.rrd) it belongs to",
        "warning",
      );
    this.done = true;
    for (const other of this.others.values()) {
      other.done = true;
      other.emit("progress", other);
    }
    this.emit("progress", this);
  }

  /**
   * The Recording of a message that belongs to another recording than this one's (the first one seen), created
   * on first use; undefined for this recording's messages and for blueprints.
   */
  private otherRecordingFor(message: RrdMessage): Recording | undefined {
    const storeId: StoreId = message.kind === "blueprintActivation" ? message.blueprintId : message.storeId;
    if (storeId.kind === "blueprint") return undefined;
    if (this.recordingId === undefined) {
      this.applicationId = storeId.applicationId;
      this.recordingId = storeId.recordingId;
      return undefined;
    }
    if (storeId.recordingId === this.recordingId && storeId.applicationId === this.applicationId)
      return undefined;
    return this.otherRecording(storeId);
  }

  /**
   * The Recording of another recording in this one's input (`storeId`), created (and announced with `split`) on
   * first use.
   */
  otherRecording(storeId: StoreId): Recording {
    const key = `${storeId.applicationId}\u0000${storeId.recordingId}`;
    let other = this.others.get(key);
    if (other === undefined) {
      other = new Recording(`${this.name} (${storeId.recordingId})`, {
        ...this.options,
        source: this.source,
      });
      other.applicationId = storeId.applicationId;
      other.recordingId = storeId.recordingId;
      this.others.set(key, other);
      this.emit("split", other);
    }
    return other;
  }

  private drain(atEnd: boolean): void {
    let added = false;
    const events = atEnd ? this.decoder.end() : [...this.nextEvents()];
    for (const event of events) {
      if (event.type === "warning") {
        // Lost data is an error; a stream from a newer writer is decoded anyway.
        const level = event.warning.kind === "newer-version" ? "warning" : "error";
        this.warn(`${this.name}: ${describeWarning(event.warning)}`, level);
        continue;
      }
      const { message } = event;
      const other = this.otherRecordingFor(message);
      if (other !== undefined) {
        other.pushMessage(message);
        continue;
      }
      if (message.kind === "setStoreInfo") {
        // The ids were taken from the first recording message (otherRecordingFor); a blueprint's are not ours.
      } else if (message.kind === "arrowMsg") {
        if (message.storeId.kind === "blueprint") {
          this.blueprintChunks += 1; // blueprints are not shown (yet)
          continue;
        }
        try {
          this.store.insert(chunkFromIpc(message.ipc));
          added = true;
        } catch (error) {
          this.warn(
            `${this.name}: skipped a chunk at byte ${event.offset}: ${(error as Error).message}`,
            "error",
          );
        }
      }
    }
    if (added) this.emit("data", this);
  }

  private *nextEvents(): Generator<NonNullable<ReturnType<RrdDecoder["next"]>>> {
    for (let e = this.decoder.next(); e !== undefined; e = this.decoder.next()) yield e;
  }

  /** Ends loading with an error (e.g. the download failed); the text shows in the viewer's status. */
  fail(text: string): void {
    this.warn(text, "error");
    this.done = true;
    this.emit("progress", this);
  }

  /** Reports a loading problem (shown in the notifications and the status line). */
  warn(text: string, level: RecordingNotice["level"] = "warning"): void {
    this.warnings.push(text);
    this.emit("notice", { level, text });
    this.emit("warning", text);
  }
}

function describeWarning(w: RrdWarning): string {
  return `${w.kind} at byte ${w.offset}: ${w.message}`;
}
