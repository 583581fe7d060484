// The probe over every ColorModel × ChannelDatatype (raw values as logged, 64-bit exact), every PixelFormat
// (decoded R, G, B equal to the CPU reference decoder's picture) and the Iris extension layouts.
import { ChunkBuilder } from "@iris/chunk";
import {
  type AsComponents,
  ChannelDatatype,
  ColorModel,
  Image,
  PixelFormat,
  Tuid,
  colorModelChannels,
  decodeImageToRgba8,
  decodeIrisLayoutToRgba8,
  float16ToFloat32,
  float32ToFloat16,
  imageFromBayer,
  imageFromUyvy,
  imageSizeBytes,
} from "@iris/types";
import { describe, expect, it } from "vitest";
import { ChunkStore } from "./chunk-store.ts";
import { probeImageSeries } from "./pixel-probe.ts";

let nextId = 1n;
function storeWith(entries: readonly (readonly [string, number, AsComponents])[]): ChunkStore {
  const store = new ChunkStore();
  for (const [entityPath, frame, archetype] of entries) {
    const builder = new ChunkBuilder(entityPath);
    builder.addRow(
      new Tuid(7_000n, nextId++),
      new Map([["frame", { type: "sequence" as const, value: BigInt(frame) }]]),
      archetype.asComponentBatches(),
    );
    store.insert(builder.build(new Tuid(8_000n, nextId++)));
  }
  return store;
}

/** Per datatype: a typed array of `n` values cycling through extremes, and how a probe reports element i. */
function valuesOf(
  dt: string,
  n: number,
  seed: number,
): { array: ArrayBufferView; at: (i: number) => number | bigint } {
  const pick =
    <T>(list: readonly T[]) =>
    (i: number): T =>
      list[(i + seed) % list.length]!;
  switch (dt) {
    case "U8": {
      const a = Uint8Array.from({ length: n }, (_, i) => pick([0, 1, 127, 128, 254, 255])(i));
      return { array: a, at: (i) => a[i]! };
    }
    case "I8": {
      const a = Int8Array.from({ length: n }, (_, i) => pick([-128, -1, 0, 1, 127])(i));
      return { array: a, at: (i) => a[i]! };
    }
    case "U16": {
      const a = Uint16Array.from({ length: n }, (_, i) => pick([0, 255, 256, 65534, 65535])(i));
      return { array: a, at: (i) => a[i]! };
    }
    case "I16": {
      const a = Int16Array.from({ length: n }, (_, i) => pick([-32768, -1, 0, 300, 32767])(i));
      return { array: a, at: (i) => a[i]! };
    }
    case "U32": {
      const a = Uint32Array.from({ length: n }, (_, i) => pick([0, 65536, 2 ** 31, 4294967295])(i));
      return { array: a, at: (i) => a[i]! };
    }
    case "I32": {
      const a = Int32Array.from({ length: n }, (_, i) => pick([-(2 ** 31), -7, 0, 2 ** 31 - 1])(i));
      return { array: a, at: (i) => a[i]! };
    }
    case "U64": {
      const a = BigUint64Array.from({ length: n }, (_, i) =>
        pick([0n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n])(i),
      );
      return { array: a, at: (i) => a[i]! };
    }
    case "I64": {
      const a = BigInt64Array.from({ length: n }, (_, i) =>
        pick([-(2n ** 63n), -(2n ** 53n) - 1n, 0n, 2n ** 63n - 1n])(i),
      );
      return { array: a, at: (i) => a[i]! };
    }
    case "F16": {
      const a = Uint16Array.from({ length: n }, (_, i) =>
        float32ToFloat16(pick([0.5, -2, 65504, 6.1e-5, -0])(i)),
      );
      return { array: a, at: (i) => float16ToFloat32(a[i]!) };
    }
    case "F32": {
      const a = Float32Array.from({ length: n }, (_, i) =>
        pick([0.25, -3.4e38, Infinity, Number.NaN, 1e-30])(i),
      );
      return { array: a, at: (i) => a[i]! };
    }
    default: {
      const a = Float64Array.from({ length: n }, (_, i) =>
        pick([1e300, -5e-324, -Infinity, 0.1, Number.NaN])(i),
      );
      return { array: a, at: (i) => a[i]! };
    }
  }
}

const MODEL_NAMES: Record<string, string[]> = {
  L: ["L"],
  RGB: ["R", "G", "B"],
  RGBA: ["R", "G", "B", "A"],
  BGR: ["B", "G", "R"],
  BGRA: ["B", "G", "R", "A"],
};

