/** `ArrowMsg.payload`: field 5, wire type 2 (length-delimited). */
const PAYLOAD_TAG = (5 << 3) | 2;

/**
 * Where the bytes of `ArrowMsg.payload` (the Arrow IPC stream or LZ4 block) start in a serialized `ArrowMsg`,
 * found by walking the protobuf fields in `prefix` (its first bytes); -1 if the payload does not start within
 * `prefix` or the bytes are not a well-formed field sequence. Used to place a copied message so that the IPC
 * stream is 8-byte aligned, as Arrow needs to view its buffers without copying them.
 */
export function arrowMsgPayloadOffset(prefix: Uint8Array): number {
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (at >= prefix.length) return -1;
      const b = prefix[at++]!;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
    return -1;
  };
  while (at < prefix.length) {
    const tag = varint();
    if (tag < 0) return -1;
    if (tag === PAYLOAD_TAG) return varint() < 0 ? -1 : at;
    let skip: number;
    switch (tag & 7) {
      case 0:
        skip = varint() < 0 ? -1 : 0;
        break;
      case 1:
        skip = 8;
        break;
      case 2:
        skip = varint();
        break;
      case 5:
        skip = 4;
        break;
      default:
        return -1;
    }
    if (skip < 0) return -1;
    at += skip;
  }
  return -1;
}
