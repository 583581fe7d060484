import type { Lz4Codec } from "./lz4/index.ts";
import type { RrdMessage } from "./rrd-message.ts";
import type { RrdWarning } from "./rrd-warning.ts";

/** Default `maxMessageBytes`: 1 GiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1 << 30;

export interface RrdDecoderOptions {
  /** LZ4 block codec; defaults to the package's pure TypeScript codec. */
  lz4?: Lz4Codec;
  /**
   * Largest payload (and LZ4 uncompressed size) accepted; default 1 GiB. A larger MessageHeader length is
   * reported as "message-too-large" and decoding stops, without buffering or allocating it.
   */
  maxMessageBytes?: number;
  /**
   * Cap on the total bytes LZ4-decompressed from the input: decoding stops with a "decompression-limit" warning
   * before the total would exceed max(`maxDecompressedBytes`, `maxDecompressionRatio` × input bytes so far).
   * Default 1 GiB and 64×: a real recording (images compress 2–20×) stays far below it; an LZ4 bomb (zeros
   * compress 255×) is refused. Raise it to read a larger, highly compressible recording.
   */
  maxDecompressedBytes?: number;
  /** See `maxDecompressedBytes`; default 64. */
  maxDecompressionRatio?: number;
}

/** Default `maxDecompressedBytes`: 1 GiB. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 1 << 30;
/** Default `maxDecompressionRatio`. */
export const DEFAULT_MAX_DECOMPRESSION_RATIO = 64;

export type RrdDecoderEvent =
  | {
      type: "message";
      message: RrdMessage;
      /** Byte offset of the message's MessageHeader in the concatenated input. */
      offset: number;
      /** Length of the message's payload (which starts just after its 16-byte MessageHeader). */
      payloadBytes: number;
    }
  | { type: "warning"; warning: RrdWarning };
