// The bad-input matrix (the table in TESTING.md, checked against this file by the last test below): every SDK constructor and sendColumns with wrong input, and
// every decoder entry point with hostile bytes. Each row asserts the exact typed error (class + kind) or, for
// decoder rows, the exact warning kinds and the messages that still decode — never a crash, hang or unbounded
// allocation. The rows are plain data so the document and this file list the same cases.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { tableFromArrays, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { ChunkBuilder, ChunkError, type TimePoint, chunkFromIpc, chunkToIpc } from "@iris/chunk";
import {
  Lz4Error,
  MemorySink as RrdMemorySink,
  MessageKind,
  RrdDecoder,
  RrdEncoder,
  RrdError,
  type RrdMessage,
  type RrdWarningKind,
  type StoreId,
  crateVersionToBytes,
  decodeLogMsg,
  decodeMessagePayload,
  decodeRrd,
  encodeMessageHeader,
  encodeMessagePayload,
  encodeStreamHeader,
  logMsgPb,
  lz4,
  parseMessageHeader,
  parseStreamHeader,
} from "@iris/rrd";
import { EncodedImage, Image, MemorySink, RecordingStream, SdkError, TimeColumn } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { ChunkStore, StoreError } from "@iris/store";
import {
  EntityPath,
  EntityPathError,
  ImageBufferType,
  ImageDescriptors,
  ImageFormatError,
  IrisError,
  TimelineError,
  batch,
  defaultTuidGenerator,
} from "@iris/types";
import { concatBytes } from "@iris/types";
import { badDictionaryIndexIpc, hugeNullListIpc } from "./fixtures/hostile-ipc.ts";

// ---- row types ------------------------------------------------------------------------------------------

type ErrorClass = abstract new (...args: never[]) => IrisError;

interface ThrowsRow {
  area: "sdk" | "decoder";
  /** Entry point under test. */
  entry: string;
  input: string;
  run: () => unknown;
  throws: [ErrorClass, string];
}

interface DecodesRow {
  area: "decoder";
  entry: string;
  input: string;
  /** Returns the outcome of decoding: the message kinds that decoded and the warning kinds, in order. */
  run: () => DecodeOutcome;
  messages: readonly RrdMessage["kind"][];
  warnings: readonly RrdWarningKind[];
}

interface AcceptsRow {
  area: "sdk";
  entry: string;
  input: string;
  /** Returns a description of what was accepted, compared with `result`. */
  run: () => unknown;
  result: unknown;
}

type Row = ThrowsRow | DecodesRow | AcceptsRow;

interface DecodeOutcome {
  messages: RrdMessage["kind"][];
  warnings: RrdWarningKind[];
}

// ---- helpers --------------------------------------------------------------------------------------------

/** An ArrayBuffer with `maxByteLength` (ES2024; the project's lib is older). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const ResizableBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

const STORE: StoreId = { kind: "recording", recordingId: "matrix", applicationId: "matrix_app" };
const img1 = (): Image => new Image(new Uint8Array(1), { width: 1, height: 1 });

function freshRecording(): RecordingStream {
  return new RecordingStream({ applicationId: "matrix", sink: new MemorySink(), defaultTimelines: false });
}

function closedRecording(): RecordingStream {
  const rec = freshRecording();
  rec.close();
  return rec;
}

/** Image columns with `n` 1×1 rows. */
function imageColumns(n: number): ReturnType<typeof Image.columns> {
  return Image.columns({
    buffer: Array.from({ length: n }, () => new Uint8Array(1)),
    format: Array.from({ length: n }, () => ({ width: 1, height: 1 })),
  });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

const streamHeader = (): Uint8Array =>
  encodeStreamHeader({ version: { major: 0, minor: 33, patch: 0, meta: 0 }, compression: "none" });

/** A raw MessageHeader with any u64 kind and length (encodeMessageHeader refuses hostile values). */
function rawHeader(kind: bigint, length: bigint): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, kind, true);
  view.setBigUint64(8, length, true);
  return out;
}

function frame(kind: MessageKind, payload: Uint8Array): Uint8Array {
  return concat(encodeMessageHeader(kind, payload.length), payload);
}

function chunkIpc(timeType: "sequence" | "duration" = "sequence"): Uint8Array {
  const timepoint: TimePoint = new Map([["frame", { type: timeType, value: 1n }]]);
  const chunk = new ChunkBuilder("/matrix")
    .addRow(defaultTuidGenerator.next(), timepoint, [
      batch(ImageDescriptors.buffer, ImageBufferType, [new Uint8Array(1)]),
    ])
    .build();
  return chunkToIpc(chunk);
}

const storeInfo = (): RrdMessage => ({
  kind: "setStoreInfo",
  rowId: defaultTuidGenerator.next(),
  storeId: STORE,
});
const arrowMsg = (ipc: Uint8Array): RrdMessage => ({ kind: "arrowMsg", storeId: STORE, ipc });

