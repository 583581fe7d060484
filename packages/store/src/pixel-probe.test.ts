import { ChunkBuilder } from "@iris/chunk";
import {
  type AsComponents,
  DepthImage,
  EncodedImage,
  Image,
  ImageBufferType,
  PixelFormat,
  SegmentationImage,
  Tuid,
  batch,
  float32ToFloat16,
} from "@iris/types";
import { describe, expect, it } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import { probeImageSeries } from "./pixel-probe.ts";
import { ProbeError } from "./probe-error.ts";
import { probeToCsv } from "./probe-export.ts";

const W = 7;
const H = 5;
const FRAMES = 100;

let nextId = 1n;
function log(
  store: ChunkStore,
  entityPath: string,
  frame: number | undefined,
  archetype: AsComponents,
): void {
  const builder = new ChunkBuilder(entityPath);
  const timepoint = new Map(
    frame === undefined ? [] : [["frame", { type: "sequence" as const, value: BigInt(frame) }]],
  );
  builder.addRow(new Tuid(5_000n, nextId++), timepoint, archetype.asComponentBatches());
  store.insert(builder.build(new Tuid(6_000n, nextId++)));
}

/** The value every test image holds: a formula of frame, pixel and channel, independent of any reader. */
const u8 = (f: number, x: number, y: number, c: number): number => (f * 7 + x * 13 + y * 29 + c * 61) % 256;
const u16 = (f: number, x: number, y: number): number => (f * 613 + x * 4099 + y * 127) % 65536;
const f32 = (f: number, x: number, y: number): number => Math.fround((f - 50) * 0.375 + x * 1.25 - y * 1e-3);
const u64 = (f: number, x: number, y: number): bigint => 2n ** 64n - 1n - BigInt(f * 1_000_003 + x * 17 + y);
const i8 = (f: number, x: number, y: number, c: number): number =>
  ((f * 3 + x * 5 + y * 11 + c * 37) % 256) - 128;

function fill<T>(channels: number, value: (x: number, y: number, c: number) => T): T[] {
  const out: T[] = [];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) for (let c = 0; c < channels; c++) out.push(value(x, y, c));
  return out;
}

/** 100 frames of five entities with known per-frame values. */
function recording(): ChunkStore {
  const store = new ChunkStore();
  for (let f = 0; f < FRAMES; f++) {
    const rgb = Uint8Array.from(fill(3, (x, y, c) => u8(f, x, y, c)));
    log(store, "/rgb", f, new Image(rgb, { width: W, height: H, colorModel: "RGB" }));
    log(
      store,
      "/depth",
      f,
      new DepthImage(Uint16Array.from(fill(1, (x, y) => u16(f, x, y))), { width: W, height: H }),
    );
    log(
      store,
      "/f32",
      f,
      new Image(Float32Array.from(fill(1, (x, y) => f32(f, x, y))), { width: W, height: H }),
    );
    log(
      store,
      "/u64",
      f,
      new Image(BigUint64Array.from(fill(1, (x, y) => u64(f, x, y))), { width: W, height: H }),
    );
    const bgr = Int8Array.from(fill(3, (x, y, c) => i8(f, x, y, c)));
    log(store, "/bgr", f, new Image(bgr, { width: W, height: H, colorModel: "BGR" }));
  }
  return store;
}

const store = recording();
const frames = Array.from({ length: FRAMES }, (_, f) => f);

/** Exact mean of `value` over a rectangle, as a float64 (numerator summed as bigint from the formula). */
function referenceMean(
  value: (x: number, y: number) => number | bigint,
  rx: number,
  ry: number,
  rw: number,
  rh: number,
): number {
  let sum = 0n;
  for (let y = ry; y < ry + rh; y++) for (let x = rx; x < rx + rw; x++) sum += BigInt(value(x, y));
  const n = BigInt(rw * rh);
  return Number(sum / n) + Number(sum % n) / Number(n);
}

