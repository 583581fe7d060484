import type { Lz4Codec } from "./lz4-codec.ts";
import { compressBlock, decompressBlock, decompressBlockInto } from "./lz4-block.ts";

export type { Lz4Codec } from "./lz4-codec.ts";
export { Lz4Error } from "./lz4-error.ts";
export { compressBlock, decompressBlock, decompressBlockInto } from "./lz4-block.ts";

/** The pure TypeScript raw LZ4 block codec (the default; inject a wasm or native one where speed matters). */
export const lz4: Required<Lz4Codec> = { compressBlock, decompressBlock, decompressBlockInto };
