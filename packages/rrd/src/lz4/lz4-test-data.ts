// Deterministic inputs shared by the LZ4 tests (not part of the package API; only imported by *.test.ts).

/** xorshift32: a small deterministic byte source, so the tests never depend on Math.random. */
export function randomBytes(length: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

/** A camera-like RGB8 image: smooth per-channel gradients plus 3-bit sensor noise shared by R, G and B. */
export function cameraLikeRgb(width: number, height: number, seed: number): Uint8Array {
  const noise = randomBytes(width * height, seed);
  const out = new Uint8Array(width * height * 3);
  let i = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const n = noise[y * width + x]! & 7;
      for (let c = 0; c < 3; c++) out[i++] = (((x * (c + 1)) >> 3) + (y >> 2) + n) & 0xff;
    }
  }
  return out;
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export interface BlockSequence {
  /** Output position where the sequence's literals start. */
  readonly outputStart: number;
  readonly literalLength: number;
  /** 0 for the last sequence (literals only). */
  readonly matchLength: number;
  readonly offset: number;
}

/** Splits a valid block into its sequences (no bounds checks: test helper for blocks we produced ourselves). */
export function parseSequences(block: Uint8Array): BlockSequence[] {
  const sequences: BlockSequence[] = [];
  let ip = 0;
  let op = 0;
  for (;;) {
    const token = block[ip++]!;
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let b: number;
      do {
        b = block[ip++]!;
        literalLength += b;
      } while (b === 255);
    }
    ip += literalLength;
    if (ip >= block.length) {
      sequences.push({ outputStart: op, literalLength, matchLength: 0, offset: 0 });
      return sequences;
    }
    const offset = block[ip]! | (block[ip + 1]! << 8);
    ip += 2;
    let matchLength = token & 15;
    if (matchLength === 15) {
      let b: number;
      do {
        b = block[ip++]!;
        matchLength += b;
      } while (b === 255);
    }
    matchLength += 4;
    sequences.push({ outputStart: op, literalLength, matchLength, offset });
    op += literalLength + matchLength;
  }
}

/** Index of the first differing byte, or -1 when equal (also -1 only if the lengths match). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Inputs on which two LZ4 codecs are cross-checked (edge sizes, runs, noise, camera-like pixels, a view). */
export function codecCrossCheckInputs(): [string, Uint8Array][] {
  return [
    ["empty", new Uint8Array(0)],
    ["one byte", Uint8Array.of(42)],
    ["12 bytes", Uint8Array.from({ length: 12 }, (_, i) => i % 3)],
    ["zeros", new Uint8Array(200_000)],
    ["random", randomBytes(100_003, 7)],
    ["camera-like RGB8", cameraLikeRgb(320, 240, 3)],
    ["a view into a larger buffer", randomBytes(70_000, 9).subarray(13, 60_013)],
  ];
}
