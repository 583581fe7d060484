// Entry of the standalone viewer page: mounts the viewer and opens every `?url=` given.
import { IrisViewer } from "./iris-viewer.ts";
import { lazyOptionsFromUrl } from "./lazy-url-loader.ts";

const params = new URLSearchParams(location.search);
const { options, invalid } = lazyOptionsFromUrl(params);
const viewer = new IrisViewer(document.body, { layoutInUrl: true, ...options });
(globalThis as unknown as { irisViewer: IrisViewer }).irisViewer = viewer;
for (const text of invalid)
  viewer.notifications.add({ level: "warning", text: `ignored ${text}`, source: "address" });
for (const url of params.getAll("url")) void viewer.open(url);
