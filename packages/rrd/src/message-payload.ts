import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  type ArrowMsg,
  ArrowMsgSchema,
  BlueprintActivationCommandSchema,
  LogMsgSchema,
  SetStoreInfoSchema,
} from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { concatBytes } from "@iris/types";
import { looksIncompressible } from "./lz4/incompressible.ts";
import { MessageKind } from "./message-header.ts";
import { type RrdMessageFromProtoOptions, rrdMessageFromProto } from "./message-from-proto.ts";
import { type LogMsgBody, type PayloadCompressionOptions, rrdMessageToProto } from "./message-to-proto.ts";
import { RrdError } from "./rrd-error.ts";
import { uncompressedArrowMsgFields } from "./uncompressed-arrow-msg-fields.ts";
import type { ArrowMsgMessage, RrdMessage } from "./rrd-message.ts";

/** Encodes a message as the bare protobuf payload of an `.rrd` frame (not wrapped in `LogMsg`). */
export function encodeMessagePayload(
  message: RrdMessage,
  options: PayloadCompressionOptions = {},
): { kind: MessageKind; payload: Uint8Array } {
  const { kind, parts } = encodeMessagePayloadParts(message, options);
  return { kind, payload: parts.length === 1 ? parts[0]! : concatBytes(parts) };
}

/**
 * Like `encodeMessagePayload`, but returns the payload as consecutive parts so that a large `ArrowMsg.payload`
 * (the IPC bytes themselves when uncompressed, or the LZ4 block) is never copied: an encoder can hand the parts to
 * its sink one by one. The concatenation is byte-identical to `toBinary` (fields in number order).
 */
export function encodeMessagePayloadParts(
  message: RrdMessage,
  options: PayloadCompressionOptions = {},
): { kind: MessageKind; parts: Uint8Array[]; lengthBytes: number } {
  if (message.kind === "arrowMsg" && message.ipcParts !== undefined) {
    const unjoined = unjoinedArrowMsgParts(message, message.ipcParts, options);
    if (unjoined) return unjoined;
  }
  // rrdMessageToProto skips LZ4 for a large payload that looks incompressible (legal: the flag is per message).
  const body = rrdMessageToProto(message, options);
  let kind: MessageKind;
  let parts: Uint8Array[];
  switch (body.case) {
    case "setStoreInfo":
      kind = MessageKind.SetStoreInfo;
      parts = [toBinary(SetStoreInfoSchema, body.value)];
      break;
    case "arrowMsg":
      kind = MessageKind.ArrowMsg;
      parts = arrowMsgParts(body.value, [body.value.payload]);
      break;
    case "blueprintActivationCommand":
      kind = MessageKind.BlueprintActivationCommand;
      parts = [toBinary(BlueprintActivationCommandSchema, body.value)];
      break;
  }
  return { kind, parts, lengthBytes: parts.reduce((n, part) => n + part.length, 0) };
}

/**
 * An ArrowMsg given as IPC parts, written uncompressed from the parts themselves (no join), when LZ4 is off or
 * the parts look incompressible. Undefined when the payload is to be LZ4-compressed (which needs it joined).
 */
