// The fuzzer's mutations: byte-level ones (bit flips, byte insert/delete, splices between seeds, tweaks of the
// 16-byte MessageHeader length/kind fields and of protobuf varints, truncation), rare costly ones (a repeated
// stretch for larger inputs; an Arrow column retyped in place for new Arrow types) and single localized ones whose
// damaged range is known (for the intact-message oracle).
import {
  MESSAGE_HEADER_BYTES,
  MessageKind,
  decodeMessagePayload,
  encodeMessageHeader,
  encodeMessagePayload,
} from "@iris/rrd";
import { concatBytes as concat } from "@iris/types";
import { retypeIpc } from "./retype-arrow-column.ts";
import type { Rng } from "./rng.ts";
import type { Seed } from "./seeds.ts";

/** Mutated inputs are cut to this size, so that inserts and splices cannot grow them without bound. */
export const MAX_INPUT_BYTES = 1 << 20;
/** The "repeat" mutation (rare) may make inputs this large. */
export const MAX_LARGE_INPUT_BYTES = 16 << 20;

/** Offsets of the 16-byte MessageHeaders of a well-formed stream (stops at the first implausible one). */
export function messageHeaderOffsets(bytes: Uint8Array): number[] {
  const out: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  while (offset + 16 <= bytes.length && out.length < 4096) {
    const kind = view.getBigUint64(offset, true);
    const length = view.getBigUint64(offset + 8, true);
    if (kind > 3n || length > BigInt(bytes.length)) break;
    out.push(offset);
    offset += 16 + Number(length);
  }
  return out;
}

/** Offsets of bytes that look like the start of a multi-byte protobuf varint (a byte with the high bit set). */
function varintStart(bytes: Uint8Array, rng: Rng): number | undefined {
  for (let tries = 0; tries < 64; tries++) {
    const at = rng.int(bytes.length);
    if (bytes[at]! & 0x80 && (at === 0 || !(bytes[at - 1]! & 0x80))) return at;
  }
  return undefined;
}

export const INTERESTING_U64: readonly bigint[] = [
  0n,
  1n,
  15n,
  16n,
  0x7fn,
  0xffn,
  0xffffn,
  0x7fffffffn,
  0xffffffffn,
  1n << 31n,
  1n << 32n,
  1n << 53n,
  (1n << 53n) + 1n,
  1n << 63n,
  (1n << 64n) - 1n,
];

export type Mutator = (input: Uint8Array, rng: Rng, seeds: readonly Seed[]) => Uint8Array;

const mutators: readonly [string, Mutator][] = [
  [
    "bit-flip",
    (input, rng) => {
      const out = input.slice();
      if (out.length > 0) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    },
  ],
  [
    "byte-set",
    (input, rng) => {
      const out = input.slice();
      if (out.length > 0) out[rng.int(out.length)] = rng.pick([0x00, 0x01, 0x7f, 0x80, 0xff, rng.int(256)]);
      return out;
    },
  ],
  [
    "byte-insert",
    (input, rng) => {
      const at = rng.int(input.length + 1);
      const count = 1 + rng.int(rng.int(2) === 0 ? 4 : 64);
      const extra = new Uint8Array(count);
      for (let i = 0; i < count; i++) extra[i] = rng.int(256);
      return concat([input.subarray(0, at), extra, input.subarray(at)]);
    },
  ],
  [
    "byte-delete",
    (input, rng) => {
      const at = rng.int(input.length + 1);
      const count = 1 + rng.int(rng.int(2) === 0 ? 4 : 256);
      return concat([input.subarray(0, at), input.subarray(Math.min(input.length, at + count))]);
    },
  ],
  ["truncate", (input, rng) => input.slice(0, rng.int(input.length + 1))],
  [
    "splice",
    (input, rng, seeds) => {
      const other = rng.pick(seeds).bytes;
      const a = rng.int(input.length + 1);
      const b = rng.int(other.length + 1);
      const c = b + rng.int(other.length - b + 1);
      return concat([input.subarray(0, a), other.subarray(b, c), input.subarray(a + rng.int(64))]);
    },
  ],
  [
    "header-length",
    (input, rng) => {
      const headers = messageHeaderOffsets(input);
      if (headers.length === 0) return input;
      const out = input.slice();
      const view = new DataView(out.buffer);
      const at = rng.pick(headers);
      const old = view.getBigUint64(at + 8, true);
      const value =
        rng.int(2) === 0 ? rng.pick(INTERESTING_U64) : BigInt.asUintN(64, old + BigInt(rng.int(33) - 16));
      view.setBigUint64(at + 8, value, true);
      return out;
    },
  ],
  [
    "header-kind",
    (input, rng) => {
      const headers = messageHeaderOffsets(input);
      if (headers.length === 0) return input;
      const out = input.slice();
      new DataView(out.buffer).setBigUint64(
        rng.pick(headers),
        rng.pick([0n, 1n, 2n, 3n, 4n, 0x32465252n, (1n << 64n) - 1n]),
        true,
      );
      return out;
    },
  ],
  [
    "varint",
    (input, rng) => {
      const at = varintStart(input, rng);
      if (at === undefined) return input;
      const out = input.slice();
      switch (rng.int(4)) {
        case 0: // make the varint longer than 10 bytes / never-ending
          for (let i = at; i < Math.min(out.length, at + 12); i++) out[i] = 0xff;
          break;
        case 1: // grow the value
          out[at] = out[at]! | 0x7f;
          if (at + 1 < out.length) out[at + 1] = (out[at + 1]! + 1 + rng.int(8)) & 0xff;
          break;
        case 2: // shrink the value
          out[at] = 0x80;
          break;
        default:
          out[at] = out[at]! ^ (1 << rng.int(7));
      }
      return out;
    },
  ],
  [
    "stream-header",
    (input, rng) => {
      const out = input.slice();
      if (out.length >= 12) out[rng.int(12)] = rng.int(256);
      return out;
    },
  ],
];

