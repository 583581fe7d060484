import type { ByteSink } from "./byte-sink.ts";

/** Collects written chunks in memory; `toBytes()` concatenates them. */
export class MemorySink implements ByteSink {
  private readonly chunks: Uint8Array[] = [];
  private lengthBytes = 0;

  write(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.lengthBytes += bytes.length;
  }

  get byteLength(): number {
    return this.lengthBytes;
  }

  /** A fresh copy of everything written so far. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.lengthBytes);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
