import { Tuid } from "@iris/types";

/** Compares two 16-byte big-endian TUIDs (RowIds) in place; negative, zero or positive like `Array.sort`. */
export function compareRowIds(a: Uint8Array, aRow: number, b: Uint8Array, bRow: number): number {
  const aStart = aRow * 16;
  const bStart = bRow * 16;
  for (let i = 0; i < 16; i++) {
    const d = a[aStart + i]! - b[bStart + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** Lower-case hex of one 16-byte TUID; these strings sort like the TUIDs themselves. */
export function rowIdKey(bytes: Uint8Array, row: number): string {
  let out = "";
  for (let i = row * 16; i < row * 16 + 16; i++) out += HEX[bytes[i]!];
  return out;
}

/** The sortable key of a ChunkId (same form as `rowIdKey`). */
export function tuidKey(id: Tuid): string {
  return rowIdKey(id.toBytes(), 0);
}

export function rowIdAt(bytes: Uint8Array, row: number): Tuid {
  return Tuid.fromBytes(bytes, row * 16);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
