import { describe, expect, it } from "vitest";
import { hex } from "../test/fixtures.ts";
import {
  MessageKind,
  encodeMessageHeader,
  isKnownMessageKind,
  parseMessageHeader,
} from "./message-header.ts";

describe("MessageHeader", () => {
  it("is kind u64 LE then length u64 LE", () => {
    expect(encodeMessageHeader(MessageKind.SetStoreInfo, 53)).toEqual(
      hex("01 00 00 00 00 00 00 00 | 35 00 00 00 00 00 00 00"),
    );
    expect(encodeMessageHeader(MessageKind.ArrowMsg, 0x1_0203)).toEqual(
      hex("02 00 00 00 00 00 00 00 | 03 02 01 00 00 00 00 00"),
    );
    expect(encodeMessageHeader(MessageKind.End, 0)).toEqual(new Uint8Array(16));
  });

  it("parses full u64 values as bigints", () => {
    expect(parseMessageHeader(hex("03 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 80"))).toEqual({
      kind: 3n,
      lengthBytes: 1n << 63n,
    });
    expect(isKnownMessageKind(3n)).toBe(true);
    expect(isKnownMessageKind(4n)).toBe(false);
  });

  it("reads at an offset inside a larger buffer", () => {
    const bytes = hex("ff ff | 02 00 00 00 00 00 00 00 | 07 00 00 00 00 00 00 00");
    expect(parseMessageHeader(bytes.subarray(1), 1)).toEqual({ kind: 2n, lengthBytes: 7n });
  });
});
