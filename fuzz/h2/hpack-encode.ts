// A small HPACK encoder (RFC 7541) for the HTTP/2 fuzzer's seed transcripts: every representation a server may use
// (indexed fields, literals with and without indexing, dynamic table size updates, Huffman-coded strings), so that
// the seeds reach every path of the client's decoder before the mutations start.
import { HUFFMAN_CODE_TABLE } from "../../packages/rrd/src/node/h2/huffman-code.ts";
import { hpackInteger as hpackInt } from "../../tests/live/raw-h2-server.ts";

export { hpackInt };

/** `bytes` Huffman-coded (§5.2), padded with the most significant bits of EOS (ones). */
export function huffmanEncode(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let acc = 0n;
  let bits = 0n;
  for (const b of bytes) {
    const code = BigInt(HUFFMAN_CODE_TABLE[2 * b]!);
    const length = BigInt(HUFFMAN_CODE_TABLE[2 * b + 1]!);
    acc = (acc << length) | code;
    bits += length;
    while (bits >= 8n) {
      bits -= 8n;
      out.push(Number((acc >> bits) & 0xffn));
    }
    acc &= (1n << bits) - 1n;
  }
  if (bits > 0n) out.push(Number(((acc << (8n - bits)) | ((1n << (8n - bits)) - 1n)) & 0xffn));
  return out;
}

/** A string literal (§5.2), Huffman-coded or not. */
export function hpackString(text: string, huffman: boolean): number[] {
  const bytes = new TextEncoder().encode(text);
  if (!huffman) return [...hpackInt(bytes.length, 7), ...bytes];
  const coded = huffmanEncode(bytes);
  return [...hpackInt(coded.length, 7, 0x80), ...coded];
}

export type HpackOp =
  /** Indexed header field (§6.1): a static (1–61) or dynamic (62…) table index. */
  | { op: "indexed"; index: number }
  /** Literal field (§6.2): `name` a string or a table index; incremental indexing, without, or never indexed. */
  | {
      op: "literal";
      name: string | number;
      value: string;
      indexing: "incremental" | "without" | "never";
      huffman?: boolean;
    }
  /** Dynamic table size update (§6.3). */
  | { op: "size"; size: number };

/** A header block from `ops`. */
export function hpackEncode(ops: readonly HpackOp[]): Uint8Array {
  const out: number[] = [];
  for (const o of ops) {
    if (o.op === "indexed") out.push(...hpackInt(o.index, 7, 0x80));
    else if (o.op === "size") out.push(...hpackInt(o.size, 5, 0x20));
    else {
      const [prefix, high] =
        o.indexing === "incremental" ? [6, 0x40] : o.indexing === "never" ? [4, 0x10] : [4, 0];
      const huffman = o.huffman ?? false;
      if (typeof o.name === "number") out.push(...hpackInt(o.name, prefix, high));
      else out.push(high, ...hpackString(o.name, huffman));
      out.push(...hpackString(o.value, huffman));
    }
  }
  return Uint8Array.from(out);
}
