import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { RandomAccessSource } from "../manifest/read-rrd-footer.ts";
import { RrdError } from "../rrd-error.ts";

/** A `RandomAccessSource` over an open file; `close()` releases its descriptor. */
export interface FileSource extends RandomAccessSource {
  close(): void;
}

/**
 * Opens `path` for reads at any offset (`fs.readSync` at a position): nothing is read until asked, and files over
 * 2 GiB work (offsets are numbers, exact up to 2^53). Each `read` returns a fresh array. Throws the file system's
 * error when the file cannot be opened, and `RrdError` "truncated" when a read ends early (the file shrank).
 */
export function openFileSource(path: string): FileSource {
  const fd = openSync(path, "r");
  let byteLength: number;
  try {
    byteLength = fstatSync(fd).size;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return {
    byteLength,
    read(offset, length) {
      const out = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const n = readSync(fd, out, filled, length - filled, offset + filled);
        if (n === 0) {
          throw new RrdError(
            "truncated",
            `${path}: expected ${length} bytes at offset ${offset}, the file ended after ${filled}`,
          );
        }
        filled += n;
      }
      return out;
    },
    close: () => closeSync(fd),
  };
}
