import type { ChunkStore } from "@iris/store";
import {
  BlobType,
  DrawOrderType,
  type ImageFormat,
  ImageBufferType,
  ImageFormatType,
  MagnificationFilterType,
  OpacityType,
  dataRangeHeuristic,
  decodeImageToRgba8,
  describeImageFormat,
  utf8Component,
} from "@iris/types";
import {
  DEFAULT_DEPTH_DRAW_ORDER,
  DEFAULT_SEGMENTATION_DRAW_ORDER,
} from "./depth-segmentation-visualizer.ts";
import { imageThumbnail } from "./image-thumbnail.ts";
import { DEFAULT_IMAGE_DRAW_ORDER, type QueryTime, latestRow } from "./image-visualizer.ts";
import type { PixelSelection } from "./spatial-2d-view.ts";
import { formatTimeValue, storeTimelines } from "./timeline-data.ts";

const MediaTypeType = utf8Component("rerun.components.MediaType");

/** What is selected: an entity (from the left panel) or a pixel of an image (a click in a 2D view). */
export type Selection = { kind: "entity"; entityPath: string } | { kind: "pixel"; pixel: PixelSelection };

/** One component row of the selection panel. */
export interface ComponentRow {
  readonly component: string;
  readonly value: string;
}

/** The entity's image at the cursor: raw pixels and format, or an encoded file. */
interface SelectedImage {
  readonly archetype: "Image" | "DepthImage" | "SegmentationImage" | "EncodedImage";
  readonly bytes: Uint8Array;
  readonly format?: ImageFormat;
  readonly mediaType?: string;
}

/**
 * Rerun's selection panel: the selected entity's components latest-at the time cursor (ImageFormat in words,
 * buffer size, opacity, draw order and magnification filter — with Rerun's defaults when not logged), the
 * timelines it has data on, a preview of its image, and downloads of the raw buffer and of a PNG (the image
 * decoded with the CPU reference's maths, or the view as drawn).
 */
export class SelectionPanel {
  readonly element: HTMLDivElement;
  private selection: Selection | undefined;

  constructor(
    private readonly store: () => ChunkStore | undefined,
    private readonly time: () => QueryTime,
    /** The canvas of the 2D view showing `entityPath`, for "PNG of the view". */
    private readonly viewCanvas: (entityPath: string) => HTMLCanvasElement | undefined,
  ) {
    this.element = document.createElement("div");
    this.element.className = "iris-selection";
    this.refresh();
  }

  get current(): Selection | undefined {
    return this.selection;
  }

  select(selection: Selection | undefined): void {
    this.selection = selection;
    this.refresh();
  }

  /** Re-reads the selection at the current time (the cursor moved or data arrived). */
  refresh(): void {
    const store = this.store();
    const sel = this.selection;
    if (!store || !sel) {
      // Always there (like Rerun's), so that selecting never resizes the views.
      const empty = document.createElement("div");
      empty.className = "iris-selection-empty";
      empty.textContent = "Nothing selected: click an entity in the Streams tree or a pixel of an image.";
      this.element.replaceChildren(sectionTitle("Selection"), empty);
      return;
    }
    const entityPath = sel.kind === "entity" ? sel.entityPath : sel.pixel.entityPath;
    const head = document.createElement("div");
    head.className = "iris-selection-head";
    const title = document.createElement("span");
    title.className = "iris-selection-title";
    title.textContent = entityPath;
    title.title = entityPath;
    const close = document.createElement("button");
    close.textContent = "×";
    close.title = "Clear the selection";
    close.addEventListener("click", () => this.select(undefined));
    head.append(title, close);
    const parts: HTMLElement[] = [head];
    if (sel.kind === "pixel") {
      const pixel = document.createElement("div");
      pixel.className = "iris-selection-pixel";
      pixel.textContent = `pixel x ${sel.pixel.x}, y ${sel.pixel.y}: ${sel.pixel.text}`;
      parts.push(pixel);
    }
    parts.push(sectionTitle("Components"), table(componentRows(store, entityPath, this.time())));
    parts.push(sectionTitle("Timelines"), table(timelineRows(store, entityPath)));
    const image = selectedImage(store, entityPath, this.time());
    if (image) parts.push(sectionTitle("Image"), ...this.imageParts(entityPath, image));
    this.element.replaceChildren(...parts);
  }

