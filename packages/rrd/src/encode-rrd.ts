import { MemorySink } from "./memory-sink.ts";
import { RrdEncoder, type RrdEncoderOptions } from "./rrd-encoder.ts";
import type { RrdMessage } from "./rrd-message.ts";

/** Encodes a whole `.rrd` stream in memory (header + messages, no footer). */
export function encodeRrd(messages: Iterable<RrdMessage>, options: RrdEncoderOptions = {}): Uint8Array {
  const sink = new MemorySink();
  const encoder = new RrdEncoder(sink, options);
  for (const message of messages) encoder.write(message);
  encoder.finish();
  return sink.toBytes();
}
