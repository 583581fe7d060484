import type { Chunk } from "@iris/chunk";
import type { ArrowMsgMessage } from "../rrd-message.ts";

const chunks = new WeakMap<ArrowMsgMessage, Chunk>();

/**
 * Remembers the chunk an ArrowMsg encodes (the SDK has it when it sends one), so that the encoder's footer manifest
 * reads it instead of decoding the IPC bytes again (which would also join the parts of `arrowMsgFromParts`). The
 * message itself is unchanged: the chunk is not part of it, compared with it or sent anywhere.
 */
export function withChunk<M extends ArrowMsgMessage>(message: M, chunk: Chunk): M {
  chunks.set(message, chunk);
  return message;
}

/** The chunk remembered with `withChunk`, if any. */
export function chunkOfMessage(message: ArrowMsgMessage): Chunk | undefined {
  return chunks.get(message);
}