describe("probe of every ColorModel × ChannelDatatype", () => {
  const W = 3;
  const H = 2;
  for (const model of Object.keys(ColorModel) as (keyof typeof ColorModel)[]) {
    for (const dt of Object.keys(ChannelDatatype) as (keyof typeof ChannelDatatype)[]) {
      it(`${model} ${dt}: the raw values of every pixel at both frames`, () => {
        const channels = colorModelChannels(ColorModel[model]);
        const frames = [0, 1].map((f) => valuesOf(dt, W * H * channels, f));
        const store = storeWith(
          frames.map(
            (v, f) =>
              [
                "/img",
                f,
                Image.fromFields({
                  buffer: new Uint8Array(v.array.buffer, v.array.byteOffset, v.array.byteLength),
                  format: { width: W, height: H, colorModel: model, channelDatatype: dt },
                }),
              ] as const,
          ),
        );
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) {
            const series = probeImageSeries(store, {
              entityPath: "/img",
              timeline: "frame",
              region: { x, y, width: 1, height: 1 },
            });
            expect(series.channels).toEqual({ names: MODEL_NAMES[model], datatype: dt, source: "raw" });
            const expected = frames.map((v) =>
              Array.from({ length: channels }, (_, c) => v.at((y * W + x) * channels + c)),
            );
            expect(series.samples.map((s) => s.values)).toEqual(expected);
          }
        }
        if (dt === "F16" || dt === "F32" || dt === "F64") {
          // Float means: the float64 mean of the values (NaN and ±Infinity propagate as in IEEE arithmetic).
          const mean = probeImageSeries(store, {
            entityPath: "/img",
            timeline: "frame",
            region: { x: 0, y: 0, width: W, height: H },
          });
          frames.forEach((v, f) => {
            for (let c = 0; c < channels; c++) {
              let sum = 0;
              for (let p = 0; p < W * H; p++) sum += Number(v.at(p * channels + c));
              const got = mean.samples[f]!.values![c] as number;
              if (Number.isFinite(sum)) expect(got).toBeCloseTo(sum / (W * H), 10);
              else expect(got).toBe(sum / (W * H));
            }
          });
        } else {
          // Integer means are exact: the float64 nearest to the exact rational mean.
          const mean = probeImageSeries(store, {
            entityPath: "/img",
            timeline: "frame",
            region: { x: 0, y: 0, width: W, height: H },
          });
          frames.forEach((v, f) => {
            const expected = Array.from({ length: channels }, (_, c) => {
              let sum = 0n;
              for (let p = 0; p < W * H; p++) sum += BigInt(v.at(p * channels + c));
              const n = BigInt(W * H);
              return Number(sum / n) + Number(sum % n) / Number(n);
            });
            expect(mean.samples[f]!.values).toEqual(expected);
          });
        }
      });
    }
  }
});

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  return Uint8Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  });
}

/**
 * Independent restatement of Rerun 0.41's demosaic (docs/rerun-differences.md): a pixel keeps its own sample, each
 * other colour is the rounded mean of that colour's samples among the 8 neighbours inside the image (0 if none).
 * RGBA8 out, alpha 255. `pattern` names the 2×2 tile row by row ("RGGB").
 */
function bayerRawReference(bytes: Uint8Array, w: number, h: number, pattern: string): Uint8Array {
  const colourAt = (x: number, y: number): number => "RGB".indexOf(pattern[(y % 2) * 2 + (x % 2)]!);
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sum = [0, 0, 0];
      const n = [0, 0, 0];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if ((dx === 0 && dy === 0) || nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          sum[colourAt(nx, ny)]! += bytes[ny * w + nx]!;
          n[colourAt(nx, ny)]! += 1;
        }
      }
      const own = colourAt(x, y);
      for (let c = 0; c < 3; c++) {
        out[4 * (y * w + x) + c] =
          c === own ? bytes[y * w + x]! : n[c] === 0 ? 0 : Math.round(sum[c]! / n[c]!);
      }
      out[4 * (y * w + x) + 3] = 255;
    }
  }
  return out;
}

describe("probe of every PixelFormat: decoded R, G, B as the CPU reference shows them", () => {
  for (const name of Object.keys(PixelFormat) as (keyof typeof PixelFormat)[]) {
    for (const [W, H] of [
      [6, 4],
      [5, 3],
    ] as const) {
      it(`${name} ${W}×${H}`, () => {
        const format = { width: W, height: H, pixelFormat: PixelFormat[name] };
        const buffer = bytes(imageSizeBytes(format), W * 31 + PixelFormat[name]);
        const store = storeWith([["/yuv", 0, Image.fromFields({ buffer, format })]]);
        // Bayer: the probe reports Rerun's raw demosaiced means (its hover text), not the sRGB-encoded display colour.
        const reference = name.startsWith("Bayer")
          ? bayerRawReference(buffer, W, H, name.slice(5, 9))
          : decodeImageToRgba8(buffer, format);
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) {
            const series = probeImageSeries(store, {
              entityPath: "/yuv",
              timeline: "frame",
              region: { x, y, width: 1, height: 1 },
            });
            expect(series.channels).toEqual({
              names: ["R", "G", "B"],
              datatype: "U8",
              source: "decoded-rgb",
            });
            const o = 4 * (y * W + x);
            expect(series.samples[0]!.values, `${x},${y}`).toEqual([
              reference[o],
              reference[o + 1],
              reference[o + 2],
            ]);
          }
        }
      });
    }
  }

  it("Iris extension layouts (Bayer U8, UYVY) report the shown pixels decoded", () => {
    const bayer = bytes(6 * 4, 3);
    const uyvy = bytes(4 * 2 * 3, 4);
    const bayerImage = imageFromBayer(bayer, { width: 6, height: 4, pattern: "GBRG" });
    const uyvyImage = imageFromUyvy(uyvy, { width: 4, height: 3 });
    const store = storeWith([
      ["/bayer", 0, bayerImage],
      ["/uyvy", 0, uyvyImage],
    ]);
    for (const [entityPath, image, layout, w, h] of [
      ["/bayer", bayerImage, "BayerGBRG", 6, 4],
      ["/uyvy", uyvyImage, "UYVY", 4, 3],
    ] as const) {
      const reference = decodeIrisLayoutToRgba8(image.buffer!, image.format!, layout);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const series = probeImageSeries(store, {
            entityPath,
            timeline: "frame",
            region: { x, y, width: 1, height: 1 },
          });
          const o = 4 * (y * w + x);
          expect(series.samples[0]!.values, `${entityPath} ${x},${y}`).toEqual([
            reference[o],
            reference[o + 1],
            reference[o + 2],
          ]);
        }
      }
    }
  });
});
