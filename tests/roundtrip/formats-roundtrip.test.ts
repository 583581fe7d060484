// Every image format through the whole write/read path:
// Image → ChunkBuilder → Chunk → RecordBatch → Arrow IPC → RrdEncoder (LZ4 on/off) → RrdDecoder (pushed in
// random pieces, or one byte at a time) → chunkFromIpc → buffer and format read back.
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  type Chunk,
  ChunkBuilder,
  type TimePoint,
  chunkFromIpc,
  chunkToIpc,
  chunkToRecordBatch,
} from "@iris/chunk";
import {
  MemorySink,
  RrdDecoder,
  type RrdMessage,
  RrdEncoder,
  type StoreId,
  decodeRrd,
  encodeRrd,
  logMsgPb,
} from "@iris/rrd";
import {
  type ChannelDatatype,
  type ColorModel,
  Image,
  ImageBufferType,
  type ImageFormat,
  ImageFormatType,
  type PixelFormat,
  Tuid,
  TuidGenerator,
} from "@iris/types";
import { mulberry32 } from "../mulberry32.ts";

// Enum values and sizes from image-archetype-detail.md §2 and §3.4 (written out here, not imported).
const COLOR_MODELS: readonly { name: string; value: ColorModel; channels: number }[] = [
  { name: "L", value: 1, channels: 1 },
  { name: "RGB", value: 2, channels: 3 },
  { name: "RGBA", value: 3, channels: 4 },
  { name: "BGR", value: 4, channels: 3 },
  { name: "BGRA", value: 5, channels: 4 },
];

type View = ArrayBufferView & { length: number };
const DATATYPES: readonly {
  name: string;
  value: ChannelDatatype;
  bytes: number;
  view: (b: ArrayBuffer) => View;
}[] = [
  { name: "U8", value: 6, bytes: 1, view: (b) => new Uint8Array(b) },
  { name: "I8", value: 7, bytes: 1, view: (b) => new Int8Array(b) },
  { name: "U16", value: 8, bytes: 2, view: (b) => new Uint16Array(b) },
  { name: "I16", value: 9, bytes: 2, view: (b) => new Int16Array(b) },
  { name: "U32", value: 10, bytes: 4, view: (b) => new Uint32Array(b) },
  { name: "I32", value: 11, bytes: 4, view: (b) => new Int32Array(b) },
  { name: "U64", value: 12, bytes: 8, view: (b) => new BigUint64Array(b) },
  { name: "I64", value: 13, bytes: 8, view: (b) => new BigInt64Array(b) },
  { name: "F16", value: 33, bytes: 2, view: (b) => new Uint16Array(b) },
  { name: "F32", value: 34, bytes: 4, view: (b) => new Float32Array(b) },
  { name: "F64", value: 35, bytes: 8, view: (b) => new Float64Array(b) },
];

const PIXEL_FORMATS: readonly {
  name: string;
  value: PixelFormat;
  size: (w: number, h: number) => number;
}[] = [
  { name: "Y_U_V12_LimitedRange", value: 20, size: (w, h) => w * (h + Math.floor(h / 2)) },
  { name: "NV12", value: 26, size: (w, h) => w * (h + Math.floor(h / 2)) },
  { name: "YUY2", value: 27, size: (w, h) => 2 * w * h },
  { name: "Y8_FullRange", value: 30, size: (w, h) => w * h },
  { name: "Y_U_V24_LimitedRange", value: 39, size: (w, h) => 3 * w * h },
  { name: "Y_U_V24_FullRange", value: 40, size: (w, h) => 3 * w * h },
  { name: "Y8_LimitedRange", value: 41, size: (w, h) => w * h },
  { name: "Y_U_V12_FullRange", value: 44, size: (w, h) => w * (h + Math.floor(h / 2)) },
  { name: "Y_U_V16_LimitedRange", value: 49, size: (w, h) => 2 * w * h },
  { name: "Y_U_V16_FullRange", value: 50, size: (w, h) => 2 * w * h },
];

