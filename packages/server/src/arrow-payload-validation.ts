import { chunkFromIpc } from "@iris/chunk";
import { type logMsgPb, lz4 } from "@iris/rrd";
import { ProxyError } from "./proxy-error.ts";

const COMPRESSION_LZ4 = 2;
/** An LZ4 block expands at most 255× (plus a final literal run). */
const LZ4_MAX_RATIO = 255;

/**
 * The full check of an ArrowMsg's payload before the proxy acknowledges, stores or forwards it: the declared LZ4
 * `uncompressed_size` must be at most `maxUncompressedBytes` and at most what LZ4 can expand the block to, the block
 * must decompress to exactly that size, and the result must be an Arrow IPC stream that reads as a valid Sorbet
 * chunk (`chunkFromIpc`, with its bounds and value-count caps). A message that fails is refused with
 * `ProxyError` "invalid-message" instead of being replayed to every viewer (Rerun's viewer drops the whole stream
 * on one undecodable message). Costs one decompression and one Arrow metadata read per message; the bytes
 * forwarded are still the producer's own.
 */
export function validateArrowPayload(
  arrowMsg: logMsgPb.ArrowMsg,
  maxUncompressedBytes: number,
  scratch?: DecompressScratch,
): void {
  let ipc = arrowMsg.payload;
  if (arrowMsg.compression === COMPRESSION_LZ4) {
    const size = arrowMsg.uncompressedSize;
    const block = arrowMsg.payload.byteLength;
    if (size > BigInt(maxUncompressedBytes)) {
      throw invalid(`ArrowMsg.uncompressed_size ${size} exceeds the limit of ${maxUncompressedBytes} bytes`);
    }
    if (size > BigInt(block) * BigInt(LZ4_MAX_RATIO) + BigInt(LZ4_MAX_RATIO)) {
      throw invalid(
        `ArrowMsg.uncompressed_size ${size} is more than a ${block}-byte LZ4 block can expand to (${LZ4_MAX_RATIO}×)`,
      );
    }
    const out = scratch?.take(Number(size)) ?? new Uint8Array(Number(size));
    let written: number;
    try {
      written = lz4.decompressBlockInto(arrowMsg.payload, out);
    } catch (cause) {
      throw invalid(`ArrowMsg LZ4 payload does not decompress to ${size} bytes: ${messageOf(cause)}`, cause);
    }
    // A block that decodes to fewer bytes would leave the rest of `out` as it was (an earlier message's bytes).
    if (written !== out.length) {
      throw invalid(
        `ArrowMsg LZ4 payload does not decompress to ${size} bytes (uncompressed_size): it decodes to ${written}`,
      );
    }
    ipc = out;
  }
  try {
    chunkFromIpc(ipc);
  } catch (cause) {
    throw invalid(`ArrowMsg payload is not a valid chunk: ${messageOf(cause)}`, cause);
  }
}

/**
 * Memory that validation decompresses payloads into, reused from message to message: validation is synchronous
 * and keeps nothing of what it reads, and a fresh multi-MB buffer per message costs page faults and collector
 * work on the proxy's hot path. Payloads over `maxReusedBytes` get fresh memory (not kept afterwards).
 */
export class DecompressScratch {
  private bytes = new Uint8Array(0);

  constructor(private readonly maxReusedBytes = 64 * 1024 * 1024) {}

  /** `size` bytes of the reused memory (their contents are whatever was there), valid until the next `take`. */
  take(size: number): Uint8Array {
    if (size > this.maxReusedBytes) return new Uint8Array(size);
    if (this.bytes.length < size) this.bytes = new Uint8Array(size);
    return this.bytes.subarray(0, size);
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function invalid(message: string, cause?: unknown): ProxyError {
  return new ProxyError("invalid-message", message, cause === undefined ? undefined : { cause });
}
