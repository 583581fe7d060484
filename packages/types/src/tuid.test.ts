import { describe, expect, it } from "vitest";
import { IrisError } from "./iris-error.ts";
import { Tuid, TuidGenerator } from "./tuid.ts";

const U64_MAX = 0xffff_ffff_ffff_ffffn;

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

describe("Tuid bytes (rrd-format.md §4.3: 16 big-endian bytes, time then inc)", () => {
  it("writes time_nanos big-endian in bytes 0–7 and inc big-endian in bytes 8–15", () => {
    const tuid = new Tuid(0x0102030405060708n, 0x090a0b0c0d0e0f10n);
    expect(Array.from(tuid.toBytes())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it("writes at an offset without touching the surrounding bytes", () => {
    const out = new Uint8Array(20).fill(0xaa);
    new Tuid(1n, 2n).writeBytes(out, 2);
    expect(hexOf(out)).toBe("aaaa" + "0000000000000001" + "0000000000000002" + "aaaa");
  });

  it("writes into a subarray view at the right place", () => {
    const backing = new Uint8Array(40);
    const view = backing.subarray(8, 40);
    new Tuid(0xffn, 0xeen).writeBytes(view, 16);
    expect(backing[8 + 16 + 7]).toBe(0xff);
    expect(backing[8 + 16 + 15]).toBe(0xee);
    expect(backing.filter((b) => b !== 0).length).toBe(2);
  });

  it("reads back what it wrote, also from an offset inside a larger buffer", () => {
    const a = new Tuid(0x18b0aa9fa7b7b1a6n, 0x1d23c55ca87b18b4n);
    const b = new Tuid(U64_MAX, 0n);
    const buf = new Uint8Array(3 + 32);
    a.writeBytes(buf, 3);
    b.writeBytes(buf, 19);
    expect(Tuid.fromBytes(buf, 3).equals(a)).toBe(true);
    expect(Tuid.fromBytes(buf, 19).equals(b)).toBe(true);
    expect(Tuid.fromBytes(buf.subarray(19)).equals(b)).toBe(true);
  });

  it("refuses fewer than 16 bytes", () => {
    expect(() => Tuid.fromBytes(new Uint8Array(15))).toThrow(/16 bytes, got 15/);
    expect(() => Tuid.fromBytes(new Uint8Array(20), 5)).toThrow(IrisError);
  });

  it("raw bytes sort like (time, inc)", () => {
    const ids = [
      new Tuid(1n, U64_MAX),
      new Tuid(2n, 0n),
      new Tuid(2n, 1n),
      new Tuid(0x100n, 0n),
      new Tuid(U64_MAX, 5n),
    ];
    for (let i = 1; i < ids.length; i++) {
      const prev = ids[i - 1]!.toBytes();
      const next = ids[i]!.toBytes();
      expect(hexOf(prev) < hexOf(next)).toBe(true);
      expect(ids[i - 1]!.compare(ids[i]!)).toBe(-1);
      expect(ids[i]!.compare(ids[i - 1]!)).toBe(1);
    }
    expect(ids[2]!.compare(new Tuid(2n, 1n))).toBe(0);
  });

  it("only accepts u64 parts", () => {
    expect(() => new Tuid(-1n, 0n)).toThrow(IrisError);
    expect(() => new Tuid(0n, U64_MAX + 1n)).toThrow(/inc=18446744073709551616/);
    expect(() => new Tuid(U64_MAX + 1n, 0n)).toThrow(IrisError);
    expect(new Tuid(U64_MAX, U64_MAX).toString()).toBe("FFFFFFFFFFFFFFFF" + "ffffffffffffffff");
  });
});

describe("Tuid string form (16 upper-case + 16 lower-case hex digits)", () => {
  it("formats the spec's example chunk id", () => {
    const tuid = new Tuid(0x18b0aa9fa7b7b1a6n, 0x1d23c55ca87b18b4n);
    expect(tuid.toString()).toBe("18B0AA9FA7B7B1A61d23c55ca87b18b4");
  });

  it("pads both halves to 16 digits", () => {
    expect(new Tuid(0xabn, 0xcdn).toString()).toBe("00000000000000AB00000000000000cd");
    expect(new Tuid(0n, 0n).toString()).toBe("0".repeat(32));
  });

  it("parses with and without the chunk_ / row_ prefix, in any case", () => {
    const expected = new Tuid(0x18b0aa9fa7b7b1a6n, 0x1d23c55ca87b18b4n);
    for (const text of [
      "18B0AA9FA7B7B1A61d23c55ca87b18b4",
      "chunk_18B0AA9FA7B7B1A61d23c55ca87b18b4",
      "row_18B0AA9FA7B7B1A61d23c55ca87b18b4",
      "18b0aa9fa7b7b1a61d23c55ca87b18b4",
      "18B0AA9FA7B7B1A61D23C55CA87B18B4",
    ]) {
      const parsed = Tuid.parse(text);
      expect(parsed.timeNanos).toBe(expected.timeNanos);
      expect(parsed.inc).toBe(expected.inc);
    }
  });

  it("round-trips through its string form", () => {
    const gen = new TuidGenerator({ nowNanos: () => 1_700_000_000_123_456_789n, startInc: 0x7123n });
    for (let i = 0; i < 5; i++) {
      const id = gen.next();
      expect(Tuid.parse(`row_${id.toString()}`).equals(id)).toBe(true);
    }
  });

  it("rejects wrong lengths, non-hex digits and unknown prefixes", () => {
    for (const bad of [
      "",
      "18B0AA9FA7B7B1A61d23c55ca87b18b",
      "18B0AA9FA7B7B1A61d23c55ca87b18b40",
      "18B0AA9FA7B7B1A61d23c55ca87b18bg",
      "store_18B0AA9FA7B7B1A61d23c55ca87b18b4",
      "chunk_chunk_18B0AA9FA7B7B1A61d23c55ca87b18b4",
      " 18B0AA9FA7B7B1A61d23c55ca87b18b4",
    ]) {
      expect(() => Tuid.parse(bad), bad).toThrow(IrisError);
    }
    try {
      Tuid.parse("xyz");
      expect.unreachable();
    } catch (e) {
      expect((e as IrisError).kind).toBe("invalid-tuid");
      expect((e as Error).message).toContain("32 hex digits");
      expect((e as Error).message).toContain('"xyz"');
    }
  });
});

describe("TuidGenerator", () => {
  function clock(values: bigint[]): () => bigint {
    let i = 0;
    return () => values[Math.min(i++, values.length - 1)]!;
  }

  it("uses the clock for the time part and counts the inc part up by one", () => {
    const gen = new TuidGenerator({ nowNanos: clock([100n, 200n, 300n]), startInc: 10n });
    const ids = [gen.next(), gen.next(), gen.next()];
    expect(ids.map((t) => t.timeNanos)).toEqual([100n, 200n, 300n]);
    expect(ids.map((t) => t.inc)).toEqual([11n, 12n, 13n]);
  });

  it("stays strictly increasing when the clock stalls or goes backwards", () => {
    const times = [1000n, 1000n, 999n, 500n, 0n, 1000n, 1001n, 2n, 5000n, 4999n];
    const gen = new TuidGenerator({ nowNanos: clock(times), startInc: 0x7fff_ffff_0000_0000n });
    const ids = times.map(() => gen.next());
    for (let i = 1; i < ids.length; i++) {
      expect(ids[i]!.compare(ids[i - 1]!), `id ${i}`).toBe(1);
      expect(hexOf(ids[i]!.toBytes()) > hexOf(ids[i - 1]!.toBytes())).toBe(true);
    }
    // The time part never goes backwards: it holds the largest time seen so far.
    expect(ids.map((t) => t.timeNanos)).toEqual([
      1000n,
      1000n,
      1000n,
      1000n,
      1000n,
      1000n,
      1001n,
      1001n,
      5000n,
      5000n,
    ]);
  });

  it("starts the counter with the top bit clear when no start is given", () => {
    for (let i = 0; i < 20; i++) {
      const gen = new TuidGenerator({ nowNanos: () => 1n });
      const first = gen.next();
      // inc = random start (< 2^63) + 1
      expect(first.inc).toBeLessThanOrEqual(1n << 63n);
      expect(first.inc).toBeGreaterThan(0n);
    }
  });

  it("uses a wall clock close to Date.now() by default", () => {
    const before = BigInt(Date.now() - 5_000) * 1_000_000n;
    const id = new TuidGenerator().next();
    const after = BigInt(Date.now() + 5_000) * 1_000_000n;
    expect(id.timeNanos).toBeGreaterThan(before);
    expect(id.timeNanos).toBeLessThan(after);
  });
});
