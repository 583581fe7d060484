// The HTTP/2 fuzzer's mutations of a server transcript: at the frame level (length, type, flags, stream id,
// WINDOW_UPDATE increments, SETTINGS values, HPACK blocks, gRPC prefixes; frames split, merged, duplicated,
// reordered, deleted, inserted) and at the byte level (flips, inserts, deletes, truncation, splices).
import { Flag, FrameType, frameBytes } from "../../tests/live/raw-h2-server.ts";
import type { Rng } from "../rng.ts";
import {
  INTERESTING_LENGTHS,
  INTERESTING_U32,
  STREAM_IDS,
  hostileHpack,
  randomBytes,
  randomFrame,
  u32,
} from "./random-frames.ts";
import { type Transcript, copyTranscript } from "./transcript.ts";

/** A write of the transcript, by segment and index. */
interface At {
  segment: number;
  index: number;
}

type FrameMutator = (t: Transcript, rng: Rng) => boolean;

function allWrites(t: Transcript): At[] {
  const out: At[] = [];
  t.segments.forEach((s, segment) => s.writes.forEach((_, index) => out.push({ segment, index })));
  return out;
}

function pickWrite(
  t: Transcript,
  rng: Rng,
  minLength = 0,
  filter?: (w: Uint8Array) => boolean,
): At | undefined {
  const all = allWrites(t).filter((a) => {
    const w = t.segments[a.segment]!.writes[a.index]!;
    return w.length >= minLength && (filter === undefined || filter(w));
  });
  return all.length === 0 ? undefined : rng.pick(all);
}

const get = (t: Transcript, a: At): Uint8Array => t.segments[a.segment]!.writes[a.index]!;
const set = (t: Transcript, a: At, bytes: Uint8Array): void => {
  t.segments[a.segment]!.writes[a.index] = bytes;
};
const isFrame = (type: number) => (w: Uint8Array) => w.length >= 9 && w[3] === type;
/** Offset of the header block fragment in a HEADERS frame (after pad length and priority), or undefined. */
function headerBlockStart(w: Uint8Array): number | undefined {
  if (w.length < 9) return undefined;
  let at = 9;
  if (w[3] === FrameType.HEADERS) {
    if (w[4]! & Flag.PADDED) at++;
    if (w[4]! & Flag.PRIORITY) at += 5;
  } else if (w[3] !== FrameType.CONTINUATION) return undefined;
  return at <= w.length ? at : undefined;
}

/** Writes `n` into a frame header's 24-bit length field. */
function setFrameLength(w: Uint8Array, n: number): void {
  w[0] = (n >>> 16) & 0xff;
  w[1] = (n >>> 8) & 0xff;
  w[2] = n & 0xff;
}

/** Sets a frame's 24-bit length to `payload.length`. */
function withLength(w: Uint8Array): Uint8Array {
  setFrameLength(w, w.length - 9);
  return w;
}

