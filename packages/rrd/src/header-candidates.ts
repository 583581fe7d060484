import { MESSAGE_HEADER_BYTES } from "./message-header.ts";

/** What may start at a position where the decoder looks for the next message after damage. */
export type HeaderCandidate =
  { type: "message"; kind: 0 | 1 | 2 | 3; lengthBytes: number } | { type: "stream-header" };

/**
 * The first index `i` of `window` (with `i + 16 <= window.length`) whose bytes could be a MessageHeader — kind
 * 0…3 as a u64 LE (bytes 1–7 zero), a length of at most `maxMessageBytes` (an End needs a non-empty RrdFooter, so
 * runs of zeros are no candidates) — or the `RRF2` magic of a StreamHeader; -1 if there is none. A cheap filter:
 * the decoder verifies every candidate by decoding it.
 */
export function findHeaderCandidate(window: Uint8Array, maxMessageBytes: number): number {
  const last = window.length - MESSAGE_HEADER_BYTES;
  for (let i = 0; i <= last; i++) {
    const kind = window[i]!;
    if (kind === 0x52) {
      if (window[i + 1] === 0x52 && window[i + 2] === 0x46 && window[i + 3] === 0x32) return i;
      continue;
    }
    if (kind > 3) continue;
    if ((window[i + 1]! | window[i + 2]! | window[i + 3]! | window[i + 4]!) !== 0) continue;
    if ((window[i + 5]! | window[i + 6]! | window[i + 7]!) !== 0) continue;
    const length = readLength(window, i);
    if (length === undefined || length > maxMessageBytes) continue;
    if (kind === 0 && length === 0) continue;
    return i;
  }
  return -1;
}

/** Parses the candidate at `window[i]` (which `findHeaderCandidate` returned). */
export function parseHeaderCandidate(window: Uint8Array, i: number): HeaderCandidate {
  if (window[i] === 0x52) return { type: "stream-header" };
  return { type: "message", kind: window[i] as 0 | 1 | 2 | 3, lengthBytes: readLength(window, i) ?? 0 };
}

/** The u64 LE length at `window[i + 8]`, or undefined when it is 2^32 or more. */
function readLength(window: Uint8Array, i: number): number | undefined {
  if ((window[i + 12]! | window[i + 13]! | window[i + 14]! | window[i + 15]!) !== 0) return undefined;
  return (window[i + 8]! | (window[i + 9]! << 8) | (window[i + 10]! << 16)) + window[i + 11]! * 2 ** 24;
}
