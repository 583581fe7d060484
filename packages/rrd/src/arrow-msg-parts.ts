import { concatBytes } from "@iris/types";
import type { ArrowMsgMessage, RrdMessage } from "./rrd-message.ts";

/**
 * An `ArrowMsg` whose IPC bytes are `parts`, not joined: encoders write the parts one after another, and `ipc`
 * joins them (once) only when something reads it. The parts may view memory that the caller reuses later, so
 * such a message must be encoded (or `ownArrowMsg`-ed) before that.
 */
export function arrowMsgFromParts(
  fields: Omit<ArrowMsgMessage, "kind" | "ipc" | "ipcParts">,
  parts: readonly Uint8Array[],
): ArrowMsgMessage {
  let joined: Uint8Array | undefined;
  const message = {
    kind: "arrowMsg" as const,
    storeId: fields.storeId,
    ...(fields.chunkId !== undefined ? { chunkId: fields.chunkId } : {}),
    ...(fields.isStatic !== undefined ? { isStatic: fields.isStatic } : {}),
    ipcParts: parts,
    get ipc(): Uint8Array {
      joined ??= concatBytes(parts);
      return joined;
    },
  };
  return message;
}

/** Total length of an ArrowMsg's IPC bytes, without joining its parts. */
export function ipcByteLength(message: ArrowMsgMessage): number {
  return message.ipcParts ? message.ipcParts.reduce((n, p) => n + p.byteLength, 0) : message.ipc.byteLength;
}

/** The message with its IPC bytes in one array of its own (parts joined into a copy); other messages as they are. */
export function ownArrowMsg(message: RrdMessage): RrdMessage {
  if (message.kind !== "arrowMsg" || message.ipcParts === undefined) return message;
  return {
    kind: "arrowMsg",
    storeId: message.storeId,
    ...(message.chunkId !== undefined ? { chunkId: message.chunkId } : {}),
    ...(message.isStatic !== undefined ? { isStatic: message.isStatic } : {}),
    ipc: concatBytes(message.ipcParts),
  };
}
