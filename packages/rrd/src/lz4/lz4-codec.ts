/**
 * A raw LZ4 block codec, as used by Rerun's `.rrd` format (`lz4_flex::block::compress` / `decompress_into`):
 * no frame header, no size prefix, no checksum. The uncompressed size travels separately
 * (`ArrowMsg.uncompressed_size`), so decoding needs it. Injected into the rrd encoder and decoder so that a
 * faster implementation (wasm, native) can replace the pure TypeScript one.
 */
export interface Lz4Codec {
  /** Compresses `src` into one standard LZ4 block; always succeeds, also for empty or incompressible input. */
  compressBlock(src: Uint8Array): Uint8Array;
  /** Decodes one block that must expand to exactly `uncompressedSize` bytes; throws `Lz4Error` otherwise. */
  decompressBlock(src: Uint8Array, uncompressedSize: number): Uint8Array;
  /** Decodes one block into `dst` (at most `dst.length` bytes) and returns the number of bytes written. */
  decompressBlockInto?(src: Uint8Array, dst: Uint8Array): number;
}
