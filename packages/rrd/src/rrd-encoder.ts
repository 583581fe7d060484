import type { ByteSink } from "./byte-sink.ts";
import { type CrateVersion, RERUN_VERSION } from "./crate-version.ts";
import { encodeMessageHeader } from "./message-header.ts";
import { encodeMessagePayloadParts } from "./message-payload.ts";
import type { Lz4Codec } from "./lz4/index.ts";
import { RrdError } from "./rrd-error.ts";
import type { RrdMessage } from "./rrd-message.ts";
import { encodeStreamHeader } from "./stream-header.ts";

export interface RrdEncoderOptions {
  /**
   * How `ArrowMsg` payloads are written; default "lz4" (as Rerun's file sink). An LZ4 block that is not smaller
   * than its input is written uncompressed instead. Also sets the advisory header byte (lz4 → 1, none → 0).
   */
  compression?: "lz4" | "none";
  /** LZ4 block codec; defaults to the package's pure TypeScript codec. */
  lz4?: Lz4Codec;
  /**
   * Version written in the StreamHeader; default 0.33.0. Rerun's decoder overwrites every
   * `StoreInfo.store_version` with it, so this is the version the viewer shows.
   */
  storeVersion?: CrateVersion;
}

/**
 * Writes an `.rrd` stream to a `ByteSink`: the 12-byte StreamHeader before the first message, then one
 * MessageHeader + protobuf payload per message. `finish()` writes no End message and no footer (recommended by
 * the spec: an incomplete footer hides data from footer-based tools). A frame may span several `sink.write`
 * calls (header and payload are written separately, to avoid copying payloads).
 */
export class RrdEncoder {
  private readonly sink: ByteSink;
  private readonly compression: "lz4" | "none";
  private readonly lz4: Lz4Codec | undefined;
  private readonly version: CrateVersion;
  private state: "initial" | "writing" | "finished" = "initial";
  private written = 0;

  constructor(sink: ByteSink, options: RrdEncoderOptions = {}) {
    const { compression = "lz4", lz4, storeVersion = RERUN_VERSION } = options;
    this.sink = sink;
    this.compression = compression;
    this.lz4 = lz4;
    this.version = storeVersion;
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.written;
  }

  /**
   * Writes one message (and the StreamHeader before the first). An uncompressed `ipc` is passed to the sink
   * without copying, so do not modify it afterwards if the sink keeps what it is given (e.g. `MemorySink`).
   */
  write(message: RrdMessage): void {
    if (this.state === "finished") throw new RrdError("encoder-finished", "RrdEncoder.write after finish");
    this.writeHeaderOnce();
    const options =
      this.lz4 === undefined
        ? { compression: this.compression }
        : { compression: this.compression, lz4: this.lz4 };
    const { kind, parts, lengthBytes } = encodeMessagePayloadParts(message, options);
    const header = encodeMessageHeader(kind, lengthBytes);
    // Header and the small first part in one write; a large payload part follows as-is, without a copy.
    const first = parts[0] ?? new Uint8Array(0);
    const frameStart = new Uint8Array(header.length + first.length);
    frameStart.set(header);
    frameStart.set(first, header.length);
    this.emit(frameStart);
    for (const part of parts.slice(1)) this.emit(part);
  }

  /** Ends the stream. Writes the StreamHeader if no message was written, so the output is a valid empty stream. */
  finish(): void {
    if (this.state === "finished") return;
    this.writeHeaderOnce();
    this.state = "finished";
  }

  private writeHeaderOnce(): void {
    if (this.state !== "initial") return;
    this.emit(encodeStreamHeader({ version: this.version, compression: this.compression }));
    this.state = "writing";
  }

  private emit(bytes: Uint8Array): void {
    this.sink.write(bytes);
    this.written += bytes.length;
  }
}
