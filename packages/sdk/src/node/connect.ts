import { getDefaultRecording } from "../default-recording.ts";
import { DEFAULT_PROXY_URL } from "../proxy-url.ts";
import type { RecordingStream } from "../recording-stream.ts";
import { GrpcSink } from "./grpc-sink.ts";
import type { GrpcSinkOptions } from "./grpc-sink-options.ts";

export interface ConnectOptions extends GrpcSinkOptions {
  /** Flush pending rows when Node is about to exit, and keep it alive until they are acknowledged (default true). */
  flushOnExit?: boolean;
}

/**
 * Rerun's `rec.connect_grpc(url)`: streams `recording` (the default recording if omitted) to a message proxy
 * from now on; what was logged before is sent first. Returns the sink (`await sink.flushed()` to wait for the
 * server's acknowledgement).
 */
export function connect(
  url: string = DEFAULT_PROXY_URL,
  recording?: RecordingStream,
  options: ConnectOptions = {},
): GrpcSink {
  const rec = recording ?? getDefaultRecording();
  const sink = new GrpcSink(url, options);
  rec.setSink(sink);
  if (options.flushOnExit ?? true) {
    const onBeforeExit = (): void => {
      try {
        rec.flush();
      } catch {
        // closed recording: nothing to flush
      }
      if (sink.stats.queuedMessages === 0) process.removeListener("beforeExit", onBeforeExit);
    };
    process.on("beforeExit", onBeforeExit);
  }
  return sink;
}
