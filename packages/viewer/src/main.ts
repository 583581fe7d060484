// Entry of the standalone viewer page: mounts the viewer and opens every `?url=` given.
import { IrisViewer } from "./iris-viewer.ts";

const viewer = new IrisViewer(document.body, { layoutInUrl: true });
(globalThis as unknown as { irisViewer: IrisViewer }).irisViewer = viewer;
for (const url of new URLSearchParams(location.search).getAll("url")) void viewer.open(url);
