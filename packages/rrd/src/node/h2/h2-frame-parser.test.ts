import { concatBytes } from "@iris/types";
import { describe, expect, it } from "vitest";
import { H2Error } from "./h2-error.ts";
import { Flag, FrameType, encodeFrame } from "./h2-frame.ts";
import { H2FrameParser, type H2FrameSink } from "./h2-frame-parser.ts";

/** Everything a parser reports, as plain records (payload and data bytes copied out of the views). */
function recorder(): { sink: H2FrameSink; events: unknown[] } {
  const events: unknown[] = [];
  let data: number[] | undefined;
  const sink: H2FrameSink = {
    frame: (type, flags, streamId, payload) => events.push({ type, flags, streamId, payload: [...payload] }),
    dataStart: (streamId, flags, frameBytes) => {
      data = [];
      events.push({ dataStart: streamId, flags, frameBytes });
    },
    data: (bytes) => data!.push(...bytes),
    dataEnd: (flags) => events.push({ data: data, flags }),
  };
  return { sink, events };
}

/** A padded DATA frame written by hand from RFC 9113 §6.1 (pad length, data, padding). */
function paddedData(streamId: number, data: number[], padding: number, flags = 0): Uint8Array {
  return encodeFrame(
    FrameType.DATA,
    flags | Flag.PADDED,
    streamId,
    Uint8Array.from([padding, ...data, ...new Array<number>(padding).fill(0)]),
  );
}

const wire = (): Uint8Array => {
  const frames = [
    encodeFrame(FrameType.SETTINGS, 0, 0, Uint8Array.of(0, 4, 0, 1, 0, 0)),
    encodeFrame(FrameType.SETTINGS, Flag.ACK, 0, new Uint8Array(0)),
    encodeFrame(FrameType.HEADERS, Flag.END_HEADERS, 1, Uint8Array.of(0x88)),
    encodeFrame(FrameType.DATA, 0, 1, Uint8Array.of(1, 2, 3, 4, 5)),
    encodeFrame(0x42, 0, 0, Uint8Array.of(9, 9, 9)), // an unknown type: skipped
    paddedData(1, [6, 7], 3),
    paddedData(1, [], 2),
    encodeFrame(FrameType.DATA, 0, 1, new Uint8Array(0)),
    encodeFrame(FrameType.PING, 0, 0, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)),
    encodeFrame(FrameType.DATA, Flag.END_STREAM, 1, Uint8Array.of(8)),
  ];
  return concatBytes(frames);
};

const EXPECTED = [
  { type: FrameType.SETTINGS, flags: 0, streamId: 0, payload: [0, 4, 0, 1, 0, 0] },
  { type: FrameType.SETTINGS, flags: Flag.ACK, streamId: 0, payload: [] },
  { type: FrameType.HEADERS, flags: Flag.END_HEADERS, streamId: 1, payload: [0x88] },
  { dataStart: 1, flags: 0, frameBytes: 5 },
  { data: [1, 2, 3, 4, 5], flags: 0 },
  { dataStart: 1, flags: Flag.PADDED, frameBytes: 6 },
  { data: [6, 7], flags: Flag.PADDED },
  { dataStart: 1, flags: Flag.PADDED, frameBytes: 3 },
  { data: [], flags: Flag.PADDED },
  { dataStart: 1, flags: 0, frameBytes: 0 },
  { data: [], flags: 0 },
  { type: FrameType.PING, flags: 0, streamId: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8] },
  { dataStart: 1, flags: Flag.END_STREAM, frameBytes: 1 },
  { data: [8], flags: Flag.END_STREAM },
];

describe("H2FrameParser", () => {
  it("reports the same frames however the bytes are cut: whole, byte by byte, and at every split point", () => {
    const bytes = wire();
    const whole = recorder();
    new H2FrameParser(whole.sink, 16_384).push(bytes);
    expect(whole.events).toEqual(EXPECTED);

    const single = recorder();
    const p = new H2FrameParser(single.sink, 16_384);
    for (let i = 0; i < bytes.length; i++) p.push(bytes.subarray(i, i + 1));
    expect(single.events).toEqual(EXPECTED);
    expect(p.atBoundary).toBe(true);

    for (let cut = 1; cut < bytes.length; cut++) {
      const r = recorder();
      const parser = new H2FrameParser(r.sink, 16_384);
      parser.push(bytes.subarray(0, cut));
      parser.push(bytes.subarray(cut));
      expect(r.events, `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it("is not at a frame boundary inside a frame", () => {
    const r = recorder();
    const parser = new H2FrameParser(r.sink, 16_384);
    parser.push(wire().subarray(0, 12));
    expect(parser.atBoundary).toBe(false);
  });

  it("hands DATA bytes on as views of the input, without copying them", () => {
    const seen: Uint8Array[] = [];
    const parser = new H2FrameParser(
      {
        frame: () => undefined,
        dataStart: () => undefined,
        data: (b) => seen.push(b),
        dataEnd: () => undefined,
      },
      16_384,
    );
    const frame = encodeFrame(FrameType.DATA, 0, 1, new Uint8Array(1000).fill(7));
    parser.push(frame);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.buffer).toBe(frame.buffer);
    expect(seen[0]!.byteOffset).toBe(9);
  });

  it("refuses a frame over its maximum size, and padding that does not fit its DATA frame", () => {
    const r = recorder();
    const big = new Uint8Array(9);
    big.set([0x00, 0x40, 0x01, FrameType.DATA]); // 16 385 bytes
    expect(() => new H2FrameParser(r.sink, 16_384).push(big)).toThrow(
      new H2Error(
        "frame-size",
        "a frame of type 0 has 16385 bytes, more than our SETTINGS_MAX_FRAME_SIZE 16384",
      ),
    );
    const overPadded = encodeFrame(FrameType.DATA, Flag.PADDED, 1, Uint8Array.of(4, 1, 2, 3));
    expect(() => new H2FrameParser(r.sink, 16_384).push(overPadded)).toThrow(/declares 4 bytes of padding/);
    const empty = encodeFrame(FrameType.DATA, Flag.PADDED, 1, new Uint8Array(0));
    expect(() => new H2FrameParser(r.sink, 16_384).push(empty)).toThrow(/no room for its padding length/);
  });
});
