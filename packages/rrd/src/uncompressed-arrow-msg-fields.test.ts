import { toBinary } from "@bufbuild/protobuf";
import { Tuid, concatBytes } from "@iris/types";
import { describe, expect, it } from "vitest";
import { arrowMsgFromParts } from "./arrow-msg-parts.ts";
import { ArrowMsgSchema } from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { encodeLogMsg, encodeMessagePayloadParts } from "./message-payload.ts";
import { rrdMessageToProto } from "./message-to-proto.ts";
import type { StoreId } from "./rrd-message.ts";

const stores: StoreId[] = [
  { kind: "recording", applicationId: "app", recordingId: "rec" },
  { kind: "blueprint", applicationId: "ünïcødé app", recordingId: "bp" },
  { kind: "recording", applicationId: "a".repeat(200), recordingId: "r".repeat(300) },
];
const chunkIds = [
  undefined,
  new Tuid(0n, 0n),
  new Tuid(1_700_000_000_123_456_789n, 42n),
  new Tuid(2n ** 64n - 1n, 2n ** 64n - 1n),
];
const payloadSizes = [1, 127, 128, 16_383, 16_384, 2 ** 21 + 5];

/** `size` bytes split into parts of uneven sizes, with an empty part among them. */
function partsOf(size: number): Uint8Array[] {
  const bytes = new Uint8Array(size); // a loop: Uint8Array.from with a map function took ~0.1 s per 2 MiB
  for (let i = 0; i < size; i++) bytes[i] = (i * 31) & 0xff;
  const cut = Math.floor(size / 3);
  return [bytes.subarray(0, cut), new Uint8Array(0), bytes.subarray(cut)];
}

describe("uncompressedArrowMsgFields", () => {
  it("an uncompressed ArrowMsg written from IPC parts is byte for byte protobuf-es's toBinary", () => {
    let checked = 0;
    for (const storeId of stores) {
      for (const chunkId of chunkIds) {
        for (const isStatic of [undefined, false, true]) {
          for (const size of payloadSizes) {
            const parts = partsOf(size);
            const optional = {
              ...(chunkId === undefined ? {} : { chunkId }),
              ...(isStatic === undefined ? {} : { isStatic }),
            };
            const message = arrowMsgFromParts({ storeId, ...optional }, parts);
            const body = rrdMessageToProto(
              { kind: "arrowMsg", storeId, ...optional, ipc: concatBytes(parts) },
              { compression: "none" },
            );
            if (body.case !== "arrowMsg") throw new Error("expected an ArrowMsg");
            const expected = toBinary(ArrowMsgSchema, body.value);
            const encoded = encodeMessagePayloadParts(message, { compression: "none" });
            const actual = concatBytes(encoded.parts);
            expect(encoded.lengthBytes).toBe(expected.length);
            if (!actual.every((b, i) => b === expected[i]) || actual.length !== expected.length) {
              throw new Error(
                `store ${storeId.recordingId.slice(0, 8)}, chunk ${chunkId}, static ${isStatic}, ${size} B`,
              );
            }
            // The payload parts themselves are handed on (no copy). Identity checked with includes: toContain
            // formats its 2 MiB arguments into the assertion message even when it passes (~20 s of this test).
            expect(encoded.parts.includes(parts[2]!), "the payload part itself is handed on").toBe(true);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(stores.length * chunkIds.length * 3 * payloadSizes.length);
  });

  it("the gRPC LogMsg of a message given as parts equals that of the same message given joined", () => {
    for (const storeId of stores) {
      const parts = partsOf(1000);
      const chunkId = new Tuid(5n, 6n);
      const asParts = arrowMsgFromParts({ storeId, chunkId, isStatic: false }, parts);
      const joined = {
        kind: "arrowMsg",
        storeId,
        chunkId,
        isStatic: false,
        ipc: concatBytes(parts),
      } as const;
      expect(encodeLogMsg(asParts, { compression: "none" })).toEqual(
        encodeLogMsg(joined, { compression: "none" }),
      );
    }
  });
});
