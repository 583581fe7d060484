import { create, toBinary } from "@bufbuild/protobuf";
import type { Tuid } from "@iris/types";
import { Compression } from "./gen/rerun/v1alpha1/common_pb.ts";
import { ArrowMsgSchema, Encoding } from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { storeIdToProto } from "./message-to-proto.ts";
import type { StoreId } from "./rrd-message.ts";
import { writeVarint } from "./protobuf-varint.ts";

/** Stores whose leading ArrowMsg bytes are remembered; when full, the cache starts over. */
const MAX_STORES = 16;

/** Store key → `toBinary` of an ArrowMsg holding only `store_id` and `compression` NONE (fields 1–2). */
const leadingFields = new Map<string, Uint8Array>();
/** `toBinary` of an ArrowMsg holding only `encoding` ARROW_IPC (field 4). */
let encodingField: Uint8Array | undefined;

/** Wire tags (field number << 3 | wire type). */
const UNCOMPRESSED_SIZE_TAG = (3 << 3) | 0;
const PAYLOAD_TAG = (5 << 3) | 2;
const CHUNK_ID_TAG = (6 << 3) | 2;
const TUID_TIME_NS_TAG = (1 << 3) | 1;
const TUID_INC_TAG = (2 << 3) | 1;
const IS_STATIC_TAG = (7 << 3) | 0;

/**
 * The bytes of an uncompressed `ArrowMsg` around its payload, exactly as protobuf-es's `toBinary` writes them
 * (fields in number order): `head` = fields 1–4 and the tag and length of field 5, `tail` = fields 6–7. The store
 * id and encoding fields are encoded once (by protobuf-es) and reused; the numbers that change per message
 * (`uncompressed_size`, the payload length, the chunk id's two fixed64s, `is_static`) are written here. This is the
 * per-frame path of logging to a file or a live viewer, where running protobuf-es's reflection-based encoder twice
 * per message cost more than anything else in the framing.
 */
export function uncompressedArrowMsgFields(fields: {
  storeId: StoreId;
  chunkId: Tuid | undefined;
  isStatic: boolean | undefined;
  payloadBytes: number;
}): { head: Uint8Array; tail: Uint8Array } {
  const { storeId, chunkId, isStatic, payloadBytes } = fields;
  const key = `${storeId.kind}\u0000${storeId.applicationId}\u0000${storeId.recordingId}`;
  let leading = leadingFields.get(key);
  if (leading === undefined) {
    leading = toBinary(
      ArrowMsgSchema,
      create(ArrowMsgSchema, { storeId: storeIdToProto(storeId), compression: Compression.NONE }),
    );
    if (leadingFields.size >= MAX_STORES) leadingFields.clear();
    leadingFields.set(key, leading);
  }
  encodingField ??= toBinary(ArrowMsgSchema, create(ArrowMsgSchema, { encoding: Encoding.ARROW_IPC }));

  const head = new Uint8Array(leading.length + 11 + encodingField.length + 11);
  head.set(leading);
  let at = leading.length;
  // proto3 scalars with implicit presence are not written when 0.
  if (payloadBytes > 0) {
    head[at++] = UNCOMPRESSED_SIZE_TAG;
    at = writeVarint(head, at, payloadBytes);
  }
  head.set(encodingField, at);
  at += encodingField.length;
  head[at++] = PAYLOAD_TAG;
  at = writeVarint(head, at, payloadBytes);

  const tail = new Uint8Array((chunkId === undefined ? 0 : 20) + 2);
  const view = new DataView(tail.buffer);
  let t = 0;
  if (chunkId !== undefined) {
    tail[t++] = CHUNK_ID_TAG;
    tail[t++] = 18;
    tail[t++] = TUID_TIME_NS_TAG;
    view.setBigUint64(t, chunkId.timeNanos, true);
    t += 8;
    tail[t++] = TUID_INC_TAG;
    view.setBigUint64(t, chunkId.inc, true);
    t += 8;
  }
  // `is_static` has explicit presence and is always set (undefined → false).
  tail[t++] = IS_STATIC_TAG;
  tail[t++] = isStatic === true ? 1 : 0;
  return { head: head.subarray(0, at), tail };
}
