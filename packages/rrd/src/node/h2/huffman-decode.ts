// Decoder for HPACK's Huffman-coded string literals (RFC 7541 §5.2, code in Appendix B).
//
// The code tree has 257 leaves and so 256 internal nodes; a decoder state is "which internal node we are at"
// (0 = the root). At module load we build one transition per (state, input byte): the state after the byte's
// 8 bits, and the 0, 1 or 2 symbols completed on the way (the shortest code is 5 bits long). Decoding is then
// one table load per input byte.

import { HpackError } from "./hpack-error.ts";
import { HUFFMAN_CODE_TABLE, HUFFMAN_EOS, HUFFMAN_SYMBOL_COUNT } from "./huffman-code.ts";

const INTERNAL_NODES = HUFFMAN_SYMBOL_COUNT - 1;

// Transition entry layout (one Uint32 per state and byte).
const NEXT_STATE_MASK = 0xff;
const COUNT_SHIFT = 8;
const FIRST_SHIFT = 10;
const SECOND_SHIFT = 18;
const EOS_FLAG = 1 << 26;

interface HuffmanTree {
  /** `children[2 * node + bit]`: > 0 an internal node, < 0 the leaf `-(symbol + 1)`; 0 only while building. */
  readonly children: Int16Array;
  /** Bits from the root to each internal node. */
  readonly depth: Uint8Array;
  /** Whether the path from the root to each internal node is all 1 bits (a prefix of EOS). */
  readonly allOnes: Uint8Array;
}

function buildTree(): HuffmanTree {
  const children = new Int16Array(2 * INTERNAL_NODES);
  const depth = new Uint8Array(INTERNAL_NODES);
  const allOnes = new Uint8Array(INTERNAL_NODES);
  allOnes[0] = 1;
  let nodes = 1;
  for (let symbol = 0; symbol < HUFFMAN_SYMBOL_COUNT; symbol++) {
    const code = HUFFMAN_CODE_TABLE[2 * symbol] ?? 0;
    const lengthBits = HUFFMAN_CODE_TABLE[2 * symbol + 1] ?? 0;
    let node = 0;
    for (let i = lengthBits - 1; i >= 0; i--) {
      const bit = (code >>> i) & 1;
      const slot = 2 * node + bit;
      if (i === 0) {
        if (children[slot] !== 0)
          throw new Error(`HPACK Huffman table: code of symbol ${symbol} is not free`);
        children[slot] = -(symbol + 1);
      } else {
        let child = children[slot] ?? 0;
        if (child < 0) throw new Error(`HPACK Huffman table: code of symbol ${symbol} extends another code`);
        if (child === 0) {
          if (nodes === INTERNAL_NODES) throw new Error("HPACK Huffman table: more than 256 internal nodes");
          child = nodes++;
          children[slot] = child;
          depth[child] = (depth[node] ?? 0) + 1;
          allOnes[child] = bit & (allOnes[node] ?? 0);
        }
        node = child;
      }
    }
  }
  if (children.includes(0)) throw new Error("HPACK Huffman table: the code is not complete");
  return { children, depth, allOnes };
}

function buildTransitions(children: Int16Array): Uint32Array {
  const transitions = new Uint32Array(INTERNAL_NODES * 256);
  for (let state = 0; state < INTERNAL_NODES; state++) {
    for (let byte = 0; byte < 256; byte++) {
      let node = state;
      let count = 0;
      let entry = 0;
      for (let i = 7; i >= 0; i--) {
        const child = children[2 * node + ((byte >>> i) & 1)] ?? 0;
        if (child > 0) {
          node = child;
          continue;
        }
        const symbol = -child - 1;
        if (symbol === HUFFMAN_EOS) entry |= EOS_FLAG;
        else entry |= symbol << (count++ === 0 ? FIRST_SHIFT : SECOND_SHIFT);
        node = 0;
      }
      transitions[state * 256 + byte] = (entry | (count << COUNT_SHIFT) | node) >>> 0;
    }
  }
  return transitions;
}

const TREE = buildTree();
const TRANSITIONS = buildTransitions(TREE.children);

/** Upper bound on the decoded length of `encodedBytes` bytes of Huffman code (every code is ≥ 5 bits). */
export function huffmanDecodedLengthBound(encodedBytes: number): number {
  return Math.floor((encodedBytes * 8) / 5);
}

/**
 * Decodes the Huffman-coded bytes `src[start..end)` into `out` (which must hold
 * `huffmanDecodedLengthBound(end - start)` bytes) and returns the decoded length. Throws HpackError
 * (`compression`) if the string contains EOS, or ends in padding longer than 7 bits or not all 1s.
 */
export function huffmanDecode(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let state = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const entry = TRANSITIONS[(state << 8) | (src[i] ?? 0)] ?? 0;
    if ((entry & EOS_FLAG) !== 0) {
      throw new HpackError(
        "compression",
        `Huffman string contains the EOS symbol (in byte ${i - start} of ${end - start}): ` +
          `expected only byte symbols (RFC 7541 §5.2)`,
      );
    }
    const count = (entry >>> COUNT_SHIFT) & 3;
    if (count !== 0) {
      out[n++] = (entry >>> FIRST_SHIFT) & 0xff;
      if (count === 2) out[n++] = (entry >>> SECOND_SHIFT) & 0xff;
    }
    state = entry & NEXT_STATE_MASK;
  }
  const paddingBits = TREE.depth[state] ?? 0;
  if (TREE.allOnes[state] !== 1) {
    throw new HpackError(
      "compression",
      `Huffman string of ${end - start} bytes ends in ${paddingBits} bits that are not all 1s: ` +
        `expected a complete code followed by padding from the EOS code (RFC 7541 §5.2)`,
    );
  }
  if (paddingBits > 7) {
    throw new HpackError(
      "compression",
      `Huffman string of ${end - start} bytes ends in ${paddingBits} bits of padding: expected at most 7 ` +
        `(RFC 7541 §5.2)`,
    );
  }
  return n;
}
