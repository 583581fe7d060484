/** The standalone viewer page: loads `iris-viewer.js`, which mounts the viewer on the body. */
export const viewerIndexHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Iris viewer</title>
    <link rel="icon" href="data:," />
    <style>html, body { margin: 0; height: 100%; background: #121417; }</style>
  </head>
  <body>
    <script type="module" src="./iris-viewer.js"></script>
  </body>
</html>
`;
