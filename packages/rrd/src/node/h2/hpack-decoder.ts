// HPACK header-block decoder (RFC 7541) for Iris's own HTTP/2 client. One decoder per connection: it holds the
// dynamic table the peer's encoder refers to, so header blocks must be decoded in the order they arrive.

import { ENTRY_OVERHEAD_BYTES, HpackDynamicTable } from "./hpack-dynamic-table.ts";
import { HpackError } from "./hpack-error.ts";
import { STATIC_TABLE } from "./hpack-static-table.ts";
import { huffmanDecode, huffmanDecodedLengthBound } from "./huffman-decode.ts";

export { HpackError, type HpackErrorKind } from "./hpack-error.ts";

export interface HpackDecoderOptions {
  /** Bound on the decoded header list, RFC 7540 size (name + value + 32 per field); default 64 KiB. */
  maxHeaderListBytes?: number;
  /** Our SETTINGS_HEADER_TABLE_SIZE (largest dynamic table the peer may ask for); default 4096. */
  maxTableBytes?: number;
}

/** Integers above this are rejected (RFC 7541 §5.1 leaves the limit to the implementation). */
const MAX_INTEGER = 2 ** 31 - 1;
/** 2^31 needs at most 5 continuation bytes after the prefix; more is rejected even if they are zero. */
const MAX_CONTINUATION_SHIFT = 28;
const STATIC_ENTRIES = STATIC_TABLE.length;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 16) {
    let s = "";
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] ?? 0);
    return s;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
}

export class HpackDecoder {
  private readonly maxHeaderListBytes: number;
  private readonly maxTableBytes: number;
  private readonly table: HpackDynamicTable;
  private huffmanScratch = new Uint8Array(256);
  private failed: HpackError | undefined;
  // The block being decoded and the read position in it.
  private src: Uint8Array = new Uint8Array(0);
  private pos = 0;

  constructor(options: HpackDecoderOptions = {}) {
    this.maxHeaderListBytes = options.maxHeaderListBytes ?? 64 * 1024;
    this.maxTableBytes = options.maxTableBytes ?? 4096;
    // The peer starts from the size we advertise (RFC 7541 §4.2, RFC 7540 §6.5.2).
    this.table = new HpackDynamicTable(this.maxTableBytes);
  }

  /** Decodes one complete header block (HEADERS + CONTINUATION fragments joined, padding removed).
   *  Returns the fields in order as [name, value] (latin1 strings). Throws HpackError on malformed input
   *  (the connection is then dead: COMPRESSION_ERROR); the message says what was wrong, expected vs actual. */
  decode(block: Uint8Array): [string, string][] {
    if (this.failed !== undefined) {
      throw new HpackError(
        "decoder-failed",
        `HPACK decoder cannot decode further blocks after an earlier error: ${this.failed.message}`,
      );
    }
    this.src = block;
    this.pos = 0;
    try {
      return this.decodeFields();
    } catch (error) {
      if (error instanceof HpackError) this.failed = error;
      throw error;
    } finally {
      this.src = new Uint8Array(0);
    }
  }

  /** The dynamic table's size (RFC 7541 §4.1), for diagnostics and tests. */
  get dynamicTableBytes(): number {
    return this.table.size;
  }

  /** The dynamic table's entries, newest first, for diagnostics and tests. */
  dynamicTableEntries(): [string, string][] {
    const entries: [string, string][] = [];
    for (let i = 1; i <= this.table.length; i++) entries.push([this.table.name(i), this.table.value(i)]);
    return entries;
  }

  private decodeFields(): [string, string][] {
    const src = this.src;
    const fields: [string, string][] = [];
    let listBytes = 0;
    while (this.pos < src.length) {
      const at = this.pos;
      const first = src[at] ?? 0;
      let name: string;
      let value: string;
      if (first & 0x80) {
        // §6.1 Indexed Header Field.
        const index = this.readInteger(7);
        name = this.entryName(index, at);
        value = this.entryValue(index);
      } else if ((first & 0xe0) === 0x20) {
        // §6.3 Dynamic Table Size Update.
        const size = this.readInteger(5);
        if (fields.length > 0) {
          throw this.error(
            `dynamic table size update at byte ${at} after ${fields.length} header field(s): expected it only ` +
              `at the start of the header block (RFC 7541 §4.2)`,
          );
        }
        if (size > this.maxTableBytes) {
          throw this.error(
            `dynamic table size update to ${size} bytes at byte ${at}: expected at most our ` +
              `SETTINGS_HEADER_TABLE_SIZE of ${this.maxTableBytes}`,
          );
        }
        this.table.setMaxSize(size);
        continue;
      } else {
        // §6.2 Literal Header Field: with incremental indexing (01), never indexed (0001), without (0000).
        const incremental = (first & 0xc0) === 0x40;
        const index = this.readInteger(incremental ? 6 : 4);
        if (index === 0) {
          name = this.readString(this.maxHeaderListBytes - listBytes - ENTRY_OVERHEAD_BYTES, "name");
        } else {
          name = this.entryName(index, at);
        }
        value = this.readString(
          this.maxHeaderListBytes - listBytes - ENTRY_OVERHEAD_BYTES - name.length,
          "value",
        );
        if (incremental) this.table.add(name, value);
      }
      listBytes += name.length + value.length + ENTRY_OVERHEAD_BYTES;
      if (listBytes > this.maxHeaderListBytes) throw this.tooLarge(listBytes, fields.length + 1);
      fields.push([name, value]);
    }
    return fields;
  }

