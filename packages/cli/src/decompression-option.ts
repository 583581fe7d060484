import { DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_DECOMPRESSION_RATIO } from "@iris/rrd";
import type { ParsedArgs } from "./args.ts";
import type { OptionSpec } from "./command-spec.ts";
import type { ReadRecordingOptions } from "./read-recording.ts";
import { UsageError } from "./io.ts";

/** `--max-decompressed-bytes`, shared by the commands that read a recording. */
export const MAX_DECOMPRESSED_BYTES_OPTION: OptionSpec = {
  type: "string",
  value: "BYTES",
  description:
    `LZ4 decompression budget: at most max(BYTES, ${DEFAULT_MAX_DECOMPRESSION_RATIO} × file size) bytes are ` +
    `decompressed in all, checked against each message's declared size before it is decompressed ` +
    `(default ${DEFAULT_MAX_DECOMPRESSED_BYTES}, 1 GiB; suffixes K, M, G = KiB, MiB, GiB)`,
};

/** The value of `--max-decompressed-bytes` (a positive integer, optionally with K/M/G), or undefined. */
export function maxDecompressedBytesOf(args: ParsedArgs): number | undefined {
  const text = args.flags.get("max-decompressed-bytes");
  if (text === undefined || text === true) return undefined;
  const match = /^(\d{1,16})([KMG]?)$/i.exec(text);
  const shift = { "": 0, K: 10, M: 20, G: 30 }[(match?.[2] ?? "").toUpperCase()] ?? 0;
  const bytes = match ? Number(match[1]) * 2 ** shift : NaN;
  if (!(Number.isSafeInteger(bytes) && bytes > 0)) {
    throw new UsageError(
      `--max-decompressed-bytes needs a positive whole number of bytes (K, M or G may follow), got ${text}`,
    );
  }
  return bytes;
}

/** The `readRecordingFile` options given on the command line. */
export function readOptionsOf(args: ParsedArgs): ReadRecordingOptions {
  const maxDecompressedBytes = maxDecompressedBytesOf(args);
  return maxDecompressedBytes === undefined ? {} : { maxDecompressedBytes };
}
