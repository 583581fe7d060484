import { IrisError } from "@iris/types";

/**
 * Thrown when an LZ4 block cannot be decoded:
 * - `corrupt-block`: the bytes are not a valid block (truncated, offset 0, offset before the output start);
 * - `output-overflow`: a literal run or match would write past the end of the output;
 * - `size-mismatch`: the block decoded to a different size than declared, or the declared size is impossible.
 */
export class Lz4Error extends IrisError<"corrupt-block" | "output-overflow" | "size-mismatch"> {}
