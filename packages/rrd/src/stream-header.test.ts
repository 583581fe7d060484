import { describe, expect, it } from "vitest";
import { hex } from "../test/fixtures.ts";
import { RrdError } from "./rrd-error.ts";
import { RERUN_VERSION } from "./crate-version.ts";
import { encodeStreamHeader, isNewerThanReader, parseStreamHeader } from "./stream-header.ts";

function kindOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(RrdError);
    return (error as RrdError).kind;
  }
  return undefined;
}

describe("StreamHeader", () => {
  it("encodes RRF2, 0.33.0 and the advisory compression byte (1 when LZ4 may be used)", () => {
    expect(encodeStreamHeader({ version: RERUN_VERSION, compression: "lz4" })).toEqual(
      hex("52 52 46 32 | 00 21 00 00 | 01 | 02 | 00 00"),
    );
    expect(encodeStreamHeader({ version: RERUN_VERSION, compression: "none" })).toEqual(
      hex("52 52 46 32 | 00 21 00 00 | 00 | 02 | 00 00"),
    );
  });

  it("parses what it encodes", () => {
    expect(parseStreamHeader(hex("52 52 46 32 00 21 00 00 01 02 00 00"))).toEqual({
      version: { major: 0, minor: 33, patch: 0, meta: 0 },
      compression: "lz4",
    });
  });

  it("rejects with typed errors per Rerun's rules", () => {
    expect(kindOf(() => parseStreamHeader(hex("52 52 46 30 00 21 00 00 00 02 00 00")))).toBe("old-version");
    expect(kindOf(() => parseStreamHeader(hex("52 52 46 31 00 21 00 00 00 02 00 00")))).toBe("old-version");
    expect(kindOf(() => parseStreamHeader(hex("50 4b 03 04 00 21 00 00 00 02 00 00")))).toBe("not-rrd");
    expect(kindOf(() => parseStreamHeader(hex("52 52 46 32 00 16 00 00 00 02 00 00")))).toBe(
      "incompatible-version",
    );
    expect(kindOf(() => parseStreamHeader(hex("52 52 46 32 00 00 00 00 00 02 00 00")))).toBe(
      "incompatible-version",
    );
    expect(kindOf(() => parseStreamHeader(hex("52 52 46 32 00 21 00 00 02 02 00 00")))).toBe(
      "unsupported-compression",
    );
    expect(kindOf(() => parseStreamHeader(hex("52 52 46 32 00 21 00 00 00 01 00 00")))).toBe(
      "unsupported-serializer",
    );
    expect(kindOf(() => parseStreamHeader(hex("52 52 46 32 00 21 00 00 00 02 00 01")))).toBe(
      "bad-reserved-bytes",
    );
    expect(kindOf(() => parseStreamHeader(hex("52 52 46 32 00 21")))).toBe("truncated");
  });

  it("accepts 0.23 and newer versions; newer than 0.33 is flagged for a warning", () => {
    const v023 = parseStreamHeader(hex("52 52 46 32 00 17 00 00 00 02 00 00"));
    expect(isNewerThanReader(v023.version)).toBe(false);
    const v100 = parseStreamHeader(hex("52 52 46 32 01 00 00 00 00 02 00 00"));
    expect(isNewerThanReader(v100.version)).toBe(true);
    const rc = parseStreamHeader(hex("52 52 46 32 00 21 00 41 00 02 00 00"));
    expect(rc.version.meta).toBe(0x41);
    expect(isNewerThanReader(rc.version)).toBe(false);
  });
});