function unjoinedArrowMsgParts(
  message: ArrowMsgMessage,
  ipcParts: readonly Uint8Array[],
  options: PayloadCompressionOptions,
): { kind: MessageKind; parts: Uint8Array[]; lengthBytes: number } | undefined {
  const lz4 = (options.compression ?? "lz4") === "lz4";
  if (lz4 && !looksIncompressible(ipcParts)) return undefined;
  const ipcBytes = ipcParts.reduce((n, part) => n + part.byteLength, 0);
  if (ipcBytes > 0) {
    const { head, tail } = uncompressedArrowMsgFields({
      storeId: message.storeId,
      chunkId: message.chunkId,
      isStatic: message.isStatic,
      payloadBytes: ipcBytes,
    });
    const parts = [head, ...ipcParts.filter((part) => part.byteLength > 0), tail];
    return { kind: MessageKind.ArrowMsg, parts, lengthBytes: head.length + ipcBytes + tail.length };
  }
  const fields: ArrowMsgMessage = {
    kind: "arrowMsg",
    storeId: message.storeId,
    ...(message.chunkId !== undefined ? { chunkId: message.chunkId } : {}),
    ...(message.isStatic !== undefined ? { isStatic: message.isStatic } : {}),
    ipc: new Uint8Array(0),
  };
  const body = rrdMessageToProto(fields, { compression: "none" });
  if (body.case !== "arrowMsg") throw new RrdError("invalid-argument", "expected an ArrowMsg");
  body.value.uncompressedSize = BigInt(ipcBytes);
  const parts = arrowMsgParts(body.value, ipcParts);
  return { kind: MessageKind.ArrowMsg, parts, lengthBytes: parts.reduce((n, part) => n + part.length, 0) };
}

/**
 * Fields 1–4, then the tag and length of field 5, then the payload itself (`payload`, as consecutive parts,
 * instead of `proto.payload`), then fields 6–7.
 */
function arrowMsgParts(proto: ArrowMsg, payload: readonly Uint8Array[]): Uint8Array[] {
  const payloadBytes = payload.reduce((n, part) => n + part.byteLength, 0);
  // An empty `bytes` field is not written at all (proto3 implicit presence).
  if (payloadBytes === 0) return [toBinary(ArrowMsgSchema, { ...proto, payload: new Uint8Array(0) })];
  const headFields = toBinary(ArrowMsgSchema, {
    ...proto,
    payload: new Uint8Array(0),
    chunkId: undefined,
    isStatic: undefined,
  });
  const tail = create(ArrowMsgSchema);
  if (proto.chunkId !== undefined) tail.chunkId = proto.chunkId;
  if (proto.isStatic !== undefined) tail.isStatic = proto.isStatic;
  const head = concatBytes([headFields, Uint8Array.of(ARROW_MSG_PAYLOAD_TAG), encodeVarint(payloadBytes)]);
  return [head, ...payload.filter((part) => part.byteLength > 0), toBinary(ArrowMsgSchema, tail)];
}

/** Field 5 (`payload`), wire type 2 (length-delimited). */
const ARROW_MSG_PAYLOAD_TAG = (5 << 3) | 2;
/** Parts up to this size are joined into the head of a gRPC frame (copying them costs less than a write each). */
const SMALL_PART_BYTES = 4096;
/** `WriteMessagesRequest` field 1 (`log_msg`), wire type 2. */
const WRITE_MESSAGES_REQUEST_LOG_MSG_TAG = (1 << 3) | 2;
/** `LogMsg` field 2 (`arrow_msg`), wire type 2. */
const LOG_MSG_ARROW_MSG_TAG = (2 << 3) | 2;

function encodeVarint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

/**
 * Decodes the payload of an `.rrd` frame of kind 1, 2 or 3. Throws `RrdError` "invalid-payload" (bad protobuf or
 * missing field) or "lz4-failed". The returned message may hold views of `payload`.
 */
export function decodeMessagePayload(
  kind: Exclude<MessageKind, 0>,
  payload: Uint8Array,
  options: RrdMessageFromProtoOptions = {},
): RrdMessage {
  return rrdMessageFromProto(parseBody(kind, payload), options);
}

function parseBody(kind: Exclude<MessageKind, 0>, payload: Uint8Array): LogMsgBody {
  try {
    switch (kind) {
      case MessageKind.SetStoreInfo:
        return { case: "setStoreInfo", value: fromBinary(SetStoreInfoSchema, payload) };
      case MessageKind.ArrowMsg:
        return { case: "arrowMsg", value: fromBinary(ArrowMsgSchema, payload) };
      case MessageKind.BlueprintActivationCommand:
        return {
          case: "blueprintActivationCommand",
          value: fromBinary(BlueprintActivationCommandSchema, payload),
        };
    }
  } catch (cause) {
    throw invalidProtobuf(`message kind ${kind}`, payload, cause);
  }
}

