// The LZ4 codec the viewer decodes recordings with: the pure TypeScript one until the page installs a faster one
// (main.ts installs lz4-wasm when it loads; an embedding application may install its own).
import { type Lz4Codec, lz4 } from "@iris/rrd";

let current: Lz4Codec = lz4;
let currentName = "typescript";
let decodedBlocks = 0;

/** Forwards to the installed codec, so decoders created before `useViewerLz4` pick the new one up. */
export const viewerLz4: Lz4Codec = {
  compressBlock: (src) => current.compressBlock(src),
  decompressBlock(src, uncompressedSize) {
    decodedBlocks++;
    return current.decompressBlock(src, uncompressedSize);
  },
};

/** Makes the viewer decode LZ4 blocks with `codec` (named `name` in `viewerLz4Info`). */
export function useViewerLz4(codec: Lz4Codec, name: string): void {
  current = codec;
  currentName = name;
}

/** The installed codec's name ("typescript" unless `useViewerLz4` installed another) and blocks decoded so far. */
export function viewerLz4Info(): { name: string; decodedBlocks: number } {
  return { name: currentName, decodedBlocks };
}
