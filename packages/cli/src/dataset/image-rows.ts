import { type Data, makeVector } from "apache-arrow";
import type { Chunk } from "@iris/chunk";
import {
  type ImageFormat,
  ImageFormatType,
  channelDatatypeName,
  colorModelName,
  effectiveChannelDatatype,
  effectiveColorModel,
  isValidAt,
  pixelFormatName,
} from "@iris/types";
import type { ImageEntry } from "./dataset-types.ts";
import { imageStats } from "./image-stats.ts";

const IMAGE_BUFFER = "rerun.components.ImageBuffer";
const IMAGE_FORMAT = "rerun.components.ImageFormat";

/** The archetypes (`Image`, `DepthImage`, …) whose `:buffer` column is an image buffer in `chunk`. */
export function imageArchetypes(chunk: Chunk): string[] {
  const out: string[] = [];
  for (const [id, column] of chunk.components) {
    if (column.descriptor.componentType === IMAGE_BUFFER && id.endsWith(":buffer")) out.push(id.slice(0, -7));
  }
  return out.sort();
}

/** True when the chunk carries image buffers or formats (the chunks indexing must read for statistics). */
export function hasImageData(components: readonly string[]): boolean {
  return components.some((c) => c.endsWith(":buffer") || c.endsWith(":format"));
}

interface TemporalFormat {
  readonly times: ReadonlyMap<string, bigint>;
  readonly format: ImageFormat;
}

interface PendingImage {
  readonly recordingId: string;
  readonly chunkId: string;
  readonly row: number;
  readonly archetype: string;
  readonly entityPath: string;
  readonly times: ReadonlyMap<string, bigint>;
  readonly bytes: Uint8Array;
}

/**
 * Collects the images of one member: every row with an image buffer becomes an `ImageEntry` with its format
 * resolved as Rerun shows it (a static format wins; else the row's own; else the latest earlier one on the row's
 * first timeline) and its per-channel statistics. Feed format chunks before buffer chunks where possible; a
 * buffer whose format is not known yet waits until `finish`.
 */
export class ImageRowCollector {
  private readonly staticFormats = new Map<string, ImageFormat>();
  private readonly temporalFormats = new Map<string, TemporalFormat[]>();
  private readonly pending: PendingImage[] = [];
  readonly images: ImageEntry[] = [];
  readonly notes: string[] = [];

  add(recordingId: string, chunk: Chunk): void {
    for (const [id, column] of chunk.components) {
      if (column.descriptor.componentType !== IMAGE_FORMAT || !id.endsWith(":format")) continue;
      const key = `${recordingId}\u0000${chunk.entityPath}\u0000${id.slice(0, -7)}`;
      for (let row = 0; row < chunk.numRows; row++) {
        const format = chunk.componentValues(id, row, ImageFormatType)?.[0];
        if (format === undefined) continue;
        if (chunk.isStatic) this.staticFormats.set(key, format);
        else {
          const list = this.temporalFormats.get(key) ?? [];
          list.push({ times: rowTimes(chunk, row), format });
          this.temporalFormats.set(key, list);
        }
      }
    }
    const chunkId = chunk.id.toString();
    for (const archetype of imageArchetypes(chunk)) {
      const buffers = chunk.components.get(`${archetype}:buffer`)!.list;
      for (let row = 0; row < chunk.numRows; row++) {
        const bytes = firstBlob(buffers, row);
        if (bytes === undefined) continue;
        const own = chunk.componentValues(`${archetype}:format`, row, ImageFormatType)?.[0];
        const image: PendingImage = {
          recordingId,
          chunkId,
          row,
          archetype,
          entityPath: chunk.entityPath,
          times: rowTimes(chunk, row),
          bytes,
        };
        const format = this.resolve(image, own);
        if (format === undefined) this.pending.push(image);
        else this.images.push(entry(image, format));
      }
    }
  }

