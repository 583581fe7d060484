// The encoding side of HPACK (RFC 7541) that a client needs for a few request headers: every field a literal
// without indexing, strings without Huffman coding. It leaves the peer's dynamic table alone, so there is no
// encoder state to keep.

/** An HPACK integer with an `prefixBits`-bit prefix whose high bits are `pattern`, appended to `out`. */
function pushInteger(out: number[], value: number, prefixBits: number, pattern: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(pattern | value);
    return;
  }
  out.push(pattern | max);
  let rest = value - max;
  while (rest >= 128) {
    out.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
}

function pushString(out: number[], text: string): void {
  const bytes = new TextEncoder().encode(text);
  pushInteger(out, bytes.length, 7, 0);
  for (const b of bytes) out.push(b);
}

/** Static-table indices of the names a gRPC request uses (RFC 7541 Appendix A). */
const STATIC_NAME_INDEX: Readonly<Record<string, number>> = {
  ":authority": 1,
  ":method": 2,
  ":path": 4,
  ":scheme": 6,
  "content-type": 31,
  "user-agent": 58,
};

/** A header block of `fields` as literals without indexing (names from the static table where it has them). */
export function encodeLiteralHeaderBlock(fields: readonly (readonly [string, string])[]): Uint8Array {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const index = STATIC_NAME_INDEX[name];
    if (index === undefined) {
      out.push(0x00);
      pushString(out, name);
    } else {
      pushInteger(out, index, 4, 0x00);
    }
    pushString(out, value);
  }
  return Uint8Array.from(out);
}
