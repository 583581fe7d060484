import { type ByteSink, RrdEncoder, type RrdEncoderOptions, type RrdMessage } from "@iris/rrd";
import type { LogSink } from "./log-sink.ts";

/**
 * Encodes messages into `.rrd` bytes as they arrive (works in Node and the browser). `toBytes()` returns the
 * stream so far; in a browser `toBlob()` gives a Blob to download or upload.
 */
export class BytesSink implements LogSink, ByteSink {
  private readonly parts: Uint8Array[] = [];
  private readonly encoder: RrdEncoder;
  private length = 0;

  constructor(options: RrdEncoderOptions = {}) {
    this.encoder = new RrdEncoder(this, options);
  }

  /** ByteSink side: receives encoded bytes from the encoder. */
  write(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  send(message: RrdMessage): void {
    this.encoder.write(message);
  }

  flush(): void {}

  close(): void {
    this.encoder.finish();
  }

  get sizeBytes(): number {
    return this.length;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const p of this.parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }

  toBlob(): Blob {
    return new Blob(this.parts as BlobPart[], { type: "application/octet-stream" });
  }
}
