import type { RrdMessage } from "@iris/rrd";

/**
 * Where a recording's messages go. A sink receives `SetStoreInfo` first, then one `ArrowMsg` per chunk, in order.
 * `send` must take the whole message or throw; `flush` makes everything sent so far durable or delivered.
 */
export interface LogSink {
  /**
   * True when `send` has written or copied everything it needs from a message by the time it returns. The
   * recording then hands it `ArrowMsg`s whose `ipcParts` view the logged arrays themselves (no copy of the
   * pixels); other sinks get messages whose `ipc` bytes they own.
   */
  readonly consumesSynchronously?: boolean;
  send(message: RrdMessage): void;
  flush(): void;
  close(): void;
  /**
   * Called by a RecordingStream when it starts sending to this sink, so that a sink can flush the recording's
   * batcher itself (e.g. the FileSink at process exit). Optional.
   */
  attach?(recording: { flush(): void }): void;
}