/** Encodes a message as a gRPC `LogMsg` (the oneof wrapper), e.g. for `WriteMessagesRequest.log_msg`. */
export function encodeLogMsg(message: RrdMessage, options: PayloadCompressionOptions = {}): Uint8Array {
  const { parts } = encodeLogMsgParts(message, options);
  // Same bytes as toBinary(LogMsg), with a single copy of the (possibly large) payload.
  return parts.length === 1 ? parts[0]! : concatBytes(parts);
}

/**
 * Like `encodeLogMsg`, but as consecutive parts whose concatenation is the `LogMsg`: an `ArrowMsg`'s payload (the
 * IPC parts themselves when uncompressed, or the LZ4 block) is one or more of the parts, never copied, so that a
 * writer can hand them to `writev` or an HTTP/2 stream as they are.
 */
export function encodeLogMsgParts(
  message: RrdMessage,
  options: PayloadCompressionOptions = {},
): { parts: Uint8Array[]; lengthBytes: number } {
  if (message.kind === "arrowMsg") {
    const { parts, lengthBytes } = encodeMessagePayloadParts(message, options);
    const head = concatBytes([Uint8Array.of(LOG_MSG_ARROW_MSG_TAG), encodeVarint(lengthBytes)]);
    return { parts: [head, ...parts], lengthBytes: head.length + lengthBytes };
  }
  const bytes = toBinary(LogMsgSchema, create(LogMsgSchema, { msg: rrdMessageToProto(message, options) }));
  return { parts: [bytes], lengthBytes: bytes.length };
}

/**
 * A `WriteMessagesRequest { log_msg }` (field 1 holds the `LogMsg`) as a complete gRPC length-prefixed frame (flag
 * byte 0 = uncompressed, 4-byte big-endian length), in parts: one small head (frame header, request and `LogMsg`
 * framing, the `ArrowMsg` fields before the payload), the payload parts as they are, and the small tail. The
 * concatenation is byte-identical to `toBinary(WriteMessagesRequestSchema, …)` behind the 5-byte header.
 */
export function writeMessagesRequestFrameParts(
  message: RrdMessage,
  options: PayloadCompressionOptions = {},
): { parts: Uint8Array[]; lengthBytes: number } {
  const logMsg = encodeLogMsgParts(message, options);
  const requestBytes = 1 + encodeVarint(logMsg.lengthBytes).length + logMsg.lengthBytes;
  const header = new Uint8Array(5);
  new DataView(header.buffer).setUint32(1, requestBytes);
  // The frame header, the request framing and the small leading parts (the fields before the payload) are joined;
  // large parts (the payload) stay as they are.
  let small = 0;
  while (small < logMsg.parts.length && logMsg.parts[small]!.length <= SMALL_PART_BYTES) small++;
  const head = concatBytes([
    header,
    Uint8Array.of(WRITE_MESSAGES_REQUEST_LOG_MSG_TAG),
    encodeVarint(logMsg.lengthBytes),
    ...logMsg.parts.slice(0, small),
  ]);
  const parts = [head, ...logMsg.parts.slice(small)];
  return { parts, lengthBytes: 5 + requestBytes };
}

/** Decodes a gRPC `LogMsg`. Throws `RrdError` "invalid-payload" or "lz4-failed". */
export function decodeLogMsg(bytes: Uint8Array, options: RrdMessageFromProtoOptions = {}): RrdMessage {
  let logMsg;
  try {
    logMsg = fromBinary(LogMsgSchema, bytes);
  } catch (cause) {
    throw invalidProtobuf("LogMsg", bytes, cause);
  }
  return rrdMessageFromProto(logMsg.msg, options);
}

function invalidProtobuf(what: string, bytes: Uint8Array, cause: unknown): RrdError {
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  return new RrdError(
    "invalid-payload",
    `${bytes.length}-byte ${what} payload is not valid protobuf${detail}`,
    {
      cause,
    },
  );
}
