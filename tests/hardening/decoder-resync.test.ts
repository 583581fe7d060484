// Damaged framing does not lose the intact messages after it: the decoder scans for the next MessageHeader whose
// payload decodes and resumes there (issue 15: one damaged header byte used to lose every later message — 9 of
// 100 frames were recovered). Also the decompression budget (LZ4 bombs) and the aggregation of repeated warnings.
import { describe, expect, it } from "vitest";
import {
  MAX_WARNINGS_PER_KIND,
  MemorySink,
  MessageKind,
  RrdDecoder,
  RrdEncoder,
  type RrdMessage,
  type StoreId,
  decodeRrd,
  encodeMessageHeader,
  encodeMessagePayload,
  encodeStreamHeader,
} from "@iris/rrd";
import { defaultTuidGenerator } from "@iris/types";
import { mulberry32 } from "../mulberry32.ts";

const STORE: StoreId = { kind: "recording", recordingId: "resync", applicationId: "resync_app" };

/** 100 ArrowMsgs whose (fake) IPC bytes say which frame they are, after a SetStoreInfo. */
function hundredFrames(compression: "lz4" | "none"): { bytes: Uint8Array; starts: number[] } {
  const sink = new MemorySink();
  const encoder = new RrdEncoder(sink, { compression });
  encoder.write({ kind: "setStoreInfo", rowId: defaultTuidGenerator.next(), storeId: STORE });
  for (let i = 0; i < 100; i++) encoder.write({ kind: "arrowMsg", storeId: STORE, ipc: frameIpc(i) });
  encoder.finish();
  const bytes = sink.toBytes();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts: number[] = [];
  for (let at = 12; at + 16 <= bytes.length; at += 16 + Number(view.getBigUint64(at + 8, true)))
    starts.push(at);
  return { bytes, starts };
}

/** 600 bytes: the frame number, then a pattern that LZ4 compresses. */
function frameIpc(i: number): Uint8Array {
  const out = new Uint8Array(600);
  for (let k = 0; k < out.length; k++) out[k] = (i + (k >> 4)) & 0xff;
  out[0] = i;
  return out;
}

/** The frame numbers of the ArrowMsgs, checking each one's IPC bytes are exactly the ones written. */
function framesOf(messages: readonly RrdMessage[]): number[] {
  return messages.flatMap((m) => {
    if (m.kind !== "arrowMsg") return [];
    const i = m.ipc[0]!;
    const expected = frameIpc(i);
    // A plain loop: vitest's toEqual on typed arrays is slow in these loops.
    if (m.ipc.length !== expected.length || m.ipc.some((b, k) => b !== expected[k])) {
      throw new Error(`frame ${i}: IPC bytes differ from the ones written`);
    }
    return [i];
  });
}

function decodeInPieces(bytes: Uint8Array, piece: number): { messages: RrdMessage[]; warnings: string[] } {
  const decoder = new RrdDecoder();
  const messages: RrdMessage[] = [];
  const warnings: string[] = [];
  const take = (e: ReturnType<RrdDecoder["next"]>): void => {
    if (e?.type === "message") messages.push(e.message);
    else if (e?.type === "warning") warnings.push(e.warning.kind);
  };
  for (let i = 0; i < bytes.length; i += piece) {
    decoder.push(bytes.subarray(i, i + piece));
    for (let e = decoder.next(); e !== undefined; e = decoder.next()) take(e);
  }
  for (const e of decoder.end()) take(e);
  return { messages, warnings };
}

const allBut = (lost: number): number[] => Array.from({ length: 100 }, (_, i) => i).filter((i) => i !== lost);

