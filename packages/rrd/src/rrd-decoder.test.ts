import { describe, expect, it } from "vitest";
import {
  blueprint,
  concat,
  handBuiltRrdFooter,
  hex,
  recording,
  sampleMessages,
  uselessCodec,
  withFooter,
} from "../test/fixtures.ts";
import { decodeRrd } from "./decode-rrd.ts";
import { encodeRrd } from "./encode-rrd.ts";
import { MessageKind, encodeMessageHeader } from "./message-header.ts";
import { encodeMessagePayload } from "./message-payload.ts";
import { RrdDecoder, type RrdDecoderEvent } from "./rrd-decoder.ts";
import { RrdError } from "./rrd-error.ts";
import type { RrdMessage } from "./rrd-message.ts";
import type { RrdWarning } from "./rrd-warning.ts";
import { encodeStreamFooter, streamFooterFor } from "./stream-footer.ts";

const HEADER = hex("52 52 46 32 00 21 00 00 00 02 00 00");

function frame(message: RrdMessage): Uint8Array {
  const { kind, payload } = encodeMessagePayload(message, { compression: "none" });
  return concat(encodeMessageHeader(kind, payload.length), payload);
}

function rawFrame(kind: number, payload: Uint8Array): Uint8Array {
  return concat(encodeMessageHeader(kind as MessageKind, payload.length), payload);
}

/** Feeds `bytes` in chunks of `chunkSize`, pulling events after every push, then ends. */
function decodeChunked(bytes: Uint8Array, chunkSize: number): RrdDecoderEvent[] {
  const decoder = new RrdDecoder();
  const events: RrdDecoderEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    decoder.push(bytes.subarray(i, i + chunkSize));
    for (let e = decoder.next(); e !== undefined; e = decoder.next()) events.push(e);
  }
  return [...events, ...decoder.end()];
}

const kinds = (warnings: RrdWarning[]) => warnings.map((w) => w.kind);

