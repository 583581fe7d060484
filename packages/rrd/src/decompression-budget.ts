import { RrdError } from "./rrd-error.ts";

/**
 * The decoder's LZ4 decompression budget: at most max(`maxBytes`, `ratio` × the input so far) bytes in total.
 * Each message is charged its declared uncompressed size before it is decompressed, so a bomb (small messages
 * claiming gigabytes) is refused before anything is allocated for the message that would cross the budget.
 */
export class DecompressionBudget {
  private used = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly ratio: number,
  ) {}

  /** Charges `bytes` with `inputBytes` read so far; throws RrdError "decompression-limit" past the budget. */
  charge(bytes: number, inputBytes: number): void {
    const limit = Math.max(this.maxBytes, this.ratio * inputBytes);
    if (this.used + bytes > limit) {
      throw new RrdError(
        "decompression-limit",
        `decompressing ${bytes} more bytes would make ${this.used + bytes} bytes from ${inputBytes} input bytes, ` +
          `over the limit of ${limit} (max(maxDecompressedBytes ${this.maxBytes}, ` +
          `${this.ratio} × input)); raise maxDecompressedBytes to read this file`,
      );
    }
    this.used += bytes;
  }
}
