// Rerun → Iris: the real Rerun 0.41 Python SDK logs the Image format space (scripts/rerun-oracle/
// log_format_space.py); Iris reads every file (verify, print, query, the ChunkStore) and every decoded value equals
// the numpy array the script saved beside the recording, byte for byte.
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, readRecordingFile } from "@iris/cli";
import { ChunkStore } from "@iris/store";
import {
  AnnotationContextType,
  BlobType,
  ChannelDatatype,
  ColorModel,
  ColormapType,
  type ComponentType,
  DepthMeterType,
  ImageBufferType,
  ImageFormatType,
  ImagePlaneDistanceType,
  PinholeProjectionType,
  ResolutionType,
  RotationQuatType,
  Scale3DType,
  TransformMat3x3Type,
  Translation3DType,
  ValueRangeType,
  decodeImageToRgba8,
  float32Component,
  utf8Component,
} from "@iris/types";
import { type FormatSpace, type OracleItem, logFormatSpace, rerun } from "./rerun-venv.ts";

let space: FormatSpace;
const stores = new Map<string, ChunkStore>();

beforeAll(async () => {
  space = await logFormatSpace();
  for (const name of Object.keys(space.files)) {
    const recording = readRecordingFile(space.rrd(name));
    const store = new ChunkStore();
    for (const { chunk, storeId } of recording.chunks) if (storeId.kind === "recording") store.insert(chunk);
    stores.set(name, store);
  }
}, 120_000);

afterAll(async () => {
  if (space) await rm(space.dir, { recursive: true, force: true });
});

