import { Tuid } from "@iris/types";
import {
  Compression,
  type StoreId as StoreIdProto,
  StoreKind,
  type Tuid as TuidProto,
} from "./gen/rerun/v1alpha1/common_pb.ts";
import {
  type ArrowMsg,
  type BlueprintActivationCommand,
  Encoding,
  type LogMsg,
  type SetStoreInfo,
} from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { type Lz4Codec, lz4 as defaultLz4 } from "./lz4/index.ts";
import { RrdError } from "./rrd-error.ts";
import type {
  ArrowMsgMessage,
  RrdMessage,
  SetStoreInfoMessage,
  StoreId,
  StoreSource,
} from "./rrd-message.ts";

/** Default cap on `ArrowMsg.uncompressed_size` (1 GiB): hostile sizes are rejected before allocating. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 1 << 30;

export interface RrdMessageFromProtoOptions {
  /** LZ4 block codec; defaults to the package's pure TypeScript codec. */
  lz4?: Lz4Codec;
  /** Largest `uncompressed_size` accepted for an LZ4 payload; default 1 GiB. */
  maxUncompressedBytes?: number;
  /**
   * Legacy (Rerun 0.24) recovery of a StoreId without application id: the id an earlier SetStoreInfo gave the
   * same store. Without it (or if it returns undefined) such messages are rejected.
   */
  applicationIdFor?: (kind: StoreId["kind"], recordingId: string) => string | undefined;
  /**
   * Called with `uncompressed_size` before an LZ4 payload is decompressed (only for sizes LZ4 can produce from
   * the block); may throw (e.g. `RrdError` "decompression-limit") to refuse it before anything is allocated.
   */
  beforeDecompress?: (uncompressedBytes: number) => void;
}

/**
 * Converts a generated protobuf message to the plain model, applying Rerun's "required field" checks.
 * Throws `RrdError` "invalid-payload" (missing/invalid fields) or "lz4-failed". An uncompressed `ipc` is a view
 * of the protobuf input bytes.
 */
export function rrdMessageFromProto(
  body: LogMsg["msg"],
  options: RrdMessageFromProtoOptions = {},
): RrdMessage {
  switch (body.case) {
    case "setStoreInfo":
      return setStoreInfoFromProto(body.value, options);
    case "arrowMsg":
      return arrowMsgFromProto(body.value, options);
    case "blueprintActivationCommand":
      return blueprintActivationFromProto(body.value, options);
    case undefined:
      throw new RrdError("invalid-payload", "LogMsg has no message set");
  }
}

export function setStoreInfoFromProto(
  proto: SetStoreInfo,
  options: RrdMessageFromProtoOptions = {},
): SetStoreInfoMessage {
  if (proto.rowId === undefined) throw missing("SetStoreInfo.row_id");
  const info = proto.info;
  if (info === undefined) throw missing("SetStoreInfo.info");
  if (info.storeId === undefined) throw missing("StoreInfo.store_id");
  if (info.storeSource === undefined) throw missing("StoreInfo.store_source");
  // Legacy writers put the application id in the deprecated StoreInfo.application_id.
  const legacyApplicationId = info.applicationId?.id;
  const storeId = storeIdFromProto(info.storeId, {
    applicationIdFor: (kind, recordingId) =>
      legacyApplicationId ?? options.applicationIdFor?.(kind, recordingId),
  });
  const message: SetStoreInfoMessage = { kind: "setStoreInfo", rowId: tuidFromProto(proto.rowId), storeId };
  const { kind, extra } = info.storeSource;
  if (kind !== 0 || extra !== undefined) {
    const storeSource: StoreSource = { kind };
    if (extra !== undefined) storeSource.extra = extra.payload;
    message.storeSource = storeSource;
  }
  if (info.storeVersion !== undefined) message.storeVersionBits = info.storeVersion.crateVersionBits;
  return message;
}

