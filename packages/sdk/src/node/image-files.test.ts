// sharp is injected (the sdk package does not depend on it); the tests use the copy installed for the examples.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import sharpModule from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Image, ImageFormatError } from "@iris/types";
import { compressImage } from "../image-compress.ts";
import { EncodedImage } from "./encoded-image-file.ts";
import { type SharpLike, imageFromFile, sharpJpegEncoder } from "./image-files.ts";

const sharp = sharpModule as unknown as SharpLike;
let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "iris-image-files-"));
});
afterAll(async () => {
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

/** A minimal 16-bit greyscale PNG (written by hand: sharp's raw 16-bit input path does not keep the values). */
function grey16Png(values: Uint16Array, width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array): Buffer => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([16, 0, 0, 0, 0], 8); // bit depth 16, colour type 0 (grey)
  const raw = Buffer.alloc(height * (1 + width * 2));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      raw.writeUInt16BE(values[y * width + x]!, y * (1 + width * 2) + 1 + x * 2);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** 4×2 RGB gradient with exact values. */
function rgbPixels(): Uint8Array {
  return Uint8Array.from({ length: 4 * 2 * 3 }, (_, i) => (i * 10) & 0xff);
}

describe("imageFromFile (sharp injected)", () => {
  it("8-bit RGB and RGBA PNG → U8 RGB / RGBA with the exact pixels", async () => {
    const file = path.join(dir, "rgb.png");
    await sharpModule(rgbPixels(), { raw: { width: 4, height: 2, channels: 3 } })
      .png()
      .toFile(file);
    const image = await imageFromFile(file, { sharp });
    expect(image.format).toEqual({ width: 4, height: 2, colorModel: 2, channelDatatype: 6 });
    expect(Array.from(image.buffer!)).toEqual(Array.from(rgbPixels()));

    const rgba = Uint8Array.from({ length: 4 * 2 * 4 }, (_, i) => (i * 7) & 0xff);
    const file4 = path.join(dir, "rgba.png");
    await sharpModule(rgba, { raw: { width: 4, height: 2, channels: 4 } })
      .png()
      .toFile(file4);
    const image4 = await imageFromFile(file4, { sharp, opacity: 0.5 });
    expect(image4.format).toEqual({ width: 4, height: 2, colorModel: 3, channelDatatype: 6 });
    expect(Array.from(image4.buffer!)).toEqual(Array.from(rgba));
    expect(image4.opacity).toBe(0.5);
  });

  it("8-bit grey PNG → U8 L", async () => {
    const grey = Uint8Array.from([0, 50, 100, 150, 200, 250]);
    const file = path.join(dir, "grey.png");
    await sharpModule(grey, { raw: { width: 3, height: 2, channels: 1 } })
      .toColourspace("b-w")
      .png()
      .toFile(file);
    expect((await sharpModule(file).metadata()).channels).toBe(1);
    const image = await imageFromFile(file, { sharp });
    expect(image.format).toEqual({ width: 3, height: 2, colorModel: 1, channelDatatype: 6 });
    expect(Array.from(image.buffer!)).toEqual(Array.from(grey));
  });

  it("16-bit grey PNG → U16 L with the exact stored values", async () => {
    const values = Uint16Array.from([0, 1, 257, 20000, 45000, 65535]);
    const file = path.join(dir, "depth16.png");
    await writeFile(file, grey16Png(values, 3, 2));
    expect((await sharpModule(file).metadata()).depth).toBe("ushort");
    const image = await imageFromFile(file, { sharp });
    expect(image.format).toEqual({ width: 3, height: 2, colorModel: 1, channelDatatype: 8 });
    expect(Array.from(new Uint16Array(image.buffer!.slice().buffer))).toEqual(Array.from(values));
  });

  it("JPEG → U8 RGB", async () => {
    const file = path.join(dir, "photo.jpg");
    await sharpModule(rgbPixels(), { raw: { width: 4, height: 2, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(file);
    const image = await imageFromFile(file, { sharp });
    expect(image.format).toEqual({ width: 4, height: 2, colorModel: 2, channelDatatype: 6 });
  });

  it("needs the sharp module", async () => {
    await expect(imageFromFile("x.png", { sharp: undefined as never })).rejects.toBeInstanceOf(
      ImageFormatError,
    );
  });
});

describe("EncodedImage.fromFile and compressImage", () => {
  it("reads file bytes and detects PNG/JPEG; falls back to the extension", async () => {
    const png = path.join(dir, "a.png");
    await sharpModule(rgbPixels(), { raw: { width: 4, height: 2, channels: 3 } })
      .png()
      .toFile(png);
    const encoded = await EncodedImage.fromFile(png);
    expect(encoded.mediaType).toBe("image/png");
    expect(encoded.blob.subarray(1, 4)).toEqual(new TextEncoder().encode("PNG"));
    const odd = path.join(dir, "b.jpeg");
    await writeFile(odd, Uint8Array.from([1, 2, 3]));
    expect((await EncodedImage.fromFile(odd)).mediaType).toBe("image/jpeg");
    expect((await EncodedImage.fromFile(odd, { mediaType: "image/png" })).mediaType).toBe("image/png");
  });

  it("compressImage → JPEG EncodedImage that decodes back close to the original", async () => {
    const w = 32;
    const h = 16;
    const pixels = new Uint8Array(w * h * 3);
    for (let i = 0; i < w * h; i++) pixels.set([200, 40, 40], i * 3);
    const image = new Image(pixels, { width: w, height: h, drawOrder: 2 });
    const encoded = await compressImage(image, { quality: 90, encoder: sharpJpegEncoder(sharp) });
    expect(encoded.mediaType).toBe("image/jpeg");
    expect(Array.from(encoded.blob.subarray(0, 3))).toEqual([0xff, 0xd8, 0xff]);
    expect(encoded.style.drawOrder).toBe(2);
    const { data, info } = await sharpModule(encoded.blob).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([w, h, 3]);
    expect(Math.abs(data[0]! - 200)).toBeLessThanOrEqual(6);
    expect(Math.abs(data[1]! - 40)).toBeLessThanOrEqual(6);
  });

  it("rejects a bad quality", async () => {
    const image = new Image(new Uint8Array(4), { width: 2, height: 2 });
    for (const quality of [0, 101, 1.5]) {
      await expect(compressImage(image, { quality, encoder: sharpJpegEncoder(sharp) })).rejects.toMatchObject(
        {
          kind: "out-of-bounds",
        },
      );
    }
  });
});