describe("resynchronisation after damaged framing", () => {
  for (const compression of ["lz4", "none"] as const) {
    it(`any damaged byte of a MessageHeader loses only that message (${compression}, 16 bytes × 3 damages, one turning the kind into End)`, () => {
      const { bytes, starts } = hundredFrames(compression);
      const at = starts[11]!; // frame 10 (message 0 is the SetStoreInfo)
      for (let byte = 0; byte < 16; byte++) {
        for (const flip of [0x5a, 0x01, 0x02]) {
          const damaged = bytes.slice();
          damaged[at + byte]! ^= flip;
          const { messages, warnings } = decodeRrd(damaged);
          const frames = framesOf(messages);
          // A flip that leaves the length plausible may still decode frame 10 (e.g. a higher length byte of 0
          // turned into 1 makes the payload look cut): every other frame must be there, in order.
          expect(frames.filter((f) => f !== 10)).toEqual(allBut(10));
          // (kind 2 → 3 makes frame 10 a valid BlueprintActivationCommand: no warning, nothing lost but frame 10.)
          void warnings;
          expect(decodeInPieces(damaged, 4096).messages.map((m) => m.kind)).toEqual(
            messages.map((m) => m.kind),
          );
        }
      }
    });
  }

  it("a length made larger or smaller by a few bytes loses only that message, also pushed in 7-byte pieces", () => {
    const { bytes, starts } = hundredFrames("lz4");
    const at = starts[11]!;
    for (const delta of [-3n, -1n, 1n, 100n, 5000n]) {
      const damaged = bytes.slice();
      const view = new DataView(damaged.buffer);
      view.setBigUint64(at + 8, view.getBigUint64(at + 8, true) + delta, true);
      const whole = decodeRrd(damaged);
      expect(framesOf(whole.messages)).toEqual(allBut(10));
      const pieces = decodeInPieces(damaged, 7);
      expect(framesOf(pieces.messages)).toEqual(allBut(10));
      expect(pieces.warnings).toEqual(whole.warnings.map((w) => w.kind));
    }
  });

  it("1000 random bytes spliced between two messages: all 100 frames, one skipped-bytes warning", () => {
    const { bytes, starts } = hundredFrames("none");
    const random = mulberry32(15);
    const noise = Uint8Array.from({ length: 1000 }, () => Math.floor(random() * 256));
    const at = starts[50]!;
    const spliced = new Uint8Array(bytes.length + noise.length);
    spliced.set(bytes.subarray(0, at));
    spliced.set(noise, at);
    spliced.set(bytes.subarray(at), at + noise.length);
    const { messages, warnings } = decodeRrd(spliced);
    expect(framesOf(messages)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(warnings.map((w) => [w.kind, w.offset, w.lostBytes])).toEqual([["skipped-bytes", at, 1000]]);
  });

  it("a damaged payload (protobuf) loses only its message; the footer after the last message still checks out", () => {
    const { bytes, starts } = hundredFrames("lz4");
    const damaged = bytes.slice();
    damaged[starts[31]! + 16]! ^= 0xff; // the first protobuf tag of frame 30
    const { messages, warnings } = decodeRrd(damaged);
    expect(framesOf(messages)).toEqual(allBut(30));
    expect(warnings.map((w) => w.kind)).toEqual(["invalid-payload"]);
  });
});

describe("decompression budget", () => {
  /** `n` LZ4 ArrowMsgs of 256 KiB of zeros each (~1 KiB on disk). */
  function zeros(n: number): Uint8Array {
    const sink = new MemorySink();
    const encoder = new RrdEncoder(sink, { compression: "lz4" });
    for (let i = 0; i < n; i++)
      encoder.write({ kind: "arrowMsg", storeId: STORE, ipc: new Uint8Array(256 << 10) });
    encoder.finish();
    return sink.toBytes();
  }

  it("LZ4 messages that would decompress past max(maxDecompressedBytes, ratio × input) stop decoding with a typed warning", () => {
    const bytes = zeros(10);
    expect(bytes.length).toBeLessThan(20_000);
    const { messages, warnings } = decodeRrd(bytes, {
      maxDecompressedBytes: 1 << 20,
      maxDecompressionRatio: 16,
    });
    expect(messages).toHaveLength(4);
    expect(warnings.map((w) => w.kind)).toEqual(["decompression-limit"]);
    expect(warnings[0]!.message).toContain("maxDecompressedBytes");
  });

  it("the default budget (1 GiB or 64 × input) lets a real recording through", () => {
    const { messages, warnings } = decodeRrd(zeros(10));
    expect(messages).toHaveLength(10);
    expect(warnings).toEqual([]);
  });
});

describe("repeated warnings", () => {
  it(`are listed up to ${MAX_WARNINGS_PER_KIND} per kind, then summarised once`, () => {
    const parts: Uint8Array[] = [
      encodeStreamHeader({ version: { major: 0, minor: 33, patch: 0, meta: 0 }, compression: "none" }),
    ];
    const good = encodeMessagePayload({
      kind: "setStoreInfo",
      rowId: defaultTuidGenerator.next(),
      storeId: STORE,
    });
    for (let i = 0; i < 1000; i++) {
      // An ArrowMsg without store_id (valid framing, invalid message), then a valid SetStoreInfo.
      parts.push(encodeMessageHeader(MessageKind.ArrowMsg, 2), Uint8Array.of(0x10, 0x01));
      parts.push(encodeMessageHeader(MessageKind.SetStoreInfo, good.payload.length), good.payload);
    }
    const total = parts.reduce((n, p) => n + p.length, 0);
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    const { messages, warnings } = decodeRrd(bytes);
    expect(messages).toHaveLength(1000);
    expect(warnings).toHaveLength(MAX_WARNINGS_PER_KIND + 1);
    expect(warnings.at(-1)!.message).toContain(
      `${1000 - MAX_WARNINGS_PER_KIND} more "invalid-payload" warnings`,
    );
  });

  it("100 000 empty messages (1.6 MB) are two warnings, not one per message", () => {
    const n = 100_000;
    const bytes = new Uint8Array(12 + 16 * n);
    bytes.set(
      encodeStreamHeader({ version: { major: 0, minor: 33, patch: 0, meta: 0 }, compression: "none" }),
    );
    for (let i = 0; i < n; i++) bytes[12 + 16 * i] = MessageKind.ArrowMsg;
    const { messages, warnings } = decodeRrd(bytes);
    expect(messages).toEqual([]);
    expect(warnings.map((w) => w.kind)).toEqual(["invalid-payload", "trailing-bytes"]);
  });
});
