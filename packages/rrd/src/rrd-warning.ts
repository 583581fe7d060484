/** Recoverable problems the decoder reports and then continues (or stops) after, as Rerun's viewer does. */
export type RrdWarningKind =
  /** A payload that is not valid protobuf or lacks a required field; the message is skipped. */
  | "invalid-payload"
  /** An LZ4 payload that does not decompress; the message is skipped. */
  | "lz4-failed"
  /** Bytes after a stream that are neither a message nor a new stream header; decoding stops. */
  | "trailing-bytes"
  /** A stream written by a newer version than this reader; decoding continues. */
  | "newer-version"
  /** The input ended inside a header, message or footer; those bytes are lost. */
  | "truncated"
  /** An End message's RrdFooter or the StreamFooter after it is corrupt or does not match. */
  | "footer-invalid"
  /** A MessageHeader declaring more than the configured maximum; nothing of that size is allocated. */
  | "message-too-large"
  /** Damaged bytes (a bad MessageHeader, a payload whose length was wrong) skipped up to the next valid message. */
  | "skipped-bytes"
  /** The total of LZ4-decompressed bytes would exceed the decoder's cap (an LZ4 bomb); decoding stops. */
  | "decompression-limit";

export interface RrdWarning {
  kind: RrdWarningKind;
  message: string;
  /** Byte offset in the concatenated input where the problem starts (e.g. the MessageHeader of a bad message). */
  offset: number;
  /** For "truncated", "trailing-bytes" and "message-too-large": how many input bytes were dropped (so far). */
  lostBytes?: number;
}
