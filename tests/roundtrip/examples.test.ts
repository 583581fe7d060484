// Runs the five seed examples into .rrd files and checks the decoded content against the snippet descriptions
// (image-archetype-detail.md §4); expected pixels are computed by hand from those descriptions.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chunk, chunkFromIpc } from "@iris/chunk";
import { type ArrowMsgMessage, type RrdMessage, decodeRrd } from "@iris/rrd";
import { BlobType, ImageBufferType, type ImageFormat, ImageFormatType, MediaTypeType } from "@iris/types";
import { allExamples } from "../../examples/src/all-examples.ts";
import { writeExample } from "../../examples/src/run-example.ts";

const RGB_U8_300x200: ImageFormat = { width: 300, height: 200, colorModel: 2, channelDatatype: 6 };

interface Decoded {
  messages: RrdMessage[];
  /** The data chunks, after the recording-properties chunk every example starts with. */
  chunks: Chunk[];
  applicationId: string;
}

const decoded = new Map<string, Decoded>();
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "iris-examples-test-"));
  expect(allExamples.map((e) => e.name)).toEqual([
    "image_simple",
    "image_formats",
    "image_advanced",
    "image_row_updates",
    "image_column_updates",
  ]);
  for (const example of allExamples) {
    const path = await writeExample(example, join(dir, `${example.name}.rrd`));
    const { messages, warnings } = decodeRrd(new Uint8Array(readFileSync(path)));
    expect(warnings, example.name).toEqual([]);
    expect(messages[0]!.kind, example.name).toBe("setStoreInfo");
    const info = messages[0]!;
    const [properties, ...chunks] = messages
      .filter((m): m is ArrowMsgMessage => m.kind === "arrowMsg")
      .map((m) => {
        const chunk = chunkFromIpc(m.ipc);
        expect(m.isStatic).toBe(chunk.isStatic);
        return chunk;
      });
    // Every example's first chunk is the recording properties, sent at creation as Rerun's SDKs do.
    expect(properties?.entityPath, example.name).toBe("/__properties");
    expect(properties?.isStatic, example.name).toBe(true);
    expect([...properties!.components.keys()], example.name).toContain("RecordingInfo:start_time");
    decoded.set(example.name, {
      messages,
      chunks,
      applicationId: info.kind === "setStoreInfo" ? info.storeId.applicationId : "",
    });
  }
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function get(name: string): Decoded {
  const d = decoded.get(name);
  if (!d) throw new Error(`example ${name} did not run`);
  return d;
}

/** All rows logged to `entity`, with their buffer/format (or null) and times. */
function rowsOf(d: Decoded, entity: string): { chunk: Chunk; row: number }[] {
  const out: { chunk: Chunk; row: number }[] = [];
  for (const chunk of d.chunks.filter((c) => c.entityPath === entity)) {
    for (let row = 0; row < chunk.numRows; row++) out.push({ chunk, row });
  }
  return out;
}

function bufferOf(chunk: Chunk, row: number): Uint8Array {
  const values = chunk.componentValues("Image:buffer", row, ImageBufferType);
  expect(values).toHaveLength(1);
  return values![0]!;
}

function formatOf(chunk: Chunk, row: number): ImageFormat {
  const values = chunk.componentValues("Image:format", row, ImageFormatType);
  expect(values).toHaveLength(1);
  return values![0]!;
}

function px(bytes: Uint8Array, width: number, channels: number, x: number, y: number): number[] {
  const i = (y * width + x) * channels;
  return Array.from(bytes.subarray(i, i + channels));
}

describe("image_simple", () => {
  it("logs one 300×200 RGB image at /image: red with a green square 50..150", () => {
    const d = get("image_simple");
    expect(d.applicationId).toBe("rerun_example_image");
    expect(d.chunks).toHaveLength(1);
    const chunk = d.chunks[0]!;
    expect(chunk.entityPath).toBe("/image");
    expect(chunk.numRows).toBe(1);
    expect([...chunk.timelines.keys()].sort()).toEqual(["log_tick", "log_time"]);
    expect(formatOf(chunk, 0)).toEqual(RGB_U8_300x200);
    const buf = bufferOf(chunk, 0);
    expect(buf.length).toBe(300 * 200 * 3);
    const red = [255, 0, 0];
    const green = [0, 255, 0];
    expect(px(buf, 300, 3, 0, 0)).toEqual(red);
    expect(px(buf, 300, 3, 50, 50)).toEqual(green);
    expect(px(buf, 300, 3, 149, 149)).toEqual(green);
    expect(px(buf, 300, 3, 150, 150)).toEqual(red);
    expect(px(buf, 300, 3, 49, 100)).toEqual(red);
    expect(px(buf, 300, 3, 299, 199)).toEqual(red);
    expect(px(buf, 300, 3, 100, 149)).toEqual(green);
  });
});

