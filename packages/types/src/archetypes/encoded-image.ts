import type { AsComponents, ComponentBatch } from "../component-batch.ts";
import { batch } from "../component-batch.ts";
import { BlobType } from "../components/blob.ts";
import { utf8Component } from "../components/primitive-types.ts";
import { ImageFormatError, parseMagnificationFilter } from "../image/index.ts";
import { descriptor } from "./archetype-descriptors.ts";
import { DrawOrderType, MagnificationFilterType, OpacityType, type ImageStyle } from "./image.ts";
import { guessMediaType } from "./media-type.ts";

export const EncodedImageDescriptors = {
  blob: descriptor("EncodedImage", "blob", "Blob"),
  mediaType: descriptor("EncodedImage", "media_type", "MediaType"),
  opacity: descriptor("EncodedImage", "opacity", "Opacity"),
  drawOrder: descriptor("EncodedImage", "draw_order", "DrawOrder"),
  magnificationFilter: descriptor("EncodedImage", "magnification_filter", "MagnificationFilter"),
} as const;

export const MediaTypeType = utf8Component("rerun.components.MediaType");

/**
 * Rerun's EncodedImage: the bytes of an image file (PNG, JPEG, …) decoded by the viewer. The media type is
 * detected from the file's magic bytes when not given.
 */
export class EncodedImage implements AsComponents {
  readonly blob: Uint8Array;
  readonly mediaType: string | undefined;
  readonly style: ImageStyle;

  constructor(blob: Uint8Array, options: ImageStyle & { mediaType?: string } = {}) {
    if (!(blob instanceof Uint8Array) || blob.length === 0) {
      throw new ImageFormatError(
        "missing-format",
        "EncodedImage needs the non-empty bytes of an image file",
        {
          expected: "non-empty Uint8Array",
          actual: blob instanceof Uint8Array ? "0 bytes" : typeof blob,
        },
      );
    }
    this.blob = blob;
    this.mediaType = options.mediaType ?? guessMediaType(blob);
    this.style = options;
  }

  asComponentBatches(): readonly ComponentBatch[] {
    const out: ComponentBatch[] = [batch(EncodedImageDescriptors.blob, BlobType, [this.blob])];
    if (this.mediaType !== undefined)
      out.push(batch(EncodedImageDescriptors.mediaType, MediaTypeType, [this.mediaType]));
    const { opacity, drawOrder, magnificationFilter } = this.style;
    if (opacity !== undefined) out.push(batch(EncodedImageDescriptors.opacity, OpacityType, [opacity]));
    if (drawOrder !== undefined)
      out.push(batch(EncodedImageDescriptors.drawOrder, DrawOrderType, [drawOrder]));
    if (magnificationFilter !== undefined) {
      out.push(
        batch(EncodedImageDescriptors.magnificationFilter, MagnificationFilterType, [
          parseMagnificationFilter(magnificationFilter),
        ]),
      );
    }
    return out;
  }
}