function randomBytes(n: number, seed: number): Uint8Array {
  const next = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

/** Byte equality (vitest's deep equality is slow on large typed arrays). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

interface Case {
  label: string;
  /** Builds the image of row `row` and returns it with the bytes and format it must read back as. */
  make(row: number): { image: Image; bytes: Uint8Array; format: ImageFormat };
}

const cases: Case[] = [];
for (const cm of COLOR_MODELS) {
  for (const dt of DATATYPES) {
    const [w, h] = [3, 5];
    cases.push({
      label: `${cm.name} ${dt.name} ${w}×${h}`,
      make(row) {
        const bytes = randomBytes(w * h * cm.channels * dt.bytes, 1000 * cm.value + dt.value + row);
        const pixels = dt.view(bytes.slice().buffer);
        const image = new Image(pixels as never, {
          width: w,
          height: h,
          colorModel: cm.name,
          datatype: dt.name,
        });
        return {
          image,
          bytes,
          format: { width: w, height: h, colorModel: cm.value, channelDatatype: dt.value },
        };
      },
    });
  }
}
for (const pf of PIXEL_FORMATS) {
  for (const [w, h] of [
    [4, 2],
    [5, 3],
  ] as const) {
    cases.push({
      label: `${pf.name} ${w}×${h}`,
      make(row) {
        const bytes = randomBytes(pf.size(w, h), 7 * pf.value + w + row);
        const image = new Image(bytes.slice(), { width: w, height: h, pixelFormat: pf.name });
        return { image, bytes, format: { width: w, height: h, pixelFormat: pf.value } };
      },
    });
  }
}

const STORE: StoreId = { kind: "recording", recordingId: "formats-roundtrip", applicationId: "iris_tests" };
const ids = new TuidGenerator({ nowNanos: () => 1_700_000_000_000_000_000n, startInc: 100n });

function timepointOf(row: number): TimePoint {
  return new Map([
    ["frame", { type: "sequence", value: BigInt(10 + row) }],
    ["sim_time", { type: "duration", value: 1_500_000_000n * BigInt(row + 1) }],
    ["wall", { type: "timestamp", value: 1_700_000_000_000_000_000n + BigInt(row) }],
  ] as const);
}

interface Written {
  chunk: Chunk;
  rowIds: Tuid[];
  expected: { bytes: Uint8Array; format: ImageFormat }[];
  rrd: Uint8Array;
  ipc: Uint8Array;
}

function write(c: Case, options: { isStatic: boolean; compression: "lz4" | "none" }): Written {
  const builder = new ChunkBuilder("/formats/image");
  const rowIds: Tuid[] = [];
  const expected: { bytes: Uint8Array; format: ImageFormat }[] = [];
  for (let row = 0; row < 2; row++) {
    const { image, bytes, format } = c.make(row);
    const rowId = ids.next();
    rowIds.push(rowId);
    expected.push({ bytes, format });
    builder.addRow(rowId, options.isStatic ? new Map() : timepointOf(row), image.asComponentBatches());
  }
  const chunk = builder.build(ids.next());
  expect(chunkToRecordBatch(chunk).numRows).toBe(2);
  const ipc = chunkToIpc(chunk);
  const messages: RrdMessage[] = [
    { kind: "setStoreInfo", rowId: ids.next(), storeId: STORE, storeSource: { kind: 6 } },
    { kind: "arrowMsg", storeId: STORE, chunkId: chunk.id, isStatic: chunk.isStatic, ipc },
  ];
  const sink = new MemorySink();
  const encoder = new RrdEncoder(sink, { compression: options.compression });
  for (const m of messages) encoder.write(m);
  encoder.finish();
  const rrd = sink.toBytes();
  expect(sameBytes(rrd, encodeRrd(messages, { compression: options.compression }))).toBe(true);
  return { chunk, rowIds, expected, rrd, ipc };
}

