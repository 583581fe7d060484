import { describe, expect, it } from "vitest";
import { ImageFormatError } from "../image/index.ts";
import { Image } from "./image.ts";
import { IrisPixelLayoutDescriptor, imageFromBayer, imageFromUyvy } from "./image-extensions.ts";

describe("Image.fromBayer / Image.fromUyvy (Iris extensions)", () => {
  it("writes a plain L image plus one Image:iris_pixel_layout batch", () => {
    const image = Image.fromBayer(new Uint16Array(12), {
      width: 4,
      height: 3,
      pattern: "GBRG",
      opacity: 0.5,
    });
    expect(image).toBeInstanceOf(Image);
    expect(image.format).toEqual({ width: 4, height: 3, colorModel: 1, channelDatatype: 8 });
    const batches = image.asComponentBatches();
    expect(batches.map((b) => b.descriptor.component)).toEqual([
      "Image:buffer",
      "Image:format",
      "Image:opacity",
      "Image:iris_pixel_layout",
    ]);
    const extra = batches.at(-1)!;
    expect(extra.descriptor).toEqual({
      component: "Image:iris_pixel_layout",
      archetype: "rerun.archetypes.Image",
      componentType: "iris.components.PixelLayout",
    });
    expect(extra.values).toEqual(["BayerGBRG"]);
    expect(IrisPixelLayoutDescriptor).toBe(extra.descriptor);
  });

  it("8-bit Bayer → L U8; UYVY → L U8 of twice the width", () => {
    expect(imageFromBayer(new Uint8Array(4), { width: 2, height: 2, pattern: "RGGB" }).format).toEqual({
      width: 2,
      height: 2,
      colorModel: 1,
      channelDatatype: 6,
    });
    const uyvy = Image.fromUyvy(new Uint8Array(16), { width: 4, height: 2 });
    expect(uyvy.format).toEqual({ width: 8, height: 2, colorModel: 1, channelDatatype: 6 });
    expect(uyvy.asComponentBatches().at(-1)!.values).toEqual(["UYVY"]);
  });

  it("rejects bad input with ImageFormatError", () => {
    const kind = (f: () => unknown): string => {
      try {
        f();
        return "none";
      } catch (e) {
        return e instanceof ImageFormatError ? e.kind : String(e);
      }
    };
    expect(kind(() => imageFromBayer(new Uint8Array(5), { width: 2, height: 2, pattern: "RGGB" }))).toBe(
      "size-mismatch",
    );
    expect(
      kind(() => imageFromBayer(new Uint8Array(4), { width: 2, height: 2, pattern: "RGBG" as "RGGB" })),
    ).toBe("unknown-enum");
    expect(kind(() => imageFromBayer(new Uint8Array(3), { width: 3, height: 1, pattern: "RGGB" }))).toBe(
      "invalid-dimension",
    );
    expect(
      kind(() => imageFromBayer(new Float32Array(4) as never, { width: 2, height: 2, pattern: "RGGB" })),
    ).toBe("unsupported-array");
    expect(kind(() => imageFromUyvy(new Uint8Array(6), { width: 3, height: 1 }))).toBe("invalid-dimension");
    expect(kind(() => imageFromUyvy(new Uint8Array(6), { width: 4, height: 1 }))).toBe("size-mismatch");
  });

  it("plain images carry no extra batch", () => {
    const plain = new Image(new Uint8Array(4), { width: 2, height: 2 });
    expect(plain.asComponentBatches().map((b) => b.descriptor.component)).toEqual([
      "Image:buffer",
      "Image:format",
    ]);
  });
});
