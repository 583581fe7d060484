// The intact-message oracle: after a single localized mutation of a seed, every ArrowMsg of the seed that lies
// wholly outside the damaged bytes must still be decoded (the decoder resynchronises after damage).
import { RrdDecoder } from "@iris/rrd";
import { messageHeaderOffsets } from "./mutators.ts";
import { fingerprint } from "./target.ts";

interface SeedMessage {
  /** Offset of the message's MessageHeader in the seed. */
  offset: number;
  /** Offset just past the message. */
  end: number;
  key: string;
}

const seedMessages = new WeakMap<Uint8Array, SeedMessage[]>();

/** The seed's ArrowMsgs with their byte ranges (computed once per seed). */
function arrowMessagesOf(seed: Uint8Array): SeedMessage[] {
  let out = seedMessages.get(seed);
  if (out !== undefined) return out;
  const decoder = new RrdDecoder();
  decoder.push(seed);
  const events = decoder.end();
  const headers = messageHeaderOffsets(seed);
  out = [];
  for (const event of events) {
    if (event.type !== "message" || event.message.kind !== "arrowMsg") continue;
    // The message ends where the next MessageHeader (of any kind, End included) begins.
    const end = headers[headers.indexOf(event.offset) + 1] ?? seed.length;
    out.push({ offset: event.offset, end, key: fingerprint(event.message.ipc) });
  }
  seedMessages.set(seed, out);
  return out;
}

/**
 * `decoded` counts the fingerprints of the ArrowMsgs decoded from `seed` with bytes [start, end) of the seed
 * damaged (replaced, inserted before `start` when start = end, or deleted). Every seed ArrowMsg lying wholly
 * outside [start, end) must be among them. Returns a description of the first one lost, or undefined.
 */
export function lostIntactMessage(
  seed: Uint8Array,
  decoded: ReadonlyMap<string, number>,
  start: number,
  end: number,
): string | undefined {
  if (start < 12) return undefined; // a damaged stream header makes the whole input unreadable, by design
  const seen = new Map(decoded);
  for (const message of arrowMessagesOf(seed)) {
    const intact = message.end <= start || message.offset >= end;
    if (!intact) continue;
    const n = seen.get(message.key) ?? 0;
    if (n === 0)
      return `the intact ArrowMsg at seed offset ${message.offset} (damage at ${start}..${end}) was not recovered`;
    seen.set(message.key, n - 1);
  }
  return undefined;
}
