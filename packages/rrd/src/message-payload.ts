import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  ArrowMsgSchema,
  BlueprintActivationCommandSchema,
  LogMsgSchema,
  SetStoreInfoSchema,
} from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { MessageKind } from "./message-header.ts";
import { type RrdMessageFromProtoOptions, rrdMessageFromProto } from "./message-from-proto.ts";
import { type LogMsgBody, type PayloadCompressionOptions, rrdMessageToProto } from "./message-to-proto.ts";
import { RrdError } from "./rrd-error.ts";
import type { RrdMessage } from "./rrd-message.ts";

/** Encodes a message as the bare protobuf payload of an `.rrd` frame (not wrapped in `LogMsg`). */
export function encodeMessagePayload(
  message: RrdMessage,
  options: PayloadCompressionOptions = {},
): { kind: MessageKind; payload: Uint8Array } {
  const body = rrdMessageToProto(message, options);
  switch (body.case) {
    case "setStoreInfo":
      return { kind: MessageKind.SetStoreInfo, payload: toBinary(SetStoreInfoSchema, body.value) };
    case "arrowMsg":
      return { kind: MessageKind.ArrowMsg, payload: toBinary(ArrowMsgSchema, body.value) };
    case "blueprintActivationCommand":
      return {
        kind: MessageKind.BlueprintActivationCommand,
        payload: toBinary(BlueprintActivationCommandSchema, body.value),
      };
  }
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
  return toBinary(LogMsgSchema, create(LogMsgSchema, { msg: rrdMessageToProto(message, options) }));
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
