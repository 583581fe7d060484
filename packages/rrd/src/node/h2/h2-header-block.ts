import { concatBytes } from "@iris/types";
import { H2Error } from "./h2-error.ts";
import { Flag } from "./h2-frame.ts";
import { HpackDecoder } from "./hpack-decoder.ts";

/** Largest header block (HEADERS + CONTINUATION) accepted, compressed. */
const MAX_HEADER_BLOCK_BYTES = 64 * 1024;
/** Most frames one header block may come in: empty CONTINUATION frames cost no bytes, so bytes alone do not bound it. */
const MAX_HEADER_FRAGMENTS = 64;
/** Largest decoded header list (our SETTINGS_MAX_HEADER_LIST_SIZE). */
export const MAX_HEADER_LIST_BYTES = 64 * 1024;

/** A decoded header block, and whether its HEADERS frame ended the stream. */
export interface HeaderBlock {
  fields: [string, string][];
  endStream: boolean;
}

/**
 * Gathers a header block from a HEADERS frame (padding and priority removed) and its CONTINUATION frames, within
 * limits on bytes and frames, and decodes it with the connection's HPACK decoder. Every block must be decoded,
 * whatever stream it is for, to keep the decoder's table in step with the peer's.
 */
export class HeaderBlockAssembler {
  private readonly hpack: HpackDecoder;
  private block: { fragments: Uint8Array[]; bytes: number; endStream: boolean } | undefined;

  /**
   * `peer`: who sends the blocks, named in errors; `maxHeaderListBytes`: the largest decoded list accepted (our
   * SETTINGS_MAX_HEADER_LIST_SIZE).
   */
  constructor(
    private readonly peer: "server" | "client" = "server",
    maxHeaderListBytes = MAX_HEADER_LIST_BYTES,
  ) {
    this.hpack = new HpackDecoder({ maxHeaderListBytes, maxTableBytes: 4096 });
  }

  /** True between a HEADERS frame without END_HEADERS and the CONTINUATION frame that ends its block. */
  get pending(): boolean {
    return this.block !== undefined;
  }

  /** A HEADERS frame's payload: the block, if the frame completes it. */
  headers(flags: number, payload: Uint8Array): HeaderBlock | undefined {
    let start = 0;
    let end = payload.length;
    if (flags & Flag.PADDED) {
      start = 1;
      end -= payload[0] ?? 0;
    }
    if (flags & Flag.PRIORITY) start += 5;
    if (start > end) {
      throw new H2Error(
        "protocol",
        `a HEADERS frame of ${payload.length} bytes is shorter than its padding and priority`,
      );
    }
    this.block = { fragments: [], bytes: 0, endStream: (flags & Flag.END_STREAM) !== 0 };
    return this.add(flags, payload.subarray(start, end));
  }

  /** A CONTINUATION frame's payload: the block, if the frame completes it. */
  continuation(flags: number, payload: Uint8Array): HeaderBlock | undefined {
    if (this.block === undefined)
      throw new H2Error("protocol", "CONTINUATION without a HEADERS frame before it");
    return this.add(flags, payload);
  }

  private add(flags: number, fragment: Uint8Array): HeaderBlock | undefined {
    const block = this.block!;
    block.bytes += fragment.length;
    if (block.fragments.length >= MAX_HEADER_FRAGMENTS) {
      throw new H2Error(
        "calm",
        `a header block in more than ${MAX_HEADER_FRAGMENTS} frames (HEADERS + CONTINUATION, limit ${MAX_HEADER_FRAGMENTS})`,
      );
    }
    if (block.bytes > MAX_HEADER_BLOCK_BYTES) {
      throw new H2Error(
        "calm",
        `a header block of more than ${MAX_HEADER_BLOCK_BYTES} bytes (${block.bytes} so far, limit ${MAX_HEADER_BLOCK_BYTES})`,
      );
    }
    // The payload is a view of the read buffer: a fragment that waits for CONTINUATION is copied.
    block.fragments.push(flags & Flag.END_HEADERS ? fragment : fragment.slice());
    if (!(flags & Flag.END_HEADERS)) return undefined;
    this.block = undefined;
    const whole = block.fragments.length === 1 ? block.fragments[0]! : concatBytes(block.fragments);
    try {
      return { fields: this.hpack.decode(whole), endStream: block.endStream };
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new H2Error("compression", `the ${this.peer}'s header block cannot be decoded: ${detail}`, {
        cause,
      });
    }
  }
}