/** Walks the frames by hand (rrd-format.md §1.2–1.3) and returns the ArrowMsg protobuf. */
function arrowMsgProto(rrd: Uint8Array): logMsgPb.ArrowMsg {
  const view = new DataView(rrd.buffer, rrd.byteOffset, rrd.byteLength);
  let offset = 12;
  while (offset < rrd.length) {
    const kind = Number(view.getBigUint64(offset, true));
    const len = Number(view.getBigUint64(offset + 8, true));
    const payload = rrd.subarray(offset + 16, offset + 16 + len);
    if (kind === 2) return fromBinary(logMsgPb.ArrowMsgSchema, payload);
    offset += 16 + len;
  }
  throw new Error("no ArrowMsg frame");
}

function decodeInPieces(rrd: Uint8Array, pieceSize: (remaining: number) => number): RrdMessage[] {
  const decoder = new RrdDecoder();
  const messages: RrdMessage[] = [];
  const take = (event: ReturnType<RrdDecoder["next"]>): void => {
    if (event === undefined) return;
    expect(event.type, JSON.stringify(event.type === "warning" ? event.warning : "")).toBe("message");
    if (event.type === "message") messages.push(event.message);
  };
  let offset = 0;
  while (offset < rrd.length) {
    const n = Math.max(1, Math.min(pieceSize(rrd.length - offset), rrd.length - offset));
    // Copy each piece so nothing can rely on the pieces being one contiguous buffer.
    decoder.push(rrd.slice(offset, offset + n));
    offset += n;
    for (let e = decoder.next(); e !== undefined; e = decoder.next()) take(e);
  }
  for (const e of decoder.end()) take(e);
  return messages;
}

function checkDecoded(messages: RrdMessage[], written: Written, isStatic: boolean): void {
  expect(messages.map((m) => m.kind)).toEqual(["setStoreInfo", "arrowMsg"]);
  const info = messages[0]!;
  if (info.kind !== "setStoreInfo") throw new Error("unreachable");
  expect(info.storeId).toEqual(STORE);
  const msg = messages[1]!;
  if (msg.kind !== "arrowMsg") throw new Error("unreachable");
  expect(msg.storeId).toEqual(STORE);
  expect(msg.isStatic).toBe(isStatic);
  expect(msg.chunkId!.equals(written.chunk.id)).toBe(true);
  expect(sameBytes(msg.ipc, written.ipc)).toBe(true);

  const chunk = chunkFromIpc(msg.ipc);
  expect(chunk.id.equals(written.chunk.id)).toBe(true);
  expect(chunk.entityPath).toBe("/formats/image");
  expect(chunk.numRows).toBe(2);
  expect(chunk.isStatic).toBe(isStatic);
  for (let row = 0; row < 2; row++) {
    expect(chunk.rowId(row).equals(written.rowIds[row]!)).toBe(true);
    const buffers = chunk.componentValues("Image:buffer", row, ImageBufferType)!;
    expect(buffers).toHaveLength(1);
    expect(buffers[0]!.length).toBe(written.expected[row]!.bytes.length);
    expect(sameBytes(buffers[0]!, written.expected[row]!.bytes)).toBe(true);
    expect(chunk.componentValues("Image:format", row, ImageFormatType)).toEqual([
      written.expected[row]!.format,
    ]);
  }
  if (isStatic) {
    expect(chunk.timelines.size).toBe(0);
  } else {
    expect([...chunk.timelines.keys()].sort()).toEqual(["frame", "sim_time", "wall"]);
    expect(chunk.timelines.get("frame")!.timeline.type).toBe("sequence");
    expect(Array.from(chunk.timelines.get("frame")!.times)).toEqual([10n, 11n]);
    expect(chunk.timelines.get("sim_time")!.timeline.type).toBe("duration");
    expect(Array.from(chunk.timelines.get("sim_time")!.times)).toEqual([1_500_000_000n, 3_000_000_000n]);
    expect(chunk.timelines.get("wall")!.timeline.type).toBe("timestamp");
    expect(Array.from(chunk.timelines.get("wall")!.times)).toEqual([
      1_700_000_000_000_000_000n,
      1_700_000_000_000_000_001n,
    ]);
  }
}

