// Installs lz4-wasm as the viewer's LZ4 codec. Imported by the page entry (main.ts) only: the binary comes in
// through esbuild's `binary` loader (packages/viewer/build.ts), which library users' bundlers may not have.
import { lz4 } from "@iris/rrd";
import wasmBytes from "lz4-wasm/lz4_wasm_bg.wasm";
import { useViewerLz4 } from "./viewer-lz4.ts";
import { instantiateWasmLz4, mixedLz4 } from "./wasm-lz4-codec.ts";

/** Instantiates lz4-wasm and installs it; resolves to the error if it cannot load (the TypeScript codec stays). */
export async function loadWasmLz4(): Promise<Error | undefined> {
  try {
    useViewerLz4(mixedLz4(await instantiateWasmLz4(wasmBytes), lz4), "lz4-wasm");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
