import type { RecordingStream } from "../recording-stream.ts";
import { BytesSink } from "../sinks/bytes-sink.ts";

/**
 * In a browser: switches `recording` to an in-memory `.rrd` sink (replaying what was logged so far) and returns
 * a function that offers the file for download.
 */
export function downloadRecording(recording: RecordingStream, filename = "recording.rrd"): () => void {
  const sink = recording.currentSink instanceof BytesSink ? recording.currentSink : new BytesSink();
  if (sink !== recording.currentSink) recording.setSink(sink);
  return () => {
    recording.flush();
    const url = URL.createObjectURL(sink.toBlob());
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
}
