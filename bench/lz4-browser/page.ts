// Runs in Chromium: the pure TypeScript LZ4 block codec and lz4-wasm on the payloads the bench serves. The bench
// (bench/lz4-browser.ts) calls `lz4Bench.time` once per timed run and reads the main thread's CPU time around it.
import { type Lz4Codec, lz4 } from "@iris/rrd";
import { instantiateWasmLz4, mixedLz4 } from "../../packages/viewer/src/wasm-lz4-codec.ts";

interface Payload {
  readonly src: Uint8Array;
  readonly block: Uint8Array;
}

const payloads = new Map<string, Payload>();
const codecs = new Map<string, Lz4Codec>([["ts", lz4]]);

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Fetches and instantiates the wasm binary; returns the milliseconds that took after the fetch. */
async function loadWasm(): Promise<number> {
  const bytes = new Uint8Array(await (await fetch("/lz4_wasm_bg.wasm")).arrayBuffer());
  const start = performance.now();
  const wasm = await instantiateWasmLz4(bytes);
  const ms = performance.now() - start;
  codecs.set("wasm", wasm);
  codecs.set("mixed", mixedLz4(wasm, lz4));
  return ms;
}

/** Fetches the payloads; checks that each decoder gives them back from either encoder's block. */
async function load(names: string[]): Promise<Record<string, { bytes: number; blockBytes: number }>> {
  const out: Record<string, { bytes: number; blockBytes: number }> = {};
  for (const name of names) {
    const src = new Uint8Array(await (await fetch(`/${name}.bin`)).arrayBuffer());
    for (const encoder of codecs.values()) {
      for (const decoder of codecs.values()) {
        if (!equal(decoder.decompressBlock(encoder.compressBlock(src), src.length), src)) {
          throw new Error(`${name}: a decoder did not give the input back`);
        }
      }
    }
    const block = lz4.compressBlock(src);
    payloads.set(name, { src, block });
    out[name] = { bytes: src.length, blockBytes: block.length };
  }
  return out;
}

/** Wall milliseconds of `calls` calls of one codec's `op` on one payload. */
function time(name: string, codec: string, op: "decompress" | "compress", calls: number): number {
  const { src, block } = payloads.get(name)!;
  const c = codecs.get(codec)!;
  const start = performance.now();
  if (op === "decompress") for (let i = 0; i < calls; i++) c.decompressBlock(block, src.length);
  else for (let i = 0; i < calls; i++) c.compressBlock(src);
  return performance.now() - start;
}

(globalThis as unknown as { lz4Bench: unknown }).lz4Bench = { loadWasm, load, time };