describe("image_formats", () => {
  const positions: [number, number][] = [
    [0, 0],
    [10, 20],
    [200, 100],
    [255, 255],
    [128, 3],
  ];

  function only(d: Decoded, entity: string): { buf: Uint8Array; format: ImageFormat } {
    const rows = rowsOf(d, entity);
    expect(rows, entity).toHaveLength(1);
    return { buf: bufferOf(rows[0]!.chunk, 0), format: formatOf(rows[0]!.chunk, 0) };
  }

  it("logs exactly four entities, without timelines of its own", () => {
    const d = get("image_formats");
    expect(d.applicationId).toBe("rerun_example_image_formats");
    expect(new Set(d.chunks.map((c) => c.entityPath))).toEqual(
      new Set(["/image_rgb", "/image_green_only", "/image_bgr", "/image_yuv422"]),
    );
    for (const c of d.chunks) expect([...c.timelines.keys()].sort()).toEqual(["log_tick", "log_time"]);
  });

  it("image_rgb: (x, min(255, x+y), y)", () => {
    const { buf, format } = only(get("image_formats"), "/image_rgb");
    expect(format).toEqual({ width: 256, height: 256, colorModel: 2, channelDatatype: 6 });
    for (const [x, y] of positions) expect(px(buf, 256, 3, x, y)).toEqual([x, Math.min(255, x + y), y]);
  });

  it("image_bgr: the channels reversed, colour model BGR", () => {
    const { buf, format } = only(get("image_formats"), "/image_bgr");
    expect(format).toEqual({ width: 256, height: 256, colorModel: 4, channelDatatype: 6 });
    for (const [x, y] of positions) expect(px(buf, 256, 3, x, y)).toEqual([y, Math.min(255, x + y), x]);
  });

  it("image_green_only: the green channel as L", () => {
    const { buf, format } = only(get("image_formats"), "/image_green_only");
    expect(format).toEqual({ width: 256, height: 256, colorModel: 1, channelDatatype: 6 });
    expect(buf.length).toBe(256 * 256);
    for (const [x, y] of positions) expect(px(buf, 256, 1, x, y)).toEqual([Math.min(255, x + y)]);
  });

  it("image_yuv422: Y_U_V16_FullRange with Y = 128, U = 2x, V = y", () => {
    const { buf, format } = only(get("image_formats"), "/image_yuv422");
    expect(format).toEqual({ width: 256, height: 256, pixelFormat: 50 });
    expect(buf.length).toBe(131072);
    const n = 256 * 256;
    // Y plane
    for (const i of [0, 1, 255, 256 * 100 + 7, n - 1]) expect(buf[i]).toBe(128);
    // U plane: 128 wide × 256 high at n; V plane at n + n/2
    const chroma: [number, number][] = [
      [0, 0],
      [1, 0],
      [127, 5],
      [64, 255],
      [100, 200],
    ];
    for (const [x, y] of chroma) {
      expect(buf[n + y * 128 + x], `U(${x},${y})`).toBe(2 * x);
      expect(buf[n + n / 2 + y * 128 + x], `V(${x},${y})`).toBe(y);
    }
  });
});

