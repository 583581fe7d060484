import { describe, expect, it } from "vitest";
import { concat, hex, recording, toHex, workedExample } from "../test/fixtures.ts";
import { encodeRrd } from "./encode-rrd.ts";
import { MemorySink } from "./memory-sink.ts";
import { encodeMessagePayload } from "./message-payload.ts";
import { RrdEncoder } from "./rrd-encoder.ts";
import { RrdError } from "./rrd-error.ts";

describe("RrdEncoder", () => {
  it("writes the stream header once, then header + payload per message, and no footer when a chunk does not decode", () => {
    const sink = new MemorySink();
    const encoder = new RrdEncoder(sink, { compression: "none" });
    expect(encoder.bytesWritten).toBe(0);
    const message = {
      kind: "arrowMsg",
      storeId: recording,
      isStatic: true,
      ipc: Uint8Array.of(1, 2),
    } as const;
    encoder.write(message);
    encoder.write(message);
    encoder.finish();
    const payload = encodeMessagePayload(message, { compression: "none" }).payload;
    const frame = concat(
      hex("02 00 00 00 00 00 00 00"),
      Uint8Array.of(payload.length, 0, 0, 0, 0, 0, 0, 0),
      payload,
    );
    const expected = concat(hex("52 52 46 32 00 21 00 00 00 02 00 00"), frame, frame);
    expect(toHex(sink.toBytes())).toBe(toHex(expected));
    expect(encoder.bytesWritten).toBe(expected.length);
    expect(() => encoder.write(message)).toThrow(RrdError);
  });

  it("frames the spec §2.3 example with MessageHeader kind 1, len 53", () => {
    const bytes = encodeRrd([workedExample], { footer: false });
    expect(bytes.length).toBe(12 + 16 + 53);
    expect(toHex(bytes.subarray(0, 28))).toBe(
      toHex(hex("52 52 46 32 00 21 00 00 01 02 00 00 | 01 00 00 00 00 00 00 00 | 35 00 00 00 00 00 00 00")),
    );
    expect(bytes.subarray(28)).toEqual(encodeMessagePayload(workedExample).payload);
  });

  it("writes a valid empty stream when finished without messages: header, End with an empty RrdFooter, StreamFooter", () => {
    expect(encodeRrd([], { footer: false })).toEqual(hex("52 52 46 32 00 21 00 00 01 02 00 00"));
    // Rerun's encoder: an RrdFooter without manifests encodes to 0 bytes; the trailer points just after the End
    // header (offset 28), length 0, XXH32(seed 7850921) of no bytes = 0x2a973671 (the bytes rerun-sdk 0.41 writes
    // for a recording with no data).
    expect(toHex(encodeRrd([]))).toBe(
      toHex(
        hex(
          "52 52 46 32 00 21 00 00 01 02 00 00 | 00 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 |" +
            "1c 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | " +
            "71 36 97 2a | 52 52 46 32 46 4f 4f 54 01 00 00 00",
        ),
      ),
    );
  });

  it("writes the configured version", () => {
    const bytes = encodeRrd([], {
      storeVersion: { major: 0, minor: 34, patch: 1, meta: 0x41 },
      compression: "none",
      footer: false,
    });
    expect(bytes).toEqual(hex("52 52 46 32 00 22 01 41 00 02 00 00"));
  });
});
