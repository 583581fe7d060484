import { Uint8 } from "apache-arrow";
import type { ComponentType } from "../component-type.ts";
import { byteListValue, listOf, makeByteListData } from "./arrow-builders.ts";

const blobArrowType = listOf(new Uint8(), false);

function blobComponent(name: string): ComponentType<Uint8Array> {
  return {
    name,
    arrowType: blobArrowType,
    toArrow: (values) => makeByteListData(blobArrowType, values),
    fromArrow: (data, index) => byteListValue(data, index),
  };
}

/** `rerun.components.ImageBuffer`: the raw bytes of an image (Blob = `List<item: UInt8 non-null>`). */
export const ImageBufferType = blobComponent("rerun.components.ImageBuffer");
/** `rerun.components.Blob`: file bytes, e.g. the PNG/JPEG of an EncodedImage. */
export const BlobType = blobComponent("rerun.components.Blob");
