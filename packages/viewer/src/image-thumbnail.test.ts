import { describe, expect, it } from "vitest";
import { type ImageFormat, PixelFormat, decodeImageToRgba8, readPixelValues } from "@iris/types";
import { formatPixelValues } from "./format-values.ts";
import { imageThumbnail } from "./image-thumbnail.ts";

describe("Rerun 0.41 Bayer PixelFormats in the viewer's CPU paths", () => {
  const bytes = Uint8Array.from({ length: 5 * 3 }, (_, i) => (i * 53 + 7) & 0xff);
  const format: ImageFormat = { width: 5, height: 3, pixelFormat: PixelFormat.BayerGRBG8 };

  it("a full-size thumbnail equals the CPU reference decode", () => {
    const thumb = imageThumbnail(bytes, format, 5, 3);
    expect([thumb.width, thumb.height]).toEqual([5, 3]);
    expect(thumb.rgba).toEqual(decodeImageToRgba8(bytes, format));
  });

  it("hover shows the raw sample under its format name", () => {
    expect(readPixelValues(bytes, format, 2, 1)).toEqual([bytes[7]]);
    expect(formatPixelValues(format, readPixelValues(bytes, format, 2, 1))).toBe(`BayerGRBG8 ${bytes[7]}`);
  });
});
