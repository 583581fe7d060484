import type { TimeType } from "@iris/types";
import type { Lz4Codec } from "../lz4/index.ts";
import { MESSAGE_HEADER_BYTES, MessageKind, parseMessageHeader } from "../message-header.ts";
import { decodeMessagePayload } from "../message-payload.ts";
import type { SetStoreInfoMessage, StoreId } from "../rrd-message.ts";
import type { RrdWarning } from "../rrd-warning.ts";
import { STREAM_HEADER_BYTES } from "../stream-header.ts";
import { type RrdIndex, rrdIndexSteps } from "../manifest/read-rrd-footer.ts";
import type { ManifestChunk } from "../manifest/rrd-manifest.ts";
import type { AsyncRandomAccessSource } from "./async-random-access-source.ts";
import { scanRrdIndex } from "./scan-rrd-index.ts";

/** Everything a lazy reader knows about one store (recording or blueprint) before reading any chunk. */
export interface LazyStoreIndex {
  storeId: StoreId;
  /** The store's SetStoreInfo message, if the input has one. */
  info: SetStoreInfoMessage | undefined;
  /** The timelines the store's chunks are indexed on, and their kinds. */
  timelines: Map<string, TimeType>;
  /** Every chunk of the store, in input order: entity, time range per timeline, components, byte offset + size. */
  chunks: ManifestChunk[];
}

/** The chunk index of a whole `.rrd` input, from its footers or from one sequential pass. */
export interface LazyRrdIndex {
  byteLength: number;
  /** Stores in order of first appearance. */
  stores: LazyStoreIndex[];
  /** "footer": read from the RrdFooter manifests (only the footer and the first messages were read); "scan": built by one pass over the input. */
  from: "footer" | "scan";
  /** Problems the sequential pass met (damaged or truncated messages are left out of the index). */
  warnings: RrdWarning[];
}

export interface OpenLazyRrdIndexOptions {
  lz4?: Lz4Codec;
  /**
   * The input from its first byte, in pieces, for the pass that builds the index when there is no complete footer.
   * Default: `source` read in pieces of `scanPieceBytes`.
   */
  scan?: () => AsyncIterable<Uint8Array>;
  /** Piece size of the default scan; default 8 MiB. */
  scanPieceBytes?: number;
}

/**
 * The chunk index of an `.rrd`: from its RrdFooter manifests when the footers cover the whole input (reads the
 * StreamFooter, the RrdFooter and each stream's first messages only), otherwise from one sequential pass over the
 * input that decodes each chunk to index it and keeps none. Throws `RrdError` for a damaged footer and what the
 * decoder throws for an input that is not an `.rrd`.
 */
export async function openLazyRrdIndex(
  source: AsyncRandomAccessSource,
  options: OpenLazyRrdIndexOptions = {},
): Promise<LazyRrdIndex> {
  const footers = await readRrdIndexAsync(source, options.lz4 ? { lz4: options.lz4 } : {});
  if (!footers.complete) {
    const pieces = options.scan?.() ?? sourcePieces(source, options.scanPieceBytes ?? 8 << 20);
    return scanRrdIndex(pieces, {
      byteLength: source.byteLength,
      ...(options.lz4 ? { lz4: options.lz4 } : {}),
    });
  }
  const stores = new Map<string, LazyStoreIndex>();
  for (const stream of footers.streams) {
    const infos = await readStoreInfos(source, stream.streamStartOffset, stream.streamEndOffset);
    for (const manifest of stream.manifests) {
      const key = storeKey(manifest.storeId);
      let store = stores.get(key);
      if (!store) {
        const info = infos.find((i) => storeKey(i.storeId) === key);
        store = { storeId: manifest.storeId, info, timelines: new Map(), chunks: [] };
        stores.set(key, store);
      }
      for (const [name, type] of manifest.timelines) store.timelines.set(name, type);
      store.chunks.push(...manifest.chunks);
    }
  }
  return { byteLength: source.byteLength, stores: [...stores.values()], from: "footer", warnings: [] };
}

/** `readRrdIndex` over an asynchronous source. */
export async function readRrdIndexAsync(
  source: AsyncRandomAccessSource,
  options: { lz4?: Lz4Codec; maxFooterBytes?: number } = {},
): Promise<RrdIndex> {
  const steps = rrdIndexSteps(source.byteLength, options);
  for (let step = steps.next(); ;) {
    if (step.done === true) return step.value;
    step = steps.next(await source.read(step.value.offset, step.value.length));
  }
}

/**
 * A store's identity as a map key: kind, application id and recording id as a JSON array, so that two stores never
 * share a key whatever their ids hold ("/", NUL). Not for display.
 */
export function storeKey(id: Pick<StoreId, "kind" | "applicationId" | "recordingId">): string {
  return JSON.stringify([id.kind, id.applicationId, id.recordingId]);
}

/** The SetStoreInfo messages at the start of a stream (before its first other message; at most 16). */
async function readStoreInfos(
  source: AsyncRandomAccessSource,
  streamStart: number,
  streamEnd: number,
): Promise<SetStoreInfoMessage[]> {
  const infos: SetStoreInfoMessage[] = [];
  let at = streamStart + STREAM_HEADER_BYTES;
  for (let i = 0; i < 16 && at + MESSAGE_HEADER_BYTES <= streamEnd; i++) {
    const header = parseMessageHeader(await source.read(at, MESSAGE_HEADER_BYTES));
    if (header.kind !== BigInt(MessageKind.SetStoreInfo) || header.lengthBytes > 1n << 20n) break;
    const length = Number(header.lengthBytes);
    if (at + MESSAGE_HEADER_BYTES + length > streamEnd) break;
    const message = decodeMessagePayload(
      MessageKind.SetStoreInfo,
      await source.read(at + MESSAGE_HEADER_BYTES, length),
    );
    if (message.kind === "setStoreInfo") infos.push(message);
    at += MESSAGE_HEADER_BYTES + length;
  }
  return infos;
}

async function* sourcePieces(
  source: AsyncRandomAccessSource,
  pieceBytes: number,
): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < source.byteLength; at += pieceBytes) {
    yield await source.read(at, Math.min(pieceBytes, source.byteLength - at));
  }
}
