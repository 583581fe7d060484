import type { ChunkStore, QueryRow } from "@iris/store";
import {
  BlobType,
  ImageBufferType,
  ImageFormatType,
  type ImageFormat,
  type IrisPixelLayout,
  IrisPixelLayoutType,
  float32Component,
  isIrisPixelLayout,
  utf8Component,
} from "@iris/types";

const Float32Type = float32Component("rerun.components.Float32");
const Utf8Type = utf8Component("rerun.components.Utf8");

/** Rerun's default draw order for images (below points and lines). */
export const DEFAULT_IMAGE_DRAW_ORDER = -10;

/** What the 2D view draws for one entity at the current time. */
export interface ImageDrawable {
  readonly entityPath: string;
  /** Identifies the pixel data (chunk + row of the buffer, and of the format), for GPU caching. */
  readonly key: string;
  readonly kind: "raw" | "encoded";
  readonly format: ImageFormat | undefined;
  /** Raw pixels (kind "raw") or the encoded file bytes (kind "encoded"). */
  readonly bytes: Uint8Array;
  readonly mediaType: string | undefined;
  readonly opacity: number;
  /** The opacity component as logged (undefined = not logged; the view then applies Rerun's fallback). */
  readonly loggedOpacity?: number | undefined;
  readonly drawOrder: number;
  /** Iris extension `Image:iris_pixel_layout` (Bayer / UYVY), latest-at; undefined for plain images. */
  readonly irisLayout?: IrisPixelLayout | undefined;
}

/** Where the view's time cursor is; `timeline` undefined means "static data only". */
export interface QueryTime {
  readonly timeline: string | undefined;
  readonly time: bigint;
}

/** Entities that hold an Image or EncodedImage, under `root` (or everywhere when root is "/"). */
export function imageEntities(store: ChunkStore, root = "/"): string[] {
  return store
    .entityPaths()
    .filter((path) => root === "/" || path === root || path.startsWith(`${root}/`))
    .filter((path) =>
      store
        .componentsOf(path)
        .some(
          (c) => c.descriptor.component === "Image:buffer" || c.descriptor.component === "EncodedImage:blob",
        ),
    );
}

/** The row a latest-at query at `at` selects (static data only when there is no timeline). */
export function latestRow(
  store: ChunkStore,
  entityPath: string,
  component: string,
  at: QueryTime,
): QueryRow | undefined {
  if (at.timeline === undefined) return store.latestStatic(entityPath, component);
  return store.latestAt({ entityPath, timeline: at.timeline, time: at.time, component });
}

/** The latest-at image of `entityPath`, or undefined when nothing (complete) is logged at that time. */
export function queryImage(store: ChunkStore, entityPath: string, at: QueryTime): ImageDrawable | undefined {
  const bufferRow = latestRow(store, entityPath, "Image:buffer", at);
  if (bufferRow) {
    const formatRow = latestRow(store, entityPath, "Image:format", at);
    const bytes = bufferRow.chunk.componentValues("Image:buffer", bufferRow.row, ImageBufferType)?.[0];
    const format = formatRow?.chunk.componentValues("Image:format", formatRow.row, ImageFormatType)?.[0];
    if (!bytes || !format) return undefined;
    const layoutRow = latestRow(store, entityPath, "Image:iris_pixel_layout", at);
    const layout = layoutRow?.chunk.componentValues(
      "Image:iris_pixel_layout",
      layoutRow.row,
      IrisPixelLayoutType,
    )?.[0];
    return {
      irisLayout: isIrisPixelLayout(layout) ? layout : undefined,
      entityPath,
      key: `${rowKey(bufferRow)}|${formatRow ? rowKey(formatRow) : ""}|${layoutRow ? rowKey(layoutRow) : ""}`,
      kind: "raw",
      format,
      bytes,
      mediaType: undefined,
      opacity: scalar(store, entityPath, "Image:opacity", at) ?? 1,
      loggedOpacity: scalar(store, entityPath, "Image:opacity", at),
      drawOrder: scalar(store, entityPath, "Image:draw_order", at) ?? DEFAULT_IMAGE_DRAW_ORDER,
    };
  }
  const blobRow = latestRow(store, entityPath, "EncodedImage:blob", at);
  if (!blobRow) return undefined;
  const bytes = blobRow.chunk.componentValues("EncodedImage:blob", blobRow.row, BlobType)?.[0];
  if (!bytes) return undefined;
  const mediaRow = latestRow(store, entityPath, "EncodedImage:media_type", at);
  const mediaType = mediaRow?.chunk.componentValues("EncodedImage:media_type", mediaRow.row, Utf8Type)?.[0];
  return {
    entityPath,
    key: rowKey(blobRow),
    kind: "encoded",
    format: undefined,
    bytes,
    mediaType,
    opacity: scalar(store, entityPath, "EncodedImage:opacity", at) ?? 1,
    loggedOpacity: scalar(store, entityPath, "EncodedImage:opacity", at),
    drawOrder: scalar(store, entityPath, "EncodedImage:draw_order", at) ?? DEFAULT_IMAGE_DRAW_ORDER,
  };
}

function scalar(store: ChunkStore, entityPath: string, component: string, at: QueryTime): number | undefined {
  const row = latestRow(store, entityPath, component, at);
  return row?.chunk.componentValues(component, row.row, Float32Type)?.[0];
}

function rowKey(row: QueryRow): string {
  return `${row.chunk.id}:${row.row}`;
}