const frameMutators: readonly [string, FrameMutator][] = [
  [
    "frame-length",
    (t, rng) => {
      const a = pickWrite(t, rng, 9);
      if (a === undefined) return false;
      const w = get(t, a).slice();
      const old = (w[0]! << 16) | (w[1]! << 8) | w[2]!;
      const n = rng.int(2) === 0 ? rng.pick(INTERESTING_LENGTHS) : Math.max(0, old + rng.int(17) - 8);
      setFrameLength(w, n);
      set(t, a, w);
      return true;
    },
  ],
  [
    "frame-type",
    (t, rng) => {
      const a = pickWrite(t, rng, 9);
      if (a === undefined) return false;
      const w = get(t, a).slice();
      w[3] = rng.int(4) === 0 ? rng.int(256) : rng.int(10);
      set(t, a, w);
      return true;
    },
  ],
  [
    "frame-flags",
    (t, rng) => {
      const a = pickWrite(t, rng, 9);
      if (a === undefined) return false;
      const w = get(t, a).slice();
      w[4] = rng.int(3) === 0 ? rng.int(256) : w[4]! ^ rng.pick([0x1, 0x4, 0x8, 0x20]);
      set(t, a, w);
      return true;
    },
  ],
  [
    "stream-id",
    (t, rng) => {
      const a = pickWrite(t, rng, 9);
      if (a === undefined) return false;
      const w = get(t, a).slice();
      new DataView(w.buffer).setUint32(5, rng.pick(STREAM_IDS) >>> 0);
      set(t, a, w);
      return true;
    },
  ],
  [
    "window-increment",
    (t, rng) => {
      const a = pickWrite(t, rng, 13, isFrame(FrameType.WINDOW_UPDATE));
      if (a === undefined)
        return insert(
          t,
          rng,
          frameBytes(FrameType.WINDOW_UPDATE, 0, rng.int(2), u32(rng.pick(INTERESTING_U32))),
        );
      const w = get(t, a).slice();
      new DataView(w.buffer).setUint32(9, rng.pick(INTERESTING_U32) >>> 0);
      set(t, a, w);
      return true;
    },
  ],
  [
    "settings-value",
    (t, rng) => {
      const a = pickWrite(t, rng, 15, (w) => isFrame(FrameType.SETTINGS)(w) && (w[4]! & Flag.ACK) === 0);
      const entry = new Uint8Array(6);
      const view = new DataView(entry.buffer);
      view.setUint16(0, rng.int(4) === 0 ? rng.int(65536) : 1 + rng.int(6));
      view.setUint32(2, rng.pick(INTERESTING_U32) >>> 0);
      if (a === undefined || rng.int(3) === 0) {
        if (a === undefined) return insert(t, rng, frameBytes(FrameType.SETTINGS, 0, 0, entry));
        set(t, a, withLength(new Uint8Array([...get(t, a), ...entry])));
        return true;
      }
      const w = get(t, a).slice();
      const entries = Math.floor((w.length - 9) / 6);
      w.set(entry, 9 + 6 * rng.int(entries));
      set(t, a, w);
      return true;
    },
  ],
  [
    "hpack",
    (t, rng) => {
      const a = pickWrite(t, rng, 9, (w) => headerBlockStart(w) !== undefined);
      if (a === undefined) return false;
      const w = get(t, a);
      const start = headerBlockStart(w)!;
      const at = start + rng.int(w.length - start + 1);
      const piece = hostileHpack(rng);
      const replace = rng.int(2) === 0 ? rng.int(Math.min(4, w.length - at) + 1) : 0;
      set(t, a, withLength(new Uint8Array([...w.subarray(0, at), ...piece, ...w.subarray(at + replace)])));
      return true;
    },
  ],
  [
    "grpc-prefix",
    (t, rng) => {
      const a = pickWrite(t, rng, 14, isFrame(FrameType.DATA));
      if (a === undefined) return false;
      const w = get(t, a).slice();
      const at = 9 + (w[4]! & Flag.PADDED ? 1 : 0);
      if (at + 5 > w.length) return false;
      if (rng.int(3) === 0) w[at] = rng.pick([1, 2, 0x80, 0xff]);
      else new DataView(w.buffer, w.byteOffset).setUint32(at + 1, rng.pick(INTERESTING_U32) >>> 0);
      set(t, a, w);
      return true;
    },
  ],
  [
    "split",
    (t, rng) => {
      const a = pickWrite(t, rng, 2);
      if (a === undefined) return false;
      const w = get(t, a);
      const cut = 1 + rng.int(w.length - 1);
      t.segments[a.segment]!.writes.splice(a.index, 1, w.subarray(0, cut), w.subarray(cut));
      return true;
    },
  ],
  [
    "merge",
    (t, rng) => {
      const a = pickWrite(t, rng);
      const writes = a === undefined ? undefined : t.segments[a.segment]!.writes;
      if (a === undefined || writes === undefined || a.index + 1 >= writes.length) return false;
      writes.splice(a.index, 2, new Uint8Array([...writes[a.index]!, ...writes[a.index + 1]!]));
      return true;
    },
  ],
  [
    "duplicate",
    (t, rng) => {
      const a = pickWrite(t, rng);
      if (a === undefined) return false;
      const copies = rng.int(4) === 0 ? 1 + rng.int(32) : 1;
      const w = get(t, a);
      t.segments[a.segment]!.writes.splice(a.index, 0, ...new Array<Uint8Array>(copies).fill(w));
      return true;
    },
  ],
  [
    "reorder",
    (t, rng) => {
      const all = allWrites(t);
      if (all.length < 2) return false;
      const a = rng.pick(all);
      const b = rng.pick(all);
      const wa = get(t, a);
      set(t, a, get(t, b));
      set(t, b, wa);
      return true;
    },
  ],
  [
    "delete-frame",
    (t, rng) => {
      const a = pickWrite(t, rng);
      if (a === undefined) return false;
      t.segments[a.segment]!.writes.splice(a.index, 1);
      return true;
    },
  ],
  ["insert-frame", (t, rng) => insert(t, rng, randomFrame(rng))],
  [
    "move-segment",
    (t, rng) => {
      const a = pickWrite(t, rng);
      if (a === undefined || t.segments.length < 2) return false;
      const w = get(t, a);
      t.segments[a.segment]!.writes.splice(a.index, 1);
      const to = t.segments[rng.int(t.segments.length)]!.writes;
      to.splice(rng.int(to.length + 1), 0, w);
      return true;
    },
  ],
];