  /** Resolves the images still waiting for a format; those without one get null format and statistics. */
  finish(): ImageEntry[] {
    for (const image of this.pending) {
      const format = this.resolve(image, undefined);
      if (format === undefined) {
        this.notes.push(
          `${image.entityPath} row ${image.row} of chunk ${image.chunkId}: an image buffer without a format`,
        );
      }
      this.images.push(entry(image, format));
    }
    this.pending.length = 0;
    return this.images;
  }

  private resolve(image: PendingImage, own: ImageFormat | undefined): ImageFormat | undefined {
    const key = `${image.recordingId}\u0000${image.entityPath}\u0000${image.archetype}`;
    const fixed = this.staticFormats.get(key);
    if (fixed !== undefined) return fixed;
    if (own !== undefined) return own;
    const timeline = [...image.times.keys()].sort()[0];
    if (timeline === undefined) return undefined;
    const t = image.times.get(timeline)!;
    let best: TemporalFormat | undefined;
    for (const candidate of this.temporalFormats.get(key) ?? []) {
      const ct = candidate.times.get(timeline);
      if (ct === undefined || ct > t) continue;
      if (best === undefined || ct >= best.times.get(timeline)!) best = candidate;
    }
    return best?.format;
  }
}

function entry(image: PendingImage, format: ImageFormat | undefined): ImageEntry {
  const stats = format === undefined ? undefined : imageStats(image.bytes, format);
  const colorModel =
    format === undefined || format.pixelFormat !== undefined
      ? null
      : colorModelName(effectiveColorModel(format));
  const channelDatatype =
    format === undefined || format.pixelFormat !== undefined
      ? null
      : channelDatatypeName(effectiveChannelDatatype(format));
  return {
    recordingId: image.recordingId,
    chunkId: image.chunkId,
    row: image.row,
    archetype: image.archetype,
    width: format?.width ?? null,
    height: format?.height ?? null,
    colorModel,
    channelDatatype,
    pixelFormat: format?.pixelFormat === undefined ? null : pixelFormatName(format.pixelFormat),
    min: stats ? stats.min.map(finiteOrNull) : null,
    max: stats ? stats.max.map(finiteOrNull) : null,
    mean: stats ? stats.mean.map(finiteOrNull) : null,
  } as ImageEntry;
}

/** NaN (a channel without finite values) is kept as null: JSON has no NaN. */
function finiteOrNull(v: number): number {
  return Number.isFinite(v) ? v : (null as unknown as number);
}

/** The row's time on each of the chunk's timelines. */
export function rowTimes(chunk: Chunk, row: number): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [name, column] of chunk.timelines) out.set(name, column.times[row]!);
  return out;
}

/** The bytes of the first blob of a `List<List<u8>>` / `List<Binary>` cell, or undefined for a null/empty cell. */
export function firstBlob(list: Data, row: number): Uint8Array | undefined {
  if (!isValidAt(list, row)) return undefined;
  const start = list.valueOffsets[row]!;
  const end = list.valueOffsets[row + 1]!;
  if (end <= start) return undefined;
  const child = list.children[0]!;
  if (!isValidAt(child, start)) return undefined;
  const from = child.valueOffsets[start]!;
  const to = child.valueOffsets[start + 1]!;
  // Arrow JS slices value buffers together with their Data: the offsets index them directly.
  const values = (child.children.length > 0 ? child.children[0]!.values : child.values) as Uint8Array;
  return values.subarray(from, to);
}

/** The first value of a component cell as a JavaScript value (string, bigint, number), or undefined. */
export function firstValue(chunk: Chunk, component: string, row: number): unknown {
  const column = chunk.components.get(component);
  if (!column || !isValidAt(column.list, row)) return undefined;
  const start = column.list.valueOffsets[row]!;
  const end = column.list.valueOffsets[row + 1]!;
  if (end <= start) return undefined;
  return makeVector(column.list.children[0]!.slice(start, 1) as Data).get(0) as unknown;
}