/**
 * Structure-aware, in place: picks one ArrowMsg of the (well-formed) input, replaces one of its columns with a
 * column of a different Arrow type (nested lists of nulls, fixed-size lists, empty structs, dictionaries, unions
 * of widths, huge declared lengths) built by `retypeIpc`, and splices the re-encoded message (uncompressed) where
 * the old one was; the rest of the stream is untouched (its footer no longer matches: also worth testing).
 */
function retypeArrowColumn(input: Uint8Array, rng: Rng): Uint8Array {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const arrows = messageHeaderOffsets(input).filter(
    (at) => view.getBigUint64(at, true) === BigInt(MessageKind.ArrowMsg),
  );
  if (arrows.length === 0) return input;
  const at = rng.pick(arrows);
  const length = Number(view.getBigUint64(at + 8, true));
  const end = at + MESSAGE_HEADER_BYTES + length;
  try {
    const message = decodeMessagePayload(
      MessageKind.ArrowMsg,
      input.subarray(at + MESSAGE_HEADER_BYTES, end),
    );
    if (message.kind !== "arrowMsg") return input;
    const ipc = retypeIpc(message.ipc, rng);
    const { kind, payload } = encodeMessagePayload({ ...message, ipc }, { compression: "none" });
    return concat([
      input.subarray(0, at),
      encodeMessageHeader(kind, payload.length),
      payload,
      input.subarray(end),
    ]);
  } catch {
    return input;
  }
}

export type RareMutation = "repeat" | "arrow-type";

/** Mutations applied only to some inputs (see fuzz-loop.ts): they cost more per input. */
const rareMutators: Record<RareMutation, Mutator> = {
  repeat: (input, rng) => {
    // Larger inputs: a stretch of the input (often whole messages) repeated up to 64 times.
    const a = rng.int(input.length + 1);
    const b = a + rng.int(Math.min(input.length - a, 1 << 19) + 1);
    const copies = 1 + rng.int(64);
    const parts = [input.subarray(0, b)];
    for (let i = 0; i < copies; i++) parts.push(input.subarray(a, b));
    parts.push(input.subarray(b));
    return concat(parts);
  },
  "arrow-type": (input, rng) => retypeArrowColumn(input, rng),
};

/**
 * One to eight byte-level mutations of `seed` (cut to MAX_INPUT_BYTES), or the `rare` one (cut to
 * MAX_LARGE_INPUT_BYTES) followed half of the time by one byte-level mutation. `seeds` are splice partners.
 */
export function mutate(
  seed: Uint8Array,
  rng: Rng,
  seeds: readonly Seed[],
  rare?: RareMutation,
): { bytes: Uint8Array; applied: string[] } {
  if (rare !== undefined) {
    let bytes = rareMutators[rare](seed, rng, seeds);
    const applied: string[] = [rare];
    if (rng.int(2) === 0) {
      const [name, mutator] = rng.pick(mutators);
      bytes = mutator(bytes, rng, seeds);
      applied.push(name);
    }
    return { bytes: bytes.subarray(0, MAX_LARGE_INPUT_BYTES), applied };
  }
  let bytes = seed;
  const applied: string[] = [];
  const rounds = 1 + rng.int(rng.int(3) === 0 ? 8 : 3);
  for (let i = 0; i < rounds; i++) {
    const [name, mutator] = rng.pick(mutators);
    bytes = mutator(bytes, rng, seeds);
    if (bytes.length > MAX_INPUT_BYTES) bytes = bytes.subarray(0, MAX_INPUT_BYTES);
    applied.push(name);
  }
  return { bytes, applied };
}

/** Single mutations whose damaged range is known, for the intact-message oracle. */
export function localizedMutation(
  seed: Uint8Array,
  rng: Rng,
): { bytes: Uint8Array; start: number; end: number } {
  const at = 12 + rng.int(Math.max(1, seed.length - 12));
  switch (rng.int(4)) {
    case 0: {
      const out = seed.slice();
      out[at] = out[at]! ^ (1 + rng.int(255));
      return { bytes: out, start: at, end: at + 1 };
    }
    case 1: {
      const count = 1 + rng.int(64);
      const extra = new Uint8Array(count);
      for (let i = 0; i < count; i++) extra[i] = rng.int(256);
      return { bytes: concat([seed.subarray(0, at), extra, seed.subarray(at)]), start: at, end: at };
    }
    case 2: {
      const count = 1 + rng.int(256);
      return {
        bytes: concat([seed.subarray(0, at), seed.subarray(Math.min(seed.length, at + count))]),
        start: at,
        end: Math.min(seed.length, at + count),
      };
    }
    default: {
      const headers = messageHeaderOffsets(seed);
      if (headers.length === 0) return { bytes: seed, start: 0, end: 0 };
      const header = rng.pick(headers);
      const out = seed.slice();
      const view = new DataView(out.buffer);
      const field = rng.int(2) * 8;
      view.setBigUint64(header + field, rng.pick(INTERESTING_U64), true);
      return { bytes: out, start: header, end: header + 16 };
    }
  }
}
