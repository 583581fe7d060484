import { describe, expect, it } from "vitest";
import { computeReferenceImages, readReferencePng } from "./reference-images.ts";

describe("stored reference PNGs", () => {
  it("equal the CPU reference decode of every example entity, byte for byte", async () => {
    const computed = await computeReferenceImages();
    expect(computed.map((c) => `${c.example}${c.entityPath}`).sort()).toEqual([
      "image_advanced/from_file",
      "image_advanced/from_opencv",
      "image_advanced/from_pillow_rgb",
      "image_advanced/from_pillow_rgba",
      "image_column_updates/images",
      "image_formats/image_bgr",
      "image_formats/image_green_only",
      "image_formats/image_rgb",
      "image_formats/image_yuv422",
      "image_row_updates/image",
      "image_simple/image",
    ]);
    for (const c of computed) {
      const stored = await readReferencePng(c.example, c.entityPath);
      expect([stored.width, stored.height], c.entityPath).toEqual([c.width, c.height]);
      expect(
        Buffer.compare(Buffer.from(stored.rgba), Buffer.from(c.rgba)),
        `${c.example} ${c.entityPath}`,
      ).toBe(0);
    }
  });
});
