export { ViewerServer, type ViewerServerOptions } from "./static-file-server.ts";
export { viewerDistDir } from "./viewer-assets.ts";
export { ServerError } from "./server-error.ts";
export { hostnameOf, isAllowedHost, refusedHostText } from "./host-check.ts";
export {
  DEFAULT_BACKLOG_BYTES,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_PROXY_PORT,
  DEFAULT_VIEWER_QUEUE_BYTES,
  ProxyServer,
  type ProxyServerOptions,
} from "./proxy-server.ts";
export { ProxyError, type ProxyErrorKind } from "./proxy-error.ts";
export { MessageBacklog, type BacklogEntry, type BacklogQueue, type DropReport } from "./message-backlog.ts";
export { MessageHub, Subscription } from "./message-hub.ts";
export { CorsPolicy } from "./cors.ts";
export { validateLogMsg } from "./log-msg-validation.ts";
