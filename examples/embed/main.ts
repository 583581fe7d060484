// Embedding the Iris viewer in any page: mount it, open a live proxy or a file, log from the page itself.
// Bundle: npx esbuild examples/embed/main.ts --bundle --format=esm --outfile=examples/embed/out/embed.js
import { Image, RecordingStream } from "@iris/sdk";
import { toViewer } from "@iris/sdk/browser";
import { IrisViewer } from "@iris/viewer";

const viewer = new IrisViewer(document.getElementById("viewer")!, { memoryBudgetBytes: 512 * 1024 ** 2 });
const status = document.getElementById("status")!;
viewer.on("time", ({ timeline, time }) => (status.textContent = `${timeline ?? "–"} = ${time}`));
viewer.on("recording", ({ name }) => (document.title = `Iris · ${name}`));
viewer.on("warning", (text) => console.warn(text));

const params = new URLSearchParams(location.search);
// ?url=rerun+http://127.0.0.1:9876/proxy follows `iris serve` live; ?url=file.rrd opens a recording.
for (const url of params.getAll("url")) void viewer.open(url);

// Without ?url=, log a moving square from this page straight into the viewer (no server involved).
if (!params.has("url")) {
  const rec = new RecordingStream({ applicationId: "iris_embed_example", batcher: { flushIntervalMs: 50 } });
  toViewer(viewer, rec);
  let t = 0;
  setInterval(() => {
    const w = 160;
    const h = 90;
    const pixels = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const inside = Math.abs(x - ((t * 3) % w)) < 12 && Math.abs(y - h / 2) < 12;
        pixels.set(inside ? [255, 200, 0] : [20, 30, 60], (y * w + x) * 3);
      }
    }
    rec.setTimeSequence("frame", t++);
    rec.log("camera/image", new Image(pixels, { width: w, height: h, colorModel: "RGB" }));
  }, 100);
}

// Loading bytes you already have: viewer.addRecording(bytes, "name.rrd").
(globalThis as unknown as { irisViewer: IrisViewer }).irisViewer = viewer;
