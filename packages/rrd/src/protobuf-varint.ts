/** Bytes of a non-negative safe integer written as a protobuf varint. */
export function varintBytes(value: number): number {
  let n = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) n++;
  return n;
}

/** A non-negative safe integer as a protobuf varint at `at` of `out`; returns the position after it. */
export function writeVarint(out: Uint8Array, at: number, value: number): number {
  let rest = value;
  while (rest >= 0x80) {
    out[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[at++] = rest;
  return at;
}
