import { describe, expect, it } from "vitest";
import { hex } from "../test/fixtures.ts";
import { RrdError } from "./rrd-error.ts";
import {
  encodeStreamFooter,
  parseStreamFooter,
  rrdFooterChecksum,
  streamFooterFor,
  verifyStreamFooter,
} from "./stream-footer.ts";

describe("StreamFooter", () => {
  it("encodes offset, length, xxh32 (seed 7850921), RRF2, FOOT, 1", () => {
    const footer = streamFooterFor(new Uint8Array(0), 28);
    expect(footer.checksum).toBe(0x2a973671);
    expect(encodeStreamFooter(footer)).toEqual(
      hex(
        "1c 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 00 | 71 36 97 2a | 52 52 46 32 | 46 4f 4f 54 | 01 00 00 00",
      ),
    );
  });

  it("parses and verifies", () => {
    const payload = hex("0a 00");
    const bytes = encodeStreamFooter(streamFooterFor(payload, 100));
    const footer = parseStreamFooter(bytes);
    expect(footer).toEqual({
      rrdFooterOffsetBytes: 100n,
      rrdFooterLengthBytes: 2n,
      checksum: rrdFooterChecksum(payload),
    });
    expect(verifyStreamFooter(footer, payload, [100])).toEqual([]);
    expect(verifyStreamFooter(footer, hex("0a 01"), [100])).toHaveLength(1);
    expect(verifyStreamFooter(footer, payload, [99])).toHaveLength(1);
  });

  it("rejects wrong magic and entry count", () => {
    const bytes = encodeStreamFooter(streamFooterFor(new Uint8Array(0), 0));
    const badMagic = bytes.slice();
    badMagic[24] = 0;
    expect(() => parseStreamFooter(badMagic)).toThrow(RrdError);
    const twoEntries = bytes.slice();
    twoEntries[28] = 2;
    expect(() => parseStreamFooter(twoEntries)).toThrow(/exactly 1 entry/);
  });
});