describe("probeImageSeries over 100 logged frames", () => {
  it("returns the logged RGB U8 values of a pixel at every frame", () => {
    const series = probeImageSeries(store, {
      entityPath: "rgb",
      timeline: "frame",
      region: { x: 4, y: 3, width: 1, height: 1 },
    });
    expect(series.kind).toBe("Image");
    expect(series.mean).toBe(false);
    expect(series.channels).toEqual({ names: ["R", "G", "B"], datatype: "U8", source: "raw" });
    expect(series.samples.map((s) => s.time)).toEqual(frames.map(BigInt));
    expect(series.samples.map((s) => s.values)).toEqual(
      frames.map((f) => [0, 1, 2].map((c) => u8(f, 4, 3, c))),
    );
    expect(series.samples.every((s) => s.status === "ok")).toBe(true);
  });

  it("returns DepthImage U16, L F32, BGR I8 (stored order) and exact U64 values", () => {
    const pixel = { x: 6, y: 4, width: 1, height: 1 };
    const depth = probeImageSeries(store, { entityPath: "/depth", timeline: "frame", region: pixel });
    expect(depth.kind).toBe("DepthImage");
    expect(depth.channels).toEqual({ names: ["depth"], datatype: "U16", source: "raw" });
    expect(depth.samples.map((s) => s.values)).toEqual(frames.map((f) => [u16(f, 6, 4)]));

    const float = probeImageSeries(store, { entityPath: "/f32", timeline: "frame", region: pixel });
    expect(float.channels.datatype).toBe("F32");
    expect(float.samples.map((s) => s.values)).toEqual(frames.map((f) => [f32(f, 6, 4)]));

    const bgr = probeImageSeries(store, { entityPath: "/bgr", timeline: "frame", region: pixel });
    expect(bgr.channels).toEqual({ names: ["B", "G", "R"], datatype: "I8", source: "raw" });
    expect(bgr.samples.map((s) => s.values)).toEqual(frames.map((f) => [0, 1, 2].map((c) => i8(f, 6, 4, c))));

    const wide = probeImageSeries(store, { entityPath: "/u64", timeline: "frame", region: pixel });
    expect(wide.channels.datatype).toBe("U64");
    expect(wide.samples.map((s) => s.values)).toEqual(frames.map((f) => [u64(f, 6, 4)]));
    expect(wide.samples[0]!.values).toEqual([18446744073709551615n - 6n * 17n - 4n]);
  });

  it("returns the mean per channel of a rectangle, equal to the exact mean of the logged values", () => {
    const [rx, ry, rw, rh] = [1, 1, 5, 3];
    const region = { x: rx, y: ry, width: rw, height: rh };
    const rgb = probeImageSeries(store, { entityPath: "/rgb", timeline: "frame", region });
    expect(rgb.mean).toBe(true);
    for (const f of frames) {
      expect(rgb.samples[f]!.values).toEqual(
        [0, 1, 2].map((c) => referenceMean((x, y) => u8(f, x, y, c), rx, ry, rw, rh)),
      );
    }
    const wide = probeImageSeries(store, { entityPath: "/u64", timeline: "frame", region });
    for (const f of frames) {
      expect(wide.samples[f]!.values).toEqual([referenceMean((x, y) => u64(f, x, y), rx, ry, rw, rh)]);
    }
    const float = probeImageSeries(store, { entityPath: "/f32", timeline: "frame", region });
    for (const f of frames) {
      // float32 values are exact in float64; a compensated sum of 15 of them is within an ulp of the exact mean.
      let sum = 0;
      for (let y = ry; y < ry + rh; y++) for (let x = rx; x < rx + rw; x++) sum += f32(f, x, y);
      expect(float.samples[f]!.values![0]).toBeCloseTo(sum / (rw * rh), 12);
    }
    const bgr = probeImageSeries(store, { entityPath: "/bgr", timeline: "frame", region });
    expect(bgr.samples[17]!.values).toEqual(
      [0, 1, 2].map((c) => referenceMean((x, y) => i8(17, x, y, c), rx, ry, rw, rh)),
    );
  });

  it("a 1×1 rectangle probed as a mean is a float64 of the pixel value", () => {
    const series = probeImageSeries(store, {
      entityPath: "/u64",
      timeline: "frame",
      region: { x: 0, y: 0, width: 1, height: 1 },
      mean: true,
    });
    expect(series.mean).toBe(true);
    expect(series.samples[3]!.values).toEqual([Number(u64(3, 0, 0))]);
  });
});

