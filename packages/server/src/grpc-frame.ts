import { create, toBinary } from "@bufbuild/protobuf";
import {
  GRPC_FRAME_HEADER_BYTES,
  grpcFrame,
  type logMsgPb,
  logMsgPb as pb,
  sdkCommsPb,
  varintBytes,
  writeVarint,
} from "@iris/rrd";

type LogMsg = logMsgPb.LogMsg;

/** `ReadMessagesResponse.log_msg` (field 1) and `LogMsg.arrow_msg` (field 2), wire type 2. */
const RESPONSE_LOG_MSG_TAG = (1 << 3) | 2;
const LOG_MSG_ARROW_MSG_TAG = (2 << 3) | 2;
/** `ArrowMsg.payload`: field 5, wire type 2. */
const ARROW_MSG_PAYLOAD_TAG = (5 << 3) | 2;

/**
 * One `ReadMessagesResponse { log_msg }` as a complete gRPC frame (header + protobuf), byte-identical to
 * `toBinary(ReadMessagesResponseSchema, …)` behind the 5-byte header. It is built once per message and written
 * as is to every gRPC reader.
 *
 * `received` is the producer's `WriteMessagesRequest` frame that `msg` was decoded from (`GrpcFrameDecoder`),
 * when there is one: `WriteMessagesRequest` and `ReadMessagesResponse` both hold the `LogMsg` in field 1, so if
 * those bytes are exactly what `toBinary` would write (checked around the payload, which is the same memory),
 * they are returned as they are: the proxy forwards the producer's bytes without copying them. Otherwise the
 * frame is built with a single copy of the `ArrowMsg` payload, and `msg`'s payload is re-pointed at those bytes in
 * the frame (same content), so that the proxy holds each payload once.
 */
export function readMessagesFrame(msg: LogMsg, received?: Uint8Array): Uint8Array {
  const body = msg.msg;
  if (
    body.case !== "arrowMsg" ||
    body.value.payload.length === 0 ||
    hasUnknownFields(msg) ||
    hasUnknownFields(body.value)
  ) {
    const bytes = toBinary(
      sdkCommsPb.ReadMessagesResponseSchema,
      create(sdkCommsPb.ReadMessagesResponseSchema, { logMsg: msg }),
    );
    if (received !== undefined && sameBytes(received.subarray(GRPC_FRAME_HEADER_BYTES), bytes)) {
      return received;
    }
    return grpcFrame(bytes);
  }
  const arrow = body.value;
  const payload = arrow.payload;
  // protobuf-es writes fields in number order: fields 1–4, then payload (5), then 6–7.
  const head = toBinary(pb.ArrowMsgSchema, {
    ...arrow,
    payload: new Uint8Array(0),
    chunkId: undefined,
    isStatic: undefined,
  });
  const tailMsg = create(pb.ArrowMsgSchema);
  if (arrow.chunkId !== undefined) tailMsg.chunkId = arrow.chunkId;
  if (arrow.isStatic !== undefined) tailMsg.isStatic = arrow.isStatic;
  const tail = toBinary(pb.ArrowMsgSchema, tailMsg);
  const arrowBytes = head.length + 1 + varintBytes(payload.length) + payload.length + tail.length;
  const logMsgBytes = 1 + varintBytes(arrowBytes) + arrowBytes;
  const responseBytes = 1 + varintBytes(logMsgBytes) + logMsgBytes;
  const total = GRPC_FRAME_HEADER_BYTES + responseBytes;
  const prefix = new Uint8Array(total - payload.length - tail.length);
  writeFrameHeader(prefix, responseBytes);
  let at = GRPC_FRAME_HEADER_BYTES;
  prefix[at++] = RESPONSE_LOG_MSG_TAG;
  at = writeVarint(prefix, at, logMsgBytes);
  prefix[at++] = LOG_MSG_ARROW_MSG_TAG;
  at = writeVarint(prefix, at, arrowBytes);
  prefix.set(head, at);
  at += head.length;
  prefix[at++] = ARROW_MSG_PAYLOAD_TAG;
  at = writeVarint(prefix, at, payload.length);
  if (
    received !== undefined &&
    received.length === total &&
    payload.buffer === received.buffer &&
    payload.byteOffset === received.byteOffset + prefix.length &&
    sameBytes(received.subarray(0, prefix.length), prefix) &&
    sameBytes(received.subarray(total - tail.length), tail)
  ) {
    return received;
  }
  const frame = new Uint8Array(total);
  frame.set(prefix);
  frame.set(payload, prefix.length);
  frame.set(tail, prefix.length + payload.length);
  arrow.payload = frame.subarray(prefix.length, prefix.length + payload.length);
  return frame;
}

function hasUnknownFields(m: { $unknown?: unknown[] | undefined }): boolean {
  return m.$unknown !== undefined && m.$unknown.length > 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function writeFrameHeader(frame: Uint8Array, length: number): void {
  frame[0] = 0;
  new DataView(frame.buffer, frame.byteOffset, GRPC_FRAME_HEADER_BYTES).setUint32(1, length);
}
