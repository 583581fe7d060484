import { isPropertiesPath } from "@iris/store";
import type { DataframeColumn, DataframeRowSource } from "./dataframe-rows.ts";
import type { LazyRecordingSource } from "./lazy-recording-source.ts";
import { LazyRowIndex } from "./lazy-row-index.ts";
import type { Recording } from "./recording.ts";

interface RowsRequest {
  key: string;
  timeline: string;
  min: bigint;
  max: bigint;
  entityPaths: readonly string[];
}

/**
 * The dataframe table's rows of a recording read on demand: every row of the file from a `LazyRowIndex` (indexed in
 * the background when the table first asks), its columns from the index, and the cells of the rows in view read
 * with `LazyChunkLoader.ensureRange` (which keeps the resident chunks within the memory budget). Requests for rows
 * in view made while one is read are coalesced: only the newest runs next.
 */
export class LazyTableRows implements DataframeRowSource {
  readonly rowIndex: LazyRowIndex;
  private columnList: DataframeColumn[] | undefined;
  private readonly listeners = new Set<() => void>();
  private requested = "";
  private wanted: RowsRequest | undefined;
  private running = false;
  private cellError: unknown;
  /** Chunks of the rows in view left unread by the last request (beyond what the memory budget allows). */
  private skipped = 0;

  constructor(private readonly lazy: LazyRecordingSource) {
    const { loader } = lazy;
    const budget = loader.memoryBudgetBytes;
    this.rowIndex = new LazyRowIndex(lazy.recording.chunks, (entries) => loader.readTransient(entries), {
      batchBytes: Math.max(1024 * 1024, Math.min(16 * 1024 * 1024, budget / 4)),
    });
    this.rowIndex.onChange(() => this.emit());
  }

  columns(): DataframeColumn[] {
    this.columnList ??= this.lazy.loader
      .entityPaths()
      .filter((path) => !isPropertiesPath(path))
      .flatMap((entityPath) => {
        const components = new Set(this.lazy.loader.entriesOf(entityPath).flatMap((e) => e.components));
        return [...components].sort().map((component) => ({ entityPath, component }));
      });
    return this.columnList;
  }

  times(timeline: string): BigInt64Array {
    void this.rowIndex.start();
    return this.rowIndex.times(timeline);
  }

  status(): string | undefined {
    const { read, total } = this.rowIndex.progress;
    const error = this.rowIndex.error ?? this.cellError;
    if (error !== undefined) {
      const message = error instanceof Error ? error.message : String(error);
      return `indexing rows: ${read} of ${total} chunks; reading stopped: ${message}`;
    }
    const lines = [];
    if (!this.rowIndex.done) lines.push(`indexing rows: ${read} of ${total} chunks`);
    if (this.skipped > 0)
      lines.push(
        `the cells marked … are not read: the chunks of the rows in view exceed half the memory budget ` +
          `(${this.skipped} chunks left out)`,
      );
    return lines.length > 0 ? lines.join(" · ") : undefined;
  }

  cellsRead(entityPath: string, timeline: string, time: bigint): boolean {
    const { loader } = this.lazy;
    return loader
      .entriesInRange({ timeline, min: time, max: time, entityPaths: [entityPath] })
      .every((entry) => loader.isResident(entry));
  }

  showRows(timeline: string, min: bigint, max: bigint, entityPaths: readonly string[]): void {
    const key = `${timeline}\n${min}\n${max}\n${entityPaths.join("\n")}`;
    if (key === this.requested) return;
    this.requested = key;
    this.wanted = { key, timeline, min, max, entityPaths };
    if (!this.running) void this.readRows();
  }

  release(): void {
    this.requested = "";
    this.wanted = undefined;
    this.lazy.loader.releaseRange();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async readRows(): Promise<void> {
    this.running = true;
    while (this.wanted) {
      const { timeline, min, max, entityPaths } = this.wanted;
      this.wanted = undefined;
      try {
        ({ skipped: this.skipped } = await this.lazy.loader.ensureRange({ timeline, min, max, entityPaths }));
        // Released while it was read: let go of what it kept.
        if (this.requested === "") this.lazy.loader.releaseRange();
        this.cellError = undefined;
      } catch (error) {
        this.cellError = error;
      }
      this.emit();
    }
    this.running = false;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

const tables = new WeakMap<LazyRecordingSource, LazyTableRows>();

/** The table rows of `recording` when it is read on demand (one per recording, kept while it is); else undefined. */
export function onDemandTableRows(recording: Recording | undefined): LazyTableRows | undefined {
  const lazy = recording?.lazy;
  if (!lazy) return undefined;
  let rows = tables.get(lazy);
  if (!rows) tables.set(lazy, (rows = new LazyTableRows(lazy)));
  return rows;
}
