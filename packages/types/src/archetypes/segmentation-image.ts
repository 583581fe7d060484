import type { AsComponents, ComponentBatch } from "../component-batch.ts";
import { batch } from "../component-batch.ts";
import { ImageBufferType } from "../components/blob.ts";
import { ImageFormatType } from "../components/image-format-type.ts";
import {
  type ChannelDatatype,
  type ImageFormat,
  type PixelArray,
  ImageFormatError,
  channelDatatypeName,
  isFloatDatatype,
} from "../image/index.ts";
import { descriptor } from "./archetype-descriptors.ts";
import { checkFinite, singleChannelImage } from "./depth-image.ts";
import { DrawOrderType, OpacityType } from "./image.ts";

export const SegmentationImageDescriptors = {
  buffer: descriptor("SegmentationImage", "buffer", "ImageBuffer"),
  format: descriptor("SegmentationImage", "format", "ImageFormat"),
  opacity: descriptor("SegmentationImage", "opacity", "Opacity"),
  drawOrder: descriptor("SegmentationImage", "draw_order", "DrawOrder"),
} as const;

export interface SegmentationImageOptions {
  width: number;
  height: number;
  /** Integer datatype; defaults to the typed array's element type (Uint8Array → U8, Uint16Array → U16). */
  datatype?: ChannelDatatype | string;
  /** 0 = invisible, 1 = opaque; the viewer's default for segmentation images is 0.5 over other images. */
  opacity?: number;
  drawOrder?: number;
}

/**
 * Rerun's SegmentationImage archetype: one integer class id per pixel (format with color_model null), coloured and
 * labelled by the AnnotationContext of the entity or an ancestor.
 */
export class SegmentationImage implements AsComponents {
  readonly buffer: Uint8Array;
  readonly format: ImageFormat;
  readonly opacity: number | undefined;
  readonly drawOrder: number | undefined;

  constructor(pixels: PixelArray | ArrayBuffer, options: SegmentationImageOptions) {
    const { format, buffer } = singleChannelImage("SegmentationImage", pixels, options);
    const dt = format.channelDatatype!;
    if (isFloatDatatype(dt)) {
      throw new ImageFormatError(
        "datatype-mismatch",
        `SegmentationImage needs integer class ids, got ${channelDatatypeName(dt)}`,
        { expected: "U8, U16, U32, U64, I8, I16, I32 or I64", actual: channelDatatypeName(dt) },
      );
    }
    this.format = format;
    this.buffer = buffer;
    if (options.opacity !== undefined) {
      const o = checkFinite("SegmentationImage opacity", options.opacity);
      if (o < 0 || o > 1) {
        throw new ImageFormatError("out-of-bounds", `SegmentationImage opacity must be in 0..1, got ${o}`, {
          expected: "0..1",
          actual: o,
        });
      }
      this.opacity = o;
    } else {
      this.opacity = undefined;
    }
    this.drawOrder =
      options.drawOrder === undefined
        ? undefined
        : checkFinite("SegmentationImage drawOrder", options.drawOrder);
  }

  asComponentBatches(): readonly ComponentBatch[] {
    const d = SegmentationImageDescriptors;
    const out: ComponentBatch[] = [
      batch(d.buffer, ImageBufferType, [this.buffer]),
      batch(d.format, ImageFormatType, [this.format]),
    ];
    if (this.opacity !== undefined) out.push(batch(d.opacity, OpacityType, [this.opacity]));
    if (this.drawOrder !== undefined) out.push(batch(d.drawOrder, DrawOrderType, [this.drawOrder]));
    return out;
  }
}
