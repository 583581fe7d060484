import { chunkFromIpc } from "@iris/chunk";
import type { TimeType } from "@iris/types";
import type { Lz4Codec } from "../lz4/index.ts";
import { MESSAGE_HEADER_BYTES } from "../message-header.ts";
import type { ManifestChunk, ManifestTimeRange } from "../manifest/rrd-manifest.ts";
import { RrdDecoder, type RrdDecoderEvent } from "../rrd-decoder.ts";
import type { RrdWarning } from "../rrd-warning.ts";
import type { LazyRrdIndex, LazyStoreIndex } from "./lazy-rrd-index.ts";
import { storeKey } from "./lazy-rrd-index.ts";

/**
 * Builds the index a footer would give by one sequential pass: every ArrowMsg is decoded to learn its entity,
 * time ranges and components, and only that and its byte offset + size are kept (never the chunk). Damaged
 * messages are left out and reported in `warnings`, as the decoder reports them.
 */
export async function scanRrdIndex(
  pieces: AsyncIterable<Uint8Array>,
  options: { byteLength: number; lz4?: Lz4Codec },
): Promise<LazyRrdIndex> {
  const decoder = new RrdDecoder(options.lz4 ? { lz4: options.lz4 } : {});
  const stores = new Map<string, LazyStoreIndex>();
  const warnings: RrdWarning[] = [];
  const storeFor = (id: LazyStoreIndex["storeId"]): LazyStoreIndex => {
    const key = storeKey(id);
    let store = stores.get(key);
    if (!store) {
      store = { storeId: id, info: undefined, timelines: new Map(), chunks: [] };
      stores.set(key, store);
    }
    return store;
  };
  const handle = (event: RrdDecoderEvent): void => {
    if (event.type === "warning") {
      warnings.push(event.warning);
      return;
    }
    const { message } = event;
    if (message.kind === "setStoreInfo") {
      storeFor(message.storeId).info ??= message;
    } else if (message.kind === "arrowMsg") {
      const store = storeFor(message.storeId);
      store.chunks.push(
        entryOf(message.ipc, event.offset + MESSAGE_HEADER_BYTES, event.payloadBytes, store.timelines),
      );
    }
  };
  for await (const piece of pieces) {
    decoder.push(piece);
    for (let event = decoder.next(); event !== undefined; event = decoder.next()) handle(event);
    if (decoder.stopped) break;
  }
  for (const event of decoder.end()) handle(event);
  return { byteLength: options.byteLength, stores: [...stores.values()], from: "scan", warnings };
}

function entryOf(
  ipc: Uint8Array,
  byteOffset: number,
  byteSize: number,
  timelines: Map<string, TimeType>,
): ManifestChunk {
  const chunk = chunkFromIpc(ipc);
  const timeRanges = new Map<string, ManifestTimeRange>();
  for (const [name, column] of chunk.timelines) {
    timelines.set(name, column.timeline.type);
    if (column.times.length === 0) continue;
    let min = column.times[0]!;
    let max = min;
    for (const t of column.times) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    timeRanges.set(name, { min, max });
  }
  const components = [...chunk.components.entries()]
    .filter(([, column]) => column.list.nullCount < column.list.length)
    .map(([name]) => name);
  return {
    chunkId: chunk.id,
    entityPath: chunk.entityPath,
    isStatic: chunk.isStatic,
    numRows: chunk.numRows,
    byteOffset,
    byteSize,
    byteSizeUncompressed: ipc.byteLength,
    timeRanges,
    components,
  };
}
