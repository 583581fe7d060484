export { main } from "./main.ts";
export type { CliIo } from "./io.ts";
export { readRecording, readRecordingFile, type Recording } from "./read-recording.ts";
export { type VerifyReport, verifyRecording, verifyRecordingReport } from "./commands/verify.ts";
export { compareRecordings } from "./commands/compare.ts";