export function arrowMsgFromProto(
  proto: ArrowMsg,
  options: RrdMessageFromProtoOptions = {},
): ArrowMsgMessage {
  if (proto.storeId === undefined) throw missing("ArrowMsg.store_id");
  const storeId = storeIdFromProto(proto.storeId, options);
  if (proto.encoding !== Encoding.ARROW_IPC) {
    throw new RrdError(
      "invalid-payload",
      `unsupported ArrowMsg encoding ${proto.encoding}, expected 1 (Arrow IPC)`,
    );
  }
  const message: ArrowMsgMessage = { kind: "arrowMsg", storeId, ipc: decompressPayload(proto, options) };
  // Rerun's decoder ignores chunk_id (the IPC schema's rerun:id is authoritative), so an incomplete one is dropped.
  if (proto.chunkId?.timeNs !== undefined && proto.chunkId.inc !== undefined) {
    message.chunkId = tuidFromProto(proto.chunkId);
  }
  if (proto.isStatic !== undefined) message.isStatic = proto.isStatic;
  return message;
}

function decompressPayload(proto: ArrowMsg, options: RrdMessageFromProtoOptions): Uint8Array {
  switch (proto.compression) {
    case Compression.UNSPECIFIED:
    case Compression.NONE:
      return proto.payload;
    case Compression.LZ4: {
      const max = options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
      if (proto.uncompressedSize > BigInt(max)) {
        throw new RrdError(
          "invalid-payload",
          `ArrowMsg uncompressed_size ${proto.uncompressedSize} exceeds the limit of ${max} bytes`,
        );
      }
      const size = Number(proto.uncompressedSize);
      // LZ4 expands at most 255× (+ a literal run); larger claims fail in decompressBlock without being charged.
      if (size <= proto.payload.length * 255 + 255) options.beforeDecompress?.(size);
      try {
        return (options.lz4 ?? defaultLz4).decompressBlock(proto.payload, size);
      } catch (cause) {
        const detail = cause instanceof Error ? `: ${cause.message}` : "";
        throw new RrdError(
          "lz4-failed",
          `LZ4 decompression of a ${proto.payload.length}-byte ArrowMsg payload to ${proto.uncompressedSize} bytes failed${detail}`,
          { cause },
        );
      }
    }
    default:
      throw new RrdError("invalid-payload", `unknown ArrowMsg compression ${String(proto.compression)}`);
  }
}

export function blueprintActivationFromProto(
  proto: BlueprintActivationCommand,
  options: RrdMessageFromProtoOptions = {},
): RrdMessage {
  if (proto.blueprintId === undefined) throw missing("BlueprintActivationCommand.blueprint_id");
  return {
    kind: "blueprintActivation",
    blueprintId: storeIdFromProto(proto.blueprintId, options),
    makeActive: proto.makeActive,
    makeDefault: proto.makeDefault,
  };
}

export function storeIdFromProto(
  proto: StoreIdProto,
  options: Pick<RrdMessageFromProtoOptions, "applicationIdFor"> = {},
): StoreId {
  let kind: StoreId["kind"];
  switch (proto.kind) {
    case StoreKind.UNSPECIFIED:
    case StoreKind.RECORDING:
      kind = "recording";
      break;
    case StoreKind.BLUEPRINT:
      kind = "blueprint";
      break;
    default:
      throw new RrdError("invalid-payload", `unknown StoreKind ${String(proto.kind)}`);
  }
  const applicationId = proto.applicationId?.id ?? options.applicationIdFor?.(kind, proto.recordingId);
  if (applicationId === undefined) {
    throw new RrdError(
      "invalid-payload",
      `message without application id for ${kind} ${JSON.stringify(proto.recordingId)}`,
    );
  }
  return { kind, recordingId: proto.recordingId, applicationId };
}

export function tuidFromProto(proto: TuidProto): Tuid {
  if (proto.timeNs === undefined) throw missing("Tuid.time_ns");
  if (proto.inc === undefined) throw missing("Tuid.inc");
  return new Tuid(proto.timeNs, proto.inc);
}

function missing(field: string): RrdError {
  return new RrdError("invalid-payload", `missing required field ${field}`);
}
