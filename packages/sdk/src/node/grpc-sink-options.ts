import type { PayloadCompressionOptions } from "@iris/rrd";

export interface GrpcSinkOptions extends PayloadCompressionOptions {
  /**
   * Messages not yet acknowledged by the server are kept (and resent after a reconnect) up to this many bytes;
   * beyond it the oldest are dropped and counted in `stats.droppedMessages`. Default 512 MiB.
   */
  maxQueueBytes?: number;
  /** A write stream is closed (and so acknowledged) at least this often while data flows; default 100 ms. */
  ackIntervalMs?: number;
  /** … or after this many bytes; default 64 MiB. */
  ackBytes?: number;
  /** Reconnect back-off: first delay and cap, in ms (doubles with jitter); defaults 100 and 5000. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Largest message the sink sends; a larger one is refused (counted in `rejectedMessages`). Default 512 MiB. */
  maxMessageBytes?: number;
  /** Connection state changes, drops and rejections (libraries do not print). */
  onEvent?: (event: GrpcSinkEvent) => void;
  /**
   * The HTTP/2 client: Iris's own (default), which hands the message bytes to the socket in DATA frames of up to
   * 1 MiB as the server allows, or `node:http2` (nghttp2 always sends 16 KiB frames, which costs the server
   * several times more work per frame; docs/live-streaming.md).
   */
  http2Client?: "iris" | "node";
  /** For `rerun+https`/`https` proxies: the certificate authorities to trust (PEM; default: Node's). */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[];
}

export type GrpcSinkEvent =
  | { type: "connected" }
  | { type: "disconnected"; error: string; retryInMs: number }
  | { type: "dropped"; messages: number; totalDropped: number }
  | { type: "rejected"; messages: number; error: string };

export interface GrpcSinkStats {
  /** Messages given to `send`. */
  sentMessages: number;
  /** Messages the server acknowledged (a `WriteMessages` call that completed OK). */
  ackedMessages: number;
  ackedBytes: number;
  /** Messages waiting for an acknowledgement (queued or in flight). */
  queuedMessages: number;
  queuedBytes: number;
  /** Dropped because the queue was full (oldest first). */
  droppedMessages: number;
  /** Refused by the server as invalid (not retried). */
  rejectedMessages: number;
  /** Write streams that failed and were retried. */
  reconnects: number;
  connected: boolean;
}
