import { RrdError } from "./rrd-error.ts";

/** Byte length of a MessageHeader. */
export const MESSAGE_HEADER_BYTES = 16;

/** The `kind` of a MessageHeader: which protobuf message the payload holds. */
export const MessageKind = {
  /** End of stream; the payload is an `RrdFooter` (possibly empty). */
  End: 0,
  SetStoreInfo: 1,
  ArrowMsg: 2,
  BlueprintActivationCommand: 3,
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/**
 * The 16 bytes before every message payload: kind (u64 LE) and payload length (u64 LE). Both are kept as
 * bigints when parsed, because hostile input can hold any u64.
 */
export interface MessageHeader {
  kind: bigint;
  lengthBytes: bigint;
}

export function isKnownMessageKind(kind: bigint): boolean {
  return kind >= 0n && kind <= 3n;
}

export function encodeMessageHeader(kind: MessageKind, lengthBytes: number): Uint8Array {
  if (!Number.isSafeInteger(lengthBytes) || lengthBytes < 0) {
    throw new RrdError(
      "invalid-argument",
      `message length must be a non-negative integer, got ${lengthBytes}`,
    );
  }
  const out = new Uint8Array(MESSAGE_HEADER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(kind), true);
  view.setBigUint64(8, BigInt(lengthBytes), true);
  return out;
}

export function parseMessageHeader(bytes: Uint8Array, offset = 0): MessageHeader {
  if (bytes.length - offset < MESSAGE_HEADER_BYTES) {
    throw new RrdError(
      "truncated",
      `a message header needs ${MESSAGE_HEADER_BYTES} bytes, got ${Math.max(0, bytes.length - offset)}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, MESSAGE_HEADER_BYTES);
  return { kind: view.getBigUint64(0, true), lengthBytes: view.getBigUint64(8, true) };
}
