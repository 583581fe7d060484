import { RrdDecoder, type RrdDecoderOptions } from "./rrd-decoder.ts";
import type { RrdMessage } from "./rrd-message.ts";
import type { RrdWarning } from "./rrd-warning.ts";

/**
 * Decodes a complete in-memory `.rrd` (possibly several concatenated streams). Throws `RrdError` only if the first
 * stream header is invalid; everything else is reported in `warnings`. Messages may hold views of `bytes`.
 */
export function decodeRrd(
  bytes: Uint8Array,
  options: RrdDecoderOptions = {},
): { messages: RrdMessage[]; warnings: RrdWarning[] } {
  const decoder = new RrdDecoder(options);
  decoder.push(bytes);
  const messages: RrdMessage[] = [];
  const warnings: RrdWarning[] = [];
  for (const event of decoder.end()) {
    if (event.type === "message") messages.push(event.message);
    else warnings.push(event.warning);
  }
  return { messages, warnings };
}