function payloadOf(message: RrdMessage, compression: "lz4" | "none" = "none"): Uint8Array {
  return encodeMessagePayload(message, { compression }).payload;
}

/** A whole valid stream: SetStoreInfo + one ArrowMsg. */
function validStream(compression: "lz4" | "none" = "none"): Uint8Array {
  const sink = new RrdMemorySink();
  // No footer: the cases below append frames after the last message.
  const encoder = new RrdEncoder(sink, { compression, footer: false });
  encoder.write(storeInfo());
  encoder.write(arrowMsg(chunkIpc()));
  encoder.finish();
  return sink.toBytes();
}

/** An LZ4 ArrowMsg payload whose `uncompressed_size` is changed to `size`. */
function lz4ArrowPayload(size: (actual: bigint) => bigint): Uint8Array {
  const proto = fromBinary(logMsgPb.ArrowMsgSchema, payloadOf(arrowMsg(chunkIpc()), "lz4"));
  proto.uncompressedSize = size(proto.uncompressedSize);
  return toBinary(logMsgPb.ArrowMsgSchema, proto);
}

/** Pushes `bytes` in 7-byte pieces, collecting events as they come, then ends. */
function decodeInPieces(bytes: Uint8Array): DecodeOutcome {
  const decoder = new RrdDecoder();
  const outcome: DecodeOutcome = { messages: [], warnings: [] };
  const take = (event: ReturnType<RrdDecoder["next"]>): void => {
    if (event === undefined) return;
    if (event.type === "message") outcome.messages.push(event.message.kind);
    else outcome.warnings.push(event.warning.kind);
  };
  for (let i = 0; i < bytes.length; i += 7) {
    decoder.push(bytes.subarray(i, i + 7));
    for (let e = decoder.next(); e !== undefined; e = decoder.next()) take(e);
  }
  for (const e of decoder.end()) take(e);
  return outcome;
}

function decodeWhole(bytes: Uint8Array): DecodeOutcome {
  const { messages, warnings } = decodeRrd(bytes);
  return { messages: messages.map((m) => m.kind), warnings: warnings.map((w) => w.kind) };
}

/** Decodes in pieces and in one go; both must agree (the row's expectation is checked on the result). */
function decodeBoth(bytes: Uint8Array): DecodeOutcome {
  const whole = decodeWhole(bytes);
  expect(decodeInPieces(bytes)).toEqual(whole);
  return whole;
}

/**
 * A hostile MessageHeader length must be reported as soon as the 16 header bytes are in, without waiting for
 * (or allocating) the payload: push only the header plus 8 bytes and expect the warning before end().
 */
function hostileLength(length: bigint): DecodeOutcome {
  const decoder = new RrdDecoder();
  const before = process.memoryUsage().arrayBuffers;
  decoder.push(concat(streamHeader(), rawHeader(2n, length), new Uint8Array(8)));
  const early = decoder.next();
  expect(early?.type).toBe("warning");
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
  const rest = decoder.end();
  expect(rest).toEqual([]);
  return { messages: [], warnings: early?.type === "warning" ? [early.warning.kind] : [] };
}

// ---- the matrix -----------------------------------------------------------------------------------------

