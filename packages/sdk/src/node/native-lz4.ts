import { createRequire } from "node:module";
import { type Lz4Codec, Lz4Error, lz4 as pureLz4 } from "@iris/rrd";

/** The parts of `lz4-napi` (lz4_flex compiled with napi-rs; prebuilt binaries per platform) used here. */
interface Lz4Napi {
  compressSync(data: Uint8Array): Uint8Array;
  uncompressSync(data: Uint8Array): Uint8Array;
}

let loaded: Lz4Codec | null | undefined;

/**
 * A native raw LZ4 block codec (`lz4-napi`, 7–12× faster than the pure TypeScript compressor on frames that
 * compress), or undefined when its binary is not available on this platform (then the pure TypeScript codec
 * is the fallback). `lz4-napi` writes lz4_flex's `compress_prepend_size` format: a 4-byte little-endian
 * uncompressed size, then the same raw block that `.rrd` stores; the prefix is dropped (a view, no copy).
 * Decompression stays with the pure TypeScript decoder, which is as fast and needs no size prefix.
 */
export function nativeLz4(): Lz4Codec | undefined {
  if (loaded === undefined) loaded = load();
  return loaded ?? undefined;
}

/** The native codec when available, else the pure TypeScript one. */
export function fastestLz4(): Lz4Codec {
  return nativeLz4() ?? pureLz4;
}

function load(): Lz4Codec | null {
  let binding: Lz4Napi;
  // lz4-napi's binary allocates with mimalloc, which by default backs its arenas with transparent huge pages:
  // about 1 % of the calls then fault in a fresh 2 MiB page and spend 4-15 ms of kernel time on the main thread
  // (measured on 64 KiB calls: p50 12-30 µs, p99 3.6-10 ms; each slow call coincides with one thp_fault_alloc),
  // which made logging with LZ4 on cost up to ~2 ms more CPU per 1080p frame than the sampled compression itself.
  // mimalloc reads its options from the environment once, when the library is loaded; the variable is set only
  // for that moment (unless the user set it) and removed again.
  const setHere = process.env.MIMALLOC_ALLOW_LARGE_OS_PAGES === undefined;
  if (setHere) process.env.MIMALLOC_ALLOW_LARGE_OS_PAGES = "0";
  try {
    binding = createRequire(import.meta.url)("lz4-napi") as Lz4Napi;
  } catch {
    return null;
  } finally {
    if (setHere) delete process.env.MIMALLOC_ALLOW_LARGE_OS_PAGES;
  }
  return {
    compressBlock(src: Uint8Array): Uint8Array {
      const out = binding.compressSync(src);
      const declared = out.length >= 4 ? new DataView(out.buffer, out.byteOffset, 4).getUint32(0, true) : -1;
      if (declared !== src.length) {
        throw new Lz4Error(
          "size-mismatch",
          `native LZ4 output declares ${declared} uncompressed bytes, expected ${src.length}`,
        );
      }
      return out.subarray(4);
    },
    decompressBlock: pureLz4.decompressBlock,
    ...(pureLz4.decompressBlockInto ? { decompressBlockInto: pureLz4.decompressBlockInto } : {}),
  };
}