describe("RrdDecoder", () => {
  it.each(["lz4", "none"] as const)("round-trips every message kind (compression %s)", (compression) => {
    const messages = sampleMessages();
    const bytes = encodeRrd(messages, { compression });
    expect(decodeRrd(bytes)).toEqual({ messages, warnings: [] });
  });

  it("reports the offset of each MessageHeader", () => {
    const messages = sampleMessages();
    const frames = messages.map(frame);
    const bytes = concat(HEADER, ...frames);
    const decoder = new RrdDecoder();
    decoder.push(bytes);
    const offsets = decoder.end().map((e) => (e.type === "message" ? e.offset : -1));
    let offset = 12;
    expect(offsets).toEqual(
      frames.map((f) => {
        const at = offset;
        offset += f.length;
        return at;
      }),
    );
    expect(decoder.streamHeader).toEqual({
      version: { major: 0, minor: 33, patch: 0, meta: 0 },
      compression: "none",
    });
  });

  it("gives the same events fed one byte at a time, in odd chunks and in one piece", () => {
    const bytes = withFooter(encodeRrd(sampleMessages()));
    const whole = decodeChunked(bytes, bytes.length);
    expect(whole.filter((e) => e.type === "warning")).toEqual([]);
    expect(whole).toHaveLength(sampleMessages().length);
    expect(decodeChunked(bytes, 1)).toEqual(whole);
    expect(decodeChunked(bytes, 7)).toEqual(whole);
  });

  it("parses a hand-built End + RrdFooter + StreamFooter and verifies its xxh32", () => {
    const bytes = withFooter(encodeRrd(sampleMessages()));
    const decoder = new RrdDecoder();
    decoder.push(bytes);
    const events = decoder.end();
    expect(events.every((e) => e.type === "message")).toBe(true);
    expect(decoder.rrdFooters).toHaveLength(1);
    expect(decoder.rrdFooters[0]!.manifests[0]!.storeId?.recordingId).toBe("rec");

    const corrupted = bytes.slice();
    corrupted[corrupted.length - 16] = corrupted[corrupted.length - 16]! ^ 0xff; // checksum byte
    const { messages, warnings } = decodeRrd(corrupted);
    expect(messages).toHaveLength(sampleMessages().length);
    expect(kinds(warnings)).toEqual(["footer-invalid"]);
    expect(warnings[0]!.message).toMatch(/checksum/);
  });

  it("accepts a legacy End (length 0) at EOF and an End with an empty RrdFooter + StreamFooter", () => {
    const stream = encodeRrd(sampleMessages());
    expect(decodeRrd(concat(stream, new Uint8Array(16))).warnings).toEqual([]);
    expect(decodeRrd(withFooter(stream, new Uint8Array(0))).warnings).toEqual([]);
  });

  it("decodes concatenated streams, with and without footers", () => {
    const a = encodeRrd(sampleMessages().slice(0, 3));
    const b = encodeRrd(sampleMessages().slice(3), { compression: "none" });
    const all = sampleMessages();
    for (const bytes of [
      concat(a, b),
      concat(withFooter(a), withFooter(b)),
      concat(withFooter(a), b),
      concat(a, withFooter(b)),
      concat(a, encodeRrd([]), b), // an empty stream in the middle
      concat(a, new Uint8Array(16), b), // legacy End directly followed by a stream
    ]) {
      expect(decodeRrd(bytes)).toEqual({ messages: all, warnings: [] });
      expect(decodeChunked(bytes, 1).filter((e) => e.type === "message")).toHaveLength(all.length);
    }
    expect(decodeRrd(concat(a, encodeRrd([])))).toEqual({ messages: all.slice(0, 3), warnings: [] });
  });

  it("skips an undecodable payload with a warning and decodes the next message", () => {
    const [info, , arrow] = sampleMessages();
    const bytes = concat(HEADER, frame(info!), rawFrame(2, hex("ff ff ff ff")), frame(arrow!));
    const { messages, warnings } = decodeRrd(bytes);
    expect(messages).toEqual([info, arrow]);
    expect(kinds(warnings)).toEqual(["invalid-payload"]);
    expect(warnings[0]!.offset).toBe(12 + frame(info!).length);
  });

  it("skips a message whose LZ4 payload fails, with an lz4-failed warning", () => {
    const [info, , arrow] = sampleMessages();
    const bytes = encodeRrd([arrow!, info!]);
    const { messages, warnings } = decodeRrd(bytes, { lz4: uselessCodec });
    expect(messages).toEqual([info]);
    expect(kinds(warnings)).toEqual(["lz4-failed"]);
  });

  it("stops at a hostile 2^63 length without allocating it", () => {
    const [info] = sampleMessages();
    const hostile = hex("02 00 00 00 00 00 00 00 | 00 00 00 00 00 00 00 80");
    const decoder = new RrdDecoder();
    decoder.push(concat(HEADER, frame(info!), hostile, new Uint8Array(100)));
    decoder.push(new Uint8Array(1000)); // ignored after the stop
    const events = decoder.end();
    expect(events.map((e) => e.type)).toEqual(["message", "warning"]);
    const warning = events[1]!.type === "warning" ? events[1]!.warning : undefined;
    expect(warning?.kind).toBe("message-too-large");
    expect(warning?.offset).toBe(12 + frame(info!).length);
  });

  it("honours a small maxMessageBytes", () => {
    const bytes = encodeRrd(sampleMessages(), { compression: "none" });
    const { messages, warnings } = decodeRrd(bytes, { maxMessageBytes: 100 });
    // The 648-byte ArrowMsg is refused from its header; every smaller message after it is still decoded.
    expect(messages.map((m) => m.kind)).toEqual([
      "setStoreInfo",
      "setStoreInfo",
      "arrowMsg",
      "arrowMsg",
      "blueprintActivation",
    ]);
    expect(kinds(warnings)).toEqual(["message-too-large", "skipped-bytes"]);
    expect(warnings[1]!.lostBytes).toBe(16 + 648);
  });

  it("skips an unknown kind that is not a new stream and resumes at the next valid message", () => {
    const [info] = sampleMessages();
    const bytes = concat(HEADER, frame(info!), rawFrame(7, hex("00 00")), frame(info!));
    const { messages, warnings } = decodeRrd(bytes);
    expect(messages).toEqual([info, info]);
    expect(kinds(warnings)).toEqual(["skipped-bytes"]);
    expect(warnings[0]!.lostBytes).toBe(16 + 2);
  });

  it("stops with trailing-bytes on an unknown kind when no valid message follows", () => {
    const [info] = sampleMessages();
    const bytes = concat(HEADER, frame(info!), rawFrame(7, hex("00 00")), hex("01 02 03"));
    const { messages, warnings } = decodeRrd(bytes);
    expect(messages).toEqual([info]);
    expect(kinds(warnings)).toEqual(["trailing-bytes"]);
    expect(warnings[0]!.lostBytes).toBe(16 + 2 + 3);
  });

  it("stops with trailing-bytes when a stream after a footer has a bad header", () => {
    const stream = withFooter(encodeRrd(sampleMessages()));
    const { messages, warnings } = decodeRrd(concat(stream, hex("50 4b 03 04 00 00 00 00 00 00 00 00")));
    expect(messages).toHaveLength(sampleMessages().length);
    expect(kinds(warnings)).toEqual(["trailing-bytes"]);
  });

  it("warns about a newer version and decodes anyway", () => {
    const newer = hex("52 52 46 32 00 28 00 00 00 02 00 00");
    const [info] = sampleMessages();
    const { messages, warnings } = decodeRrd(concat(newer, frame(info!)));
    expect(messages).toEqual([info]);
    expect(kinds(warnings)).toEqual(["newer-version"]);
    expect(warnings[0]!.message).toContain("0.40.0");
  });

  it("throws a typed RrdError for a bad first stream header, also on later calls", () => {
    for (const [bytes, kind] of [
      [hex("3c 21 64 6f 63 74 79 70 65 20 68 74 6d 6c"), "not-rrd"],
      [hex("52 52 46 31 00 10 00 00 00 02 00 00"), "old-version"],
      [hex("52 52 46 32 00 21 00 00 00 01 00 00"), "unsupported-serializer"],
      [hex("52 52 46 32 00 16 00 00 00 02 00 00"), "incompatible-version"],
    ] as const) {
      const decoder = new RrdDecoder();
      decoder.push(bytes);
      expect(() => decoder.next()).toThrow(RrdError);
      try {
        decoder.end();
        expect.unreachable();
      } catch (error) {
        expect((error as RrdError).kind).toBe(kind);
      }
    }
  });

  it("recovers application ids from an earlier SetStoreInfo (legacy 0.24 files)", () => {
    const [info] = sampleMessages();
    // ArrowMsg { store_id { kind 1, "rec" } (no application id), encoding 1 }.
    const legacyArrow = rawFrame(2, hex("0a 07 08 01 12 03 72 65 63 20 01"));
    const { messages, warnings } = decodeRrd(concat(HEADER, legacyArrow, frame(info!), legacyArrow));
    expect(kinds(warnings)).toEqual(["invalid-payload"]);
    expect(messages).toEqual([info, { kind: "arrowMsg", storeId: recording, ipc: new Uint8Array(0) }]);
  });

  it("reports empty input and a cut header as truncated, but short non-RRD input as not-rrd", () => {
    expect(kinds(decodeRrd(new Uint8Array(0)).warnings)).toEqual(["truncated"]);
    expect(kinds(decodeRrd(hex("52 52 46 32 00")).warnings)).toEqual(["truncated"]);
    expect(() => decodeRrd(hex("68 69 0a"))).toThrow(/not an RRD/);
  });

  it("throws a usage error on push after end", () => {
    const decoder = new RrdDecoder();
    decoder.end();
    expect(() => decoder.push(HEADER)).toThrow(RrdError);
  });
});

