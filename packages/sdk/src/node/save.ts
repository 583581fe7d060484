import type { RrdEncoderOptions } from "@iris/rrd";
import type { RecordingStream } from "../recording-stream.ts";
import { getDefaultRecording } from "../default-recording.ts";
import { FileSink, onProcessExit } from "./file-sink.ts";

/**
 * Streams `recording` (the default recording if omitted) to a `.rrd` file from now on; everything logged before
 * is written first. Pending rows are flushed when the process exits.
 */
export function save(path: string, recording?: RecordingStream, options: RrdEncoderOptions = {}): FileSink {
  const rec = recording ?? getDefaultRecording();
  const sink = new FileSink(path, options);
  rec.setSink(sink);
  onProcessExit(() => rec.flush());
  return sink;
}
