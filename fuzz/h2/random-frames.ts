// Pieces the HTTP/2 mutators insert: interesting numbers, random frames of every type, hostile HPACK.
import { Flag, FrameType, frameBytes } from "../../tests/live/raw-h2-server.ts";
import type { Rng } from "../rng.ts";
import { hpackInt } from "./hpack-encode.ts";

export const INTERESTING_U32 = [
  0, 1, 2, 0x7f, 0x3fff, 0x4000, 0x4001, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000,
  0xffffffff,
];
export const INTERESTING_LENGTHS = [
  0,
  1,
  4,
  5,
  8,
  9,
  0x3fff,
  0x4000,
  0x4001,
  1 << 20,
  (1 << 20) + 1,
  0xffffff,
];
export const STREAM_IDS = [0, 1, 2, 3, 5, 0x7fffffff, 0x80000001];

export const u32 = (n: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0);
  return out;
};
export const randomBytes = (rng: Rng, n: number): Uint8Array => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
};

/** A frame to insert: any type, often one that is legal where it lands. */
export function randomFrame(rng: Rng): Uint8Array {
  const stream = rng.int(3) === 0 ? rng.pick(STREAM_IDS) : rng.int(2);
  switch (rng.int(12)) {
    case 0:
      return frameBytes(FrameType.PING, rng.int(2), 0, randomBytes(rng, 8));
    case 1:
      return frameBytes(FrameType.SETTINGS, Flag.ACK, 0);
    case 2: {
      const n = rng.int(4);
      const payload = new Uint8Array(6 * n);
      const view = new DataView(payload.buffer);
      for (let i = 0; i < n; i++) {
        view.setUint16(6 * i, rng.int(9));
        view.setUint32(6 * i + 2, rng.pick(INTERESTING_U32));
      }
      return frameBytes(FrameType.SETTINGS, 0, 0, payload);
    }
    case 3:
      return frameBytes(FrameType.WINDOW_UPDATE, 0, stream, u32(rng.pick(INTERESTING_U32)));
    case 4:
      return frameBytes(FrameType.RST_STREAM, 0, stream, u32(rng.int(16)));
    case 5:
      return frameBytes(
        FrameType.GOAWAY,
        0,
        0,
        new Uint8Array([
          ...u32(rng.pick([0, 1, 3, 0x7fffffff])),
          ...u32(rng.int(14)),
          ...randomBytes(rng, rng.int(16)),
        ]),
      );
    case 6:
      return frameBytes(FrameType.PRIORITY, 0, stream, randomBytes(rng, 5));
    case 7:
      return frameBytes(FrameType.DATA, rng.int(2), stream, randomBytes(rng, rng.int(16)));
    case 8:
      return frameBytes(
        FrameType.CONTINUATION,
        rng.pick([0, Flag.END_HEADERS]),
        stream,
        randomBytes(rng, rng.int(8)),
      );
    case 9:
      return frameBytes(FrameType.PUSH_PROMISE, Flag.END_HEADERS, stream, new Uint8Array([...u32(2), 0x88]));
    case 10:
      return frameBytes(
        FrameType.HEADERS,
        rng.pick([Flag.END_HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 0]),
        stream,
        randomBytes(rng, rng.int(12)),
      );
    default:
      return frameBytes(10 + rng.int(246), rng.int(256), stream, randomBytes(rng, rng.int(12)));
  }
}

/** Hostile HPACK pieces: out-of-range indexes, oversized table updates, endless integers, bad Huffman, huge lengths. */
export function hostileHpack(rng: Rng): number[] {
  switch (rng.int(9)) {
    case 0:
      return hpackInt(rng.pick([0, 62, 63, 70, 1000, 0x7fffffff]), 7, 0x80); // indexed, maybe beyond the tables
    case 1:
      return hpackInt(rng.pick([0, 4097, 65536, 0xffffffff]), 5, 0x20); // table size update
    case 2:
      return [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]; // an integer that never fits
    case 3:
      return [0x00, 0x85, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x61]; // Huffman with EOS inside, then a value
    case 4:
      return [0x00, ...hpackInt(rng.pick([100, 1 << 20, 0x7fffffff]), 7), 0x61]; // a name longer than the block
    case 5:
      return [0x40, 0x01, 0x78, ...hpackInt(4000, 7), ...new Array<number>(4000).fill(0x61)]; // evicts the table
    case 6:
      return [0x00, 0x01, 0x3a, 0x01, 0x78]; // an unknown pseudo-header ":"
    case 7:
      return [0x00, 0x0b, ...new TextEncoder().encode("grpc-status"), 0x02, 0x30, 0x0a]; // status with a control char
    default:
      return [0x82 + rng.int(60)];
  }
}
