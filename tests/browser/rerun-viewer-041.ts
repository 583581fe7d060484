// The Rerun 0.41 web viewer for the real-viewer harness (rerun-viewer.ts): the build shipped in the
// rerun-notebook 0.41.0 wheel (`rerun_notebook/static/widget.js` + `re_viewer_bg.wasm`, in the oracle venv made by
// scripts/ensure-rerun-venv.sh), driven exactly as Jupyter drives it: the page imports the anywidget module and
// calls its `render({ model, el })` with a minimal stand-in for the widget model. The page exposes the same
// `window.__iris` API as harness-page.ts (start / send / events / ready / panels / setTime), so `RerunWebViewerHarness` works as is.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** `.venv-rerun/lib/python3.X/site-packages/rerun_notebook/static`; throws a clear error when absent. */
export function rerunNotebookStaticDir(): string {
  const lib = path.join(repoRoot, ".venv-rerun/lib");
  const python = existsSync(lib) ? readdirSync(lib).find((d) => d.startsWith("python")) : undefined;
  const dir = python && path.join(lib, python, "site-packages/rerun_notebook/static");
  const distInfo = python && path.join(lib, python, "site-packages/rerun_notebook-0.41.0.dist-info");
  if (
    !dir ||
    !existsSync(path.join(dir, "widget.js")) ||
    !existsSync(path.join(dir, "re_viewer_bg.wasm")) ||
    !existsSync(distInfo!)
  ) {
    throw new Error(
      `the rerun-notebook 0.41.0 web viewer is missing under ${lib}; run scripts/ensure-rerun-venv.sh (npm test's pretest does)`,
    );
  }
  return dir;
}

/**
 * The page: `start(reuse)` renders the widget into #root (1280×720 unless the page is another size) with the
 * dark theme and waits for its "ready" message; `send(url)` fetches the .rrd and delivers it as the widget's
 * `{ type: "rrd" }` custom message (the widget calls `send_rrd` on its one log channel); `events()` returns the
 * viewer events the widget forwards to the model (JSON strings of `{ type, ... }`), like harness-page.ts.
 */
export const rerun041PageHtml = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>Iris · Rerun 0.41 web viewer (rerun-notebook) harness</title>
    <style>
      html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden; background: #000; }
      #root { width: 100vw; height: 100vh; }
    </style>
  </head>
  <body>
    <div id="root"></div>
    <script type="module">
      import widget from "/pkg/widget.js";
      // The viewer asks api.github.com for the latest Rerun release (re_viewer::version_check). Tests stay off the
      // network: that one request is answered here with a 404, which the viewer notes at DEBUG level only.
      // Any other failing request is named on the console (the viewer's own error line does not say which).
      const realFetch = window.fetch.bind(window);
      window.fetch = async (input, init) => {
        const url = typeof input === "string" ? input : input instanceof Request ? input.url : String(input);
        if (url.startsWith("https://api.github.com/repos/rerun-io/rerun/releases/")) {
          return new Response("offline test harness", { status: 404 });
        }
        try {
          return await realFetch(input, init);
        } catch (e) {
          console.warn("harness: fetch failed: " + url);
          throw e;
        }
      };
      const root = document.getElementById("root");
      const state = {
        stop: null, ready: false, onCustom: null, onPanels: null, events: [], generation: 0, sentAtMs: 0,
      };
      function makeModel(generation, resolveReady) {
        const traits = {
          _url: null,
          _panel_states: null,
          _width: window.innerWidth,
          _height: window.innerHeight,
          _fallback_token: null,
          _theme: "dark",
        };
        return {
          get: (name) => traits[name] ?? null,
          on(name, callback) {
            if (name === "msg:custom") state.onCustom = callback;
            if (name === "change:_panel_states") state.onPanels = callback;
          },
          send(message) {
            if (generation !== state.generation) return;
            if (message === "ready") { state.ready = true; resolveReady(true); return; }
            let event = null;
            try { event = JSON.parse(message); } catch { return; }
            if (event && typeof event.type === "string") {
              state.events.push({ name: event.type, event, atMs: performance.now() });
            }
          },
        };
      }
      window.__iris = {
        async start(reuse) {
          if (reuse && state.ready) { state.events = []; return true; }
          if (state.stop !== null) {
            try { state.stop(); } catch (e) { console.error("harness: stop failed", String(e)); }
            state.stop = null;
          }
          state.ready = false;
          root.replaceChildren();
          try { localStorage.clear(); } catch {}
          state.events = [];
          const generation = ++state.generation;
          const ready = new Promise((resolve) => {
            const model = makeModel(generation, resolve);
            state.stop = widget.render({ model, el: root }) ?? null;
          });
          return await ready;
        },
        async send(url, channelName) {
          if (!state.ready || state.onCustom === null) throw new Error("viewer not ready");
          const response = await fetch(url);
          if (!response.ok) throw new Error("fetch " + url + ": " + response.status);
          const buffer = await response.arrayBuffer();
          state.sentAtMs = performance.now();
          state.onCustom({ type: "rrd" }, [new DataView(buffer)]);
          return buffer.byteLength;
        },
        panels(states) {
          if (!state.ready || state.onPanels === null) throw new Error("viewer not ready");
          // As a Jupyter model change of the _panel_states trait (the widget overrides every panel it names).
          state.onPanels(null, { ...states });
        },
        setTime(recordingId, timeline, time) {
          if (!state.ready || state.onCustom === null) throw new Error("viewer not ready");
          // The widget's time_ctrl message acts on the active recording (the one shown last), paused.
          state.onCustom({ type: "time_ctrl", timeline, sequence: String(time), play: false }, []);
        },
        events() {
          return state.events.map((e) => ({ name: e.name, atMs: e.atMs - state.sentAtMs, event: e.event }));
        },
        ready() {
          return state.ready;
        },
      };
      window.__irisLoaded = true;
    </script>
  </body>
</html>
`;

/** The `viewer` option of `RerunWebViewerHarness.start` for the Rerun 0.41 web viewer. */
export function rerun041Viewer(): { packageDir: string; pageHtml: string } {
  return { packageDir: rerunNotebookStaticDir(), pageHtml: rerun041PageHtml };
}