async function iris(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

/** The value of `component` of `item` at its (first) logged time, or its static value. */
function valueOf<T>(
  item: OracleItem,
  component: string,
  type: ComponentType<T>,
  timeline?: string,
  time?: bigint,
): T {
  const store = stores.get(item.file)!;
  const tl = timeline ?? item.timeline ?? "frame";
  const t = time ?? BigInt(item.time ?? 0);
  const row =
    item.static === true
      ? store.latestStatic(item.entity, component)
      : store.latestAt({ entityPath: item.entity, timeline: tl, time: t, component });
  if (!row) throw new Error(`${item.entity}: no ${component} at ${tl}=${t}`);
  const values = row.chunk.componentValues(component, row.row, type);
  if (!values || values.length !== 1)
    throw new Error(`${item.entity}: ${component} has ${values?.length} values`);
  return values[0]!;
}

const f32 = (x: number): number => Math.fround(x);
const OpacityType = float32Component("rerun.components.Opacity");
const DrawOrderType = float32Component("rerun.components.DrawOrder");
const MediaTypeType = utf8Component("rerun.components.MediaType");
const NameType = utf8Component("rerun.components.Name");

const images = (): OracleItem[] => space.items.filter((i) => i.buffer !== undefined && i.times === undefined);
const BAYER = /^Bayer/;

describe("Rerun 0.41 Python SDK → Iris", () => {
  it("the oracle itself accepts what it wrote (rerun rrd verify)", async () => {
    expect(space.rerunVersion).toBe("0.41.0");
    const result = await rerun(["rrd", "verify", ...Object.keys(space.files).map((n) => space.rrd(n))]);
    expect(result.stderr + result.stdout).toContain("3 files verified without error.");
    expect(result.code).toBe(0);
  });

  it("reads every message and chunk; the only note is that the stream is newer than Iris", () => {
    for (const name of Object.keys(space.files)) {
      const recording = readRecordingFile(space.rrd(name));
      expect(recording.problems.map((p) => `${p.kind}: ${p.message}`)).toEqual([
        "newer-version: stream was written by version 0.41.0, newer than this reader; decoding anyway",
      ]);
      const arrowMsgs = recording.messages.filter((m) => m.message.kind === "arrowMsg").length;
      expect(recording.chunks.length).toBe(arrowMsgs);
    }
  });

  it("every ColorModel × ChannelDatatype and every non-Bayer PixelFormat: buffer and format byte for byte", async () => {
    const checked: string[] = [];
    for (const item of images().filter((i) => i.archetype === "Image" && !BAYER.test(i.pixelFormat ?? ""))) {
      const buffer = valueOf(item, "Image:buffer", ImageBufferType);
      expect(buffer, item.entity).toEqual(await space.bytes(item.buffer!));
      const format = valueOf(item, "Image:format", ImageFormatType);
      expect(format.width).toBe(item.width);
      expect(format.height).toBe(item.height);
      if (item.pixelFormat) {
        expect(format.pixelFormat).toBe((PixelFormatByName as Record<string, number>)[item.pixelFormat]);
      } else {
        expect(format.colorModel).toBe(ColorModel[item.colorModel as keyof typeof ColorModel]);
        expect(format.channelDatatype).toBe(ChannelDatatype[item.datatype as keyof typeof ChannelDatatype]);
      }
      // The CPU reference decoder accepts every one of them (sizes and enums agree with Rerun's).
      expect(decodeImageToRgba8(buffer, format).length).toBe(item.width! * item.height! * 4);
      checked.push(item.entity);
    }
    expect(checked.length).toBe(5 * 11 + 10 + 1);
    const logo = space.items.find((i) => i.entity === "/static/logo")!;
    expect(valueOf(logo, "Image:opacity", OpacityType)).toBe(f32(0.5));
    expect(valueOf(logo, "Image:draw_order", DrawOrderType)).toBe(3);
  });

  // Rerun 0.41's Bayer PixelFormats (BayerRGGB8 = 128, BayerBGGR8 = 129, BayerGBRG8 = 130, BayerGRBG8 = 131, one U8
  // sample per pixel) decode with the rule of Rerun's `bayer_converter.wgsl`, restated here independently: own
  // colour = own sample, every other colour = mean of that colour's samples in the 3×3 window clipped to the image;
  // the means are linear colour, shown sRGB-encoded (IEC 61966-2-1), as Rerun 0.41's native viewer shows them
  // (docs/rerun-differences.md).
  it("Rerun 0.41 Bayer PixelFormats (128…131) decode in Iris", async () => {
    const bayer = images().filter((i) => BAYER.test(i.pixelFormat ?? ""));
    expect(bayer.length).toBe(4);
    for (const item of bayer) {
      const buffer = valueOf(item, "Image:buffer", ImageBufferType);
      expect(buffer).toEqual(await space.bytes(item.buffer!));
      const format = valueOf(item, "Image:format", ImageFormatType);
      expect(format.pixelFormat).toBe(BayerPixelFormats[item.pixelFormat as keyof typeof BayerPixelFormats]);
      const tile = /^Bayer(\w{4})8$/.exec(item.pixelFormat!)![1]!;
      const { width: w, height: h } = format;
      const colourAt = (x: number, y: number): number => "RGB".indexOf(tile[(y % 2) * 2 + (x % 2)]!);
      const expected = new Uint8ClampedArray(w * h * 4);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const rgb = [0, 0, 0];
          for (const c of [0, 1, 2]) {
            const samples: number[] = [];
            for (let ny = y - 1; ny <= y + 1; ny++)
              for (let nx = x - 1; nx <= x + 1; nx++)
                if (nx >= 0 && ny >= 0 && nx < w && ny < h && colourAt(nx, ny) === c)
                  samples.push(buffer[ny * w + nx]!);
            rgb[c] =
              c === colourAt(x, y)
                ? buffer[y * w + x]!
                : samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
          }
          const encoded = rgb.map((v) => {
            const t = v / 255;
            return Math.round(255 * (t <= 0.0031308 ? 12.92 * t : 1.055 * t ** (1 / 2.4) - 0.055));
          });
          expected.set([...encoded, 255], (y * w + x) * 4);
        }
      }
      expect(decodeImageToRgba8(buffer, format), item.entity).toEqual(expected);
    }
  });

  it("EncodedImage blobs, media types and opacity", async () => {
    for (const item of space.items.filter((i) => i.archetype === "EncodedImage")) {
      expect(valueOf(item, "EncodedImage:blob", BlobType)).toEqual(await space.bytes(item.blob!));
      expect(valueOf(item, "EncodedImage:media_type", MediaTypeType)).toBe(item.mediaType);
      if (item.opacity !== undefined)
        expect(valueOf(item, "EncodedImage:opacity", OpacityType)).toBe(f32(item.opacity));
    }
  });

  it("DepthImage and SegmentationImage buffers, formats, meter, colormap, depth range, opacity", async () => {
    for (const item of space.items.filter(
      (i) => i.archetype === "DepthImage" || i.archetype === "SegmentationImage",
    )) {
      const a = item.archetype;
      expect(valueOf(item, `${a}:buffer`, ImageBufferType), item.entity).toEqual(
        await space.bytes(item.buffer!),
      );
      const format = valueOf(item, `${a}:format`, ImageFormatType);
      expect([format.width, format.height, format.colorModel ?? ColorModel.L]).toEqual([
        item.width,
        item.height,
        1,
      ]);
      expect(format.channelDatatype).toBe(ChannelDatatype[item.datatype as keyof typeof ChannelDatatype]);
      if (item.meter !== undefined) expect(valueOf(item, `${a}:meter`, DepthMeterType)).toBe(f32(item.meter));
      if (item.colormap !== undefined)
        expect(valueOf(item, `${a}:colormap`, ColormapType)).toBe(item.colormap);
      if (item.depthRange)
        expect(Array.from(valueOf(item, `${a}:depth_range`, ValueRangeType))).toEqual(item.depthRange);
      if (item.opacity !== undefined)
        expect(valueOf(item, `${a}:opacity`, OpacityType)).toBe(f32(item.opacity));
    }
  });

  it("Pinhole, Transform3D and AnnotationContext values", () => {
    const find = (entity: string, archetype: string): OracleItem =>
      space.items.find((i) => i.entity === entity && i.archetype === archetype)!;
    const pinhole = find("/world/camera", "Pinhole");
    expect(Array.from(valueOf(pinhole, "Pinhole:image_from_camera", PinholeProjectionType))).toEqual(
      pinhole.imageFromCamera,
    );
    expect(Array.from(valueOf(pinhole, "Pinhole:resolution", ResolutionType))).toEqual(pinhole.resolution);
    expect(valueOf(pinhole, "Pinhole:image_plane_distance", ImagePlaneDistanceType)).toBe(2.5);
    const world = find("/world", "Transform3D");
    expect(Array.from(valueOf(world, "Transform3D:translation", Translation3DType))).toEqual(
      world.translation,
    );
    expect(Array.from(valueOf(world, "Transform3D:quaternion", RotationQuatType))).toEqual(
      world.quaternion!.map(f32),
    );
    expect(Array.from(valueOf(world, "Transform3D:scale", Scale3DType))).toEqual(world.scale);
    const tilted = find("/world/tilted", "Transform3D");
    expect(Array.from(valueOf(tilted, "Transform3D:mat3x3", TransformMat3x3Type))).toEqual(tilted.mat3x3);
    const annotation = find("/world/camera", "AnnotationContext");
    const context = valueOf(annotation, "AnnotationContext:context", AnnotationContextType);
    expect(
      context.map((c) => [c.classId, c.classDescription.info.label, c.classDescription.info.color]),
    ).toEqual(
      annotation.classes!.map(([id, label, [r, g, b, a]]) => [
        id,
        label,
        ((r! << 24) | (g! << 16) | (b! << 8) | a!) >>> 0,
      ]),
    );
  });

  it("row updates on sequence, duration and timestamp timelines, and send_columns updates with a static format", async () => {
    const store = stores.get("updates")!;
    const timelines = store.timelines();
    expect(timelines.get("frame")?.type).toBe("sequence");
    expect(timelines.get("step")?.type).toBe("sequence");
    expect(timelines.get("sim_time")?.type).toBe("duration");
    expect(timelines.get("wall")?.type).toBe("timestamp");
    const updates = space.items.filter((i) => i.times !== undefined);
    expect(updates.length).toBe(12);
    for (const item of updates) {
      const reference = await space.bytes(item.buffer!);
      for (const [timeline, t] of Object.entries(item.times!)) {
        const row = store.rangeTemporal({
          entityPath: item.entity,
          timeline,
          start: BigInt(t),
          end: BigInt(t),
          component: "Image:buffer",
        });
        expect(row.length, `${item.entity} ${timeline}=${t}`).toBe(1);
        expect(row[0]!.chunk.componentValues("Image:buffer", row[0]!.row, ImageBufferType)).toEqual([
          reference,
        ]);
      }
    }
    const staticFormat = store.latestStatic("/columns/image", "Image:format");
    expect(staticFormat).toBeDefined();
    expect(staticFormat!.chunk.componentValues("Image:format", staticFormat!.row, ImageFormatType)).toEqual([
      { width: 5, height: 3, colorModel: ColorModel.L, channelDatatype: ChannelDatatype.U16 },
    ]);
  });

  it("recording properties (name, start time, a custom property) and the blueprint store", () => {
    const file = space.files.formats!;
    const store = stores.get("formats")!;
    const name = store.latestStatic("/__properties", "RecordingInfo:name");
    expect(name?.chunk.componentValues("RecordingInfo:name", name.row, NameType)).toEqual([
      file.recordingName,
    ]);
    expect(store.entityPaths()).toContain("/__properties/oracle");
    const recording = readRecordingFile(space.rrd("formats"));
    const storeKinds = recording.messages
      .filter((m) => m.message.kind === "setStoreInfo")
      .map((m) =>
        m.message.kind === "setStoreInfo"
          ? `${m.message.storeId.kind}:${m.message.storeId.applicationId}`
          : "",
      );
    expect(storeKinds).toEqual(
      expect.arrayContaining([`recording:${file.applicationId}`, `blueprint:${file.applicationId}`]),
    );
    expect(recording.messages.some((m) => m.message.kind === "blueprintActivation")).toBe(true);
    expect(
      recording.chunks.some((c) => c.storeId.kind === "blueprint" && c.chunk.entityPath === "/viewport"),
    ).toBe(true);
  });

  it("iris print names the stores, timelines and entities", async () => {
    const { code, out } = await iris("print", space.rrd("updates"));
    expect(code).toBe(0);
    expect(out).toContain("store recording:rerun_example_oracle_updates/oracle-updates");
    expect(out).toContain("written by: Rerun-compatible 0.41.0");
    expect(out).toMatch(/frame \(sequence\): 0 … 5/);
    expect(out).toMatch(/sim_time \(duration\)/);
    expect(out).toMatch(/wall \(timestamp\)/);
    expect(out).toContain("/rows/image: ");
    expect(out).toContain("/columns/image: ");
  });

  it("iris query makes the dataframe of each timeline", async () => {
    const frame = await iris("query", space.rrd("updates"), "--index", "frame", "--entity", "/rows/**");
    expect(frame.code).toBe(0);
    expect(frame.out).toContain("6 rows");
    expect(frame.out).toContain("/rows/image:Image:buffer=[<72 bytes>]");
    const step = await iris("query", space.rrd("updates"), "--index", "step", "--entity", "/columns/**");
    expect(step.code).toBe(0);
    expect(step.out).toContain("6 rows");
    expect(step.out).toContain("step=15");
    // int64 nanosecond timestamps and durations, printed exactly (not through Arrow JS's lossy Date numbers).
    const wall = await iris("query", space.rrd("updates"), "--index", "wall", "--entity", "/rows/**");
    expect(wall.out).toContain("wall=2023-11-14T22:13:20.001Z  ");
    const sim = await iris("query", space.rrd("updates"), "--index", "sim_time", "--entity", "/rows/**");
    expect(sim.out).toContain("sim_time=2.5s  ");
  });

  // Sorbet 0.1.4 chunks, AnyValues columns without a component type (`send_property`) and a stream newer than
  // Iris are all valid: the newer stream is a warning (Rerun's reader warns and decodes), not a problem.
  it("iris verify accepts the files Rerun 0.41 writes", async () => {
    for (const name of ["scene", "updates"]) {
      const { code, out, err } = await iris("verify", space.rrd(name));
      expect(err + out).not.toMatch(/problem/);
      expect(out).toContain("warning newer-version: stream was written by version 0.41.0");
      expect(code).toBe(0);
    }
  });
});

const BayerPixelFormats = { BayerRGGB8: 128, BayerBGGR8: 129, BayerGBRG8: 130, BayerGRBG8: 131 } as const;

const PixelFormatByName = {
  Y_U_V12_LimitedRange: 20,
  NV12: 26,
  YUY2: 27,
  Y8_FullRange: 30,
  Y_U_V24_LimitedRange: 39,
  Y_U_V24_FullRange: 40,
  Y8_LimitedRange: 41,
  Y_U_V12_FullRange: 44,
  Y_U_V16_LimitedRange: 49,
  Y_U_V16_FullRange: 50,
} as const;
