import { describe, expect, it } from "vitest";
import { makeVector } from "apache-arrow";
import { ImageBufferType } from "./blob.ts";
import { ImageFormatType } from "./image-format-type.ts";
import { isValidAt, validityBitmap } from "./arrow-builders.ts";
import { fixedSizeListComponent, float32Component, utf8Component } from "./primitive-types.ts";
import { primitiveData } from "./arrow-builders.ts";
import { Float32 } from "apache-arrow";

// Arrow JS slices value and offset buffers together with a Data, but keeps the validity bitmap and records
// the start in `offset`. Readers must index buffers with the plain index and bitmaps with offset + index.
describe("component readers on sliced Arrow data", () => {
  it("read the right elements after Data.slice", () => {
    const blobs = ImageBufferType.toArrow([
      Uint8Array.of(1),
      Uint8Array.of(2, 3),
      Uint8Array.of(4, 5, 6),
    ]).slice(1, 2);
    expect(Array.from(ImageBufferType.fromArrow(blobs, 0))).toEqual([2, 3]);
    expect(Array.from(ImageBufferType.fromArrow(blobs, 1))).toEqual([4, 5, 6]);

    const formats = ImageFormatType.toArrow([
      { width: 1, height: 2, colorModel: 1, channelDatatype: 6 },
      { width: 3, height: 4, pixelFormat: 26 },
    ]).slice(1, 1);
    expect(ImageFormatType.fromArrow(formats, 0)).toEqual({ width: 3, height: 4, pixelFormat: 26 });

    const f32 = float32Component("x");
    expect(f32.fromArrow(f32.toArrow([1, 2, 3]).slice(2, 1), 0)).toBe(3);
    const text = utf8Component("t");
    expect(text.fromArrow(text.toArrow(["a", "bc", "def"]).slice(1, 2), 1)).toBe("def");
    const vec = fixedSizeListComponent("v", "f32", 2);
    expect(
      vec.fromArrow(
        vec
          .toArrow([
            [1, 2],
            [3, 4],
            [5, 6],
          ])
          .slice(1, 2),
        1,
      ),
    ).toEqual([5, 6]);
  });

  it("read validity with the slice offset, matching Arrow's own view", () => {
    const valid = [true, false, true, true, false, true, false, false, true, true];
    const data = primitiveData(
      new Float32(),
      Float32Array.from(valid.keys()),
      valid.length,
      validityBitmap(valid),
    );
    const sliced = data.slice(3, 6);
    const arrow = makeVector(sliced);
    for (let i = 0; i < 6; i++) {
      expect(isValidAt(sliced, i)).toBe(valid[3 + i]);
      expect(arrow.isValid(i)).toBe(valid[3 + i]);
    }
  });
});
