/**
 * Pixel / region probe over time: the value of one pixel (or the mean of a rectangle) per channel, at every
 * time the entity's image is logged on a timeline, computed from the store.
 *
 * Times: one sample per distinct time on the timeline at which the entity logs its image buffer or format
 * (temporal rows; static data only enters through latest-at). At each such time the image is resolved with
 * latest-at semantics, exactly as a view at that time cursor shows it: the latest buffer and the latest format
 * at or before that time, static data winning over temporal data. Times at which the entity logs nothing are not
 * samples: between two samples the image (and so the value) is the earlier one's. A sample whose image cannot be
 * probed carries `values: null` and says why in `status`.
 */
import {
  BlobType,
  EntityPath,
  ImageBufferType,
  ImageFormatError,
  ImageFormatType,
  IrisPixelLayoutType,
  TIME_MAX,
  TIME_MIN,
  type TimeType,
  isIrisPixelLayout,
  utf8Component,
} from "@iris/types";
import type { ChunkStore } from "./chunk-store.ts";
import { ProbeError } from "./probe-error.ts";
import {
  type ProbeChannels,
  type ProbeImage,
  type ProbeImageKind,
  type ProbeRegion,
  type ProbeValue,
  probeChannels,
  probeImageSize,
  probePixel,
  probeRegionMean,
  validateProbeImage,
} from "./probe-image.ts";

export interface ProbeQuery {
  /** Entity path (`/camera/rgb`; a missing leading `/` is added). */
  readonly entityPath: string;
  readonly timeline: string;
  /** Top-left pixel and size; a 1×1 region without `mean` is a pixel probe. */
  readonly region: ProbeRegion;
  /** Report the mean over the region (float64) instead of the pixel's raw values; default: width·height > 1. */
  readonly mean?: boolean;
  /**
   * Decodes an EncodedImage's file bytes (synchronously: the viewer decodes every frame first, with the browser's
   * decoder that also displays them). Without it an EncodedImage entity is an "encoded-image" error; a blob it
   * returns undefined for is an "undecodable" sample.
   */
  readonly decodeEncoded?: (blob: Uint8Array, mediaType: string | undefined) => DecodedImage | undefined;
}

/** A decoded EncodedImage: RGBA8, not premultiplied, row-major. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** Why a sample has no values. */
export type ProbeSampleStatus =
  | "ok"
  /** The buffer or format was cleared, or one of them is not logged yet at that time. */
  | "no-image"
  /** The image at that time is smaller than the region reaches. */
  | "out-of-bounds"
  /** The image at that time has other channels or another datatype than the series (see `channels`). */
  | "format-changed"
  /** The buffer does not fit its format (wrong size, unknown enum values). */
  | "invalid-image"
  /** The EncodedImage's bytes could not be decoded. */
  | "undecodable";

export interface ProbeSample {
  readonly time: bigint;
  /** One value per channel, or null (see `status`). */
  readonly values: readonly ProbeValue[] | null;
  readonly status: ProbeSampleStatus;
}

export interface ProbeSeries {
  readonly entityPath: string;
  readonly timeline: string;
  readonly timeType: TimeType;
  readonly kind: ProbeImageKind;
  readonly region: ProbeRegion;
  /** True: values are float64 means over the region; false: the pixel's values in `channels.datatype`. */
  readonly mean: boolean;
  /** Channels of the first probeable image; later images with other channels are "format-changed". */
  readonly channels: ProbeChannels;
  /** Sorted by time. */
  readonly samples: readonly ProbeSample[];
}

const Utf8Type = utf8Component("rerun.components.MediaType");
const KINDS: readonly ProbeImageKind[] = ["Image", "DepthImage", "SegmentationImage"];

