import { uninitializedBytes } from "./uninitialized-bytes.ts";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { RrdDecoder, type RrdDecoderEvent, type RrdDecoderOptions } from "../rrd-decoder.ts";

/** Bytes read from the file per step (each read gets its own buffer: decoded messages may view it). */
export const RRD_FILE_READ_BYTES = 8 << 20;

export interface RrdFileEventsOptions extends RrdDecoderOptions {
  /** Called once with the file's size before the first event. */
  onSize?: (sizeBytes: number) => void;
  /** Bytes per read (default `RRD_FILE_READ_BYTES`). */
  readBytes?: number;
}

/**
 * Decodes an `.rrd` file of any size (also over 2 GiB, where reading it whole fails with ERR_FS_FILE_TOO_LARGE)
 * by reading it in 8 MiB pieces into an `RrdDecoder`, yielding its events as they come. Only what the caller
 * keeps stays in memory. Throws what `RrdDecoder` throws (an invalid first stream header) and file system errors.
 */
export function* rrdFileEvents(path: string, options: RrdFileEventsOptions = {}): Generator<RrdDecoderEvent> {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    options.onSize?.(size);
    const decoder = new RrdDecoder(options);
    let position = 0;
    for (;;) {
      // Sized to what is left of the file (at least 1 byte, to see EOF or growth): a small file costs no 8 MiB.
      // Not zero-filled: only the `filled` bytes that were read are handed on.
      const pieceBytes = Math.min(options.readBytes ?? RRD_FILE_READ_BYTES, Math.max(size - position, 1));
      const piece = uninitializedBytes(pieceBytes);
      let filled = 0;
      while (filled < piece.length) {
        const n = readSync(fd, piece, filled, piece.length - filled, null);
        if (n === 0) break;
        filled += n;
      }
      if (filled === 0) break;
      position += filled;
      decoder.push(filled === piece.length ? piece : piece.subarray(0, filled));
      for (let event = decoder.next(); event !== undefined; event = decoder.next()) yield event;
      if (filled < piece.length || decoder.stopped) break;
    }
    yield* decoder.end();
  } finally {
    closeSync(fd);
  }
}
