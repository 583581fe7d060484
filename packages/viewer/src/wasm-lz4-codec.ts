// A raw-block `Lz4Codec` over the `lz4-wasm` package's WebAssembly binary (lz4_flex compiled to wasm). The
// package's own JavaScript glue imports the .wasm as an ES module (a bundler feature esbuild lacks) and makes
// callers add a 4-byte size prefix; this glue calls the binary's exports directly and writes the prefix
// straight into wasm memory, so each call is one copy in and one copy out. Measured in Chromium
// (bench/lz4-browser.ts, ARCHITECTURE.md "LZ4 in the browser"): wasm decodes compressible blocks ~1.7× faster
// than the TypeScript decoder but literal-only blocks ~0.75× as fast, so `mixedLz4` picks per block.
import { type Lz4Codec, Lz4Error } from "@iris/rrd";

interface Lz4WasmExports {
  readonly memory: WebAssembly.Memory;
  compress(retptr: number, ptr: number, len: number): void;
  decompress(retptr: number, ptr: number, len: number): void;
  __wbindgen_add_to_stack_pointer(delta: number): number;
  __wbindgen_malloc(size: number): number;
  __wbindgen_free(ptr: number, size: number): void;
}

/** An `Lz4Codec` over lz4-wasm, with the size of its wasm memory (which only grows while an instance lives). */
export interface WasmLz4Codec extends Lz4Codec {
  /** Bytes of the current instance's wasm memory. */
  readonly memoryBytes: number;
  /** Resolves once a replacement instance (started when memory grew past the bound) is in use. */
  settled(): Promise<void>;
}

/**
 * Wasm memory never shrinks: after one large block (a 100 MB image grows it past 200 MB) an instance would keep
 * that memory for good. Past this many bytes, a fresh instance is made (asynchronously) and replaces it.
 */
export const WASM_MEMORY_BOUND_BYTES = 64 * 1024 * 1024;