/** Runs a probe (see the file comment). Throws `ProbeError` for questions the recording cannot answer. */
export function probeImageSeries(store: ChunkStore, query: ProbeQuery): ProbeSeries {
  const region = checkRegion(query.region);
  const mean = query.mean ?? region.width * region.height > 1;
  const entityPath = probeEntityPath(query.entityPath);
  const components = store.componentsOf(entityPath).map((c) => c.descriptor.component);
  if (components.length === 0) {
    throw new ProbeError(
      "unknown-entity",
      `no entity ${JSON.stringify(entityPath)} in the recording; image entities: ${listOrNone(imageEntityPaths(store))}`,
    );
  }
  const timeType = store.timelineType(query.timeline);
  if (timeType === undefined) {
    throw new ProbeError(
      "unknown-timeline",
      `no timeline ${JSON.stringify(query.timeline)} in the recording; timelines: ${listOrNone([...store.timelines().keys()])}`,
    );
  }
  const encoded = components.includes("EncodedImage:blob");
  const kind: ProbeImageKind | undefined =
    KINDS.find((k) => components.includes(`${k}:buffer`)) ??
    (encoded && query.decodeEncoded ? "EncodedImage" : undefined);
  if (kind === undefined) {
    if (encoded) {
      throw new ProbeError(
        "encoded-image",
        `${entityPath} holds an EncodedImage: its pixels exist only after decoding the file bytes, which is not ` +
          `done here (the viewer's probe decodes them); log raw pixels (Image) to probe them everywhere`,
      );
    }
    throw new ProbeError(
      "not-an-image",
      `${entityPath} holds no Image, DepthImage or SegmentationImage (components: ${components.join(", ")})`,
    );
  }

  const buffer = kind === "EncodedImage" ? "EncodedImage:blob" : `${kind}:buffer`;
  const formatComponent = kind === "EncodedImage" ? "EncodedImage:media_type" : `${kind}:format`;
  const layoutComponent = "Image:iris_pixel_layout";
  const times = distinctTimes(
    [buffer, formatComponent].flatMap((component) =>
      store
        .rangeTemporal({ entityPath, timeline: query.timeline, start: TIME_MIN, end: TIME_MAX, component })
        .map((row) => row.time!),
    ),
  );
  if (times.length === 0) {
    const on = [...store.timelines().keys()].filter(
      (t) =>
        store.latestAtTemporal({ entityPath, timeline: t, time: TIME_MAX, component: buffer }) !== undefined,
    );
    const isStatic = store.latestStatic(entityPath, buffer) !== undefined;
    throw new ProbeError(
      "no-temporal-data",
      `${entityPath} logs no ${kind} on timeline ${JSON.stringify(query.timeline)}` +
        (isStatic ? " (its image is static: one value for all times)" : "") +
        (on.length > 0 ? `; it does on: ${on.join(", ")}` : ""),
    );
  }

  let channels: ProbeChannels | undefined;
  let outOfBounds: { width: number; height: number } | undefined;
  const pending: { time: bigint; image: ProbeImage | undefined; status: ProbeSampleStatus }[] = [];
  for (const time of times) {
    const at = { entityPath, timeline: query.timeline, time };
    const bufferRow = store.latestAt({ ...at, component: buffer });
    const formatRow = store.latestAt({ ...at, component: formatComponent });
    if (kind === "EncodedImage") {
      const blob = bufferRow?.chunk.componentValues(buffer, bufferRow.row, BlobType)?.[0];
      const mediaType = formatRow?.chunk.componentValues(formatComponent, formatRow.row, Utf8Type)?.[0];
      const decoded = blob ? query.decodeEncoded!(blob, mediaType) : undefined;
      if (!decoded) {
        pending.push({ time, image: undefined, status: blob ? "undecodable" : "no-image" });
        continue;
      }
      const image: ProbeImage = {
        kind,
        bytes: decoded.rgba,
        format: { width: decoded.width, height: decoded.height, colorModel: 3, channelDatatype: 6 },
      };
      channels ??= probeChannels(image);
      if (region.x + region.width > decoded.width || region.y + region.height > decoded.height) {
        outOfBounds ??= decoded;
        pending.push({ time, image: undefined, status: "out-of-bounds" });
      } else {
        pending.push({ time, image, status: "ok" });
      }
      continue;
    }
    const bytes = bufferRow?.chunk.componentValues(buffer, bufferRow.row, ImageBufferType)?.[0];
    const format = formatRow?.chunk.componentValues(formatComponent, formatRow.row, ImageFormatType)?.[0];
    if (!bytes || !format) {
      pending.push({ time, image: undefined, status: "no-image" });
      continue;
    }
    let irisLayout;
    if (kind === "Image") {
      const layoutRow = store.latestAt({ ...at, component: layoutComponent });
      const layout = layoutRow?.chunk.componentValues(
        layoutComponent,
        layoutRow.row,
        IrisPixelLayoutType,
      )?.[0];
      if (isIrisPixelLayout(layout)) irisLayout = layout;
    }
    const image: ProbeImage = { kind, bytes, format, irisLayout };
    try {
      validateProbeImage(image);
    } catch (error) {
      if (!(error instanceof ImageFormatError)) throw error;
      pending.push({ time, image: undefined, status: "invalid-image" });
      continue;
    }
    channels ??= probeChannels(image);
    const size = probeImageSize(image);
    if (region.x + region.width > size.width || region.y + region.height > size.height) {
      outOfBounds ??= size;
      pending.push({ time, image: undefined, status: "out-of-bounds" });
      continue;
    }
    pending.push({ time, image, status: "ok" });
  }

  if (channels === undefined) {
    throw new ProbeError(
      "not-an-image",
      `${entityPath} has no complete, valid ${kind} (buffer + format) at any time on ${JSON.stringify(query.timeline)}`,
    );
  }
  if (outOfBounds && !pending.some((p) => p.status === "ok")) {
    throw new ProbeError(
      "out-of-bounds",
      `${describeRegion(region)} is outside the image at every time: expected x + width ≤ ${outOfBounds.width} ` +
        `and y + height ≤ ${outOfBounds.height} (image ${outOfBounds.width}×${outOfBounds.height})`,
    );
  }
  const series = channels;
  const samples = pending.map(({ time, image, status }): ProbeSample => {
    if (!image) return { time, values: null, status };
    if (!sameChannels(probeChannels(image), series)) return { time, values: null, status: "format-changed" };
    const values = mean ? probeRegionMean(image, region) : probePixel(image, region.x, region.y);
    return { time, values, status };
  });
  return { entityPath, timeline: query.timeline, timeType, kind, region, mean, channels: series, samples };
}

