/**
 * A page that starts the real `@rerun-io/web-viewer` (served under `/pkg/`) on a URL, e.g.
 * `rerun+http://127.0.0.1:<port>/proxy`: the viewer then calls ReadMessages over gRPC-web itself. Exposes
 * `window.__live.start(url)` and `window.__live.events()` for Playwright.
 */
export const rerunLivePageHtml = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>Iris · Rerun web viewer, live</title>
    <style>
      html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden; background: #000; }
      #root { width: 100vw; height: 100vh; }
    </style>
  </head>
  <body>
    <div id="root"></div>
    <script type="module">
      import { WebViewer } from "/pkg/index.js";
      const state = { viewer: null, events: [] };
      window.__live = {
        async start(url) {
          try { localStorage.clear(); } catch {}
          const viewer = new WebViewer();
          for (const name of ["recording_open", "timeline_change"]) {
            viewer.on(name, (event) => state.events.push({ name, event: JSON.parse(JSON.stringify(event ?? null)) }));
          }
          await viewer.start(url, document.getElementById("root"), {
            width: "100%",
            height: "100%",
            render_backend: "webgl",
            hide_welcome_screen: true,
            theme: "dark",
          });
          state.viewer = viewer;
          return viewer.ready;
        },
        events() { return state.events; },
      };
      window.__liveLoaded = true;
    </script>
  </body>
</html>
`;
