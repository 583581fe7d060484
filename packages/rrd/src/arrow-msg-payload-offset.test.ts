import { toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { arrowMsgPayloadOffset } from "./arrow-msg-payload-offset.ts";
import { encodeRrd } from "./encode-rrd.ts";
import { ArrowMsgSchema } from "./gen/rerun/v1alpha1/log_msg_pb.ts";
import { rrdMessageToProto } from "./message-to-proto.ts";
import { RrdDecoder } from "./rrd-decoder.ts";
import type { ArrowMsgMessage } from "./rrd-message.ts";

function message(payloadBytes: number, applicationId: string, seed: number): ArrowMsgMessage {
  const ipc = new Uint8Array(payloadBytes);
  let x = seed;
  for (let i = 0; i < ipc.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    ipc[i] = x >>> 24;
  }
  return {
    kind: "arrowMsg",
    storeId: { kind: "recording", recordingId: `rec-${seed}`, applicationId },
    isStatic: seed % 2 === 0,
    ipc,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe("arrowMsgPayloadOffset", () => {
  it("finds where the payload bytes start, and -1 for truncated or malformed prefixes", () => {
    for (const [bytes, app] of [
      [10, "a"],
      [300, "an application id that is rather long"],
      [70_000, "x"],
    ] as const) {
      const body = rrdMessageToProto(message(bytes, app, 3), { compression: "none" });
      if (body.case !== "arrowMsg") throw new Error("expected an ArrowMsg");
      const encoded = toBinary(ArrowMsgSchema, body.value);
      const offset = arrowMsgPayloadOffset(encoded.subarray(0, 512));
      expect(Array.from(encoded.subarray(offset, offset + 8))).toEqual(
        Array.from(body.value.payload.subarray(0, 8)),
      );
      expect(arrowMsgPayloadOffset(encoded.subarray(0, offset - 1))).toBe(-1);
    }
    expect(arrowMsgPayloadOffset(new Uint8Array(0))).toBe(-1);
    expect(arrowMsgPayloadOffset(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBe(-1);
    expect(arrowMsgPayloadOffset(Uint8Array.of(0x0b, 0x00))).toBe(-1); // wire type 3 (group)
  });

  it("lets the decoder place a copied (split) ArrowMsg so that its IPC bytes are 8-byte aligned", () => {
    const messages = [message(50_000, "app", 1), message(123_457, "another app", 2), message(9_999, "a", 5)];
    const file = encodeRrd(messages, { compression: "none" });
    // Pieces smaller than every message: each message spans pieces and is copied (a message inside one piece stays a view).
    for (const step of [777, 4096]) {
      const decoder = new RrdDecoder();
      const got: ArrowMsgMessage[] = [];
      for (let at = 0; at < file.length; at += step) {
        decoder.push(file.slice(at, at + step)); // each piece in its own buffer: messages span pieces
        for (let e = decoder.next(); e !== undefined; e = decoder.next()) {
          if (e.type === "message" && e.message.kind === "arrowMsg") got.push(e.message);
        }
      }
      for (const e of decoder.end())
        if (e.type === "message" && e.message.kind === "arrowMsg") got.push(e.message);
      expect(
        got.map((m) => m.ipc.length),
        `step ${step}`,
      ).toEqual(messages.map((m) => m.ipc.length));
      got.forEach((m, i) => {
        expect(m.ipc.byteOffset % 8, `step ${step}, message ${i}`).toBe(0);
        expect(sameBytes(m.ipc, messages[i]!.ipc), `step ${step}, message ${i}`).toBe(true);
      });
    }
  });
});
