import { Lz4Error } from "./lz4-error.ts";

// Standard LZ4 block format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md). A block is a list of
// sequences: token (high nibble = literal length, low nibble = match length − 4; 15 means "more length bytes
// follow, each adding 0–255, ended by a byte < 255"), literals, 2-byte little-endian match offset, optional match
// length bytes. The last sequence has literals only.

const MIN_MATCH = 4;
/** The last 5 bytes of a block are always literals. */
const LAST_LITERALS = 5;
/** The last match must start at least 12 bytes before the end of the block. */
const MF_LIMIT = 12;
const MAX_OFFSET = 65535;
/** After 2^SKIP_TRIGGER failed probes the search step grows by one (reference "fast" compressor). */
const SKIP_TRIGGER = 6;
const HASH_LOG_MIN = 8;
/**
 * 4096 entries (16 KiB), as in the reference LZ4 and lz4_flex: the table stays in L1 cache. A 64K-entry table
 * finds a few more matches on noisy images but compressed them 3–10× slower here.
 */
const HASH_LOG_MAX = 12;
/** Knuth's multiplicative hash constant, as in the reference compressor, as a signed 32-bit integer. */
const HASH_PRIME = -1640531535; // 2654435761 | 0
/** Literal runs and matches longer than this are copied with `set` / `copyWithin` instead of 4-byte words. */
const BULK_COPY_MIN = 128;
/** Any position this far back is treated as "no candidate": `ip - EMPTY_SLOT` always exceeds MAX_OFFSET. */
const EMPTY_SLOT = -MAX_OFFSET - 1;
/** A block byte can expand to at most 255 output bytes (one 0xFF match-length byte). */
const MAX_EXPANSION = 255;

/** Position of the last 4-byte sequence seen for each hash; reused by every call (JS is single-threaded). */
const hashTable = new Int32Array(1 << HASH_LOG_MAX);
/** `compressBlock` compresses into this reused buffer and copies out the exact length; kept up to this size. */
const SCRATCH_MAX_BYTES = 16 << 20;
let scratch = new Uint8Array(0);