describe("every ColorModel × ChannelDatatype and every PixelFormat survives .rrd", () => {
  it("covers 55 colour-model/datatype pairs and 10 pixel formats", () => {
    expect(cases).toHaveLength(5 * 11 + 10 * 2);
  });

  let seed = 1;
  for (const c of cases) {
    for (const compression of ["lz4", "none"] as const) {
      for (const isStatic of [false, true]) {
        it(`${c.label}, ${compression}, ${isStatic ? "static" : "temporal"}`, () => {
          const written = write(c, { isStatic, compression });
          // The stream header's advisory byte and the ArrowMsg's own compression field.
          expect(written.rrd[8]).toBe(compression === "lz4" ? 1 : 0);
          const proto = arrowMsgProto(written.rrd);
          expect(Number(proto.uncompressedSize)).toBe(written.ipc.length);
          expect(proto.compression).toBe(compression === "lz4" ? 2 : 1);
          if (compression === "lz4") expect(proto.payload.length).toBeLessThan(written.ipc.length);
          else expect(sameBytes(proto.payload, written.ipc)).toBe(true);

          const next = mulberry32(seed++);
          checkDecoded(
            decodeInPieces(written.rrd, () => 1 + Math.floor(next() * 97)),
            written,
            isStatic,
          );
          const whole = decodeRrd(written.rrd);
          expect(whole.warnings).toEqual([]);
          checkDecoded(whole.messages, written, isStatic);
        });
      }
    }
  }
});

describe("one byte at a time", () => {
  const picks = ["RGB U8 3×5", "BGRA F64 3×5", "L F16 3×5", "NV12 5×3", "YUY2 4×2"];
  for (const label of picks) {
    for (const compression of ["lz4", "none"] as const) {
      it(`${label}, ${compression}`, () => {
        const c = cases.find((x) => x.label === label)!;
        expect(c).toBeDefined();
        const written = write(c, { isStatic: false, compression });
        checkDecoded(
          decodeInPieces(written.rrd, () => 1),
          written,
          false,
        );
      });
    }
  }
});

describe("compression", () => {
  it("LZ4 shrinks a compressible image and decodes to the same bytes", () => {
    const w = 300;
    const h = 200;
    const image = new Image(new Uint8Array(w * h * 3).fill(42), { width: w, height: h });
    const builder = new ChunkBuilder("/big");
    builder.addRow(new Tuid(1n, 1n), timepointOf(0), image.asComponentBatches());
    const chunk = builder.build(new Tuid(1n, 2n));
    const messages: RrdMessage[] = [
      { kind: "setStoreInfo", rowId: new Tuid(1n, 0n), storeId: STORE, storeSource: { kind: 6 } },
      { kind: "arrowMsg", storeId: STORE, chunkId: chunk.id, isStatic: false, ipc: chunkToIpc(chunk) },
    ];
    const lz4 = encodeRrd(messages, { compression: "lz4" });
    const none = encodeRrd(messages, { compression: "none" });
    expect(none.length).toBeGreaterThan(w * h * 3);
    expect(lz4.length).toBeLessThan(none.length / 10);
    const decoded = decodeRrd(lz4).messages[1]!;
    if (decoded.kind !== "arrowMsg") throw new Error("expected an ArrowMsg");
    const back = chunkFromIpc(decoded.ipc).componentValues("Image:buffer", 0, ImageBufferType)![0]!;
    expect(back.length).toBe(w * h * 3);
    expect(back.every((b) => b === 42)).toBe(true);
  });
});
