import {
  type AsyncRandomAccessSource,
  type SourceCounters,
  checkBounds,
  openHttpRangeSource,
} from "@iris/rrd";
import {
  DEFAULT_LAZY_BUDGET_BYTES,
  type LazyRecordingSource,
  openIndexedRecording,
  openLazyRecording,
} from "./lazy-recording-source.ts";
import { viewerLz4 } from "./viewer-lz4.ts";
import { loadFile, loadResponse, loadUrl } from "./load-url.ts";
import type { Recording } from "./recording.ts";

/** When to read a recording on demand instead of loading it whole: by size ("auto"), always, or never. */
export type LazyMode = "auto" | "on" | "off";

export interface LazyLoadOptions {
  /** Default "auto": on demand from `lazyThresholdBytes` on. */
  lazy?: LazyMode;
  /** Size from which "auto" reads on demand; default 128 MiB. */
  lazyThresholdBytes?: number;
  /** Resident chunk bytes of an on-demand recording; default 512 MiB. */
  memoryBudgetBytes?: number;
}

/** Default `lazyThresholdBytes`. */
export const DEFAULT_LAZY_THRESHOLD_BYTES = 128 * 1024 * 1024;

/**
 * Opens `url` into `recording`: a large file (or any, with `lazy: "on"`) on demand with HTTP Range requests —
 * the index first, then the chunks of the frames shown —, a small one (or one from a server without Range
 * support) streamed whole as before. Resolves when the index is read or the download is complete.
 */
export async function loadUrlMaybeLazily(
  url: string,
  recording: Recording,
  options: LazyLoadOptions,
): Promise<void> {
  const mode = options.lazy ?? "auto";
  if (mode === "off" || /^(blob|data):/i.test(url)) return loadUrl(url, recording);
  const opened = await openHttpRangeSource(url);
  if (opened.kind === "whole")
    return opened.response ? loadResponse(url, opened.response, recording) : loadUrl(url, recording);
  if (
    mode === "auto" &&
    opened.source.byteLength < (options.lazyThresholdBytes ?? DEFAULT_LAZY_THRESHOLD_BYTES)
  )
    return loadUrl(url, recording);
  await attachLazySource(recording, opened.source, options);
}

/** `loadUrlMaybeLazily` for a dropped or picked file (a Blob is read at any offset with `slice`). */
export async function loadFileMaybeLazily(
  file: Blob,
  recording: Recording,
  options: LazyLoadOptions,
): Promise<void> {
  const mode = options.lazy ?? "auto";
  if (
    mode === "off" ||
    (mode === "auto" && file.size < (options.lazyThresholdBytes ?? DEFAULT_LAZY_THRESHOLD_BYTES))
  )
    return loadFile(file, recording);
  await attachLazySource(recording, blobSource(file), options);
}

/**
 * Reads the index of `source` into `recording` and makes it read chunks on demand (`recording.lazy`). Every other
 * recording in the input (`cat a.rrd b.rrd`) gets a Recording of its own (`split`), read on demand the same way, as
 * a whole load lists them.
 */
export async function attachLazySource(
  recording: Recording,
  source: AsyncRandomAccessSource,
  options: LazyLoadOptions,
): Promise<void> {
  const lazyOptions = {
    memoryBudgetBytes: options.memoryBudgetBytes ?? DEFAULT_LAZY_BUDGET_BYTES,
    lz4: viewerLz4,
  };
  const lazy = await openLazyRecording(source, { ...lazyOptions, store: recording.store });
  for (const w of lazy.index.warnings)
    recording.warn(`${recording.name}: ${w.kind} at byte ${w.offset}: ${w.message}`, "error");
  attach(recording, lazy);
  for (const other of lazy.index.stores) {
    if (other.storeId.kind !== "recording" || other === lazy.recording) continue;
    const split = recording.otherRecording(other.storeId);
    attach(
      split,
      await openIndexedRecording(source, lazy.index, other, { ...lazyOptions, store: split.store }),
    );
  }
}

/** `recording` shows `lazy`: its ids, and its progress as chunks are read. */
function attach(recording: Recording, lazy: LazyRecordingSource): void {
  const { source } = lazy;
  recording.totalBytes = source.byteLength;
  recording.lazy = lazy;
  recording.applicationId = lazy.recording.storeId.applicationId;
  recording.recordingId = lazy.recording.storeId.recordingId;
  const update = (): void => {
    recording.loadedBytes = source.counters.bytesRead;
    recording.emit("data", recording);
    recording.emit("progress", recording);
  };
  recording.store.subscribe(update);
  recording.done = true;
  update();
}

/** An `AsyncRandomAccessSource` over a Blob (a File from the picker or a drop). */
export function blobSource(blob: Blob): AsyncRandomAccessSource {
  const counters: SourceCounters = { requests: 0, bytesRead: 0 };
  return {
    byteLength: blob.size,
    counters,
    async read(offset, length) {
      checkBounds(offset, length, blob.size);
      counters.requests += 1;
      const bytes = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      counters.bytesRead += bytes.length;
      return bytes;
    },
  };
}

/**
 * The on-demand options of the standalone page's address: `lazy=auto|on|off`, `memoryBudgetMB=512`,
 * `lazyThresholdMB=128`. Values that are not valid are left out (the defaults apply) and named in `invalid`.
 */
export function lazyOptionsFromUrl(params: URLSearchParams): { options: LazyLoadOptions; invalid: string[] } {
  const options: LazyLoadOptions = {};
  const invalid: string[] = [];
  const lazy = params.get("lazy");
  if (lazy === "auto" || lazy === "on" || lazy === "off") options.lazy = lazy;
  else if (lazy !== null) invalid.push(`lazy=${lazy} (expected auto, on or off)`);
  const mib = (name: string): number | undefined => {
    const text = params.get(name);
    if (text === null) return undefined;
    const value = Number(text);
    if (text.trim() !== "" && Number.isFinite(value) && value >= 0) return value * 1024 * 1024;
    invalid.push(`${name}=${text} (expected a number of MiB ≥ 0)`);
    return undefined;
  };
  const budget = mib("memoryBudgetMB");
  if (budget !== undefined) options.memoryBudgetBytes = budget;
  const threshold = mib("lazyThresholdMB");
  if (threshold !== undefined) options.lazyThresholdBytes = threshold;
  return { options, invalid };
}
