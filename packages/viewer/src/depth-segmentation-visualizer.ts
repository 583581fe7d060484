/**
 * Queries for DepthImage and SegmentationImage (image-archetype-detail.md §5.8) and the CPU side of their display:
 * depth colormap/range/meter fallbacks, the AnnotationContext of an entity or its closest ancestor, class colours
 * (annotation colour, else Rerun's `auto_color_egui`, id 0 included) and the hover texts.
 */
import { latestRow } from "./image-visualizer.ts";
import type { ColormapName } from "@iris/renderer";
import type { ChunkStore, QueryRow } from "@iris/store";
import {
  AnnotationContextType,
  ColormapType,
  type ComponentType,
  DepthMeterType,
  ImageBufferType,
  ImageFormatType,
  type ImageFormat,
  ValueRangeType,
  dataViewOf,
  effectiveChannelDatatype,
  float32Component,
  isFloatDatatype,
  channelDatatypeBytes,
  readChannelValue,
} from "@iris/types";
import type { QueryTime } from "./image-visualizer.ts";
import { pathPrefixes } from "./transform-tree.ts";

const Float32Type = float32Component("rerun.components.Float32");

/** Rerun's draw order fallbacks. */
export const DEFAULT_DEPTH_DRAW_ORDER = -20;
export const DEFAULT_SEGMENTATION_DRAW_ORDER = 0;

export interface DepthDrawable {
  readonly kind: "depth";
  readonly entityPath: string;
  readonly key: string;
  readonly format: ImageFormat;
  readonly bytes: Uint8Array;
  /** Depth units per metre (fallback 1 for float data, 1000 for integers). */
  readonly meter: number;
  readonly colormap: ColormapName;
  /** Raw values mapped to the colormap ends (fallback [0, finite max]). */
  readonly range: readonly [number, number];
  readonly drawOrder: number;
  readonly opacity: number;
}

export interface ClassInfo {
  readonly label?: string;
  /** 0xRRGGBBAA. */
  readonly color?: number;
}

export interface SegmentationDrawable {
  readonly kind: "segmentation";
  readonly entityPath: string;
  /** Includes the annotation context row, so new colours re-upload. */
  readonly key: string;
  readonly format: ImageFormat;
  readonly bytes: Uint8Array;
  readonly classes: ReadonlyMap<number, ClassInfo>;
  /** Logged opacity (undefined = Rerun's fallback: 0.5 over other images, else 1). */
  readonly loggedOpacity: number | undefined;
  readonly drawOrder: number;
}

function one<T>(
  store: ChunkStore,
  entityPath: string,
  component: string,
  at: QueryTime,
  type: ComponentType<T>,
): T | undefined {
  const row = latestRow(store, entityPath, component, at);
  return row?.chunk.componentValues(component, row.row, type)?.[0];
}

function rowKey(row: QueryRow | undefined): string {
  return row ? `${row.chunk.id}:${row.row}` : "";
}

/** Entities under `root` holding `component`. */
export function entitiesWith(store: ChunkStore, component: string, root = "/"): string[] {
  return store
    .entityPaths()
    .filter((path) => root === "/" || path === root || path.startsWith(`${root}/`))
    .filter((path) => store.componentsOf(path).some((c) => c.descriptor.component === component));
}

/** Rerun Colormap enum (0.41: 1…12) → the renderer's tables; an unknown value falls back to turbo, Rerun's default. */
export function colormapName(value: number | undefined): ColormapName {
  const names: Record<number, ColormapName> = {
    1: "grey",
    2: "inferno",
    3: "magma",
    4: "plasma",
    5: "turbo",
    6: "viridis",
    7: "cyan-to-yellow",
    8: "spectral",
    9: "twilight",
    10: "rviz-map",
    11: "rviz-costmap",
    12: "costmap",
  };
  return (value !== undefined ? names[value] : undefined) ?? "turbo";
}

/** Largest finite value of a single-channel image (undefined when there is none). */
export function finiteMax(bytes: Uint8Array, format: ImageFormat): number | undefined {
  const dt = effectiveChannelDatatype(format);
  const size = channelDatatypeBytes(dt);
  const view = dataViewOf(bytes);
  let max: number | undefined;
  const n = Math.min(format.width * format.height, Math.floor(bytes.length / size));
  for (let i = 0; i < n; i++) {
    const v = readChannelValue(view, dt, i * size);
    if (Number.isFinite(v) && (max === undefined || v > max)) max = v;
  }
  return max;
}

