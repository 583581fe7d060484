// The lz4-wasm binary, as esbuild's `binary` loader gives it (packages/viewer/build.ts).
declare module "lz4-wasm/lz4_wasm_bg.wasm" {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
