export { BytesSink } from "../sinks/bytes-sink.ts";
export { downloadRecording } from "./download-recording.ts";
