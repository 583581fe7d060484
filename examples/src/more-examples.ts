import { depthImage3d } from "./depth_image_3d.ts";
import { depthImageSimple } from "./depth_image_simple.ts";
import { encodedImage, encodedImageJpeg } from "./encoded_image.ts";
import { pinholeSimple } from "./pinhole_simple.ts";
import type { Example } from "./run-example.ts";
import { segmentationImageSimple } from "./segmentation_image_simple.ts";
import { transform3dSimple } from "./transform3d_simple.ts";

/** Rerun's snippets for Pinhole, DepthImage, SegmentationImage, EncodedImage and Transform3D. */
export const moreExamples: readonly Example[] = [
  pinholeSimple,
  depthImageSimple,
  depthImage3d,
  segmentationImageSimple,
  encodedImage,
  encodedImageJpeg,
  transform3dSimple,
];
