import { describe, expect, it } from "vitest";
import type { ImageFormat } from "../image/index.ts";
import { ImageFormatType } from "./image-format-type.ts";

describe("ImageFormatType.toArrow", () => {
  it("reuses the column of a single format equal to the last one, and only then", () => {
    const rgb: ImageFormat = { width: 1920, height: 1080, colorModel: 2, channelDatatype: 6 };
    const first = ImageFormatType.toArrow([rgb]);
    // An equal format given as another object (as every logged frame builds its own) gets the same column.
    expect(ImageFormatType.toArrow([{ ...rgb }])).toBe(first);
    // The remembered format is a copy: changing the logged object afterwards does not change what it matches.
    const changing: ImageFormat = { ...rgb, width: 640 };
    const small = ImageFormatType.toArrow([changing]);
    changing.width = 1920;
    expect(ImageFormatType.toArrow([{ ...rgb, width: 640 }])).toBe(small);
    const sequence: ImageFormat[] = [
      rgb,
      { ...rgb, height: 1081 },
      { width: 1920, height: 1080, pixelFormat: 26 },
      { width: 1920, height: 1080, colorModel: 2 },
      { width: 1920, height: 1080, colorModel: 2, channelDatatype: 7 },
      { width: 1920, height: 1080, channelDatatype: 6 },
      rgb,
    ];
    for (const format of sequence) {
      expect(ImageFormatType.fromArrow(ImageFormatType.toArrow([format]), 0)).toEqual(format);
    }
    // Several values: never the single-value column.
    const two = ImageFormatType.toArrow([rgb, rgb]);
    expect(two.length).toBe(2);
    expect(ImageFormatType.fromArrow(two, 1)).toEqual(rgb);
  });
});
