import { create } from "@bufbuild/protobuf";
import type { Tuid } from "@iris/types";
import {
  ApplicationIdSchema,
  Compression,
  type StoreId as StoreIdProto,
  StoreIdSchema,
  StoreKind,
  type Tuid as TuidProto,
  TuidSchema,
} from "./gen/rerun/v1alpha1/common_pb.ts";
import {
  ArrowMsgSchema,
  BlueprintActivationCommandSchema,
  Encoding,
  type LogMsg,
  SetStoreInfoSchema,
  StoreInfoSchema,
  StoreSourceExtraSchema,
  StoreSourceSchema,
  StoreVersionSchema,
} from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { looksIncompressible } from "./lz4/incompressible.ts";
import { type Lz4Codec, lz4 as defaultLz4 } from "./lz4/index.ts";
import type { ArrowMsgMessage, RrdMessage, StoreId } from "./rrd-message.ts";

/** The body of a `LogMsg` (its `msg` oneof) with a message set. */
export type LogMsgBody = Exclude<LogMsg["msg"], { case: undefined }>;

export interface PayloadCompressionOptions {
  /**
   * How to write `ArrowMsg.payload`; default "lz4". LZ4 output that is not smaller is written uncompressed, and a
   * large payload that looks incompressible (`looksIncompressible`) is not compressed at all.
   */
  compression?: "lz4" | "none";
  /** LZ4 block codec; defaults to the package's pure TypeScript codec. */
  lz4?: Lz4Codec;
}

/**
 * Converts a plain message to the generated protobuf message. `ArrowMsg`: `uncompressed_size` and `encoding`
 * (ARROW_IPC) are always set, `is_static` is always written (undefined → false), `chunk_id` when given.
 */
export function rrdMessageToProto(message: RrdMessage, options: PayloadCompressionOptions = {}): LogMsgBody {
  switch (message.kind) {
    case "setStoreInfo": {
      const storeSource = create(StoreSourceSchema, { kind: message.storeSource?.kind ?? 0 });
      if (message.storeSource?.extra !== undefined) {
        storeSource.extra = create(StoreSourceExtraSchema, { payload: message.storeSource.extra });
      }
      const info = create(StoreInfoSchema, { storeId: storeIdToProto(message.storeId), storeSource });
      if (message.storeVersionBits !== undefined) {
        info.storeVersion = create(StoreVersionSchema, { crateVersionBits: message.storeVersionBits });
      }
      return {
        case: "setStoreInfo",
        value: create(SetStoreInfoSchema, { rowId: tuidToProto(message.rowId), info }),
      };
    }
    case "arrowMsg":
      return { case: "arrowMsg", value: arrowMsgToProto(message, options) };
    case "blueprintActivation":
      return {
        case: "blueprintActivationCommand",
        value: create(BlueprintActivationCommandSchema, {
          blueprintId: storeIdToProto(message.blueprintId),
          makeActive: message.makeActive,
          makeDefault: message.makeDefault,
        }),
      };
  }
}

function arrowMsgToProto(message: ArrowMsgMessage, options: PayloadCompressionOptions) {
  const { ipc } = message;
  let compression = Compression.NONE;
  let payload = ipc;
  const codec = options.lz4 ?? defaultLz4;
  // A large payload whose sampled windows do not compress is stored raw without compressing it whole.
  if ((options.compression ?? "lz4") === "lz4" && ipc.length > 0 && !looksIncompressible(ipc)) {
    const compressed = codec.compressBlock(ipc);
    if (compressed.length > 0 && compressed.length < ipc.length) {
      compression = Compression.LZ4;
      payload = compressed;
    }
  }
  const proto = create(ArrowMsgSchema, {
    storeId: storeIdToProto(message.storeId),
    compression,
    uncompressedSize: BigInt(ipc.length),
    encoding: Encoding.ARROW_IPC,
    payload,
    isStatic: message.isStatic ?? false,
  });
  if (message.chunkId !== undefined) proto.chunkId = tuidToProto(message.chunkId);
  return proto;
}

export function storeIdToProto(storeId: StoreId): StoreIdProto {
  return create(StoreIdSchema, {
    kind: storeId.kind === "blueprint" ? StoreKind.BLUEPRINT : StoreKind.RECORDING,
    recordingId: storeId.recordingId,
    applicationId: create(ApplicationIdSchema, { id: storeId.applicationId }),
  });
}

/** Both parts are always set (explicit presence), also when zero. */
export function tuidToProto(tuid: Tuid): TuidProto {
  return create(TuidSchema, { timeNs: tuid.timeNanos, inc: tuid.inc });
}
