/** The top-level length-delimited field each message kind cannot do without (Rerun rejects it when missing). */
const REQUIRED_FIELDS: Record<1 | 2 | 3, readonly number[]> = {
  /** SetStoreInfo: row_id, info. */
  1: [1, 2],
  /** ArrowMsg: store_id. */
  2: [1],
  /** BlueprintActivationCommand: blueprint_id. */
  3: [1],
};

/**
 * A cheap, allocation- and exception-free check that `payload` is well-formed protobuf (every tag, varint and
 * length in bounds, ending exactly at the end) holding the required message fields of `kind`. The decoder's
 * resynchronisation runs it on every candidate before the full decode, so scanning megabytes of damaged or hostile
 * framing costs a few operations per candidate instead of a thrown error each.
 */
export function isPlausiblePayload(kind: 1 | 2 | 3, payload: Uint8Array): boolean {
  const required = REQUIRED_FIELDS[kind];
  let found = 0;
  let at = 0;
  const end = payload.length;
  while (at < end) {
    const tag = readVarint(payload, at);
    if (tag === undefined) return false;
    at = tag.next;
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (field === 0) return false;
    switch (wireType) {
      case 0: {
        const value = readVarint(payload, at);
        if (value === undefined) return false;
        at = value.next;
        break;
      }
      case 1:
        at += 8;
        break;
      case 2: {
        const length = readVarint(payload, at);
        if (length === undefined) return false;
        at = length.next + length.value;
        if (required.includes(field)) found |= 1 << required.indexOf(field);
        break;
      }
      case 5:
        at += 4;
        break;
      default:
        return false;
    }
    if (at > end) return false;
  }
  return found === (1 << required.length) - 1;
}

/** A varint of at most 8 bytes (values below 2^53) at `at`; undefined when cut or longer. */
function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) return undefined;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: at + i + 1 };
    scale *= 128;
  }
  return undefined;
}
