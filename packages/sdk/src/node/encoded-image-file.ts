import { EncodedImage as BaseEncodedImage, type ImageStyle } from "@iris/types";
import { encodedImageFromFile } from "./image-files.ts";

/**
 * `EncodedImage` with Node file helpers: `await EncodedImage.fromFile("photo.jpg")` reads the file and detects
 * its media type (magic bytes first, then the extension). Instances are ordinary EncodedImages.
 */
export class EncodedImage extends BaseEncodedImage {
  static async fromFile(
    path: string,
    options: ImageStyle & { mediaType?: string } = {},
  ): Promise<BaseEncodedImage> {
    return encodedImageFromFile(path, options);
  }
}
