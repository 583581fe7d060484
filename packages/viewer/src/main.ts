// Entry of the standalone viewer page: mounts the viewer and opens every `?url=` given.
import { IrisViewer } from "./iris-viewer.ts";
import { lazyOptionsFromUrl } from "./lazy-url-loader.ts";
import { loadWasmLz4 } from "./load-wasm-lz4.ts";
import { viewerLz4Info } from "./viewer-lz4.ts";

const params = new URLSearchParams(location.search);
const { options, invalid } = lazyOptionsFromUrl(params);
const viewer = new IrisViewer(document.body, { layoutInUrl: true, ...options });
(globalThis as unknown as { irisViewer: IrisViewer }).irisViewer = viewer;
for (const text of invalid)
  viewer.notifications.add({ level: "warning", text: `ignored ${text}`, source: "address" });
// lz4-wasm decodes compressible blocks faster (ARCHITECTURE.md "LZ4 in the browser"); instantiating it takes ~1–2 ms,
// so the page waits for it before opening URLs. If it cannot load, the TypeScript codec stays.
const lz4Failure = await loadWasmLz4();
if (lz4Failure)
  viewer.notifications.add({
    level: "info",
    text: `LZ4 in TypeScript: ${lz4Failure.message}`,
    source: "lz4",
  });
(globalThis as unknown as { irisLz4: typeof viewerLz4Info }).irisLz4 = viewerLz4Info;
for (const url of params.getAll("url")) void viewer.open(url);