/** Entities holding a probeable image (or an EncodedImage), sorted. */
export function imageEntityPaths(store: ChunkStore): string[] {
  return store
    .entityPaths()
    .filter((path) =>
      store
        .componentsOf(path)
        .some((c) => [...KINDS, "EncodedImage"].some((k) => c.descriptor.component.startsWith(`${k}:`))),
    )
    .filter((path) => store.componentsOf(path).some((c) => /:(buffer|blob)$/.test(c.descriptor.component)));
}

function checkRegion(region: ProbeRegion): ProbeRegion {
  for (const key of ["x", "y", "width", "height"] as const) {
    const v = region[key];
    const min = key === "x" || key === "y" ? 0 : 1;
    if (!Number.isSafeInteger(v) || v < min) {
      throw new ProbeError("invalid-region", `probe ${key} must be an integer ≥ ${min}, got ${String(v)}`);
    }
  }
  return { x: region.x, y: region.y, width: region.width, height: region.height };
}

/** The entity path a probe looks up for `path` (a missing leading `/` added); a `ProbeError` if it is not one. */
export function probeEntityPath(path: string): string {
  try {
    return EntityPath.parse(path.startsWith("/") ? path : `/${path}`).toString();
  } catch {
    throw new ProbeError("unknown-entity", `${JSON.stringify(path)} is not an entity path`);
  }
}

function describeRegion(r: ProbeRegion): string {
  return r.width === 1 && r.height === 1
    ? `pixel (${r.x}, ${r.y})`
    : `rectangle x ${r.x}, y ${r.y}, ${r.width}×${r.height}`;
}

function sameChannels(a: ProbeChannels, b: ProbeChannels): boolean {
  return a.datatype === b.datatype && a.source === b.source && a.names.join() === b.names.join();
}

function distinctTimes(values: bigint[]): bigint[] {
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

function listOrNone(items: readonly string[]): string {
  return items.length > 0 ? items.join(", ") : "(none)";
}
