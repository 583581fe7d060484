import { concatBytes } from "@iris/types";
import { describe, expect, it } from "vitest";
import { arrowMsgFromParts, ipcByteLength, ownArrowMsg } from "./arrow-msg-parts.ts";
import { decodeRrd } from "./decode-rrd.ts";
import { encodeRrd } from "./encode-rrd.ts";
import { create, toBinary } from "@bufbuild/protobuf";
import { WriteMessagesRequestSchema } from "./gen/rerun/v1alpha1/sdk_comms_pb.ts";
import { LogMsgSchema } from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import {
  encodeLogMsg,
  encodeMessagePayloadParts,
  writeMessagesRequestFrameParts,
} from "./message-payload.ts";
import { rrdMessageToProto } from "./message-to-proto.ts";
import type { ArrowMsgMessage } from "./rrd-message.ts";

const storeId = { kind: "recording", recordingId: "r", applicationId: "a" } as const;

function noise(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe("ArrowMsg from IPC parts", () => {
  // Small, compressible, large-incompressible and large-compressible payloads, split at odd places.
  const cases: [string, Uint8Array[]][] = [
    ["small", [Uint8Array.of(1, 2, 3), Uint8Array.of(4)]],
    ["large noise", [noise(100, 1), noise(600_000, 2), noise(33, 3)]],
    ["large zeros", [new Uint8Array(300_000), new Uint8Array(400_000)]],
    ["empty", []],
  ];
  for (const [name, parts] of cases) {
    for (const compression of ["lz4", "none"] as const) {
      it(`encodes byte-identically to the joined message (${name}, ${compression})`, () => {
        const fields = { storeId, isStatic: false };
        const fromParts = arrowMsgFromParts(fields, parts);
        const joined: ArrowMsgMessage = { kind: "arrowMsg", ...fields, ipc: concatBytes(parts) };
        expect(ipcByteLength(fromParts)).toBe(joined.ipc.byteLength);
        const a = encodeRrd([fromParts], { compression });
        const b = encodeRrd([joined], { compression });
        expect(sameBytes(a, b)).toBe(true);
        expect(
          sameBytes(encodeLogMsg(fromParts, { compression }), encodeLogMsg(joined, { compression })),
        ).toBe(true);
        // The gRPC WriteMessagesRequest frame: 5-byte header, then exactly what toBinary writes.
        const request = toBinary(
          WriteMessagesRequestSchema,
          create(WriteMessagesRequestSchema, {
            logMsg: create(LogMsgSchema, { msg: rrdMessageToProto(joined, { compression }) }),
          }),
        );
        const frame = writeMessagesRequestFrameParts(fromParts, { compression });
        const header = new Uint8Array(5);
        new DataView(header.buffer).setUint32(1, request.length);
        expect(frame.lengthBytes).toBe(5 + request.length);
        expect(sameBytes(concatBytes(frame.parts), concatBytes([header, request]))).toBe(true);
        const decoded = decodeRrd(a).messages[0] as ArrowMsgMessage;
        expect(sameBytes(decoded.ipc, joined.ipc)).toBe(true);
      });
    }
  }

  it("writes incompressible parts as they are (the payload parts are the given arrays)", () => {
    const big = noise(1_200_000, 9); // above the 1 MiB below which LZ4 is tried on the whole payload
    const { parts } = encodeMessagePayloadParts(arrowMsgFromParts({ storeId }, [Uint8Array.of(7), big]));
    expect(parts.some((p) => p === big)).toBe(true);
  });

  it("a WriteMessagesRequest frame hands over incompressible payload parts as they are, in one small head", () => {
    const big = noise(1_200_000, 9);
    const { parts } = writeMessagesRequestFrameParts(arrowMsgFromParts({ storeId }, [Uint8Array.of(7), big]));
    expect(parts.length).toBe(3); // head (frame header … payload tag and length, and the 1-byte part), big, tail
    expect(parts[1]).toBe(big);
  });

  it("ownArrowMsg copies the parts into one array of its own", () => {
    const part = Uint8Array.of(1, 2, 3);
    const owned = ownArrowMsg(arrowMsgFromParts({ storeId }, [part, part])) as ArrowMsgMessage;
    expect(owned.ipcParts).toBeUndefined();
    part[0] = 9;
    expect(Array.from(owned.ipc)).toEqual([1, 2, 3, 1, 2, 3]);
  });
});
