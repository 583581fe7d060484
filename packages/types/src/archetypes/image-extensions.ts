/**
 * Iris extensions of the Image archetype: Bayer mosaics and UYVY (NOT in Rerun 0.33).
 *
 * Iris extension: shown correctly only by the Iris viewer; Rerun shows the raw samples in grey.
 *
 * The image is logged as a plain Rerun Image (`Image:buffer` + an `Image:format` of L U8 / L U16, see
 * `../image/iris-pixel-layout.ts`) plus ONE extra component, `Image:iris_pixel_layout` (archetype
 * `rerun.archetypes.Image`, component type `iris.components.PixelLayout`, Utf8). Rerun ignores the unknown
 * component, so recordings stay valid and degrade gracefully there.
 *
 * Importing `@iris/types` installs `Image.fromBayer` and `Image.fromUyvy` (static methods declared below by
 * module augmentation); `imageFromBayer` / `imageFromUyvy` are the same functions.
 */
import { type ComponentBatch, type ComponentColumn, batch, column } from "../component-batch.ts";
import type { ComponentDescriptor } from "../component-descriptor.ts";
import { utf8Component } from "../components/primitive-types.ts";
import {
  type BayerPattern,
  IRIS_PIXEL_LAYOUT_COMPONENT,
  IRIS_PIXEL_LAYOUT_COMPONENT_TYPE,
  ImageFormatError,
  type IrisPixelLayout,
  bayerLayoutOf,
  parseIrisPixelLayout,
} from "../image/index.ts";
import { Image, type ImageStyle } from "./image.ts";

/** `Image:iris_pixel_layout` (Iris extension). */
export const IrisPixelLayoutDescriptor: ComponentDescriptor = {
  component: IRIS_PIXEL_LAYOUT_COMPONENT,
  archetype: "rerun.archetypes.Image",
  componentType: IRIS_PIXEL_LAYOUT_COMPONENT_TYPE,
};

/** Arrow type of `iris.components.PixelLayout`: one Utf8 string per instance. */
export const IrisPixelLayoutType = utf8Component(IRIS_PIXEL_LAYOUT_COMPONENT_TYPE);

export interface BayerImageOptions extends ImageStyle {
  width: number;
  height: number;
  /** The 2×2 colour tile, top-left first, row by row. */
  pattern: BayerPattern;
}

export interface UyvyImageOptions extends ImageStyle {
  /** Shown width in pixels (even). The stored Rerun format is L U8 of 2·width × height. */
  width: number;
  height: number;
}

/** The `Image:iris_pixel_layout` batch for one layout. */
export function irisPixelLayoutBatch(layout: IrisPixelLayout): ComponentBatch {
  return batch(IrisPixelLayoutDescriptor, IrisPixelLayoutType, [parseIrisPixelLayout(layout)]);
}

/** An `Image:iris_pixel_layout` column for `sendColumns` (one layout per row). */
export function irisPixelLayoutColumn(layouts: readonly IrisPixelLayout[]): ComponentColumn {
  return column(
    IrisPixelLayoutDescriptor,
    IrisPixelLayoutType,
    layouts.map((l) => [parseIrisPixelLayout(l)]),
  );
}

function withLayout(image: Image, layout: IrisPixelLayout): Image {
  (image as { extraBatches?: readonly ComponentBatch[] }).extraBatches = [irisPixelLayoutBatch(layout)];
  return image;
}

function styleOf(options: ImageStyle): ImageStyle {
  const style: ImageStyle = {};
  if (options.opacity !== undefined) style.opacity = options.opacity;
  if (options.drawOrder !== undefined) style.drawOrder = options.drawOrder;
  if (options.magnificationFilter !== undefined) style.magnificationFilter = options.magnificationFilter;
  return style;
}

/**
 * A Bayer mosaic: `Uint8Array` → 8-bit samples, `Uint16Array` → 16-bit samples, one per pixel, row-major.
 * The Iris viewer demosaics it bilinearly (edge rule: mirror, see cpu-decode-iris.ts).
 *
 * Iris extension: shown correctly only by the Iris viewer; Rerun shows the raw samples in grey (the image is
 * written as L U8 / L U16 width × height plus `Image:iris_pixel_layout` = "Bayer<pattern>").
 * Throws `ImageFormatError` for a wrong size, an unknown pattern or a mosaic smaller than 2×2.
 */
export function imageFromBayer(samples: Uint8Array | Uint16Array, options: BayerImageOptions): Image {
  if (!(samples instanceof Uint8Array) && !(samples instanceof Uint16Array)) {
    throw new ImageFormatError("unsupported-array", "Image.fromBayer needs a Uint8Array or a Uint16Array", {
      expected: "Uint8Array | Uint16Array",
      actual: Object.prototype.toString.call(samples),
    });
  }
  const layout = bayerLayoutOf(options.pattern);
  const image = new Image(samples, {
    ...styleOf(options),
    width: options.width,
    height: options.height,
    colorModel: "L",
    datatype: samples instanceof Uint16Array ? "U16" : "U8",
  });
  if (options.width < 2 || options.height < 2) {
    throw new ImageFormatError(
      "invalid-dimension",
      `A Bayer mosaic needs at least 2×2 pixels, got ${options.width}×${options.height}`,
      { expected: "width ≥ 2 and height ≥ 2", actual: `${options.width}×${options.height}` },
    );
  }
  return withLayout(image, layout);
}

/**
 * Packed 4:2:2 `U0 Y0 V0 Y1` bytes (2 bytes per pixel; BT.601 limited range like YUY2) of a `width` × `height`
 * image (width even).
 *
 * Iris extension: shown correctly only by the Iris viewer; Rerun shows the raw samples in grey (the image is
 * written as L U8 of 2·width × height — the raw byte stream — plus `Image:iris_pixel_layout` = "UYVY").
 * Throws `ImageFormatError` for an odd width or a buffer that is not 2·width·height bytes.
 */
export function imageFromUyvy(bytes: Uint8Array, options: UyvyImageOptions): Image {
  if (!(bytes instanceof Uint8Array)) {
    throw new ImageFormatError("unsupported-array", "Image.fromUyvy needs a Uint8Array", {
      expected: "Uint8Array",
      actual: Object.prototype.toString.call(bytes),
    });
  }
  const { width, height } = options;
  if (!Number.isSafeInteger(width) || width < 2 || width % 2 !== 0) {
    throw new ImageFormatError("invalid-dimension", `UYVY needs an even width ≥ 2, got ${String(width)}`, {
      expected: "even width ≥ 2",
      actual: String(width),
    });
  }
  const image = new Image(bytes, {
    ...styleOf(options),
    width: 2 * width,
    height,
    colorModel: "L",
    datatype: "U8",
  });
  return withLayout(image, "UYVY");
}

// `Image.fromBayer` / `Image.fromUyvy`: declared on the class by module augmentation, installed at import.
declare module "./image.ts" {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Image {
    /** See `imageFromBayer`. Iris extension: shown correctly only by the Iris viewer; Rerun shows the raw samples in grey. */
    let fromBayer: typeof imageFromBayer;
    /** See `imageFromUyvy`. Iris extension: shown correctly only by the Iris viewer; Rerun shows the raw samples in grey. */
    let fromUyvy: typeof imageFromUyvy;
  }
}
Image.fromBayer = imageFromBayer;
Image.fromUyvy = imageFromUyvy;