/** Instantiates the lz4-wasm 0.9.2 binary (`bytes`, lz4_wasm_bg.wasm) and wraps it as an `Lz4Codec`. */
export async function instantiateWasmLz4(bytes: BufferSource): Promise<WasmLz4Codec> {
  const module = await WebAssembly.compile(bytes);
  let lastError = "";
  let exports: Lz4WasmExports;
  const instantiate = async (): Promise<Lz4WasmExports> => {
    const instance: WebAssembly.Instance = await WebAssembly.instantiate(module, {
      "./lz4_wasm_bg.js": {
        // lz4_flex's error, as a string; the glue reports it in an Lz4Error.
        __wbindgen_string_new: (ptr: number, len: number): number => {
          const memory = (instance.exports as unknown as Lz4WasmExports).memory;
          lastError = new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len));
          return 0;
        },
      },
    });
    return instance.exports as unknown as Lz4WasmExports;
  };
  exports = await instantiate();
  let replacing: Promise<void> | undefined;
  /** Starts replacing an instance whose memory grew past the bound (calls go on with the old one meanwhile). */
  const boundMemory = (): void => {
    if (replacing !== undefined || exports.memory.buffer.byteLength <= WASM_MEMORY_BOUND_BYTES) return;
    replacing = instantiate().then(
      (fresh) => {
        exports = fresh;
        replacing = undefined;
      },
      () => {
        replacing = undefined; // keep the old instance
      },
    );
  };

  /** Runs `fn` on `prefix + src` copied into wasm memory; returns a copy of its output (or throws Lz4Error). */
  function call(name: "compress" | "decompress", src: Uint8Array, prefix: number | undefined): Uint8Array {
    const head = prefix === undefined ? 0 : 4;
    const x = exports;
    const retptr = x.__wbindgen_add_to_stack_pointer(-16);
    try {
      // The wasm function takes ownership of (and frees) its input allocation.
      const ptr = x.__wbindgen_malloc(src.length + head);
      if (prefix !== undefined) new DataView(x.memory.buffer).setUint32(ptr, prefix, true);
      new Uint8Array(x.memory.buffer).set(src, ptr + head);
      lastError = "";
      x[name](retptr, ptr, src.length + head);
      const ret = new Int32Array(x.memory.buffer, retptr, 4);
      if (prefix !== undefined && ret[3] !== 0) {
        throw new Lz4Error("corrupt-block", `corrupt LZ4 block: lz4-wasm says "${lastError}"`);
      }
      const outPtr = ret[0]!;
      const outLen = ret[1]!;
      const out = new Uint8Array(x.memory.buffer, outPtr, outLen).slice();
      x.__wbindgen_free(outPtr, outLen);
      return out;
    } catch (error) {
      if (error instanceof Lz4Error) throw error;
      // A wasm trap: a Rust panic or a failed allocation on hostile input.
      throw new Lz4Error("corrupt-block", `corrupt LZ4 block: lz4-wasm trapped (${String(error)})`, {
        cause: error,
      });
    } finally {
      x.__wbindgen_add_to_stack_pointer(16);
      boundMemory();
    }
  }

  return {
    get memoryBytes() {
      return exports.memory.buffer.byteLength;
    },
    settled: async () => {
      while (replacing !== undefined) await replacing;
    },
    compressBlock(src) {
      // lz4-wasm prepends the uncompressed size (u32 little-endian); the raw block follows it.
      return call("compress", src, undefined).subarray(4);
    },
    decompressBlock(src, uncompressedSize) {
      if (!Number.isSafeInteger(uncompressedSize) || uncompressedSize < 0 || uncompressedSize > 0xffff_ffff) {
        throw new Lz4Error(
          "size-mismatch",
          `declared uncompressed size ${uncompressedSize} is not a u32, expected 0..${0xffff_ffff}`,
        );
      }
      const zeroOffsetAt = zeroMatchOffsetAt(src);
      if (zeroOffsetAt >= 0) {
        // lz4_flex 0.9's decoder accepts it and copies not-yet-written output (zeros): a silent wrong picture.
        throw new Lz4Error("corrupt-block", `corrupt LZ4 block: match offset 0 at byte ${zeroOffsetAt}`);
      }
      const out = call("decompress", src, uncompressedSize);
      if (out.length !== uncompressedSize) {
        throw new Lz4Error(
          "size-mismatch",
          `LZ4 block decoded to ${out.length} bytes, expected ${uncompressedSize}`,
        );
      }
      return out;
    },
  };
}

/**
 * Blocks at least this large relative to their output are mostly literals (incompressible data, such as noisy
 * camera frames), which the TypeScript decoder copies with `Uint8Array.set` faster than wasm plus its two copies.
 */
export const LITERAL_BLOCK_RATIO = 0.9;

/**
 * Decodes compressible blocks with `wasm` and mostly-literal ones with `ts`; compresses with `wasm` (as fast or
 * faster on every payload measured). Both produce standard LZ4 blocks, so the choice never changes the bytes.
 */
export function mixedLz4(wasm: Lz4Codec, ts: Lz4Codec): Lz4Codec {
  return {
    compressBlock: (src) => wasm.compressBlock(src),
    decompressBlock: (src, uncompressedSize) =>
      src.length >= uncompressedSize * LITERAL_BLOCK_RATIO
        ? ts.decompressBlock(src, uncompressedSize)
        : wasm.decompressBlock(src, uncompressedSize),
  };
}

/**
 * The byte position of the first match offset of 0 in an LZ4 block (forbidden by the format), or -1. Walks the
 * sequences only (tokens, length bytes, offsets), skipping literals, so it costs a fraction of decoding. A block
 * that ends mid-sequence is left to the decoder, which rejects it.
 */
export function zeroMatchOffsetAt(src: Uint8Array): number {
  const end = src.length;
  let i = 0;
  while (i < end) {
    const token = src[i++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let b = 255;
      while (b === 255 && i < end) literals += b = src[i++]!;
    }
    i += literals;
    if (i >= end) return -1; // the last sequence has literals only
    if (i + 1 >= end) return -1; // truncated: the decoder says so
    if (src[i] === 0 && src[i + 1] === 0) return i;
    i += 2;
    if ((token & 15) === 15) {
      let b = 255;
      while (b === 255 && i < end) b = src[i++]!;
    }
  }
  return -1;
}