describe("RrdDecoder truncation", () => {
  const messages: RrdMessage[] = [
    ...sampleMessages(),
    { kind: "blueprintActivation", blueprintId: blueprint, makeActive: false, makeDefault: true },
  ];
  const frames = messages.map(frame);
  const stream = concat(HEADER, ...frames);
  /** Byte offset where each frame ends. */
  const ends: number[] = [];
  frames.reduce((offset, f) => {
    ends.push(offset + f.length);
    return offset + f.length;
  }, 12);

  it("yields exactly the complete messages before every cut, plus one truncation warning", () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      for (const chunkSize of [cut || 1, 5]) {
        const events = decodeChunked(stream.subarray(0, cut), chunkSize);
        const got = events.filter((e) => e.type === "message").map((e) => e.message);
        const complete = ends.filter((end) => end <= cut).length;
        expect(got).toEqual(messages.slice(0, complete));
        const warnings = events.flatMap((e) => (e.type === "warning" ? [e.warning] : []));
        const atBoundary = cut === 12 || ends.includes(cut);
        if (atBoundary) {
          expect(warnings).toEqual([]);
        } else {
          expect(kinds(warnings)).toEqual(["truncated"]);
          const lastEnd = complete === 0 ? (cut < 12 ? 0 : 12) : ends[complete - 1]!;
          expect(warnings[0]!.offset).toBe(lastEnd);
          expect(warnings[0]!.lostBytes).toBe(cut - lastEnd);
        }
      }
    }
  });

  it("reports a cut inside the footer", () => {
    const full = withFooter(stream, handBuiltRrdFooter);
    const endHeaderAt = stream.length;
    const trailerAt = endHeaderAt + 16 + handBuiltRrdFooter.length;
    for (let cut = endHeaderAt + 1; cut < full.length; cut++) {
      const { messages: got, warnings } = decodeRrd(full.subarray(0, cut));
      expect(got).toEqual(messages);
      expect({ cut, w: kinds(warnings) }).toEqual({
        cut,
        w: [cut === trailerAt ? "footer-invalid" : "truncated"],
      });
    }
    expect(decodeRrd(full).warnings).toEqual([]);
  });

  it("never throws for a trailer written with a wrong offset; it warns", () => {
    const rrdFooter = handBuiltRrdFooter;
    const bad = concat(
      stream,
      encodeMessageHeader(MessageKind.End, rrdFooter.length),
      rrdFooter,
      encodeStreamFooter(streamFooterFor(rrdFooter, 3)),
    );
    expect(kinds(decodeRrd(bad).warnings)).toEqual(["footer-invalid"]);
  });
});