describe("latest-at semantics and sample status", () => {
  it("uses the static format for temporal buffers and marks cleared and missing images", () => {
    const s = new ChunkStore();
    log(
      s,
      "/cam",
      undefined,
      Image.fromFields({ format: { width: 2, height: 2, colorModel: "L", channelDatatype: "U8" } }),
    );
    log(s, "/cam", 10, Image.fromFields({ buffer: Uint8Array.of(1, 2, 3, 4) }));
    log(s, "/cam", 20, Image.fromFields({ buffer: Uint8Array.of(5, 6, 7, 8) }));
    // A clear at 30 (empty buffer list), a new image at 40.
    const builder = new ChunkBuilder("/cam");
    builder.addRow(new Tuid(5_000n, nextId++), new Map([["frame", { type: "sequence", value: 30n }]]), [
      batch(
        {
          component: "Image:buffer",
          archetype: "rerun.archetypes.Image",
          componentType: ImageBufferType.name,
        },
        ImageBufferType,
        [],
      ),
    ]);
    s.insert(builder.build(new Tuid(6_000n, nextId++)));
    log(s, "/cam", 40, Image.fromFields({ buffer: Uint8Array.of(9, 10, 11, 12) }));
    const series = probeImageSeries(s, {
      entityPath: "/cam",
      timeline: "frame",
      region: { x: 1, y: 1, width: 1, height: 1 },
    });
    expect(series.samples).toEqual([
      { time: 10n, values: [4], status: "ok" },
      { time: 20n, values: [8], status: "ok" },
      { time: 30n, values: null, status: "no-image" },
      { time: 40n, values: [12], status: "ok" },
    ]);
  });

  it("marks frames where the image is too small or changed its channels", () => {
    const s = new ChunkStore();
    log(s, "/v", 0, new Image(new Uint8Array(4 * 4), { width: 4, height: 4 }));
    log(s, "/v", 1, new Image(new Uint8Array(2 * 2), { width: 2, height: 2 }));
    log(s, "/v", 2, new Image(new Uint8Array(4 * 4 * 3).fill(9), { width: 4, height: 4, colorModel: "RGB" }));
    log(s, "/v", 3, new Image(new Uint16Array(4 * 4).fill(300), { width: 4, height: 4 }));
    const series = probeImageSeries(s, {
      entityPath: "/v",
      timeline: "frame",
      region: { x: 3, y: 3, width: 1, height: 1 },
    });
    expect(series.channels.names).toEqual(["L"]);
    expect(series.samples.map((x) => x.status)).toEqual([
      "ok",
      "out-of-bounds",
      "format-changed",
      "format-changed",
    ]);
    expect(series.samples[1]!.values).toBeNull();
  });

  it("decodes pixel formats to R, G, B as Rerun's hover does (NV12, Y_U_V24 full range, Y8)", () => {
    const s = new ChunkStore();
    // NV12 2×2: Y = 16, 235, 81, 145; one UV pair (U 90, V 240) for the whole 2×2 block.
    log(
      s,
      "/nv12",
      0,
      new Image(Uint8Array.of(16, 235, 81, 145, 90, 240), { width: 2, height: 2, pixelFormat: "NV12" }),
    );
    // Full-range BT.709, Y 255, U = V = 128 → white; Y8 limited: Y 16 → black, Y 235 → white.
    log(
      s,
      "/yuv",
      0,
      new Image(Uint8Array.of(255, 128, 128), {
        width: 1,
        height: 1,
        pixelFormat: PixelFormat.Y_U_V24_FullRange,
      }),
    );
    log(
      s,
      "/y8",
      0,
      new Image(Uint8Array.of(16, 235), { width: 2, height: 1, pixelFormat: PixelFormat.Y8_LimitedRange }),
    );
    const at = (entityPath: string, x: number, y: number): unknown =>
      probeImageSeries(s, { entityPath, timeline: "frame", region: { x, y, width: 1, height: 1 } })
        .samples[0]!.values;
    // Hand-computed with Rerun's BT.601 limited-range maths: y = (Y−16)/219, u = (90−128)/224, v = (240−128)/224;
    // pixel (0,0): y = 0 → r = 1.402·0.5 = 0.701 → 178; g = −0.344·(−0.1696) − 0.714·0.5 < 0 → 0; b < 0 → 0.
    expect(at("/nv12", 0, 0)).toEqual([178, 0, 0]);
    expect(
      probeImageSeries(s, {
        entityPath: "/nv12",
        timeline: "frame",
        region: { x: 0, y: 0, width: 1, height: 1 },
      }).channels,
    ).toEqual({
      names: ["R", "G", "B"],
      datatype: "U8",
      source: "decoded-rgb",
    });
    expect(at("/yuv", 0, 0)).toEqual([255, 255, 255]);
    expect(at("/y8", 0, 0)).toEqual([0, 0, 0]);
    expect(at("/y8", 1, 0)).toEqual([255, 255, 255]);
  });

  it("demosaics Bayer pixel formats with Rerun's rounded means", () => {
    const s = new ChunkStore();
    // RGGB 4×3: row 0 R G R G, row 1 G B G B, row 2 R G R G.
    const bytes = Uint8Array.of(10, 20, 30, 40, 50, 61, 70, 81, 90, 100, 110, 120);
    log(s, "/bayer", 0, new Image(bytes, { width: 4, height: 3, pixelFormat: PixelFormat.BayerRGGB8 }));
    const at = (x: number, y: number): unknown =>
      probeImageSeries(s, { entityPath: "/bayer", timeline: "frame", region: { x, y, width: 1, height: 1 } })
        .samples[0]!.values;
    // (1,1) is B = 61; R = mean of the diagonal R samples 10, 30, 90, 110 = 60; G = mean of 20, 50, 70, 100 = 60.
    expect(at(1, 1)).toEqual([60, 60, 61]);
    // (3,1) is B = 81 at the right border: R = mean(30, 110) = 70; G = mean(40, 70, 120) = 76.67 → 77.
    expect(at(3, 1)).toEqual([70, 77, 81]);
  });

  it("reads F16 values and writes CSV with exact 64-bit values and empty cells for missing ones", () => {
    const s = new ChunkStore();
    const half = Uint16Array.of(float32ToFloat16(0.5), float32ToFloat16(-2));
    log(s, "/h", 0, new Image(half, { width: 2, height: 1, datatype: "F16" }));
    expect(
      probeImageSeries(s, {
        entityPath: "/h",
        timeline: "frame",
        region: { x: 1, y: 0, width: 1, height: 1 },
      }).samples[0]!.values,
    ).toEqual([-2]);
    const wide = probeImageSeries(store, {
      entityPath: "/u64",
      timeline: "frame",
      region: { x: 0, y: 0, width: 1, height: 1 },
    });
    const lines = probeToCsv(wide).split("\n");
    expect(lines[0]).toBe("frame,L,status");
    expect(lines[1]).toBe(`0,${u64(0, 0, 0)},ok`);
    expect(lines).toHaveLength(FRAMES + 2);
  });
});

