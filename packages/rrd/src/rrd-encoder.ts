import { type Chunk, chunkFromIpc } from "@iris/chunk";
import type { ByteSink } from "./byte-sink.ts";
import { type CrateVersion, RERUN_VERSION } from "./crate-version.ts";
import { MESSAGE_HEADER_BYTES, MessageKind, encodeMessageHeader } from "./message-header.ts";
import { encodeMessagePayloadParts } from "./message-payload.ts";
import type { Lz4Codec } from "./lz4/index.ts";
import { ipcByteLength } from "./arrow-msg-parts.ts";
import { chunkOfMessage } from "./manifest/chunk-of-message.ts";
import { encodeRrdFooter } from "./manifest/rrd-footer-encoding.ts";
import { RrdManifestBuilder } from "./manifest/rrd-manifest-builder.ts";
import { RrdError } from "./rrd-error.ts";
import type { RrdMessage, StoreId } from "./rrd-message.ts";
import { encodeStreamFooter, streamFooterFor } from "./stream-footer.ts";
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
  /**
   * Write Rerun's footer at `finish()` (default true, as Rerun's file sink): an End message whose `RrdFooter`
   * holds one chunk manifest per store, then the 32-byte StreamFooter. If a chunk cannot be read for the manifest
   * (an ArrowMsg whose IPC does not decode), no footer is written at all: an incomplete one would hide data from
   * footer-based tools.
   */
  footer?: boolean;
}

/**
 * Writes an `.rrd` stream to a `ByteSink`: the 12-byte StreamHeader before the first message, then one
 * MessageHeader + protobuf payload per message, and at `finish()` End + RrdFooter (chunk manifests) +
 * StreamFooter like Rerun 0.33–0.41. A frame may span several `sink.write` calls (header and payload are written separately, to avoid copying payloads).
 */
export class RrdEncoder {
  private readonly sink: ByteSink;
  private readonly compression: "lz4" | "none";
  private readonly lz4: Lz4Codec | undefined;
  private readonly version: CrateVersion;
  private state: "initial" | "writing" | "finished" = "initial";
  private written = 0;
  /** Manifests per store, in order of first chunk; undefined when no footer is written. */
  private manifests: Map<string, { storeId: StoreId; manifest: RrdManifestBuilder }> | undefined;

  constructor(sink: ByteSink, options: RrdEncoderOptions = {}) {
    const { compression = "lz4", lz4, storeVersion = RERUN_VERSION, footer = true } = options;
    this.sink = sink;
    this.compression = compression;
    this.lz4 = lz4;
    this.version = storeVersion;
    this.manifests = footer ? new Map() : undefined;
  }

  /** Bytes handed to the sink so far. */
  get bytesWritten(): number {
    return this.written;
  }

  /**
   * Writes one message (and the StreamHeader before the first). An uncompressed `ipc` is passed to the sink
   * without copying, so do not modify it afterwards if the sink keeps what it is given (e.g. `MemorySink`).
   */
  write(message: RrdMessage, chunk?: Chunk): void {
    if (this.state === "finished") throw new RrdError("encoder-finished", "RrdEncoder.write after finish");
    this.writeHeaderOnce();
    const options =
      this.lz4 === undefined
        ? { compression: this.compression }
        : { compression: this.compression, lz4: this.lz4 };
    const { kind, parts, lengthBytes } = encodeMessagePayloadParts(message, options);
    const header = encodeMessageHeader(kind, lengthBytes);
    if (message.kind === "arrowMsg") this.addToManifest(message, chunk, lengthBytes);
    // Header and the small first part in one write; a large payload part follows as-is, without a copy.
    const first = parts[0] ?? new Uint8Array(0);
    const frameStart = new Uint8Array(header.length + first.length);
    frameStart.set(header);
    frameStart.set(first, header.length);
    this.emit(frameStart);
    for (const part of parts.slice(1)) this.emit(part);
  }

  /**
   * Ends the stream: the StreamHeader if no message was written (a valid empty stream), then the footer (unless
   * disabled). Nothing can be written afterwards.
   */
  finish(): void {
    if (this.state === "finished") return;
    this.writeHeaderOnce();
    this.state = "finished";
    const manifests = this.manifests;
    if (manifests === undefined) return;
    const footer = encodeRrdFooter(manifests.values(), {
      compression: this.compression,
      ...(this.lz4 === undefined ? {} : { lz4: this.lz4 }),
    });
    this.emit(encodeMessageHeader(MessageKind.End, footer.length));
    const footerOffset = this.written;
    this.emit(footer);
    this.emit(encodeStreamFooter(streamFooterFor(footer, footerOffset)));
  }

  /** Rerun's `FooterState::append`: one manifest row per chunk, keyed by the message's store. */
  private addToManifest(
    message: Extract<RrdMessage, { kind: "arrowMsg" }>,
    chunk: Chunk | undefined,
    lengthBytes: number,
  ): void {
    const manifests = this.manifests;
    if (manifests === undefined) return;
    let source = chunk ?? chunkOfMessage(message);
    if (source === undefined) {
      try {
        source = chunkFromIpc(message.ipc);
      } catch {
        this.manifests = undefined;
        return;
      }
    }
    const { storeId } = message;
    const key = `${storeId.kind}\u0000${storeId.applicationId}\u0000${storeId.recordingId}`;
    let entry = manifests.get(key);
    if (entry === undefined) {
      entry = { storeId, manifest: new RrdManifestBuilder() };
      manifests.set(key, entry);
    }
    entry.manifest.append(source, {
      offset: this.written + MESSAGE_HEADER_BYTES,
      size: lengthBytes,
      sizeUncompressed: ipcByteLength(message),
    });
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
