import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Tuid } from "@iris/types";
import { describe, expect, it } from "vitest";
import {
  fakeIpc,
  hex,
  recording,
  sampleMessages,
  toHex,
  uselessCodec,
  workedExample,
} from "../test/fixtures.ts";
import { Compression } from "./gen/rerun/v1alpha1/common_pb.ts";
import {
  ArrowMsgSchema,
  BlueprintActivationCommandSchema,
  LogMsgSchema,
  SetStoreInfoSchema,
} from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { MessageKind } from "./message-header.ts";
import {
  decodeLogMsg,
  decodeMessagePayload,
  encodeLogMsg,
  encodeMessagePayload,
  encodeMessagePayloadParts,
  writeMessagesRequestFrameParts,
} from "./message-payload.ts";
import { WriteMessagesRequestSchema } from "./gen/rerun/v1alpha1/sdk_comms_pb.ts";
import { concatBytes } from "@iris/types";
import { type LogMsgBody, rrdMessageToProto } from "./message-to-proto.ts";
import { RrdError } from "./rrd-error.ts";

function bareBinary(body: LogMsgBody): Uint8Array {
  switch (body.case) {
    case "setStoreInfo":
      return toBinary(SetStoreInfoSchema, body.value);
    case "arrowMsg":
      return toBinary(ArrowMsgSchema, body.value);
    case "blueprintActivationCommand":
      return toBinary(BlueprintActivationCommandSchema, body.value);
  }
}

function errorKind(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(RrdError);
    return (error as RrdError).kind;
  }
  return undefined;
}