describe("EncodedImage with a decoder (the viewer's path)", () => {
  it("probes the decoded R, G, B, A of every frame; a blob the decoder refuses is undecodable", () => {
    const s = new ChunkStore();
    // A toy "file format" for the test decoder: width, height, then RGBA bytes; 0xff first = undecodable.
    for (let f = 0; f < 5; f++) {
      const blob =
        f === 3 ? Uint8Array.of(0xff) : Uint8Array.of(2, 1, f, 10, 20, 255, 100 + f, 110, 120, 128);
      log(s, "/jpeg", f, new EncodedImage(blob, { mediaType: "image/x-test" }));
    }
    const seen: (string | undefined)[] = [];
    const series = probeImageSeries(s, {
      entityPath: "/jpeg",
      timeline: "frame",
      region: { x: 1, y: 0, width: 1, height: 1 },
      decodeEncoded: (blob, mediaType) => {
        seen.push(mediaType);
        if (blob[0] === 0xff) return undefined;
        return { width: blob[0]!, height: blob[1]!, rgba: blob.subarray(2) };
      },
    });
    expect(seen).toEqual(Array(5).fill("image/x-test"));
    expect(series.kind).toBe("EncodedImage");
    expect(series.channels).toEqual({ names: ["R", "G", "B", "A"], datatype: "U8", source: "decoded-file" });
    expect(series.samples.map((x) => [x.status, x.values])).toEqual([
      ["ok", [100, 110, 120, 128]],
      ["ok", [101, 110, 120, 128]],
      ["ok", [102, 110, 120, 128]],
      ["undecodable", null],
      ["ok", [104, 110, 120, 128]],
    ]);
    const mean = probeImageSeries(s, {
      entityPath: "/jpeg",
      timeline: "frame",
      region: { x: 0, y: 0, width: 2, height: 1 },
      decodeEncoded: (blob) =>
        blob[0] === 0xff ? undefined : { width: 2, height: 1, rgba: blob.subarray(2) },
    });
    expect(mean.samples[4]!.values).toEqual([(4 + 104) / 2, (10 + 110) / 2, (20 + 120) / 2, (255 + 128) / 2]);
  });
});

