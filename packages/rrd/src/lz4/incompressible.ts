import { compressBlockInto, maxCompressedSize } from "./lz4-block.ts";

/**
 * Size of one sampled window. 8 KiB holds more than a row of a 1080p RGB8 image (5760 bytes), so the matches LZ4
 * finds in images (runs within a row, a row repeating the one above) fall inside it; LZ4 spends ~10-25 µs
 * on such a window of camera noise, against ~100 µs on a 64 KiB one (the reference match window, used before),
 * which made the sample ~0.3 ms of every 1080p frame.
 */
export const SAMPLE_WINDOW_BYTES = 8 * 1024;
/** Windows sampled, spread evenly over the input. */
export const SAMPLE_WINDOWS = 4;
/** Inputs smaller than this (1 MiB) are not sampled (`looksIncompressible` is false): compressing them whole is cheap. */
export const SAMPLE_MIN_BYTES = 1024 * 1024;
/** LZ4 is worth it when the samples shrink by at least this fraction (1/32 ≈ 3 %). */
const MIN_SAVING_FRACTION = 1 / 32;

/** Compresses `src` into `dst` (at least `maxCompressedSize(src.length)` bytes) and returns the block's length. */
export type CompressInto = (src: Uint8Array, dst: Uint8Array) => number;

/**
 * Where every sampled window is compressed. Only the compressed length of a window is read, before the next
 * window is compressed, so one buffer serves every call (JS is single-threaded and nothing keeps it).
 */
const sampleOutput = new Uint8Array(maxCompressedSize(SAMPLE_WINDOW_BYTES));
/** A window that spans two parts is copied here (read only while it is compressed). */
const sampleInput = new Uint8Array(SAMPLE_WINDOW_BYTES);

/**
 * True when a large input is not worth LZ4-compressing: `SAMPLE_WINDOWS` windows of `SAMPLE_WINDOW_BYTES`,
 * spread evenly over it, are compressed one by one, and together they shrink by less than 1/32 of their size.
 * Stops at the first window that already saves enough for the whole sample. Camera frames with sensor noise
 * barely compress, so this avoids compressing (and then discarding) megabytes per frame; the caller stores such
 * input uncompressed, which `.rrd` allows per message. Always false below `SAMPLE_MIN_BYTES`.
 *
 * The windows are compressed with the TypeScript compressor into one reused buffer, whichever codec compresses
 * the payload itself: only their compressed lengths are needed, and so nothing is allocated per window. (The
 * native binding returns a fresh buffer per call, whose pages fault in: on these 8 KiB windows it took 30-45 µs
 * a window, the TypeScript compressor into a reused buffer 17-24 µs.) The decision is then also the same whether
 * or not a native codec is installed.
 */
export function looksIncompressible(
  bytes: Uint8Array | readonly Uint8Array[],
  compressInto: CompressInto = compressBlockInto,
): boolean {
  const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
  const length = parts.reduce((n, part) => n + part.byteLength, 0);
  if (length < SAMPLE_MIN_BYTES) return false;
  const sampledBytes = SAMPLE_WINDOWS * SAMPLE_WINDOW_BYTES;
  const neededSaving = sampledBytes * MIN_SAVING_FRACTION;
  const stride = (length - SAMPLE_WINDOW_BYTES) / SAMPLE_WINDOWS;
  let saved = 0;
  for (let i = 0; i < SAMPLE_WINDOWS; i++) {
    // Window centres at (i + ½) / n of the input, so neither the IPC header nor the tail dominates.
    const start = Math.floor(stride * (i + 0.5));
    const window = sliceParts(parts, start, start + SAMPLE_WINDOW_BYTES);
    saved += window.length - compressInto(window, sampleOutput);
    if (saved >= neededSaving) return false;
  }
  return true;
}

/**
 * Bytes [start, end) of the concatenation of `parts`: a view when they lie in one part, else copied into
 * `sampleInput` (valid until the next call).
 */
function sliceParts(parts: readonly Uint8Array[], start: number, end: number): Uint8Array {
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (start < offset + part.byteLength) {
      if (end <= offset + part.byteLength) return part.subarray(start - offset, end - offset);
      const out = sampleInput.subarray(0, end - start);
      let written = 0;
      for (let j = i; j < parts.length && written < out.length; j++) {
        const from = j === i ? start - offset : 0;
        const piece = parts[j]!.subarray(from, from + out.length - written);
        out.set(piece, written);
        written += piece.byteLength;
      }
      return out.subarray(0, written);
    }
    offset += part.byteLength;
  }
  return new Uint8Array(0);
}
