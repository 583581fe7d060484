import { IrisError } from "@iris/types";

/**
 * - `compression`: the header block is malformed (bad index, integer overflow, truncated string, bad Huffman
 *   padding, misplaced or oversized table size update). HTTP/2 answers with a COMPRESSION_ERROR.
 * - `header-list-too-large`: the decoded header list exceeds the decoder's `maxHeaderListBytes`. Decoding
 *   stopped part-way, so the dynamic table no longer matches the peer's either.
 * - `decoder-failed`: an earlier block failed; the decoder's dynamic table is out of step with the peer's.
 *
 * After any of them the connection cannot decode further header blocks and must be closed.
 */
export type HpackErrorKind = "compression" | "header-list-too-large" | "decoder-failed";

/** A header block that could not be decoded (RFC 7541); the connection is dead (COMPRESSION_ERROR). */
export class HpackError extends IrisError<HpackErrorKind> {}
