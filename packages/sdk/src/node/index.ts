export { FileSink, onProcessExit } from "./file-sink.ts";
export { save } from "./save.ts";