export const matrix: readonly Row[] = [
  // --- SDK: Image constructors ---
  {
    area: "sdk",
    entry: "new Image",
    input: "buffer of 10 bytes for a 4×4 RGB U8 image (wrong size)",
    run: () => new Image(new Uint8Array(10), { width: 4, height: 4, colorModel: "RGB" }),
    throws: [ImageFormatError, "size-mismatch"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "pixels given as a string (wrong type)",
    run: () => new Image("abc" as unknown as Uint8Array, { width: 1, height: 1 }),
    throws: [ImageFormatError, "unsupported-array"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "pixels given as a plain number array (wrong type)",
    run: () => new Image([1, 2, 3] as unknown as Uint8Array, { width: 1, height: 1 }),
    throws: [ImageFormatError, "unsupported-array"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "options missing",
    run: () => new Image(new Uint8Array(1), undefined as unknown as { width: number; height: number }),
    throws: [ImageFormatError, "missing-format"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "width NaN",
    run: () => new Image(new Uint8Array(4), { width: Number.NaN, height: 2, colorModel: "L" }),
    throws: [ImageFormatError, "invalid-dimension"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "height Infinity",
    run: () => new Image(new Uint8Array(4), { width: 2, height: Number.POSITIVE_INFINITY, colorModel: "L" }),
    throws: [ImageFormatError, "invalid-dimension"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: 'width 0, negative, fractional, or the string "2"',
    run: () => {
      for (const width of [0, -2, 1.5, "2" as unknown as number]) {
        expect(() => new Image(new Uint8Array(4), { width, height: 2, colorModel: "L" })).toThrow(
          ImageFormatError,
        );
      }
      return new Image(new Uint8Array(4), { width: -2, height: 2, colorModel: "L" });
    },
    throws: [ImageFormatError, "invalid-dimension"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "2^31 × 2^31 with a 4-byte buffer (no allocation of the claimed size)",
    run: () => new Image(new Uint8Array(4), { width: 2 ** 31, height: 2 ** 31, colorModel: "L" }),
    throws: [ImageFormatError, "invalid-dimension"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: 'unknown colorModel "XYZ"',
    run: () => new Image(new Uint8Array(4), { width: 2, height: 2, colorModel: "XYZ" }),
    throws: [ImageFormatError, "unknown-enum"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "pixelFormat together with colorModel",
    run: () => new Image(new Uint8Array(6), { width: 2, height: 2, pixelFormat: "NV12", colorModel: "L" }),
    throws: [ImageFormatError, "conflicting-format"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "NV12 3×3 with 6 bytes (odd size, too short)",
    run: () => new Image(new Uint8Array(6), { width: 3, height: 3, pixelFormat: "NV12" }),
    throws: [ImageFormatError, "size-mismatch"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "Float32Array declared as datatype U8",
    run: () => new Image(new Float32Array(4), { width: 2, height: 2, datatype: "U8" }),
    throws: [ImageFormatError, "element-size"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "ArrayBuffer of 5 bytes as U16",
    run: () => new Image(new ArrayBuffer(5), { width: 2, height: 2, datatype: "U16" }),
    throws: [ImageFormatError, "element-size"],
  },
  {
    area: "sdk",
    entry: "new Image",
    input: "opacity NaN",
    run: () => new Image(new Uint8Array(1), { width: 1, height: 1, opacity: Number.NaN }),
    throws: [ImageFormatError, "invalid-dimension"],
  },
  {
    area: "sdk",
    entry: "Image.fromFields",
    input: "format with width NaN",
    run: () => Image.fromFields({ format: { width: Number.NaN, height: 1 } }),
    throws: [ImageFormatError, "invalid-dimension"],
  },
  {
    area: "sdk",
    entry: "Image.columns",
    input: "columns of different lengths (1 buffer, 2 opacities)",
    run: () => Image.columns({ buffer: [new Uint8Array(1)], opacity: [1, 0.5] }),
    throws: [ImageFormatError, "size-mismatch"],
  },
  {
    area: "sdk",
    entry: "new EncodedImage",
    input: "blob given as a string",
    run: () => new EncodedImage("x" as unknown as Uint8Array),
    throws: [ImageFormatError, "missing-format"],
  },
  // --- SDK: RecordingStream, timelines, entity paths ---
  {
    area: "sdk",
    entry: "new RecordingStream",
    input: "no applicationId / no options",
    run: () => new RecordingStream(undefined as unknown as { applicationId: string }),
    throws: [SdkError, "invalid-option"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input: 'entity path with NUL, space, emoji and empty parts ("a\\0b/ c//😀/")',
    run: () => {
      const sink = new MemorySink();
      const rec = new RecordingStream({
        applicationId: "m",
        sink,
        defaultTimelines: false,
        sendProperties: false,
      });
      rec.log("a\u0000b/ c//\u{1F600}/", img1());
      rec.close();
      const arrow = sink.drain().find((m) => m.kind === "arrowMsg");
      return arrow?.kind === "arrowMsg" ? chunkFromIpc(arrow.ipc).entityPath : undefined;
    },
    result: "/a\\u{0}b/\\ c/\\u{1F600}",
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input: "entity path ending in a lone backslash",
    run: () => freshRecording().log("a\\", img1()),
    throws: [SdkError, "invalid-entity-path"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input: "entity path escape \\u{110000} (not a code point)",
    run: () => freshRecording().log("a\\u{110000}", img1()),
    throws: [SdkError, "invalid-entity-path"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input: "entity path given as a number",
    run: () => freshRecording().log(5 as unknown as string, img1()),
    throws: [SdkError, "invalid-entity-path"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input: "data null (not an archetype)",
    run: () => freshRecording().log("a", null as unknown as []),
    throws: [SdkError, "invalid-archetype"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTime*",
    input: "timeline with an empty name",
    run: () => freshRecording().setTimeSequence("", 1),
    throws: [TimelineError, "empty-name"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTime*",
    input: "timeline name undefined",
    run: () => freshRecording().setTimeSequence(undefined as unknown as string, 1),
    throws: [TimelineError, "empty-name"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTimeSequence",
    input: "NaN",
    run: () => freshRecording().setTimeSequence("f", Number.NaN),
    throws: [TimelineError, "not-integer"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTimeSequence",
    input: "2^63 (out of i64 range)",
    run: () => freshRecording().setTimeSequence("f", 2n ** 63n),
    throws: [TimelineError, "out-of-range"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTimeSequence",
    input: "-2^63 (i64::MIN is reserved for static)",
    run: () => freshRecording().setTimeSequence("f", -(2n ** 63n)),
    throws: [TimelineError, "out-of-range"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTimeSeconds",
    input: "1e300 seconds",
    run: () => freshRecording().setTimeSeconds("d", 1e300),
    throws: [TimelineError, "out-of-range"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTimestamp",
    input: "invalid Date (NaN)",
    run: () => freshRecording().setTimestamp("t", new Date(Number.NaN)),
    throws: [TimelineError, "not-integer"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTimeNanos",
    input: "1.5 (fractional nanoseconds)",
    run: () => freshRecording().setTimeNanos("n", 1.5),
    throws: [TimelineError, "not-integer"],
  },
  {
    area: "sdk",
    entry: "new TimeColumn",
    input: "empty timeline name",
    run: () => new TimeColumn("", { sequence: [1] }),
    throws: [TimelineError, "empty-name"],
  },
  {
    area: "sdk",
    entry: "new TimeColumn",
    input: "none of sequence/duration/timestamp",
    run: () => new TimeColumn("f", {} as unknown as { sequence: number[] }),
    throws: [SdkError, "invalid-time-column"],
  },
  {
    area: "sdk",
    entry: "new TimeColumn",
    input: "values null (was a raw TypeError)",
    run: () => new TimeColumn("f", null as unknown as { sequence: number[] }),
    throws: [SdkError, "invalid-time-column"],
  },
  {
    area: "sdk",
    entry: "new TimeColumn",
    input: "sequence: null (was a raw TypeError)",
    run: () => new TimeColumn("f", { sequence: null as unknown as number[] }),
    throws: [SdkError, "invalid-time-column"],
  },
  {
    area: "sdk",
    entry: "new TimeColumn",
    input: "sequence [NaN]",
    run: () => new TimeColumn("f", { sequence: [Number.NaN] }),
    throws: [TimelineError, "not-integer"],
  },
  {
    area: "sdk",
    entry: "new TimeColumn",
    input: "duration [Infinity]",
    run: () => new TimeColumn("f", { duration: [Number.POSITIVE_INFINITY] }),
    throws: [TimelineError, "not-integer"],
  },
  {
    area: "sdk",
    entry: "new TimeColumn",
    input: "BigInt64Array [i64::MIN]",
    run: () => new TimeColumn("f", { sequence: BigInt64Array.of(-(2n ** 63n)) }),
    throws: [TimelineError, "out-of-range"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "two indexes of different lengths",
    run: () =>
      freshRecording().sendColumns(
        "a",
        [new TimeColumn("f", { sequence: [1, 2] }), new TimeColumn("g", { sequence: [1] })],
        imageColumns(2),
      ),
    throws: [SdkError, "column-length-mismatch"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "3-row index, 2-row component columns",
    run: () =>
      freshRecording().sendColumns("a", [new TimeColumn("f", { sequence: [1, 2, 3] })], imageColumns(2)),
    throws: [SdkError, "column-length-mismatch"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "the same timeline twice",
    run: () =>
      freshRecording().sendColumns(
        "a",
        [new TimeColumn("q", { sequence: [1, 2] }), new TimeColumn("q", { sequence: [1, 2] })],
        imageColumns(2),
      ),
    throws: [SdkError, "invalid-time-column"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "timeline first used as sequence, now duration",
    run: () => {
      const rec = freshRecording();
      rec.setTimeSequence("f", 1);
      rec.sendColumns("a", [new TimeColumn("f", { duration: [1, 2] })], imageColumns(2));
    },
    throws: [TimelineError, "type-mismatch"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "empty batch (no indexes, no columns, or 0 rows): nothing is sent",
    run: () => {
      const sink = new MemorySink();
      const rec = new RecordingStream({
        applicationId: "m",
        sink,
        defaultTimelines: false,
        sendProperties: false,
      });
      rec.sendColumns("a", [], []);
      rec.sendColumns("a", [new TimeColumn("f", { sequence: [] })], imageColumns(0));
      rec.flush();
      return sink.drain().map((m) => m.kind);
    },
    result: ["setStoreInfo"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "indexes null (was a raw TypeError)",
    run: () => freshRecording().sendColumns("a", null as unknown as [], imageColumns(1)),
    throws: [SdkError, "invalid-time-column"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "an index that is not a TimeColumn ({})",
    run: () => freshRecording().sendColumns("a", [{} as unknown as TimeColumn], imageColumns(1)),
    throws: [SdkError, "invalid-time-column"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "columns null (was a raw TypeError)",
    run: () => freshRecording().sendColumns("a", [], null as unknown as []),
    throws: [SdkError, "invalid-archetype"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "a column that is not a ComponentColumn ({}) (was a raw TypeError)",
    run: () =>
      freshRecording().sendColumns(
        "a",
        [new TimeColumn("f", { sequence: [1] })],
        [{} as unknown as ReturnType<typeof imageColumns>[number]],
      ),
    throws: [SdkError, "invalid-archetype"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "entity path with a bad escape",
    run: () => freshRecording().sendColumns("a\\", [], []),
    throws: [SdkError, "invalid-entity-path"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "after close()",
    run: () => closedRecording().sendColumns("a", [], []),
    throws: [SdkError, "closed"],
  },
  {
    area: "sdk",
    entry: "new EntityPath / EntityPath.parse",
    input: 'an empty part given explicitly (["a", ""])',
    run: () => new EntityPath(["a", ""]),
    throws: [EntityPathError, "empty-part"],
  },

  // --- decoder: stream level ---
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "empty input",
    run: () => decodeBoth(new Uint8Array(0)),
    messages: [],
    warnings: ["truncated"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: '2 bytes "RR" (a prefix of the magic)',
    run: () => decodeBoth(new TextEncoder().encode("RR")),
    messages: [],
    warnings: ["truncated"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "wrong magic (a ZIP file)",
    run: () => decodeRrd(concat(Uint8Array.of(0x50, 0x4b, 3, 4), new Uint8Array(40))),
    throws: [RrdError, "not-rrd"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "3 bytes that are not a magic prefix",
    run: () => decodeRrd(Uint8Array.of(1, 2, 3)),
    throws: [RrdError, "not-rrd"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "old RRF0 file",
    run: () => decodeRrd(concat(new TextEncoder().encode("RRF0"), new Uint8Array(40))),
    throws: [RrdError, "old-version"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "old RRF1 file",
    run: () => decodeRrd(concat(new TextEncoder().encode("RRF1"), new Uint8Array(40))),
    throws: [RrdError, "old-version"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "RRF2 with version 0.22 (too old)",
    run: () => {
      const header = streamHeader();
      header.set(crateVersionToBytes({ major: 0, minor: 22, patch: 0, meta: 0 }), 4);
      return decodeRrd(header);
    },
    throws: [RrdError, "incompatible-version"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "serializer byte 1 (MsgPack)",
    run: () => {
      const header = streamHeader();
      header[9] = 1;
      return decodeRrd(header);
    },
    throws: [RrdError, "unsupported-serializer"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "compression byte 7",
    run: () => {
      const header = streamHeader();
      header[8] = 7;
      return decodeRrd(header);
    },
    throws: [RrdError, "unsupported-compression"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "RRF2 written by version 9.0 (newer)",
    run: () => {
      const bytes = validStream();
      bytes.set(crateVersionToBytes({ major: 9, minor: 0, patch: 0, meta: 0 }), 4);
      return decodeBoth(bytes);
    },
    messages: ["setStoreInfo", "arrowMsg"],
    warnings: ["newer-version"],
  },
  {
    area: "decoder",
    entry: "RrdDecoder.push",
    input: "push after end()",
    run: () => {
      const decoder = new RrdDecoder();
      decoder.push(validStream());
      decoder.end();
      decoder.push(new Uint8Array(1));
    },
    throws: [RrdError, "invalid-argument"],
  },
  // --- decoder: framing ---
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "unknown message kind 7 after a valid message",
    run: () => decodeBoth(concat(validStream(), rawHeader(7n, 4n), new Uint8Array(4))),
    messages: ["setStoreInfo", "arrowMsg"],
    warnings: ["trailing-bytes"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "MessageHeader length 2^63 (reported at once, nothing allocated)",
    run: () => hostileLength(1n << 63n),
    messages: [],
    warnings: ["message-too-large"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "MessageHeader length 2^64 − 1",
    run: () => hostileLength((1n << 64n) - 1n),
    messages: [],
    warnings: ["message-too-large"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "MessageHeader length 2^30 + 1 (just over the 1 GiB limit)",
    run: () => hostileLength((1n << 30n) + 1n),
    messages: [],
    warnings: ["message-too-large"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "MessageHeader length larger than the rest of the file",
    run: () => decodeBoth(concat(validStream(), rawHeader(2n, 1000n), new Uint8Array(10))),
    messages: ["setStoreInfo", "arrowMsg"],
    warnings: ["truncated"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "input cut inside a MessageHeader",
    run: () => decodeBoth(validStream().subarray(0, 20)),
    messages: [],
    warnings: ["truncated"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "protobuf garbage as an ArrowMsg payload, then a valid message",
    run: () =>
      decodeBoth(
        concat(
          streamHeader(),
          frame(MessageKind.ArrowMsg, Uint8Array.of(0xff, 0xff, 0xff, 0xff)),
          frame(MessageKind.SetStoreInfo, payloadOf(storeInfo())),
        ),
      ),
    messages: ["setStoreInfo"],
    warnings: ["invalid-payload"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "protobuf varint of 11 bytes (0xff × 11) as a SetStoreInfo payload",
    run: () =>
      decodeBoth(concat(streamHeader(), frame(MessageKind.SetStoreInfo, new Uint8Array(11).fill(0xff)))),
    messages: [],
    warnings: ["invalid-payload"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "protobuf length-delimited field claiming 2^62 bytes",
    run: () =>
      decodeBoth(
        concat(
          streamHeader(),
          // field 5 (payload), wire type 2, length varint 2^62
          frame(
            MessageKind.ArrowMsg,
            Uint8Array.of(0x2a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40),
          ),
        ),
      ),
    messages: [],
    warnings: ["invalid-payload"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "ArrowMsg without store_id (valid protobuf, missing required field)",
    run: () => decodeBoth(concat(streamHeader(), frame(MessageKind.ArrowMsg, new Uint8Array(0)))),
    messages: [],
    warnings: ["invalid-payload"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "LZ4 block that expands past its declared uncompressed_size",
    run: () =>
      decodeBoth(
        concat(
          streamHeader(),
          frame(
            MessageKind.ArrowMsg,
            lz4ArrowPayload((n) => n - 1n),
          ),
        ),
      ),
    messages: [],
    warnings: ["lz4-failed"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "LZ4 uncompressed_size larger than 255 × the block (impossible)",
    run: () =>
      decodeBoth(
        concat(
          streamHeader(),
          frame(
            MessageKind.ArrowMsg,
            lz4ArrowPayload(() => 1n << 29n),
          ),
        ),
      ),
    messages: [],
    warnings: ["lz4-failed"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "LZ4 uncompressed_size 2^63 (over the limit, nothing allocated)",
    run: () =>
      decodeBoth(
        concat(
          streamHeader(),
          frame(
            MessageKind.ArrowMsg,
            lz4ArrowPayload(() => 1n << 63n),
          ),
        ),
      ),
    messages: [],
    warnings: ["invalid-payload"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "End message with a garbage RrdFooter",
    run: () => decodeBoth(concat(validStream(), frame(MessageKind.End, Uint8Array.of(0xff, 0xff)))),
    messages: ["setStoreInfo", "arrowMsg"],
    warnings: ["footer-invalid", "footer-invalid"],
  },
  // --- decoder: other entry points ---
  {
    area: "decoder",
    entry: "parseStreamHeader",
    input: "5 bytes",
    run: () => parseStreamHeader(new Uint8Array(5)),
    throws: [RrdError, "truncated"],
  },
  {
    area: "decoder",
    entry: "parseMessageHeader",
    input: "15 bytes",
    run: () => parseMessageHeader(new Uint8Array(15)),
    throws: [RrdError, "truncated"],
  },
  {
    area: "decoder",
    entry: "decodeMessagePayload",
    input: "protobuf garbage",
    run: () => decodeMessagePayload(MessageKind.SetStoreInfo, Uint8Array.of(0x0a, 0xff)),
    throws: [RrdError, "invalid-payload"],
  },
  {
    area: "decoder",
    entry: "decodeLogMsg (gRPC)",
    input: "protobuf garbage",
    run: () => decodeLogMsg(Uint8Array.of(0xff, 0xff, 0xff)),
    throws: [RrdError, "invalid-payload"],
  },
  {
    area: "decoder",
    entry: "decodeLogMsg (gRPC)",
    input: "empty LogMsg (no message set)",
    run: () => decodeLogMsg(new Uint8Array(0)),
    throws: [RrdError, "invalid-payload"],
  },
  {
    area: "decoder",
    entry: "lz4.decompressBlock",
    input: "a match that writes past the declared size",
    run: () => lz4.decompressBlock(Uint8Array.of(0x1f, 1, 1, 0, 0xff, 0xff, 0xff, 0x00), 10),
    throws: [Lz4Error, "output-overflow"],
  },
  {
    area: "decoder",
    entry: "lz4.decompressBlock",
    input: "declared size 2^40 for a 3-byte block (nothing allocated)",
    run: () => lz4.decompressBlock(Uint8Array.of(0x20, 1, 2), 2 ** 40),
    throws: [Lz4Error, "size-mismatch"],
  },
  {
    area: "decoder",
    entry: "chunkFromIpc",
    input: "empty bytes",
    run: () => chunkFromIpc(new Uint8Array(0)),
    throws: [ChunkError, "bad-ipc"],
  },
  {
    area: "decoder",
    entry: "chunkFromIpc",
    input: "Arrow IPC garbage (random bytes)",
    run: () => chunkFromIpc(Uint8Array.from({ length: 256 }, (_, i) => (i * 131 + 7) & 0xff)),
    throws: [ChunkError, "bad-ipc"],
  },
  {
    area: "decoder",
    entry: "chunkFromIpc",
    input: "valid IPC cut in half",
    run: () => {
      const ipc = chunkIpc();
      return chunkFromIpc(ipc.subarray(0, ipc.length >> 1));
    },
    throws: [ChunkError, "bad-ipc"],
  },
  {
    area: "decoder",
    entry: "chunkFromIpc",
    input: "schema mismatch: a valid Arrow table that is not a Sorbet chunk (no rerun:id)",
    run: () => chunkFromIpc(tableToIPC(tableFromArrays({ a: Int32Array.of(1, 2) }), "stream")),
    throws: [ChunkError, "missing-chunk-id"],
  },
  {
    area: "decoder",
    entry: "ChunkStore.insert",
    input: 'schema mismatch: timeline "frame" sequence in one chunk, duration in the next',
    run: () => {
      const store = new ChunkStore();
      store.insert(chunkFromIpc(chunkIpc("sequence")));
      store.insert(chunkFromIpc(chunkIpc("duration")));
    },
    throws: [StoreError, "timeline-type-mismatch"],
  },

  // --- issue 15: hostile buffers and SDK misuse (each was a raw TypeError/DOMException or was accepted) ---
  {
    area: "sdk",
    entry: "Image.columns",
    input: 'buffer given as the string "abc" (was a raw TypeError)',
    run: () => Image.columns({ buffer: "abc" as unknown as Uint8Array[] }),
    throws: [ImageFormatError, "unsupported-array"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input: "component batches [null] (was a raw TypeError)",
    run: () => freshRecording().log("a", [null as unknown as ReturnType<typeof batch>]),
    throws: [SdkError, "invalid-component"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.setTime*",
    input: "setTime value null (was a raw TypeError)",
    run: () => freshRecording().setTime("x", null as unknown as { sequence: number }),
    throws: [SdkError, "invalid-time-value"],
  },
  {
    area: "sdk",
    entry: "sendColumns",
    input: "a sparse component column (row 1 is a hole) (was a raw TypeError)",
    run: () => {
      const [buffers] = imageColumns(2);
      const rows: Uint8Array[][] = [];
      rows[0] = [new Uint8Array(1)];
      rows.length = 2;
      return freshRecording().sendColumns(
        "a",
        [new TimeColumn("f", { sequence: [1, 2] })],
        [{ ...buffers!, rows }],
      );
    },
    throws: [SdkError, "invalid-component"],
  },
  {
    area: "sdk",
    entry: "new RecordingStream",
    input: "batcher flushBytes −1 (was accepted)",
    run: () =>
      new RecordingStream({ applicationId: "m", sink: new MemorySink(), batcher: { flushBytes: -1 } }),
    throws: [SdkError, "invalid-option"],
  },
  {
    area: "sdk",
    entry: "new RecordingStream",
    input: "batcher flushIntervalMs NaN (was accepted)",
    run: () =>
      new RecordingStream({
        applicationId: "m",
        sink: new MemorySink(),
        batcher: { flushIntervalMs: Number.NaN },
      }),
    throws: [SdkError, "invalid-option"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input:
      "an Image whose ArrayBuffer was transferred (detached) (was a DOMException that poisoned the batcher)",
    run: () => {
      const bytes = new Uint8Array(1);
      const image = new Image(bytes, { width: 1, height: 1 });
      structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
      freshRecording().log("a", image);
    },
    throws: [SdkError, "detached-buffer"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input: "an Image whose resizable ArrayBuffer shrank below its view (was a DOMException)",
    run: () => {
      const buffer = new ResizableBuffer(4, { maxByteLength: 8 });
      const image = new Image(new Uint8Array(buffer, 0, 4), { width: 2, height: 2, colorModel: "L" });
      buffer.resize(0);
      freshRecording().log("a", image);
    },
    throws: [SdkError, "resized-buffer"],
  },
  {
    area: "sdk",
    entry: "RecordingStream.log",
    input: "an Image of a whole resizable ArrayBuffer that shrank (was written as a smaller image)",
    run: () => {
      const buffer = new ResizableBuffer(4, { maxByteLength: 8 });
      const image = new Image(buffer, { width: 2, height: 2, colorModel: "L", datatype: "U8" });
      buffer.resize(2);
      freshRecording().log("a", image);
    },
    throws: [ImageFormatError, "size-mismatch"],
  },
  {
    area: "sdk",
    entry: "new FileSink",
    input: "a path another FileSink of this process is writing (was silently interleaved)",
    run: () => {
      const dir = mkdtempSync(join(tmpdir(), "iris-matrix-"));
      const path = join(dir, "twice.rrd");
      const first = new FileSink(path);
      try {
        new FileSink(path);
      } finally {
        first.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    throws: [SdkError, "file-locked"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "a MessageHeader with a damaged kind byte, then a valid message (was: every later message lost)",
    run: () =>
      decodeBoth(
        concat(
          streamHeader(),
          rawHeader(0x5a02n, 4n),
          new Uint8Array(4),
          frame(MessageKind.SetStoreInfo, payloadOf(storeInfo())),
        ),
      ),
    messages: ["setStoreInfo"],
    warnings: ["skipped-bytes"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input: "MessageHeader length 2^63, then a valid message (was: every later message lost)",
    run: () =>
      decodeBoth(
        concat(
          streamHeader(),
          rawHeader(2n, 1n << 63n),
          new Uint8Array(4),
          frame(MessageKind.SetStoreInfo, payloadOf(storeInfo())),
        ),
      ),
    messages: ["setStoreInfo"],
    warnings: ["message-too-large", "skipped-bytes"],
  },
  {
    area: "decoder",
    entry: "decodeRrd / RrdDecoder",
    input:
      "LZ4 messages that decompress past the budget (maxDecompressedBytes 256 KiB, ratio 4) (was: no cap)",
    run: () => {
      const sink = new RrdMemorySink();
      const encoder = new RrdEncoder(sink, { compression: "lz4" });
      for (let i = 0; i < 4; i++) encoder.write(arrowMsg(new Uint8Array(100_000)));
      encoder.finish();
      const { messages, warnings } = decodeRrd(sink.toBytes(), {
        maxDecompressedBytes: 256 << 10,
        maxDecompressionRatio: 4,
      });
      return { messages: messages.map((m) => m.kind), warnings: warnings.map((w) => w.kind) };
    },
    messages: ["arrowMsg", "arrowMsg"],
    warnings: ["decompression-limit"],
  },
  {
    area: "decoder",
    entry: "chunkFromIpc",
    input:
      "a List<Null> column declaring 2^31 − 1 values in 2 KiB (was: accepted, then a heap OOM in print/query/compare)",
    run: () => chunkFromIpc(hugeNullListIpc()),
    throws: [ChunkError, "bad-ipc"],
  },
  {
    area: "decoder",
    entry: "chunkFromIpc",
    input: "a dictionary index outside its dictionary (was: read as null, verify ok)",
    run: () => chunkFromIpc(badDictionaryIndexIpc()),
    throws: [ChunkError, "bad-ipc"],
  },
];

// ---- the tests ------------------------------------------------------------------------------------------

describe("bad-input matrix", () => {
  for (const row of matrix) {
    it(`[${row.area}] ${row.entry}: ${row.input}`, { timeout: 5_000 }, () => {
      if ("throws" in row) {
        const [errorClass, kind] = row.throws;
        let caught: unknown;
        try {
          row.run();
        } catch (error) {
          caught = error;
        }
        // Exactly the documented class and kind; anything else (TypeError, RangeError, no error) fails.
        expect(caught).toBeInstanceOf(errorClass);
        expect(caught).toBeInstanceOf(IrisError);
        expect((caught as IrisError).kind).toBe(kind);
        expect((caught as Error).name).toBe(errorClass.name);
      } else if ("warnings" in row) {
        const outcome = row.run();
        expect(outcome.warnings).toEqual(row.warnings);
        expect(outcome.messages).toEqual(row.messages);
      } else {
        expect(row.run()).toEqual(row.result);
      }
    });
  }

  it("covers every SDK entry point and decoder entry point named in the issue", () => {
    const entries = new Set(matrix.map((r) => r.entry));
    for (const entry of [
      "new Image",
      "Image.fromFields",
      "Image.columns",
      "new EncodedImage",
      "new RecordingStream",
      "RecordingStream.log",
      "RecordingStream.setTime*",
      "new FileSink",
      "new TimeColumn",
      "sendColumns",
      "decodeRrd / RrdDecoder",
      "decodeMessagePayload",
      "decodeLogMsg (gRPC)",
      "lz4.decompressBlock",
      "chunkFromIpc",
    ]) {
      expect(entries).toContain(entry);
    }
  });

  it("TESTING.md documents every row, in order, with the asserted outcome", () => {
    const text = readFileSync(new URL("../../TESTING.md", import.meta.url), "utf8");
    const section = text.slice(text.indexOf("## Bad-input matrix"));
    const cells = section
      .split("\n")
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.slice(2, -2).split(" | "));
    const plain = (cell: string | undefined): string => (cell ?? "").replaceAll("`", "");
    expect(cells.map((c) => Number(c[0]))).toEqual(matrix.map((_, i) => i + 1));
    matrix.forEach((row, i) => {
      const [, area, entry, input, outcome] = cells[i]!;
      expect([area, plain(entry), plain(input)]).toEqual([row.area, row.entry, plain(row.input)]);
      if ("throws" in row) {
        expect(plain(outcome)).toBe(`throws ${row.throws[0].name} kind ${row.throws[1]}`);
      } else if ("warnings" in row) {
        for (const kind of row.warnings) expect(outcome).toContain(`\`${kind}\``);
      }
    });
  });

  it("the hostile-length check fails if the decoder waited for the payload (self-test)", () => {
    // A plausible length (100 bytes) is NOT reported early: the decoder waits for more input.
    const decoder = new RrdDecoder();
    decoder.push(concat(streamHeader(), rawHeader(2n, 100n), new Uint8Array(8)));
    expect(decoder.next()).toBeUndefined();
    expect(decoder.end().map((e) => (e.type === "warning" ? e.warning.kind : e.type))).toEqual(["truncated"]);
  });
});
