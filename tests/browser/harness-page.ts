/**
 * The in-browser half of the harness: an HTML page that imports the real `@rerun-io/web-viewer` from `/pkg/`
 * and exposes a tiny API on `window.__iris` for Playwright to call. Plain JS (no bundler, no TS in the page).
 *
 * - `start(reuse)` keeps the running WebViewer when `reuse` is true; otherwise it stops the previous one (if
 *   any), clears localStorage (the viewer persists UI state there), and starts a fresh one filling the page
 *   (WebGL backend, no welcome screen, dark theme).
 *   The wasm module is compiled once per page by index.js and reused by later viewers.
 * - `send(url, channelName)` fetches the .rrd bytes from the harness server and hands them to
 *   `viewer.open_channel(channelName).send_rrd(bytes)` in a single call (one complete stream; rrd-format.md §6.2).
 * - `events()` returns the viewer events seen since `start()` (recording_open, time_update, ...).
 */
export const harnessPageHtml = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>Iris · Rerun web viewer harness</title>
    <style>
      html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden; background: #000; }
      /* The viewer sets position: relative on its parent, so size it explicitly. */
      #root { width: 100vw; height: 100vh; }
    </style>
  </head>
  <body>
    <div id="root"></div>
    <script type="module">
      import { WebViewer } from "/pkg/index.js";
      const root = document.getElementById("root");
      const state = { viewer: null, events: [], generation: 0, sentAtMs: 0 };
      const eventNames = ["recording_open", "time_update", "timeline_change", "play", "pause", "selection_change"];
      window.__iris = {
        async start(reuse) {
          if (reuse && state.viewer !== null && state.viewer.ready) {
            state.events = [];
            return true;
          }
          if (state.viewer !== null) {
            try { state.viewer.stop(); } catch (e) { console.error("harness: stop failed", String(e)); }
            state.viewer = null;
          }
          root.replaceChildren();
          try { localStorage.clear(); } catch {}
          state.events = [];
          const generation = ++state.generation;
          const viewer = new WebViewer();
          for (const name of eventNames) {
            viewer.on(name, (event) => {
              if (generation === state.generation) state.events.push({ name, event: event ?? null, atMs: performance.now() });
            });
          }
          await viewer.start(null, root, {
            width: "100%",
            height: "100%",
            render_backend: "webgl",
            hide_welcome_screen: true,
            theme: "dark",
          });
          state.viewer = viewer;
          return viewer.ready;
        },
        async send(url, channelName) {
          if (state.viewer === null || !state.viewer.ready) throw new Error("viewer not ready");
          const response = await fetch(url);
          if (!response.ok) throw new Error("fetch " + url + ": " + response.status);
          const bytes = new Uint8Array(await response.arrayBuffer());
          const channel = state.viewer.open_channel(channelName);
          if (!channel.ready) throw new Error("log channel not ready");
          state.sentAtMs = performance.now();
          channel.send_rrd(bytes);
          return bytes.byteLength;
        },
        events() {
          return state.events.map((e) => ({
            name: e.name,
            atMs: e.atMs - state.sentAtMs,
            event: e.event === null ? null : JSON.parse(JSON.stringify(e.event)),
          }));
        },
        panels(states) {
          if (state.viewer === null) throw new Error("viewer not started");
          for (const [panel, value] of Object.entries(states)) state.viewer.override_panel_state(panel, value);
        },
        setTime(recordingId, timeline, time) {
          if (state.viewer === null) throw new Error("viewer not started");
          state.viewer.set_active_timeline(recordingId, timeline);
          state.viewer.set_playing(recordingId, false);
          state.viewer.set_current_time(recordingId, timeline, time);
        },
        ready() {
          return state.viewer !== null && state.viewer.ready;
        },
      };
      window.__irisLoaded = true;
    </script>
  </body>
</html>
`;