function insert(t: Transcript, rng: Rng, frame: Uint8Array): boolean {
  const segment = t.segments[rng.int(t.segments.length)];
  if (segment === undefined) return false;
  segment.writes.splice(rng.int(segment.writes.length + 1), 0, frame);
  return true;
}

const byteMutators: readonly [string, FrameMutator][] = [
  [
    "bit-flip",
    (t, rng) => {
      const a = pickWrite(t, rng, 1);
      if (a === undefined) return false;
      const w = get(t, a).slice();
      w[rng.int(w.length)]! ^= 1 << rng.int(8);
      set(t, a, w);
      return true;
    },
  ],
  [
    "byte-set",
    (t, rng) => {
      const a = pickWrite(t, rng, 1);
      if (a === undefined) return false;
      const w = get(t, a).slice();
      w[rng.int(w.length)] = rng.pick([0, 1, 0x7f, 0x80, 0xff, rng.int(256)]);
      set(t, a, w);
      return true;
    },
  ],
  [
    "byte-insert",
    (t, rng) => {
      const a = pickWrite(t, rng);
      if (a === undefined) return false;
      const w = get(t, a);
      const at = rng.int(w.length + 1);
      set(
        t,
        a,
        new Uint8Array([...w.subarray(0, at), ...randomBytes(rng, 1 + rng.int(16)), ...w.subarray(at)]),
      );
      return true;
    },
  ],
  [
    "byte-delete",
    (t, rng) => {
      const a = pickWrite(t, rng, 1);
      if (a === undefined) return false;
      const w = get(t, a);
      const at = rng.int(w.length);
      set(t, a, new Uint8Array([...w.subarray(0, at), ...w.subarray(at + 1 + rng.int(16))]));
      return true;
    },
  ],
  [
    "truncate",
    (t, rng) => {
      const a = pickWrite(t, rng, 1);
      if (a === undefined) return false;
      const w = get(t, a);
      set(t, a, w.subarray(0, rng.int(w.length)));
      // and the connection ends right there
      t.segments.splice(a.segment + 1);
      t.segments[a.segment]!.writes.splice(a.index + 1);
      return true;
    },
  ],
  [
    "splice",
    (t, rng) => {
      const a = pickWrite(t, rng);
      const b = pickWrite(t, rng, 1);
      if (a === undefined || b === undefined) return false;
      const from = get(t, b);
      const start = rng.int(from.length);
      const piece = from.subarray(start, start + 1 + rng.int(from.length - start));
      const w = get(t, a);
      const at = rng.int(w.length + 1);
      set(t, a, new Uint8Array([...w.subarray(0, at), ...piece, ...w.subarray(at)]));
      return true;
    },
  ],
];

/** One to six mutations of `seed` (frame-level two times in three). */
export function mutateTranscript(seed: Transcript, rng: Rng): { transcript: Transcript; applied: string[] } {
  const t = copyTranscript(seed);
  const applied: string[] = [];
  const rounds = 1 + rng.int(rng.int(3) === 0 ? 6 : 2);
  for (let tries = 0; applied.length < rounds && tries < 4 * rounds; tries++) {
    const [name, mutator] = rng.int(3) === 0 ? rng.pick(byteMutators) : rng.pick(frameMutators);
    if (mutator(t, rng)) applied.push(name);
  }
  if (rng.int(8) === 0) t.windowBytes = rng.pick([65_535, 16_384, 1 << 20]);
  if (t.target === "read" && rng.int(4) === 0) {
    t.consumer = {
      bufferedMessages: rng.pick([1, 2, 8]),
      reuseMemory: rng.int(2) === 0,
      slow: rng.int(2) === 0,
      ...(rng.int(3) === 0 && { abortAfter: rng.int(4) }),
      ...(rng.int(2) === 0 && { skipInvalid: true }),
    };
  }
  if (t.target === "sink" && rng.int(4) === 0) {
    t.sinkOptions = rng.pick([{ maxQueueBytes: 1 }, { maxQueueBytes: 30_000 }, { ackIntervalMs: 1 }]);
  }
  return { transcript: t, applied };
}
