import { type RrdEncoderOptions, type RrdMessage, encodeRrd } from "@iris/rrd";
import type { LogSink } from "./log-sink.ts";

/** Keeps every message in memory; `toRrdBytes()` encodes them as one complete `.rrd` stream. */
export class MemorySink implements LogSink {
  readonly messages: RrdMessage[] = [];

  send(message: RrdMessage): void {
    this.messages.push(message);
  }

  flush(): void {}

  close(): void {}

  /** Removes and returns the buffered messages. */
  drain(): RrdMessage[] {
    return this.messages.splice(0, this.messages.length);
  }

  toRrdBytes(options: RrdEncoderOptions = {}): Uint8Array {
    return encodeRrd(this.messages, options);
  }
}
