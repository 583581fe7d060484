import { RrdError } from "./rrd-error.ts";
import { RRD_FOOTER_XXH32_SEED, xxh32 } from "./xxh32.ts";

/** Byte length of the StreamFooter trailer Rerun 0.33 writes and reads (one entry). */
export const STREAM_FOOTER_BYTES = 32;

const FOOT_MAGIC = Uint8Array.of(0x46, 0x4f, 0x4f, 0x54); // "FOOT"
const RRF2_MAGIC = Uint8Array.of(0x52, 0x52, 0x46, 0x32); // "RRF2"

/**
 * The raw 32-byte trailer after the End message: where the `RrdFooter` payload starts (offset from the start of
 * the stream, just after the End MessageHeader), its length, and its XXH32 (seed 7850921), then `RRF2`, `FOOT`
 * and the entry count (always 1).
 */
export interface StreamFooter {
  rrdFooterOffsetBytes: bigint;
  rrdFooterLengthBytes: bigint;
  checksum: number;
}

/** Builds the trailer for an `RrdFooter` payload that starts at `rrdFooterOffsetBytes` in its stream. */
export function streamFooterFor(rrdFooterPayload: Uint8Array, rrdFooterOffsetBytes: number): StreamFooter {
  return {
    rrdFooterOffsetBytes: BigInt(rrdFooterOffsetBytes),
    rrdFooterLengthBytes: BigInt(rrdFooterPayload.length),
    checksum: rrdFooterChecksum(rrdFooterPayload),
  };
}

export function rrdFooterChecksum(rrdFooterPayload: Uint8Array): number {
  return xxh32(rrdFooterPayload, RRD_FOOTER_XXH32_SEED);
}

export function encodeStreamFooter(footer: StreamFooter): Uint8Array {
  const out = new Uint8Array(STREAM_FOOTER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, footer.rrdFooterOffsetBytes, true);
  view.setBigUint64(8, footer.rrdFooterLengthBytes, true);
  view.setUint32(16, footer.checksum >>> 0, true);
  out.set(RRF2_MAGIC, 20);
  out.set(FOOT_MAGIC, 24);
  view.setUint32(28, 1, true);
  return out;
}

/** True if the 32 bytes at `offset` end with the trailer magic (`RRF2`, `FOOT`). */
export function hasStreamFooterMagic(bytes: Uint8Array, offset = 0): boolean {
  for (let i = 0; i < 4; i++) {
    if (bytes[offset + 20 + i] !== RRF2_MAGIC[i] || bytes[offset + 24 + i] !== FOOT_MAGIC[i]) return false;
  }
  return true;
}

/** Parses the 32-byte trailer; throws `RrdError` "corrupt-footer" on wrong magic or entry count. */
export function parseStreamFooter(bytes: Uint8Array, offset = 0): StreamFooter {
  if (bytes.length - offset < STREAM_FOOTER_BYTES) {
    throw new RrdError(
      "truncated",
      `a stream footer needs ${STREAM_FOOTER_BYTES} bytes, got ${Math.max(0, bytes.length - offset)}`,
    );
  }
  if (!hasStreamFooterMagic(bytes, offset)) {
    throw new RrdError("corrupt-footer", `stream footer does not end with "RRF2" "FOOT"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, STREAM_FOOTER_BYTES);
  const entries = view.getUint32(28, true);
  if (entries !== 1) {
    throw new RrdError("corrupt-footer", `stream footer must have exactly 1 entry, got ${entries}`);
  }
  return {
    rrdFooterOffsetBytes: view.getBigUint64(0, true),
    rrdFooterLengthBytes: view.getBigUint64(8, true),
    checksum: view.getUint32(16, true),
  };
}

/**
 * Compares a parsed trailer with the `RrdFooter` payload it should describe. Returns the problems found (empty
 * if it matches). `expectedOffsetsBytes` lists acceptable payload offsets (e.g. stream-relative and absolute).
 */
export function verifyStreamFooter(
  footer: StreamFooter,
  rrdFooterPayload: Uint8Array,
  expectedOffsetsBytes: readonly number[],
): string[] {
  const problems: string[] = [];
  if (footer.rrdFooterLengthBytes !== BigInt(rrdFooterPayload.length)) {
    problems.push(
      `footer length ${footer.rrdFooterLengthBytes} does not match the RrdFooter payload length ${rrdFooterPayload.length}`,
    );
  }
  const checksum = rrdFooterChecksum(rrdFooterPayload);
  if (footer.checksum !== checksum) {
    problems.push(
      `footer checksum 0x${footer.checksum.toString(16).padStart(8, "0")} does not match the RrdFooter payload's ` +
        `0x${checksum.toString(16).padStart(8, "0")}`,
    );
  }
  if (!expectedOffsetsBytes.some((o) => BigInt(o) === footer.rrdFooterOffsetBytes)) {
    problems.push(
      `footer offset ${footer.rrdFooterOffsetBytes} does not point at the RrdFooter payload ` +
        `(expected ${expectedOffsetsBytes.join(" or ")})`,
    );
  }
  return problems;
}