describe("probe errors", () => {
  const pixel = { x: 0, y: 0, width: 1, height: 1 };
  const kindOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ProbeError);
      return `${(error as ProbeError).kind}: ${(error as ProbeError).message}`;
    }
    return "no error";
  };

  it("names unknown entities and timelines with what exists", () => {
    expect(
      kindOf(() => probeImageSeries(store, { entityPath: "/nope", timeline: "frame", region: pixel })),
    ).toMatch(/^unknown-entity: .*image entities: \/bgr, \/depth, \/f32, \/rgb, \/u64$/);
    expect(
      kindOf(() => probeImageSeries(store, { entityPath: "/rgb", timeline: "time", region: pixel })),
    ).toMatch(/^unknown-timeline: .*timelines: frame$/);
  });

  it("refuses out-of-bounds and invalid regions with expected vs actual", () => {
    expect(
      kindOf(() =>
        probeImageSeries(store, {
          entityPath: "/rgb",
          timeline: "frame",
          region: { x: 7, y: 0, width: 1, height: 1 },
        }),
      ),
    ).toBe(
      "out-of-bounds: pixel (7, 0) is outside the image at every time: expected x + width ≤ 7 and y + height ≤ 5 (image 7×5)",
    );
    expect(
      kindOf(() =>
        probeImageSeries(store, {
          entityPath: "/rgb",
          timeline: "frame",
          region: { x: 3, y: 2, width: 5, height: 3 },
        }),
      ),
    ).toMatch(/^out-of-bounds: rectangle x 3, y 2, 5×3 is outside/);
    expect(
      kindOf(() =>
        probeImageSeries(store, {
          entityPath: "/rgb",
          timeline: "frame",
          region: { x: -1, y: 0, width: 1, height: 1 },
        }),
      ),
    ).toBe("invalid-region: probe x must be an integer ≥ 0, got -1");
    expect(
      kindOf(() =>
        probeImageSeries(store, {
          entityPath: "/rgb",
          timeline: "frame",
          region: { x: 0, y: 0, width: 0, height: 1 },
        }),
      ),
    ).toBe("invalid-region: probe width must be an integer ≥ 1, got 0");
  });

  it("refuses EncodedImage, static-only images and non-image entities", () => {
    const s = new ChunkStore();
    log(s, "/jpeg", 0, new EncodedImage(Uint8Array.of(0xff, 0xd8, 0xff), { mediaType: "image/jpeg" }));
    log(s, "/still", undefined, new Image(new Uint8Array(4), { width: 2, height: 2 }));
    log(s, "/seg", 0, new SegmentationImage(new Uint8Array(4), { width: 2, height: 2 }));
    expect(
      kindOf(() => probeImageSeries(s, { entityPath: "/jpeg", timeline: "frame", region: pixel })),
    ).toMatch(/^encoded-image: /);
    expect(
      kindOf(() => probeImageSeries(s, { entityPath: "/still", timeline: "frame", region: pixel })),
    ).toBe(
      'no-temporal-data: /still logs no Image on timeline "frame" (its image is static: one value for all times)',
    );
    const seg = probeImageSeries(s, { entityPath: "/seg", timeline: "frame", region: pixel });
    expect(seg.channels).toEqual({ names: ["class_id"], datatype: "U8", source: "raw" });
  });
});
