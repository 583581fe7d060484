import type { Chunk } from "@iris/chunk";
import type { ChunkStore, StoreEvent } from "@iris/store";
import { BlobType, ImageFormatType } from "@iris/types";

/** Which image archetypes an entity has logged (Rerun's `ImageTypes` bit set). */
export type ImageKind = "image" | "encoded" | "depth" | "segmentation";

/** The largest image an entity ever logged, and which image archetypes it logged (Rerun's `MaxDimensions`). */
export interface MaxImageDimensions {
  width: number;
  height: number;
  readonly kinds: Set<ImageKind>;
}

const FORMAT_COMPONENTS: ReadonlyMap<string, ImageKind> = new Map([
  ["Image:format", "image"],
  ["DepthImage:format", "depth"],
  ["SegmentationImage:format", "segmentation"],
]);

/**
 * Keeps, per entity, the maximum image size over all time and the image kinds logged (Rerun's
 * `MaxImageDimensionsStoreSubscriber`): fed by the store's addition events, so the view heuristics never depend on
 * the current time. EncodedImage sizes come from the PNG or JPEG header; other encodings have no known size.
 */
export class ImageDimensionsTracker {
  readonly dimensions = new Map<string, MaxImageDimensions>();

  constructor(store: ChunkStore) {
    store.subscribe((events) => this.onEvents(events));
  }

  private onEvents(events: readonly StoreEvent[]): void {
    for (const e of events) if (e.kind === "addition") this.addChunk(e.chunk, e.components);
  }

  private addChunk(chunk: Chunk, components: readonly string[]): void {
    for (const component of components) {
      const kind = FORMAT_COMPONENTS.get(component);
      if (kind) {
        for (let row = 0; row < chunk.numRows; row++) {
          const format = chunk.componentValues(component, row, ImageFormatType)?.[0];
          if (format) this.update(chunk.entityPath, kind, format.width, format.height);
        }
      } else if (component === "EncodedImage:blob") {
        for (let row = 0; row < chunk.numRows; row++) {
          const blob = chunk.componentValues(component, row, BlobType)?.[0];
          const size = blob && encodedImageSize(blob);
          if (size) this.update(chunk.entityPath, "encoded", size.width, size.height);
        }
      }
    }
  }

  private update(entityPath: string, kind: ImageKind, width: number, height: number): void {
    const d = this.dimensions.get(entityPath);
    if (!d) {
      this.dimensions.set(entityPath, { width, height, kinds: new Set([kind]) });
      return;
    }
    d.width = Math.max(d.width, width);
    d.height = Math.max(d.height, height);
    d.kinds.add(kind);
  }
}

/** Width and height from a PNG or JPEG header, or undefined for other (or damaged) data. */
export function encodedImageSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // PNG: signature, then the IHDR chunk whose first fields are width and height (big-endian u32).
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return { width: view.getUint32(16), height: view.getUint32(20) };
  // JPEG: walk the marker segments to the first start-of-frame (SOF0…SOF15 except DHT/JPG/DAC).
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = view.getUint16(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
    at += 2 + length;
  }
  return undefined;
}
