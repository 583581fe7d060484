import { LazySourceError } from "./lazy-source-error.ts";

/** Bytes read at any offset, asynchronously: a file read with promises, or HTTP Range requests. */
export interface AsyncRandomAccessSource {
  readonly byteLength: number;
  /** Exactly `length` bytes at `offset` (the caller stays within `byteLength`). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** What reaching the underlying storage cost so far (reads served from a cache are not counted). */
  readonly counters: SourceCounters;
  close?(): Promise<void> | void;
}

/** Requests (HTTP requests or file reads) made and bytes they returned. */
export interface SourceCounters {
  requests: number;
  bytesRead: number;
}

/** An in-memory `AsyncRandomAccessSource` (tests, or a file already in memory); counts reads like a real one. */
export function asyncBytesSource(bytes: Uint8Array): AsyncRandomAccessSource {
  const counters: SourceCounters = { requests: 0, bytesRead: 0 };
  return {
    byteLength: bytes.length,
    counters,
    read(offset, length) {
      checkBounds(offset, length, bytes.length);
      counters.requests += 1;
      counters.bytesRead += length;
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

/** Throws `LazySourceError` "out-of-bounds" unless `offset`…`offset + length` lies inside `byteLength` bytes. */
export function checkBounds(offset: number, length: number, byteLength: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new LazySourceError("out-of-bounds", `invalid read of ${length} bytes at ${offset}`);
  }
  if (offset + length > byteLength) {
    throw new LazySourceError(
      "out-of-bounds",
      `read of ${length} bytes at ${offset} ends after the source's ${byteLength} bytes`,
    );
  }
}

/**
 * Keeps the given byte spans of a source (read once, e.g. the head with the SetStoreInfo messages and the tail
 * with the footer) and serves reads inside them from memory.
 */
export class SpanCache {
  private readonly spans: { offset: number; bytes: Uint8Array }[] = [];

  add(offset: number, bytes: Uint8Array): void {
    this.spans.push({ offset, bytes });
  }

  /** The bytes if a kept span holds all of them. */
  get(offset: number, length: number): Uint8Array | undefined {
    for (const span of this.spans) {
      const start = offset - span.offset;
      if (start >= 0 && start + length <= span.bytes.length)
        return span.bytes.subarray(start, start + length);
    }
    return undefined;
  }
}
