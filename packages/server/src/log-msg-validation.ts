import { type logMsgPb } from "@iris/rrd";
import { ProxyError } from "./proxy-error.ts";

// Enum values of rerun.common.v1alpha1 / rerun.log_msg.v1alpha1 (see the generated code).
const COMPRESSION_NONE = 1;
const COMPRESSION_LZ4 = 2;
const ENCODING_ARROW_IPC = 1;

/**
 * Cheap structural checks on a producer's message before it is stored and forwarded. Rerun's viewer ends the
 * whole `ReadMessages` stream on one undecodable message (rrd-format.md §6.1, §4.4), so a malformed message from
 * one producer must not reach the viewers. Payloads are not decompressed here.
 */
export function validateLogMsg(
  msg: logMsgPb.LogMsg | undefined,
  maxUncompressedBytes: number,
): logMsgPb.LogMsg {
  if (msg === undefined) throw invalid("WriteMessagesRequest.log_msg is missing");
  const body = msg.msg;
  switch (body.case) {
    case "setStoreInfo": {
      const info = body.value.info;
      if (body.value.rowId === undefined) throw invalid("SetStoreInfo.row_id is missing");
      if (info?.storeId === undefined) throw invalid("SetStoreInfo.info.store_id is missing");
      if (info.storeSource === undefined) throw invalid("SetStoreInfo.info.store_source is missing");
      checkStoreId(info.storeId, "SetStoreInfo", info.applicationId?.id);
      return msg;
    }
    case "arrowMsg": {
      const a = body.value;
      if (a.storeId === undefined) throw invalid("ArrowMsg.store_id is missing");
      checkStoreId(a.storeId, "ArrowMsg", undefined);
      if (a.encoding !== ENCODING_ARROW_IPC)
        throw invalid(`ArrowMsg.encoding ${a.encoding} is not ARROW_IPC`);
      if (a.payload.byteLength === 0) throw invalid("ArrowMsg.payload is empty");
      if (a.uncompressedSize > BigInt(maxUncompressedBytes)) {
        throw invalid(`ArrowMsg.uncompressed_size ${a.uncompressedSize} exceeds ${maxUncompressedBytes}`);
      }
      if (a.compression === COMPRESSION_NONE) {
        if (BigInt(a.payload.byteLength) !== a.uncompressedSize && a.uncompressedSize !== 0n) {
          throw invalid(
            `ArrowMsg.uncompressed_size ${a.uncompressedSize} != payload size ${a.payload.byteLength} (no compression)`,
          );
        }
      } else if (a.compression !== COMPRESSION_LZ4) {
        throw invalid(`ArrowMsg.compression ${a.compression} is unknown`);
      }
      return msg;
    }
    case "blueprintActivationCommand":
      if (body.value.blueprintId === undefined)
        throw invalid("BlueprintActivationCommand.blueprint_id is missing");
      return msg;
    case undefined:
      throw invalid("LogMsg has no message set");
  }
}

function checkStoreId(
  storeId: NonNullable<logMsgPb.ArrowMsg["storeId"]>,
  where: string,
  legacyApplicationId: string | undefined,
): void {
  if (storeId.kind !== 1 && storeId.kind !== 2)
    throw invalid(`${where}.store_id.kind ${storeId.kind} is unknown`);
  if (!(storeId.applicationId?.id ?? legacyApplicationId)) {
    throw invalid(`${where}.store_id.application_id is missing (required since Rerun 0.25)`);
  }
}

function invalid(message: string): ProxyError {
  return new ProxyError("invalid-message", message);
}
