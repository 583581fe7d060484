import { chunkFromIpc } from "@iris/chunk";
import { RrdDecoder, type RrdMessage, type RrdWarning } from "@iris/rrd";
import { ChunkStore } from "@iris/store";
import { Emitter } from "./emitter.ts";
import { ImageDimensionsTracker } from "./image-dimensions.ts";

export interface RecordingEvents extends Record<string, unknown> {
  /** New data reached the store (after each pushed piece that held complete messages). */
  data: Recording;
  /** Loading progress or completion changed. */
  progress: Recording;
  warning: string;
  /** A problem with its level (every warning is also emitted as `warning`). */
  notice: RecordingNotice;
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
  private readonly decoder = new RrdDecoder();

  constructor(name: string, options: RecordingOptions & { source?: string } = {}) {
    super();
    this.name = name;
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
    if (message.kind === "setStoreInfo") {
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
    this.emit("progress", this);
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
      if (message.kind === "setStoreInfo") {
        this.applicationId = message.storeId.applicationId;
        this.recordingId = message.storeId.recordingId;
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

  private warn(text: string, level: RecordingNotice["level"] = "warning"): void {
    this.warnings.push(text);
    this.emit("notice", { level, text });
    this.emit("warning", text);
  }
}

function describeWarning(w: RrdWarning): string {
  return `${w.kind} at byte ${w.offset}: ${w.message}`;
}
