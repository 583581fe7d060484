import type { RrdMessage } from "@iris/rrd";

/**
 * Where a recording's messages go. A sink receives `SetStoreInfo` first, then one `ArrowMsg` per chunk, in order.
 * `send` must take the whole message or throw; `flush` makes everything sent so far durable or delivered.
 */
export interface LogSink {
  send(message: RrdMessage): void;
  flush(): void;
  close(): void;
  /**
   * Called by a RecordingStream when it starts sending to this sink, so that a sink can flush the recording's
   * batcher itself (e.g. the FileSink at process exit). Optional.
   */
  attach?(recording: { flush(): void }): void;
}