/** `finiteMax` remembered per stored buffer, so redraws (scrubbing, hovering) do not rescan the image. */
const finiteMaxCache = new WeakMap<ArrayBufferLike, Map<string, number | undefined>>();

export function cachedFiniteMax(bytes: Uint8Array, format: ImageFormat): number | undefined {
  let perBuffer = finiteMaxCache.get(bytes.buffer);
  if (!perBuffer) finiteMaxCache.set(bytes.buffer, (perBuffer = new Map()));
  const key = `${bytes.byteOffset}:${bytes.length}:${format.width}x${format.height}:${effectiveChannelDatatype(format)}`;
  if (perBuffer.has(key)) return perBuffer.get(key);
  const max = finiteMax(bytes, format);
  perBuffer.set(key, max);
  return max;
}

export function queryDepthImage(
  store: ChunkStore,
  entityPath: string,
  at: QueryTime,
): DepthDrawable | undefined {
  const bufferRow = latestRow(store, entityPath, "DepthImage:buffer", at);
  const formatRow = latestRow(store, entityPath, "DepthImage:format", at);
  const bytes = bufferRow?.chunk.componentValues("DepthImage:buffer", bufferRow.row, ImageBufferType)?.[0];
  const format = formatRow?.chunk.componentValues("DepthImage:format", formatRow.row, ImageFormatType)?.[0];
  if (!bytes || !format) return undefined;
  const float = isFloatDatatype(effectiveChannelDatatype(format));
  const meter = one(store, entityPath, "DepthImage:meter", at, DepthMeterType) ?? (float ? 1 : 1000);
  const logged = one(store, entityPath, "DepthImage:depth_range", at, ValueRangeType);
  let range: [number, number];
  if (logged && Number.isFinite(logged[0]) && Number.isFinite(logged[1]) && logged[0] !== logged[1]) {
    range = [logged[0]!, logged[1]!];
  } else {
    const max = cachedFiniteMax(bytes, format);
    range = [0, max !== undefined && max > 0 ? max : 1];
  }
  return {
    kind: "depth",
    entityPath,
    key: `depth|${rowKey(bufferRow)}|${rowKey(formatRow)}`,
    format,
    bytes,
    meter: meter > 0 && Number.isFinite(meter) ? meter : float ? 1 : 1000,
    colormap: colormapName(one(store, entityPath, "DepthImage:colormap", at, ColormapType)),
    range,
    drawOrder: one(store, entityPath, "DepthImage:draw_order", at, Float32Type) ?? DEFAULT_DEPTH_DRAW_ORDER,
    opacity: 1,
  };
}

/** The class map of the AnnotationContext on `entityPath` or its closest ancestor (latest-at, static wins). */
export function annotationContextFor(
  store: ChunkStore,
  entityPath: string,
  at: QueryTime,
): { classes: Map<number, ClassInfo>; key: string } {
  const prefixes = ["/", ...pathPrefixes(entityPath)].reverse();
  for (const path of prefixes) {
    const row =
      latestRow(store, path, "AnnotationContext:context", at) ??
      store.latestStatic(path, "AnnotationContext:context");
    const context = row?.chunk.componentValues(
      "AnnotationContext:context",
      row.row,
      AnnotationContextType,
    )?.[0];
    if (!context) continue;
    const classes = new Map<number, ClassInfo>();
    for (const elem of context) {
      const info = elem.classDescription.info;
      classes.set(elem.classId, {
        ...(info.label !== undefined ? { label: info.label } : {}),
        ...(info.color !== undefined ? { color: info.color } : {}),
      });
    }
    return { classes, key: rowKey(row) };
  }
  return { classes: new Map(), key: "" };
}