  /** RFC 7541 §5.1: an integer with an N-bit prefix, starting at the current byte. */
  private readInteger(prefixBits: number): number {
    const src = this.src;
    const start = this.pos;
    const mask = (1 << prefixBits) - 1;
    let value = (src[this.pos++] ?? 0) & mask;
    if (value < mask) return value;
    let shift = 0;
    for (;;) {
      if (this.pos >= src.length) {
        throw this.error(
          `integer at byte ${start} is cut off by the end of the ${src.length}-byte block: expected another ` +
            `continuation byte`,
        );
      }
      const byte = src[this.pos++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      if (value > MAX_INTEGER) {
        throw this.error(
          `integer at byte ${start} exceeds ${MAX_INTEGER}: expected a smaller index or length`,
        );
      }
      if ((byte & 0x80) === 0) return value;
      shift += 7;
      if (shift > MAX_CONTINUATION_SHIFT) {
        throw this.error(
          `integer at byte ${start} has more than ${MAX_CONTINUATION_SHIFT / 7 + 1} continuation bytes: ` +
            `expected at most that many for a value up to ${MAX_INTEGER}`,
        );
      }
    }
  }

  /** RFC 7541 §5.2: a string literal; `budgetBytes` is what the header list still allows for it. */
  private readString(budgetBytes: number, what: "name" | "value"): string {
    const src = this.src;
    const at = this.pos;
    if (at >= src.length) {
      throw this.error(`header ${what} expected at byte ${at}, but the ${src.length}-byte block ends there`);
    }
    const huffman = ((src[at] ?? 0) & 0x80) !== 0;
    const length = this.readInteger(7);
    const start = this.pos;
    const left = src.length - start;
    if (length > left) {
      throw this.error(
        `header ${what} string of ${length} bytes at byte ${at} runs past the end of the block: ` +
          `expected at most ${left} bytes`,
      );
    }
    this.pos = start + length;
    if (!huffman) {
      if (length > budgetBytes) throw this.tooLarge(this.maxHeaderListBytes - budgetBytes + length, -1);
      return latin1(src, start, start + length);
    }
    const bound = huffmanDecodedLengthBound(length);
    if (this.huffmanScratch.length < bound) {
      this.huffmanScratch = new Uint8Array(Math.max(bound, 2 * this.huffmanScratch.length));
    }
    const decoded = huffmanDecode(src, start, start + length, this.huffmanScratch);
    if (decoded > budgetBytes) throw this.tooLarge(this.maxHeaderListBytes - budgetBytes + decoded, -1);
    return latin1(this.huffmanScratch, 0, decoded);
  }

  private entryName(index: number, at: number): string {
    if (index >= 1 && index <= STATIC_ENTRIES) return STATIC_TABLE[index - 1]?.[0] ?? "";
    this.checkDynamicIndex(index, at);
    return this.table.name(index - STATIC_ENTRIES);
  }

  /** Call only after `entryName` accepted `index`. */
  private entryValue(index: number): string {
    if (index <= STATIC_ENTRIES) return STATIC_TABLE[index - 1]?.[1] ?? "";
    return this.table.value(index - STATIC_ENTRIES);
  }

  private checkDynamicIndex(index: number, at: number): void {
    const last = STATIC_ENTRIES + this.table.length;
    if (index === 0 || index > last) {
      throw this.error(
        `header field index ${index} at byte ${at}: expected 1..${last} ` +
          `(${STATIC_ENTRIES} static + ${this.table.length} dynamic entries)`,
      );
    }
  }

  private error(message: string): HpackError {
    return new HpackError("compression", `HPACK: ${message}`);
  }

  /** `fieldNumber` is 1-based; -1 when the field is still being read. */
  private tooLarge(listBytes: number, fieldNumber: number): HpackError {
    const which = fieldNumber > 0 ? `with field ${fieldNumber}` : `with the field being read`;
    return new HpackError(
      "header-list-too-large",
      `HPACK: header list reaches at least ${listBytes} bytes ${which} (name + value + 32 per field): ` +
        `expected at most ${this.maxHeaderListBytes}`,
    );
  }
}
