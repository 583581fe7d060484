import { open } from "node:fs/promises";
import {
  type AsyncRandomAccessSource,
  type SourceCounters,
  checkBounds,
} from "../lazy/async-random-access-source.ts";
import { RrdError } from "../rrd-error.ts";

/** An `AsyncRandomAccessSource` over an open file; `close()` releases its descriptor. */
export interface AsyncFileSource extends AsyncRandomAccessSource {
  close(): Promise<void>;
}

/**
 * Opens `path` for asynchronous reads at any offset (one positioned read per `read`, counted in `counters`);
 * files over 2 GiB work. Throws the file system's error when the file cannot be opened, and `RrdError`
 * "truncated" when a read ends early (the file shrank).
 */
export async function openAsyncFileSource(path: string): Promise<AsyncFileSource> {
  const handle = await open(path, "r");
  let byteLength: number;
  try {
    byteLength = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  const counters: SourceCounters = { requests: 0, bytesRead: 0 };
  return {
    byteLength,
    counters,
    async read(offset, length) {
      checkBounds(offset, length, byteLength);
      counters.requests += 1;
      const out = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(out, filled, length - filled, offset + filled);
        if (bytesRead === 0) {
          throw new RrdError(
            "truncated",
            `${path}: expected ${length} bytes at offset ${offset}, the file ended after ${filled}`,
          );
        }
        filled += bytesRead;
      }
      counters.bytesRead += length;
      return out;
    },
    close: () => handle.close(),
  };
}
