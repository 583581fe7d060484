export { ViewerServer, type ViewerServerOptions } from "./static-file-server.ts";
export { viewerDistDir } from "./viewer-assets.ts";
export { ServerError } from "./server-error.ts";
