import { chunkFromIpc } from "@iris/chunk";
import { RrdDecoder, type RrdMessage, type RrdWarning } from "@iris/rrd";
import { ChunkStore } from "@iris/store";
import { Emitter } from "./emitter.ts";

export interface RecordingEvents extends Record<string, unknown> {
  /** New data reached the store (after each pushed piece that held complete messages). */
  data: Recording;
  /** Loading progress or completion changed. */
  progress: Recording;
  warning: string;
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
  applicationId: string | undefined;
  recordingId: string | undefined;
  loadedBytes = 0;
  totalBytes: number | undefined;
  done = false;
  readonly warnings: string[] = [];
  private readonly decoder = new RrdDecoder();

  constructor(name: string, options: RecordingOptions = {}) {
    super();
    this.name = name;
    this.store = new ChunkStore({ memoryBudgetBytes: options.memoryBudgetBytes ?? 2 * 1024 ** 3 });
  }

  /** Feeds the next piece of the `.rrd` stream. */
  push(bytes: Uint8Array): void {
    this.loadedBytes += bytes.length;
    try {
      this.decoder.push(bytes);
      this.drain(false);
    } catch (error) {
      this.warn(`cannot read ${this.name}: ${(error as Error).message}`);
      this.done = true;
    }
    this.emit("progress", this);
  }

  /** Feeds one already-decoded message (a live source: the gRPC proxy, or an SDK sink in the same page). */
  pushMessage(message: RrdMessage): void {
    if (message.kind === "setStoreInfo") {
      this.applicationId = message.storeId.applicationId;
      this.recordingId = message.storeId.recordingId;
    } else if (message.kind === "arrowMsg" && message.storeId.kind !== "blueprint") {
      this.loadedBytes += message.ipc.byteLength;
      try {
        this.store.insert(chunkFromIpc(message.ipc));
        this.emit("data", this);
      } catch (error) {
        this.warn(`skipped a live chunk: ${(error as Error).message}`);
      }
    }
    this.emit("progress", this);
  }

  /** The stream ended: reports anything truncated. */
  finish(): void {
    try {
      this.drain(true);
    } catch (error) {
      this.warn(`cannot read ${this.name}: ${(error as Error).message}`);
    }
    this.done = true;
    this.emit("progress", this);
  }

  private drain(atEnd: boolean): void {
    let added = false;
    const events = atEnd ? this.decoder.end() : [...this.nextEvents()];
    for (const event of events) {
      if (event.type === "warning") {
        this.warn(describeWarning(event.warning));
        continue;
      }
      const { message } = event;
      if (message.kind === "setStoreInfo") {
        this.applicationId = message.storeId.applicationId;
        this.recordingId = message.storeId.recordingId;
      } else if (message.kind === "arrowMsg") {
        if (message.storeId.kind === "blueprint") continue; // blueprints are not shown (yet)
        try {
          this.store.insert(chunkFromIpc(message.ipc));
          added = true;
        } catch (error) {
          this.warn(`skipped a chunk at byte ${event.offset}: ${(error as Error).message}`);
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
    this.warn(text);
    this.done = true;
    this.emit("progress", this);
  }

  private warn(text: string): void {
    this.warnings.push(text);
    this.emit("warning", text);
  }
}

function describeWarning(w: RrdWarning): string {
  return `${w.kind} at byte ${w.offset}: ${w.message}`;
}
