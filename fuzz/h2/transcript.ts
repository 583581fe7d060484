// A server's side of one HTTP/2 connection as the fuzzer replays it: segments of bytes, each sent once the client
// has come far enough (`after`), each write (`writes`, usually one frame each) handed to the socket separately.
import { createHash } from "node:crypto";

/**
 * When a segment is sent: at once ("connect"), once the client's request HEADERS on stream 1 have arrived
 * ("request"), or once the client has ended stream 1 (END_STREAM on HEADERS or DATA: "request-end"). A server
 * waiting for a condition the client never meets sends the segment anyway after `TRIGGER_WAIT_MS`.
 */
export type Trigger = "connect" | "request" | "request-end";

export interface Segment {
  after: Trigger;
  writes: Uint8Array[];
}

/** Which client faces the transcript: `readMessages` ("read") or `GrpcSink` ("sink"). */
export type TargetName = "read" | "sink";

export interface Transcript {
  target: TargetName;
  /** The seed it was made from (for reports). */
  seed: string;
  segments: Segment[];
  /** readMessages' `windowBytes` (the receive windows it announces). */
  windowBytes: number;
  /** How readMessages is consumed (default: eagerly, 8 messages buffered, fresh memory, never aborted). */
  consumer?: ReadConsumer;
  /** GrpcSink options that make it drop or end streams early. */
  sinkOptions?: { maxQueueBytes?: number; ackIntervalMs?: number };
}

export interface ReadConsumer {
  bufferedMessages?: number;
  reuseMemory?: boolean;
  /** Waits 1 ms before taking each next message (the client pauses the stream when its buffer fills). */
  slow?: boolean;
  /** Aborts (`signal`) once this many messages were taken: the iteration must then end quietly. */
  abortAfter?: number;
  /** Passes `onInvalidMessage`: an undecodable (uncompressed) message is reported and skipped, not fatal. */
  skipInvalid?: boolean;
}

export const TRIGGER_WAIT_MS = 300;

interface TranscriptJson {
  target: TargetName;
  seed: string;
  windowBytes: number;
  consumer?: ReadConsumer;
  sinkOptions?: Transcript["sinkOptions"];
  segments: { after: Trigger; writes: string[] }[];
}

/** A transcript as JSON (bytes as hex): the format of the stored findings. */
export function transcriptToJson(t: Transcript): string {
  const json: TranscriptJson = {
    target: t.target,
    seed: t.seed,
    windowBytes: t.windowBytes,
    ...(t.consumer && { consumer: t.consumer }),
    ...(t.sinkOptions && { sinkOptions: t.sinkOptions }),
    segments: t.segments.map((s) => ({
      after: s.after,
      writes: s.writes.map((w) => Buffer.from(w.buffer, w.byteOffset, w.length).toString("hex")),
    })),
  };
  return `${JSON.stringify(json, null, 1)}\n`;
}

export function transcriptFromJson(text: string): Transcript {
  const json = JSON.parse(text) as TranscriptJson;
  return {
    target: json.target,
    seed: json.seed,
    windowBytes: json.windowBytes,
    ...(json.consumer && { consumer: json.consumer }),
    ...(json.sinkOptions && { sinkOptions: json.sinkOptions }),
    segments: json.segments.map((s) => ({
      after: s.after,
      writes: s.writes.map((hex) => new Uint8Array(Buffer.from(hex, "hex"))),
    })),
  };
}

export function copyTranscript(t: Transcript): Transcript {
  return { ...t, segments: t.segments.map((s) => ({ after: s.after, writes: [...s.writes] })) };
}

/** Every byte the server sends, in order. */
export function transcriptBytes(t: Transcript): Uint8Array {
  return Buffer.concat(t.segments.flatMap((s) => s.writes));
}

export function transcriptHash(t: Transcript): string {
  return createHash("sha256").update(transcriptToJson(t)).digest("hex").slice(0, 16);
}
