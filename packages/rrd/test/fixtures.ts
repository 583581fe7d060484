import { Tuid } from "@iris/types";
import type { Lz4Codec } from "../src/lz4/index.ts";
import { MessageKind, encodeMessageHeader } from "../src/message-header.ts";
import { encodeStreamFooter, streamFooterFor } from "../src/stream-footer.ts";
import type { RrdMessage, StoreId } from "../src/rrd-message.ts";
import { concatBytes } from "@iris/types";

/** Bytes from a hex string; whitespace and `|` separators are ignored. */
export function hex(text: string): Uint8Array {
  const digits = text.replace(/[\s|]/g, "");
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

export const recording: StoreId = { kind: "recording", recordingId: "rec", applicationId: "app" };
export const blueprint: StoreId = { kind: "blueprint", recordingId: "bp", applicationId: "app" };

/** The SetStoreInfo of spec §2.3 (53 payload bytes). */
export const workedExample: RrdMessage = {
  kind: "setStoreInfo",
  rowId: new Tuid(1700000000000000000n, 1n),
  storeId: recording,
  storeSource: { kind: 6, extra: new TextEncoder().encode("ts") },
  storeVersionBits: 8448,
};

/** Compressible stand-in for Arrow IPC bytes (the rrd layer does not look inside). */
export function fakeIpc(length: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => ((i >> 3) * seed) & 0xff);
}

/** One message of every kind, with every optional field exercised. */
export function sampleMessages(): RrdMessage[] {
  return [
    {
      kind: "setStoreInfo",
      rowId: new Tuid(1700000000000000000n, 1n),
      storeId: recording,
      storeSource: { kind: 6, extra: new TextEncoder().encode("iris 0.1") },
      storeVersionBits: 8448,
    },
    { kind: "setStoreInfo", rowId: new Tuid(0n, 0n), storeId: blueprint },
    {
      kind: "arrowMsg",
      storeId: recording,
      chunkId: new Tuid(1700000000000000001n, 2n),
      isStatic: false,
      ipc: fakeIpc(600),
    },
    { kind: "arrowMsg", storeId: recording, isStatic: true, ipc: Uint8Array.of(1, 2, 3) },
    { kind: "arrowMsg", storeId: blueprint, isStatic: false, ipc: new Uint8Array(0) },
    { kind: "blueprintActivation", blueprintId: blueprint, makeActive: true, makeDefault: false },
  ];
}

/** A codec whose blocks never shrink (forces the COMPRESSION_NONE fallback) and that cannot decompress. */
export const uselessCodec: Lz4Codec = {
  compressBlock: (src) => new Uint8Array(src.length + 1),
  decompressBlock: () => {
    throw new Error("stub codec cannot decompress");
  },
};

/** RrdFooter { manifests: [RrdManifest { store_id: rec/app }] }, hand-encoded (18 bytes). */
export const handBuiltRrdFooter = hex("0a 10 | 0a 0e | 08 01 12 03 72 65 63 1a 05 0a 03 61 70 70");

/** Appends End (kind 0) + `rrdFooter` + a StreamFooter with the correct offset and xxh32 to a stream. */
export function withFooter(stream: Uint8Array, rrdFooter: Uint8Array = handBuiltRrdFooter): Uint8Array {
  const payloadOffset = stream.length + 16;
  return concat(
    stream,
    encodeMessageHeader(MessageKind.End, rrdFooter.length),
    rrdFooter,
    encodeStreamFooter(streamFooterFor(rrdFooter, payloadOffset)),
  );
}
