import type { Lz4Codec } from "./lz4-codec.ts";

/** Size of one sampled window (the reference LZ4's 64 KiB match window). */
export const SAMPLE_WINDOW_BYTES = 64 * 1024;
/** Windows sampled, spread evenly over the input. */
export const SAMPLE_WINDOWS = 4;
/** Inputs smaller than this are not sampled (`looksIncompressible` is false): compressing them whole is cheap. */
export const SAMPLE_MIN_BYTES = 4 * SAMPLE_WINDOWS * SAMPLE_WINDOW_BYTES;
/** LZ4 is worth it when the samples shrink by at least this fraction (1/32 ≈ 3 %). */
const MIN_SAVING_FRACTION = 1 / 32;

/**
 * True when a large input is not worth LZ4-compressing: `SAMPLE_WINDOWS` windows of `SAMPLE_WINDOW_BYTES`,
 * spread evenly over it, are compressed one by one, and together they shrink by less than 1/32 of their size.
 * Stops at the first window that already saves enough for the whole sample. Camera frames with sensor noise
 * barely compress, so this avoids compressing (and then discarding) megabytes per frame; the caller stores such
 * input uncompressed, which `.rrd` allows per message. Always false below `SAMPLE_MIN_BYTES`.
 */
export function looksIncompressible(bytes: Uint8Array, codec: Pick<Lz4Codec, "compressBlock">): boolean {
  if (bytes.length < SAMPLE_MIN_BYTES) return false;
  const sampledBytes = SAMPLE_WINDOWS * SAMPLE_WINDOW_BYTES;
  const neededSaving = sampledBytes * MIN_SAVING_FRACTION;
  const stride = (bytes.length - SAMPLE_WINDOW_BYTES) / SAMPLE_WINDOWS;
  let saved = 0;
  for (let i = 0; i < SAMPLE_WINDOWS; i++) {
    // Window centres at (i + ½) / n of the input, so neither the IPC header nor the tail dominates.
    const start = Math.floor(stride * (i + 0.5));
    const window = bytes.subarray(start, start + SAMPLE_WINDOW_BYTES);
    saved += window.length - codec.compressBlock(window).length;
    if (saved >= neededSaving) return false;
  }
  return true;
}
