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
  try {
    binding = createRequire(import.meta.url)("lz4-napi") as Lz4Napi;
  } catch {
    return null;
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