/** Upper bound of `compressBlock` output for `n` input bytes (a literal-only block plus slack). */
export function maxCompressedSize(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

function viewOf(a: Uint8Array): DataView {
  return new DataView(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes the 255-run extension of a length whose nibble was 15 (`rest` = length − 15). */
function writeLengthBytes(dst: Uint8Array, op: number, rest: number): number {
  while (rest >= 255) {
    dst[op++] = 255;
    rest -= 255;
  }
  dst[op++] = rest;
  return op;
}

/**
 * Copies `length` bytes from `src[from..]` to `dst[op..]`, 8 then 1 byte at a time, or with `set` when long.
 * Also correct for an overlapping forward copy inside one buffer as long as `op - from >= 4`.
 */
function copyBytes(
  dst: Uint8Array,
  dstView: DataView,
  op: number,
  src: Uint8Array,
  srcView: DataView,
  from: number,
  length: number,
): void {
  if (length > BULK_COPY_MIN && (src !== dst || op - from >= length)) {
    dst.set(src.subarray(from, from + length), op);
    return;
  }
  let i = 0;
  for (; i + 8 <= length; i += 8) {
    dstView.setInt32(op + i, srcView.getInt32(from + i, true), true);
    dstView.setInt32(op + i + 4, srcView.getInt32(from + i + 4, true), true);
  }
  if (i + 4 <= length) {
    dstView.setInt32(op + i, srcView.getInt32(from + i, true), true);
    i += 4;
  }
  for (; i < length; i++) dst[op + i] = src[from + i]!;
}

/**
 * Compresses `src` into `dst` (which must hold `maxCompressedSize(src.length)` bytes) and returns the block
 * length. Greedy single-probe hash matcher with skip acceleration, like the reference LZ4 fast compressor.
 */
export function compressBlockInto(src: Uint8Array, dst: Uint8Array): number {
  const len = src.length;
  const needed = maxCompressedSize(len);
  if (dst.length < needed) {
    throw new Lz4Error(
      "output-overflow",
      `compressBlockInto needs an output of at least ${needed} bytes for ${len} input bytes, got ${dst.length}`,
    );
  }
  const sv = viewOf(src);
  const dv = viewOf(dst);
  let op = 0;
  let anchor = 0;

  if (len > MF_LIMIT) {
    let hashLog = HASH_LOG_MIN;
    while (hashLog < HASH_LOG_MAX && 1 << hashLog < len) hashLog++;
    const shift = 32 - hashLog;
    const table = hashTable;
    table.fill(EMPTY_SLOT, 0, 1 << hashLog);
    const mfLimit = len - MF_LIMIT; // last allowed match start
    const matchLimit = len - LAST_LITERALS; // matches end at or before this

    table[Math.imul(sv.getInt32(0, true), HASH_PRIME) >>> shift] = 0;
    let ip = 1;

    search: for (;;) {
      // Find a 4-byte match, probing faster the longer nothing is found.
      let forward = ip;
      let step = 1;
      let probes = 1 << SKIP_TRIGGER;
      let ref: number;
      let seq: number;
      do {
        ip = forward;
        if (ip > mfLimit) break search;
        forward += step;
        step = probes++ >> SKIP_TRIGGER;
        seq = sv.getInt32(ip, true);
        const h = Math.imul(seq, HASH_PRIME) >>> shift;
        ref = table[h]!;
        table[h] = ip;
      } while (ip - ref > MAX_OFFSET || sv.getInt32(ref, true) !== seq);

      // Extend the match backwards over bytes that would otherwise be literals.
      while (ip > anchor && ref > 0 && src[ip - 1] === src[ref - 1]) {
        ip--;
        ref--;
      }

      // Literals since the last match.
      const litLen = ip - anchor;
      let tokenPos = op++;
      if (litLen >= 15) {
        dst[tokenPos] = 0xf0;
        op = writeLengthBytes(dst, op, litLen - 15);
      } else {
        dst[tokenPos] = litLen << 4;
      }
      copyBytes(dst, dv, op, src, sv, anchor, litLen);
      op += litLen;

      for (;;) {
        const offset = ip - ref;
        dst[op++] = offset & 0xff;
        dst[op++] = offset >>> 8;

        let end = ip + MIN_MATCH;
        let r = ref + MIN_MATCH;
        while (end + 4 <= matchLimit && sv.getInt32(end, true) === sv.getInt32(r, true)) {
          end += 4;
          r += 4;
        }
        while (end < matchLimit && src[end] === src[r]) {
          end++;
          r++;
        }
        const extra = end - ip - MIN_MATCH;
        if (extra >= 15) {
          dst[tokenPos] = dst[tokenPos]! | 15;
          op = writeLengthBytes(dst, op, extra - 15);
        } else {
          dst[tokenPos] = dst[tokenPos]! | extra;
        }
        ip = end;
        anchor = ip;
        if (ip > mfLimit) break search;

        table[Math.imul(sv.getInt32(ip - 2, true), HASH_PRIME) >>> shift] = ip - 2;

        // A match right here continues with a zero-literal sequence.
        seq = sv.getInt32(ip, true);
        const h = Math.imul(seq, HASH_PRIME) >>> shift;
        ref = table[h]!;
        table[h] = ip;
        if (ip - ref > MAX_OFFSET || sv.getInt32(ref, true) !== seq) break;
        tokenPos = op++;
        dst[tokenPos] = 0;
      }
      ip++;
    }
  }

  // Last sequence: everything from the anchor on, as literals.
  const litLen = len - anchor;
  if (litLen >= 15) {
    dst[op++] = 0xf0;
    op = writeLengthBytes(dst, op, litLen - 15);
  } else {
    dst[op++] = litLen << 4;
  }
  copyBytes(dst, dv, op, src, sv, anchor, litLen);
  return op + litLen;
}

/** Compresses `src` into a new raw LZ4 block (always valid: incompressible and empty input included). */
export function compressBlock(src: Uint8Array): Uint8Array {
  const needed = maxCompressedSize(src.length);
  if (needed > SCRATCH_MAX_BYTES) {
    const dst = new Uint8Array(needed);
    return dst.subarray(0, compressBlockInto(src, dst));
  }
  if (scratch.length < needed)
    scratch = new Uint8Array(Math.max(needed, Math.min(2 * scratch.length, SCRATCH_MAX_BYTES)));
  return scratch.slice(0, compressBlockInto(src, scratch));
}

function truncated(what: string, ip: number, srcLength: number): Lz4Error {
  return new Lz4Error(
    "corrupt-block",
    `LZ4 block truncated: expected ${what} at input byte ${ip}, but the block has only ${srcLength} bytes`,
  );
}

function overflow(what: string, length: number, ip: number, op: number, dstLength: number): Lz4Error {
  return new Lz4Error(
    "output-overflow",
    `LZ4 ${what} of ${length} bytes (sequence at input byte ${ip}) would write output bytes ${op}..${op + length}, ` +
      `past the output size of ${dstLength}`,
  );
}

/**
 * Decodes the raw LZ4 block `src` into `dst` and returns the number of bytes written. Every read and write is
 * bounds-checked; malformed input throws `Lz4Error`. Like the reference decoder, short sequences are copied in
 * whole 4-byte words, so bytes of `dst` past the returned length (but below `dst.length`) may be overwritten.
 */
export function decompressBlockInto(src: Uint8Array, dst: Uint8Array): number {
  const srcEnd = src.length;
  const dstEnd = dst.length;
  const sv = viewOf(src);
  const dv = viewOf(dst);
  let ip = 0;
  let op = 0;

  for (;;) {
    if (ip >= srcEnd) {
      throw truncated(ip === 0 ? "a token (the block is empty)" : "a token after a match", ip, srcEnd);
    }
    const seqStart = ip;
    const token = src[ip++]!;

    let litLen = token >>> 4;
    if (litLen < 15 && srcEnd - ip >= 16 && dstEnd - op >= 16) {
      // Fast path: a short run with room to spare; copy 16 bytes, later output overwrites the excess.
      dv.setInt32(op, sv.getInt32(ip, true), true);
      dv.setInt32(op + 4, sv.getInt32(ip + 4, true), true);
      if (litLen > 8) {
        dv.setInt32(op + 8, sv.getInt32(ip + 8, true), true);
        dv.setInt32(op + 12, sv.getInt32(ip + 12, true), true);
      }
      ip += litLen;
      op += litLen;
      litLen = 0;
    } else if (litLen === 15) {
      let b: number;
      do {
        if (ip >= srcEnd) throw truncated("a literal length byte", ip, srcEnd);
        b = src[ip++]!;
        litLen += b;
      } while (b === 255);
    }
    if (litLen > 0) {
      if (litLen > srcEnd - ip) {
        throw new Lz4Error(
          "corrupt-block",
          `LZ4 block truncated: literal run of ${litLen} bytes at input byte ${ip}, ` +
            `but only ${srcEnd - ip} input bytes remain`,
        );
      }
      if (litLen > dstEnd - op) throw overflow("literal run", litLen, seqStart, op, dstEnd);
      copyBytes(dst, dv, op, src, sv, ip, litLen);
      ip += litLen;
      op += litLen;
    }
    if (ip === srcEnd) return op; // the last sequence has literals only

    if (srcEnd - ip < 2) throw truncated("a 2-byte match offset", ip, srcEnd);
    const offset = src[ip]! | (src[ip + 1]! << 8);
    if (offset === 0) {
      throw new Lz4Error("corrupt-block", `LZ4 match offset 0 at input byte ${ip} (output position ${op})`);
    }
    if (offset > op) {
      throw new Lz4Error(
        "corrupt-block",
        `LZ4 match offset ${offset} at input byte ${ip} points before the start of the output ` +
          `(output position ${op})`,
      );
    }
    ip += 2;

    let matchLen = token & 15;
    if (matchLen < 15 && offset >= 4 && dstEnd - op >= 20) {
      // Fast path: a short match (≤ 18 bytes) copied in 4-byte words; each word is read from final output.
      const from = op - offset;
      matchLen += MIN_MATCH;
      for (let i = 0; i < matchLen; i += 4) dv.setInt32(op + i, dv.getInt32(from + i, true), true);
      op += matchLen;
      continue;
    }
    if (matchLen === 15) {
      let b: number;
      do {
        if (ip >= srcEnd) throw truncated("a match length byte", ip, srcEnd);
        b = src[ip++]!;
        matchLen += b;
      } while (b === 255);
    }
    matchLen += MIN_MATCH;
    if (matchLen > dstEnd - op) throw overflow("match", matchLen, seqStart, op, dstEnd);

    const from = op - offset;
    if (offset >= matchLen) {
      if (matchLen > BULK_COPY_MIN) dst.copyWithin(op, from, from + matchLen);
      else copyBytes(dst, dv, op, dst, dv, from, matchLen);
    } else if (offset >= 4 && matchLen <= BULK_COPY_MIN) {
      // Overlapping, but every 4-byte read lies in output that is already final.
      copyBytes(dst, dv, op, dst, dv, from, matchLen);
    } else if (matchLen <= BULK_COPY_MIN) {
      // A forward byte loop handles any overlap (offset < length): it re-reads bytes it just wrote.
      for (let i = 0; i < matchLen; i++) dst[op + i] = dst[from + i]!;
    } else if (offset === 1) {
      dst.fill(dst[from]!, op, op + matchLen);
    } else {
      // Overlap: the output repeats with period `offset`. Copy the already-written part of the repetition,
      // which doubles in length each round and stays a multiple of the period.
      const end = op + matchLen;
      let o = op;
      while (o < end) {
        const n = Math.min(o - from, end - o);
        dst.copyWithin(o, from, from + n);
        o += n;
      }
    }
    op += matchLen;
  }
}

/**
 * Decodes the raw LZ4 block `src`, which must expand to exactly `uncompressedSize` bytes (the size Rerun stores
 * next to the payload). Never allocates more than `uncompressedSize` bytes.
 */
export function decompressBlock(src: Uint8Array, uncompressedSize: number): Uint8Array {
  if (!Number.isSafeInteger(uncompressedSize) || uncompressedSize < 0) {
    throw new Lz4Error(
      "size-mismatch",
      `uncompressed size must be a non-negative integer, got ${String(uncompressedSize)}`,
    );
  }
  if (uncompressedSize > src.length * MAX_EXPANSION) {
    throw new Lz4Error(
      "size-mismatch",
      `declared uncompressed size ${uncompressedSize} is impossible for a ${src.length}-byte LZ4 block ` +
        `(at most ${src.length * MAX_EXPANSION})`,
    );
  }
  const dst = new Uint8Array(uncompressedSize);
  const written = decompressBlockInto(src, dst);
  if (written !== uncompressedSize) {
    throw new Lz4Error(
      "size-mismatch",
      `LZ4 block decoded to ${written} bytes, expected ${uncompressedSize} (input ${src.length} bytes)`,
    );
  }
  return dst;
}
