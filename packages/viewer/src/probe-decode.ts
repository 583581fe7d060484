import type { ChunkStore, DecodedImage } from "@iris/store";
import { BlobType, TIME_MAX, TIME_MIN, utf8Component } from "@iris/types";

const MediaTypeType = utf8Component("rerun.components.MediaType");

/** Whether the probe of `entityPath` needs its EncodedImage frames decoded first (no raw image buffer). */
export function needsDecoding(store: ChunkStore, entityPath: string): boolean {
  const path = entityPath.startsWith("/") ? entityPath : `/${entityPath}`;
  const components = store.componentsOf(path).map((c) => c.descriptor.component);
  return components.includes("EncodedImage:blob") && !components.some((c) => c.endsWith(":buffer"));
}

/**
 * Decodes every EncodedImage blob of `entityPath` on `timeline` (and its static one) with the browser's image
 * decoder — the one the view displays them with (`createImageBitmap`, no premultiplication, no colour-space
 * conversion) — and returns the synchronous lookup `probeImageSeries` takes as `decodeEncoded`. A blob the
 * browser cannot decode looks up as undefined (an "undecodable" sample).
 */
export async function decodeEncodedFrames(
  store: ChunkStore,
  entityPath: string,
  timeline: string,
): Promise<(blob: Uint8Array) => DecodedImage | undefined> {
  const path = entityPath.startsWith("/") ? entityPath : `/${entityPath}`;
  const rows = store.rangeTemporal({
    entityPath: path,
    timeline,
    start: TIME_MIN,
    end: TIME_MAX,
    component: "EncodedImage:blob",
  });
  const staticRow = store.latestStatic(path, "EncodedImage:blob");
  const decoded = new Map<ArrayBufferLike, Map<string, DecodedImage | undefined>>();
  const key = (blob: Uint8Array): string => `${blob.byteOffset}:${blob.byteLength}`;
  for (const row of staticRow ? [...rows, staticRow] : rows) {
    const blob = row.chunk.componentValues("EncodedImage:blob", row.row, BlobType)?.[0];
    if (!blob) continue;
    let perBuffer = decoded.get(blob.buffer);
    if (!perBuffer) decoded.set(blob.buffer, (perBuffer = new Map()));
    if (perBuffer.has(key(blob))) continue;
    const media = store.latestAt({
      entityPath: path,
      timeline,
      time: row.time ?? TIME_MAX,
      component: "EncodedImage:media_type",
    });
    const mediaType = media?.chunk.componentValues("EncodedImage:media_type", media.row, MediaTypeType)?.[0];
    perBuffer.set(key(blob), await decodeToRgba(blob, mediaType));
  }
  return (blob) => decoded.get(blob.buffer)?.get(key(blob));
}

async function decodeToRgba(
  bytes: Uint8Array,
  mediaType: string | undefined,
): Promise<DecodedImage | undefined> {
  try {
    const blob = new Blob([bytes as BlobPart], mediaType ? { type: mediaType } : {});
    const bitmap = await createImageBitmap(blob, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext("2d");
    if (!ctx) return undefined;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    bitmap.close();
    return { width: data.width, height: data.height, rgba: new Uint8Array(data.data.buffer) };
  } catch {
    return undefined;
  }
}