describe("image_advanced", () => {
  it("logs the PNG file as an EncodedImage with media type image/png", async () => {
    const d = get("image_advanced");
    expect(d.applicationId).toBe("rerun_example_image_advanced");
    const rows = rowsOf(d, "/from_file");
    expect(rows).toHaveLength(1);
    const { chunk } = rows[0]!;
    expect([...chunk.components.keys()].sort()).toEqual(["EncodedImage:blob", "EncodedImage:media_type"]);
    expect(chunk.componentValues("EncodedImage:media_type", 0, MediaTypeType)).toEqual(["image/png"]);
    const blob = chunk.componentValues("EncodedImage:blob", 0, BlobType)![0]!;
    expect(Array.from(blob.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const meta = await sharp(blob).metadata();
    expect([meta.width, meta.height]).toEqual([300, 200]);
  });

  const cases: [string, number, number, (r: number, g: number, b: number, a: number) => number[]][] = [
    ["/from_pillow_rgba", 3, 4, (r, g, b, a) => [r, g, b, a]],
    ["/from_pillow_rgb", 2, 3, (r, g, b) => [r, g, b]],
    ["/from_opencv", 4, 3, (r, g, b) => [b, g, r]],
  ];
  for (const [entity, colorModel, channels, pixel] of cases) {
    it(`${entity}: 300×200, red border, green square, transparent → black/clear elsewhere`, () => {
      const rows = rowsOf(get("image_advanced"), entity);
      expect(rows).toHaveLength(1);
      const { chunk } = rows[0]!;
      expect(formatOf(chunk, 0)).toEqual({ width: 300, height: 200, colorModel, channelDatatype: 6 });
      const buf = bufferOf(chunk, 0);
      expect(buf.length).toBe(300 * 200 * channels);
      const at = (x: number, y: number): number[] => px(buf, 300, channels, x, y);
      const red = pixel(255, 0, 0, 255);
      const green = pixel(0, 255, 0, 255);
      expect(at(0, 0)).toEqual(red);
      expect(at(3, 100)).toEqual(red);
      expect(at(150, 2)).toEqual(red);
      expect(at(299, 199)).toEqual(red);
      expect(at(100, 100)).toEqual(green);
      expect(at(100, 52)).toEqual(green);
      // Between the border and the square the picture is transparent: black, and alpha 0 for RGBA.
      expect(at(30, 30)).toEqual(pixel(0, 0, 0, 0));
      expect(at(200, 100)).toEqual(pixel(0, 0, 0, 0));
    });
  }
});

/** Frame t of the row/column snippets (§4.4–4.5): blue, with G=255 in rows 50..150, columns 10t..10t+100. */
function checkMovingRectangle(buf: Uint8Array, t: number): void {
  expect(buf.length).toBe(180000);
  const cyan = [0, 255, 255];
  const blue = [0, 0, 255];
  const at = (x: number, y: number): number[] => px(buf, 300, 3, x, y);
  expect(at(10 * t, 50), `t=${t}`).toEqual(cyan);
  expect(at(10 * t + 99, 149), `t=${t}`).toEqual(cyan);
  expect(at(10 * t + 100, 50), `t=${t}`).toEqual(blue);
  expect(at(10 * t, 49), `t=${t}`).toEqual(blue);
  expect(at(10 * t, 150), `t=${t}`).toEqual(blue);
  if (t > 0) expect(at(10 * t - 1, 100), `t=${t}`).toEqual(blue);
  expect(at(0, 0)).toEqual(blue);
}

describe("image_row_updates", () => {
  it("logs 20 rows on timeline `time` 0..19 with a cyan rectangle moving 10 px per frame", () => {
    const d = get("image_row_updates");
    expect(d.applicationId).toBe("rerun_example_image_row_updates");
    expect(new Set(d.chunks.map((c) => c.entityPath))).toEqual(new Set(["/image"]));
    const rows = rowsOf(d, "/image");
    expect(rows).toHaveLength(20);
    const byTime = new Map<bigint, { chunk: Chunk; row: number }>();
    for (const r of rows) {
      const time = r.chunk.timelines.get("time");
      expect(time?.timeline.type).toBe("sequence");
      byTime.set(time!.times[r.row]!, r);
    }
    expect([...byTime.keys()].sort((a, b) => Number(a - b))).toEqual(
      Array.from({ length: 20 }, (_, t) => BigInt(t)),
    );
    for (let t = 0; t < 20; t++) {
      const { chunk, row } = byTime.get(BigInt(t))!;
      expect(formatOf(chunk, row)).toEqual(RGB_U8_300x200);
      checkMovingRectangle(bufferOf(chunk, row), t);
    }
  });
});

describe("image_column_updates", () => {
  it("logs the format once as static data and 20 buffers on `step` in one chunk", () => {
    const d = get("image_column_updates");
    expect(d.applicationId).toBe("rerun_example_image_column_updates");
    expect(d.chunks.map((c) => c.entityPath)).toEqual(["/images", "/images"]);

    const statics = d.chunks.filter((c) => c.isStatic);
    expect(statics).toHaveLength(1);
    const formatChunk = statics[0]!;
    expect(formatChunk.timelines.size).toBe(0);
    expect(formatChunk.numRows).toBe(1);
    expect([...formatChunk.components.keys()]).toEqual(["Image:format"]);
    expect(formatOf(formatChunk, 0)).toEqual(RGB_U8_300x200);

    const temporal = d.chunks.filter((c) => !c.isStatic);
    expect(temporal).toHaveLength(1);
    const chunk = temporal[0]!;
    expect([...chunk.timelines.keys()]).toEqual(["step"]);
    expect(chunk.timelines.get("step")!.timeline.type).toBe("sequence");
    expect(Array.from(chunk.timelines.get("step")!.times)).toEqual(
      Array.from({ length: 20 }, (_, t) => BigInt(t)),
    );
    expect([...chunk.components.keys()]).toEqual(["Image:buffer"]);
    expect(chunk.numRows).toBe(20);
    for (let t = 0; t < 20; t++) checkMovingRectangle(bufferOf(chunk, t), t);
  });
});