  private imageParts(entityPath: string, image: SelectedImage): HTMLElement[] {
    const preview = document.createElement("div");
    preview.className = "iris-selection-preview";
    const name = entityPath.replace(/^\//, "").replaceAll("/", "_") || "root";
    const downloads = document.createElement("div");
    downloads.className = "iris-selection-downloads";
    if (image.format) {
      const format = image.format;
      let thumb: ReturnType<typeof imageThumbnail> | undefined;
      try {
        thumb = imageThumbnail(image.bytes, format, 256, 192);
      } catch {
        thumb = undefined;
      }
      if (thumb) {
        const canvas = document.createElement("canvas");
        canvas.width = thumb.width;
        canvas.height = thumb.height;
        canvas
          .getContext("2d")
          ?.putImageData(
            new ImageData(thumb.rgba as Uint8ClampedArray<ArrayBuffer>, thumb.width, thumb.height),
            0,
            0,
          );
        preview.append(canvas);
      }
      downloads.append(
        downloadButton("raw buffer", `${name}.raw`, "download-raw", () =>
          Promise.resolve(new Blob([image.bytes as BlobPart], { type: "application/octet-stream" })),
        ),
        downloadButton("PNG", `${name}.png`, "download-png", () => imagePng(image.bytes, format)),
      );
    } else {
      const img = document.createElement("img");
      const url = URL.createObjectURL(new Blob([image.bytes as BlobPart], { type: image.mediaType ?? "" }));
      img.src = url;
      img.onload = () => URL.revokeObjectURL(url);
      preview.append(img);
      const ext = image.mediaType?.split("/")[1] ?? "bin";
      downloads.append(
        downloadButton("file", `${name}.${ext}`, "download-raw", () =>
          Promise.resolve(new Blob([image.bytes as BlobPart], { type: image.mediaType ?? "" })),
        ),
      );
    }
    const canvas = this.viewCanvas(entityPath);
    if (canvas)
      downloads.append(
        downloadButton("PNG of the view", `${name}-view.png`, "download-view", () => canvasPng(canvas)),
      );
    return [preview, downloads];
  }
}

/** The component rows of `entityPath` latest-at `at`, plus Rerun's defaults for the image style components. */
export function componentRows(store: ChunkStore, entityPath: string, at: QueryTime): ComponentRow[] {
  const rows: ComponentRow[] = [];
  const logged = new Set<string>();
  for (const info of store.componentsOf(entityPath)) {
    const component = info.descriptor.component;
    logged.add(component);
    const row = latestRow(store, entityPath, component, at);
    rows.push({
      component,
      value: row ? describeValue(component, row, info.listType.toString()) : "(not yet logged)",
    });
  }
  const archetype = [...logged].find((c) => /^(Image|DepthImage|SegmentationImage|EncodedImage):/.test(c));
  if (archetype) {
    const name = archetype.split(":")[0]!;
    const defaults: Record<string, string> = {
      opacity: name === "DepthImage" ? "1 (default)" : "1 (default; 0.5 over a depth or colour image)",
      draw_order: `${
        name === "DepthImage"
          ? DEFAULT_DEPTH_DRAW_ORDER
          : name === "SegmentationImage"
            ? DEFAULT_SEGMENTATION_DRAW_ORDER
            : DEFAULT_IMAGE_DRAW_ORDER
      } (default)`,
      ...(name === "Image" || name === "EncodedImage" ? { magnification_filter: "nearest (default)" } : {}),
    };
    for (const [field, value] of Object.entries(defaults))
      if (!logged.has(`${name}:${field}`)) rows.push({ component: `${name}:${field}`, value });
  }
  return rows.sort((a, b) => (a.component < b.component ? -1 : 1));
}

function describeValue(
  component: string,
  row: NonNullable<ReturnType<typeof latestRow>>,
  type: string,
): string {
  const field = component.split(":")[1] ?? component;
  try {
    if (field === "format") {
      const f = row.chunk.componentValues(component, row.row, ImageFormatType)?.[0];
      return f ? `${describeImageFormat(f)} (${f.width}×${f.height})` : "cleared";
    }
    if (field === "buffer") {
      const b = row.chunk.componentValues(component, row.row, ImageBufferType)?.[0];
      return b ? `${b.byteLength.toLocaleString("en")} bytes` : "cleared";
    }
    if (field === "blob") {
      const b = row.chunk.componentValues(component, row.row, BlobType)?.[0];
      return b ? `${b.byteLength.toLocaleString("en")} bytes` : "cleared";
    }
    if (field === "opacity") return String(row.chunk.componentValues(component, row.row, OpacityType)?.[0]);
    if (field === "draw_order")
      return String(row.chunk.componentValues(component, row.row, DrawOrderType)?.[0]);
    if (field === "magnification_filter") {
      const v = row.chunk.componentValues(component, row.row, MagnificationFilterType)?.[0];
      return ({ 1: "nearest", 2: "linear", 3: "bicubic" } as Record<number, string>)[v ?? 0] ?? String(v);
    }
    if (field === "media_type")
      return row.chunk.componentValues(component, row.row, MediaTypeType)?.[0] ?? "";
  } catch {
    // An unexpected Arrow type: fall through to the type name.
  }
  return `${type}${row.isStatic ? " (static)" : ""}`;
}

/** Per timeline the entity has data on: how many times, and the first and last. */
function timelineRows(store: ChunkStore, entityPath: string): ComponentRow[] {
  const rows: ComponentRow[] = [];
  const components = store.componentsOf(entityPath);
  if (components.some((c) => c.hasStatic)) rows.push({ component: "static", value: "has static data" });
  for (const t of storeTimelines(store)) {
    const times = new Set<bigint>();
    for (const c of components)
      for (const r of store.rangeTemporal({
        entityPath,
        timeline: t.name,
        start: t.min,
        end: t.max,
        component: c.descriptor.component,
      }))
        if (r.time !== null) times.add(r.time);
    if (times.size === 0) continue;
    const sorted = [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    rows.push({
      component: t.name,
      value: `${sorted.length} time${sorted.length > 1 ? "s" : ""}, ${formatTimeValue(t.type, sorted[0]!)} … ${formatTimeValue(t.type, sorted[sorted.length - 1]!)}`,
    });
  }
  return rows;
}

function selectedImage(store: ChunkStore, entityPath: string, at: QueryTime): SelectedImage | undefined {
  for (const archetype of ["Image", "DepthImage", "SegmentationImage"] as const) {
    const buffer = latestRow(store, entityPath, `${archetype}:buffer`, at);
    const format = latestRow(store, entityPath, `${archetype}:format`, at);
    const bytes = buffer?.chunk.componentValues(`${archetype}:buffer`, buffer.row, ImageBufferType)?.[0];
    const f = format?.chunk.componentValues(`${archetype}:format`, format.row, ImageFormatType)?.[0];
    if (bytes && f) return { archetype, bytes, format: f };
  }
  const blob = latestRow(store, entityPath, "EncodedImage:blob", at);
  const bytes = blob?.chunk.componentValues("EncodedImage:blob", blob.row, BlobType)?.[0];
  if (!bytes) return undefined;
  const media = latestRow(store, entityPath, "EncodedImage:media_type", at);
  const mediaType = media?.chunk.componentValues("EncodedImage:media_type", media.row, MediaTypeType)?.[0];
  return { archetype: "EncodedImage", bytes, ...(mediaType ? { mediaType } : {}) };
}

/** The whole image as PNG, decoded like the CPU reference (value range from the data's heuristic). */
async function imagePng(bytes: Uint8Array, format: ImageFormat): Promise<Blob> {
  const rgba =
    format.pixelFormat === undefined
      ? decodeImageToRgba8(bytes, format, { valueRange: dataRangeHeuristic(bytes, format) })
      : decodeImageToRgba8(bytes, format);
  const canvas = new OffscreenCanvas(format.width, format.height);
  canvas
    .getContext("2d")
    ?.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, format.width, format.height), 0, 0);
  return canvas.convertToBlob({ type: "image/png" });
}

function canvasPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error("the view cannot be encoded as PNG"))),
      "image/png",
    ),
  );
}

function downloadButton(
  label: string,
  fileName: string,
  cls: string,
  blob: () => Promise<Blob>,
): HTMLButtonElement {
  const b = document.createElement("button");
  b.className = `iris-${cls}`;
  b.textContent = `⤓ ${label}`;
  b.title = `Download ${fileName}`;
  b.addEventListener("click", () => {
    void blob().then((data) => {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(data);
      a.download = fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    });
  });
  return b;
}

function sectionTitle(text: string): HTMLDivElement {
  const d = document.createElement("div");
  d.className = "iris-section-title";
  d.textContent = text;
  return d;
}

function table(rows: readonly ComponentRow[]): HTMLTableElement {
  const t = document.createElement("table");
  t.className = "iris-selection-table";
  for (const r of rows) {
    const tr = t.insertRow();
    tr.dataset["component"] = r.component;
    const k = tr.insertCell();
    k.textContent = r.component;
    const v = tr.insertCell();
    v.textContent = r.value;
  }
  return t;
}