export function querySegmentationImage(
  store: ChunkStore,
  entityPath: string,
  at: QueryTime,
): SegmentationDrawable | undefined {
  const bufferRow = latestRow(store, entityPath, "SegmentationImage:buffer", at);
  const formatRow = latestRow(store, entityPath, "SegmentationImage:format", at);
  const bytes = bufferRow?.chunk.componentValues(
    "SegmentationImage:buffer",
    bufferRow.row,
    ImageBufferType,
  )?.[0];
  const format = formatRow?.chunk.componentValues(
    "SegmentationImage:format",
    formatRow.row,
    ImageFormatType,
  )?.[0];
  if (!bytes || !format) return undefined;
  const { classes, key } = annotationContextFor(store, entityPath, at);
  const opacity = one(store, entityPath, "SegmentationImage:opacity", at, Float32Type);
  return {
    kind: "segmentation",
    entityPath,
    key: `seg|${rowKey(bufferRow)}|${rowKey(formatRow)}|${key}`,
    format,
    bytes,
    classes,
    loggedOpacity: opacity,
    drawOrder:
      one(store, entityPath, "SegmentationImage:draw_order", at, Float32Type) ??
      DEFAULT_SEGMENTATION_DRAW_ORDER,
  };
}

function linearToSrgb8(c: number): number {
  const s = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
  return Math.round(255 * Math.min(1, Math.max(0, s)));
}

/** Rerun's `auto_color_egui`: hue = id·golden ratio, HSV (·, 0.85, 0.5) in linear space, sRGB-encoded. */
export function autoClassColor(id: number): [number, number, number, number] {
  const golden = (Math.sqrt(5) - 1) / 2;
  const h = (((id * golden) % 1) + 1) % 1;
  const s = 0.85;
  const v = 0.5;
  const h6 = h * 6;
  const i = Math.floor(h6) % 6;
  const f = h6 - Math.floor(h6);
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  const rgb = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][i]!;
  return [linearToSrgb8(rgb[0]!), linearToSrgb8(rgb[1]!), linearToSrgb8(rgb[2]!), 255];
}

/**
 * Colour of a class id: the annotation colour, else the automatic colour. Id 0 is no exception: Rerun's
 * `ResolvedAnnotationInfo::color` (re_viewer_context `annotations.rs`) gives every id without an annotation colour
 * `auto_color_egui(id)`, and the 0.41 web viewer shows id 0 as (188, 77, 77) (differential suite). Ids outside
 * 0…65535 (ClassId is u16) get no colour.
 */
export function classColor(
  id: number,
  classes: ReadonlyMap<number, ClassInfo>,
): [number, number, number, number] {
  const c = classes.get(id)?.color;
  if (c !== undefined) return [(c >>> 24) & 255, (c >>> 16) & 255, (c >>> 8) & 255, c & 255];
  if (!Number.isInteger(id) || id < 0 || id > 65535) return [0, 0, 0, 0];
  return autoClassColor(id);
}

/** RGBA8 pixels (straight alpha) of a segmentation image: each class id replaced by its colour. */
export function segmentationRgba(
  bytes: Uint8Array,
  format: ImageFormat,
  classes: ReadonlyMap<number, ClassInfo>,
): Uint8Array {
  const dt = effectiveChannelDatatype(format);
  const size = channelDatatypeBytes(dt);
  const view = dataViewOf(bytes);
  const n = format.width * format.height;
  const out = new Uint8Array(n * 4);
  const cache = new Map<number, [number, number, number, number]>();
  for (let i = 0; i < n && (i + 1) * size <= bytes.length; i++) {
    const id = readChannelValue(view, dt, i * size);
    let c = cache.get(id);
    if (!c) cache.set(id, (c = classColor(id, classes)));
    out.set(c, i * 4);
  }
  return out;
}

/** Rerun's depth hover: "<v> mm" (1 decimal) below 1 m, else "<v> m" (3 decimals). */
export function formatDepth(raw: number, meter: number): string {
  const m = raw / meter;
  if (!Number.isFinite(m)) return String(m);
  return Math.abs(m) < 1 ? `${(m * 1000).toFixed(1)} mm` : `${m.toFixed(3)} m`;
}

/** The hover text of a depth pixel (2D and 3D views): depth in metres and the raw value. */
export function depthHoverText(raw: number | undefined, meter: number): string {
  return `Depth: ${formatDepth(raw ?? NaN, meter)}  Val: ${raw ?? ""}`;
}

/** Hover text for a segmentation pixel: the class label (or id) and the raw value. */
export function formatClass(id: number, classes: ReadonlyMap<number, ClassInfo>): string {
  const label = classes.get(id)?.label;
  return `Label: ${label ?? String(id)}  Val: ${id}`;
}
