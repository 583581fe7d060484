import { describe, expect, it } from "vitest";
import { parseByteRange } from "./byte-range.ts";

describe("parseByteRange", () => {
  it("serves one bytes range in each of its three spellings, clamped to the representation", () => {
    expect(parseByteRange("bytes=0-9", 100)).toEqual({ kind: "range", first: 0, last: 9 });
    expect(parseByteRange("bytes=90-", 100)).toEqual({ kind: "range", first: 90, last: 99 });
    expect(parseByteRange("bytes=-10", 100)).toEqual({ kind: "range", first: 90, last: 99 });
    expect(parseByteRange("bytes=-1000", 100)).toEqual({ kind: "range", first: 0, last: 99 });
    expect(parseByteRange("bytes=50-100000", 100)).toEqual({ kind: "range", first: 50, last: 99 });
    expect(parseByteRange("bytes=99-99", 100)).toEqual({ kind: "range", first: 99, last: 99 });
    expect(parseByteRange(" Bytes = 1-2 ", 100)).toEqual({ kind: "range", first: 1, last: 2 });
    // Offsets past 4 GiB (files of several GB) stay exact.
    expect(parseByteRange("bytes=5000000000-5000000015", 6e9)).toEqual({
      kind: "range",
      first: 5_000_000_000,
      last: 5_000_000_015,
    });
  });

  it("ignores an absent header and units other than bytes (RFC 9110 §14.2)", () => {
    expect(parseByteRange(undefined, 100)).toEqual({ kind: "whole" });
    expect(parseByteRange("items=0-1", 100)).toEqual({ kind: "whole" });
    expect(parseByteRange("", 100)).toEqual({ kind: "whole" });
  });

  it("refuses malformed, unsatisfiable, multiple and oversized ranges with a reason", () => {
    const refused = [
      ["bytes=100-", 100, "starts at or after the end"],
      ["bytes=100-200", 100, "starts at or after the end"],
      ["bytes=99999999999999999999999-", 100, "starts at or after the end"],
      ["bytes=0-0", 0, "starts at or after the end"],
      ["bytes=-0", 100, "selects no byte"],
      ["bytes=-5", 0, "selects no byte"],
      ["bytes=5-3", 100, "ends before it starts"],
      ["bytes=-", 100, "malformed"],
      ["bytes=a-b", 100, "malformed"],
      ["bytes=-1-2", 100, "malformed"],
      ["bytes=1e3-", 100, "malformed"],
      ["bytes=+1-2", 100, "malformed"],
      ["bytes=0x10-", 100, "malformed"],
      ["bytes=1 - 2", 100, "malformed"],
      ["bytes=", 100, "names no range"],
      ["bytes=,,,", 100, "names no range"],
      ["bytes=0-1,2-3", 100, "only one range"],
      [`bytes=${"0-,".repeat(70)}`, 100, "longer than"],
    ] as const;
    for (const [header, size, reason] of refused) {
      const parsed = parseByteRange(header, size);
      expect(parsed.kind, header).toBe("unsatisfiable");
      expect(parsed.kind === "unsatisfiable" && parsed.reason, header).toContain(reason);
    }
  });
});