describe("message payloads", () => {
  it("encodes the spec §2.3 SetStoreInfo example to exactly its 53 bytes", () => {
    const { kind, payload } = encodeMessagePayload(workedExample);
    expect(kind).toBe(MessageKind.SetStoreInfo);
    expect(toHex(payload)).toBe(
      toHex(
        hex(`0a 12 | 09 00 00 2a 36 fe 9c 97 17 | 11 01 00 00 00 00 00 00 00
             12 1f | 12 0e 08 01 12 03 72 65 63 1a 05 0a 03 61 70 70
                   | 2a 08 08 06 12 04 0a 02 74 73
                   | 32 03 08 80 42`),
      ),
    );
    // Decoded values, independent of field order.
    const proto = fromBinary(SetStoreInfoSchema, payload);
    expect(proto.rowId?.timeNs).toBe(1700000000000000000n);
    expect(proto.rowId?.inc).toBe(1n);
    expect(proto.info?.storeId?.kind).toBe(1);
    expect(proto.info?.storeId?.recordingId).toBe("rec");
    expect(proto.info?.storeId?.applicationId?.id).toBe("app");
    expect(proto.info?.storeSource?.kind).toBe(6);
    expect(new TextDecoder().decode(proto.info?.storeSource?.extra?.payload)).toBe("ts");
    expect(proto.info?.storeVersion?.crateVersionBits).toBe(8448);
    expect(decodeMessagePayload(MessageKind.SetStoreInfo, payload)).toEqual(workedExample);
  });

  it("writes a zero Tuid with both fields and an absent store source as an empty one", () => {
    const { payload } = encodeMessagePayload({
      kind: "setStoreInfo",
      rowId: new Tuid(0n, 0n),
      storeId: recording,
    });
    expect(toHex(payload)).toBe(
      toHex(
        hex(`0a 12 | 09 00 00 00 00 00 00 00 00 | 11 00 00 00 00 00 00 00 00
                 12 12 | 12 0e 08 01 12 03 72 65 63 1a 05 0a 03 61 70 70 | 2a 00`),
      ),
    );
  });

  it("writes is_static=false explicitly, uncompressed_size, encoding and chunk_id", () => {
    const { kind, payload } = encodeMessagePayload(
      { kind: "arrowMsg", storeId: recording, isStatic: false, ipc: Uint8Array.of(9, 8, 7) },
      { compression: "none" },
    );
    expect(kind).toBe(MessageKind.ArrowMsg);
    expect(toHex(payload).endsWith("2a 03 09 08 07 38 00")).toBe(true);
    expect(toHex(payload)).toContain("10 01 18 03 20 01"); // compression NONE, uncompressed_size 3, encoding 1
    const withChunkId = encodeMessagePayload(
      { kind: "arrowMsg", storeId: recording, chunkId: new Tuid(0n, 0n), ipc: Uint8Array.of(1) },
      { compression: "none" },
    ).payload;
    expect(toHex(withChunkId)).toContain("32 12 09 00 00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 00");
    expect(toHex(withChunkId).endsWith("38 00")).toBe(true); // undefined isStatic is written as false
  });

  it("LZ4-compresses ArrowMsg payloads, and falls back to NONE when the block does not shrink", () => {
    const ipc = fakeIpc(4096);
    const lz4 = fromBinary(
      ArrowMsgSchema,
      encodeMessagePayload({ kind: "arrowMsg", storeId: recording, ipc }).payload,
    );
    expect(lz4.compression).toBe(Compression.LZ4);
    expect(lz4.uncompressedSize).toBe(4096n);
    expect(lz4.payload.length).toBeLessThan(4096);
    const fallback = fromBinary(
      ArrowMsgSchema,
      encodeMessagePayload({ kind: "arrowMsg", storeId: recording, ipc }, { lz4: uselessCodec }).payload,
    );
    expect(fallback.compression).toBe(Compression.NONE);
    expect(fallback.uncompressedSize).toBe(4096n);
    expect(fallback.payload).toEqual(ipc);
  });

  it("splits ArrowMsg payloads without copying, byte-identical to toBinary", () => {
    for (const compression of ["lz4", "none"] as const) {
      for (const message of sampleMessages()) {
        const body = rrdMessageToProto(message, { compression });
        const expected = toBinary(LogMsgSchema, create(LogMsgSchema, { msg: body }));
        expect(encodeLogMsg(message, { compression })).toEqual(expected);
        const { parts, lengthBytes } = encodeMessagePayloadParts(message, { compression });
        expect(encodeMessagePayload(message, { compression }).payload).toEqual(bareBinary(body));
        expect(lengthBytes).toBe(parts.reduce((n, p) => n + p.length, 0));
      }
    }
    const ipc = Uint8Array.of(1, 2, 3, 4);
    const { parts } = encodeMessagePayloadParts(
      { kind: "arrowMsg", storeId: recording, ipc },
      { compression: "none" },
    );
    expect(parts[1]).toBe(ipc);
  });

  it("round-trips every message kind through LogMsg, with and without LZ4", () => {
    for (const compression of ["lz4", "none"] as const) {
      for (const message of sampleMessages()) {
        expect(decodeLogMsg(encodeLogMsg(message, { compression }))).toEqual(message);
      }
    }
  });

  it("frames every message kind as a gRPC WriteMessagesRequest byte-identical to toBinary", () => {
    for (const message of sampleMessages()) {
      for (const compression of ["lz4", "none"] as const) {
        const request = toBinary(
          WriteMessagesRequestSchema,
          create(WriteMessagesRequestSchema, {
            logMsg: create(LogMsgSchema, { msg: rrdMessageToProto(message, { compression }) }),
          }),
        );
        const { parts, lengthBytes } = writeMessagesRequestFrameParts(message, { compression });
        const joined = concatBytes(parts);
        expect(lengthBytes).toBe(joined.length);
        expect(toHex(joined.subarray(0, 5))).toBe(
          toHex(
            Uint8Array.of(
              0,
              request.length >>> 24,
              (request.length >>> 16) & 255,
              (request.length >>> 8) & 255,
              request.length & 255,
            ),
          ),
        );
        expect(toHex(joined.subarray(5))).toBe(toHex(request));
      }
    }
  });

  it("rejects garbage and missing required fields with typed errors", () => {
    expect(errorKind(() => decodeLogMsg(hex("ff ff ff")))).toBe("invalid-payload");
    expect(errorKind(() => decodeLogMsg(new Uint8Array(0)))).toBe("invalid-payload"); // no oneof case
    expect(errorKind(() => decodeMessagePayload(MessageKind.SetStoreInfo, hex("12 02 2a 00")))).toBe(
      "invalid-payload",
    ); // no row_id
    expect(errorKind(() => decodeMessagePayload(MessageKind.SetStoreInfo, hex("0a 02 09 00")))).toBe(
      "invalid-payload",
    );
    // ArrowMsg without store_id, then one with encoding 0.
    expect(errorKind(() => decodeMessagePayload(MessageKind.ArrowMsg, hex("20 01")))).toBe("invalid-payload");
    const storeId = "0a 0e 08 01 12 03 72 65 63 1a 05 0a 03 61 70 70";
    expect(errorKind(() => decodeMessagePayload(MessageKind.ArrowMsg, hex(storeId)))).toBe("invalid-payload");
    // LZ4 payload that does not decompress.
    const lz4 = `${storeId} 10 02 18 0a 20 01 2a 02 ff ff`;
    expect(errorKind(() => decodeMessagePayload(MessageKind.ArrowMsg, hex(lz4)))).toBe("lz4-failed");
    expect(errorKind(() => decodeMessagePayload(MessageKind.ArrowMsg, hex(lz4), { lz4: uselessCodec }))).toBe(
      "lz4-failed",
    );
  });

  it("recovers a missing application id from the legacy field or the caller", () => {
    // SetStoreInfo with StoreId {kind 1, "rec"} and the deprecated StoreInfo.application_id "old".
    const legacy = hex(
      "0a 12 09 00 00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 00 12 12 0a 05 0a 03 6f 6c 64 12 07 08 01 12 03 72 65 63 2a 00",
    );
    const decoded = decodeMessagePayload(MessageKind.SetStoreInfo, legacy);
    expect(decoded.kind === "setStoreInfo" && decoded.storeId.applicationId).toBe("old");
    const noAppId = hex("0a 07 08 01 12 03 72 65 63 20 01");
    expect(errorKind(() => decodeMessagePayload(MessageKind.ArrowMsg, noAppId))).toBe("invalid-payload");
    const recovered = decodeMessagePayload(MessageKind.ArrowMsg, noAppId, { applicationIdFor: () => "app" });
    expect(recovered).toEqual({ kind: "arrowMsg", storeId: recording, ipc: new Uint8Array(0) });
  });
});
