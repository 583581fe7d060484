import { afterEach, describe, expect, it, vi } from "vitest";
import { type Chunk, chunkFromIpc } from "@iris/chunk";
import { type ArrowMsgMessage, type RrdMessage, decodeRrd } from "@iris/rrd";
import { Image, ImageBufferType, ImageFormatType, IrisError, TimelineError } from "@iris/types";
import { RecordingStream } from "./recording-stream.ts";
import { SdkError, type SdkErrorKind } from "./sdk-error.ts";
import { BytesSink } from "./sinks/bytes-sink.ts";
import { MemorySink } from "./sinks/memory-sink.ts";
import { TimeColumn } from "./time-column.ts";

const tiny = (): Image => new Image(Uint8Array.from([1, 2, 3, 4]), { width: 2, height: 2 });

function recording(options: { defaultTimelines?: boolean; batcher?: object } = {}): {
  rec: RecordingStream;
  sink: MemorySink;
} {
  const sink = new MemorySink();
  const rec = new RecordingStream({
    applicationId: "iris_test_app",
    recordingId: "rec-1",
    sink,
    sendProperties: false,
    batcher: { flushIntervalMs: 0 },
    ...options,
  });
  return { rec, sink };
}

function arrowMsgs(messages: readonly RrdMessage[]): ArrowMsgMessage[] {
  return messages.filter((m): m is ArrowMsgMessage => m.kind === "arrowMsg");
}

function chunksOf(messages: readonly RrdMessage[]): Chunk[] {
  return arrowMsgs(messages).map((m) => chunkFromIpc(m.ipc));
}

function times(chunk: Chunk, timeline: string): bigint[] {
  const column = chunk.timelines.get(timeline);
  if (!column) throw new Error(`no timeline ${timeline} in ${[...chunk.timelines.keys()].join(",")}`);
  return Array.from(column.times);
}

function sdkErrorKind(fn: () => unknown): SdkErrorKind {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SdkError);
    return (e as SdkError).kind;
  }
  throw new Error("expected an SdkError");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("RecordingStream messages", () => {
  it("sends SetStoreInfo first, then ArrowMsgs with the recording's StoreId", () => {
    const { rec, sink } = recording();
    expect(sink.messages).toHaveLength(1);
    rec.log("image", tiny());
    rec.flush();
    expect(sink.messages.map((m) => m.kind)).toEqual(["setStoreInfo", "arrowMsg"]);
    const info = sink.messages[0]!;
    if (info.kind !== "setStoreInfo") throw new Error("unreachable");
    const storeId = { kind: "recording", recordingId: "rec-1", applicationId: "iris_test_app" };
    expect(info.storeId).toEqual(storeId);
    expect(info.storeSource?.kind).toBe(6); // OTHER (rrd-format.md §2.2)
    const msg = arrowMsgs(sink.messages)[0]!;
    expect(msg.storeId).toEqual(storeId);
    expect(msg.isStatic).toBe(false);
    const chunk = chunkFromIpc(msg.ipc);
    expect(msg.chunkId!.equals(chunk.id)).toBe(true);
    expect(chunk.entityPath).toBe("/image");
    expect(chunk.componentValues("Image:buffer", 0, ImageBufferType)).toEqual([
      Uint8Array.from([1, 2, 3, 4]),
    ]);
    expect(chunk.componentValues("Image:format", 0, ImageFormatType)).toEqual([
      { width: 2, height: 2, colorModel: 1, channelDatatype: 6 },
    ]);
  });

  it("makes a random UUID recording id by default and needs an application id", () => {
    const rec = new RecordingStream({ applicationId: "a" });
    expect(rec.recordingId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new RecordingStream({ applicationId: "a" }).recordingId).not.toBe(rec.recordingId);
    expect(sdkErrorKind(() => new RecordingStream({ applicationId: "" }))).toBe("invalid-option");
    expect(sdkErrorKind(() => new RecordingStream(undefined as never))).toBe("invalid-option");
  });

  it("normalises entity paths and refuses bad ones", () => {
    const { rec, sink } = recording();
    rec.log("world//camera/", tiny());
    rec.log("a b", tiny());
    rec.flush();
    expect(chunksOf(sink.messages).map((c) => c.entityPath)).toEqual(["/world/camera", "/a\\ b"]);
    expect(sdkErrorKind(() => rec.log("bad\\", tiny()))).toBe("invalid-entity-path");
    expect(sdkErrorKind(() => rec.log(42 as never, tiny()))).toBe("invalid-entity-path");
  });

  it("gives RowIds that increase in logging order, and unique chunk ids", () => {
    const { rec, sink } = recording();
    for (let i = 0; i < 5; i++) rec.log("a", tiny());
    rec.log("b", tiny());
    rec.flush();
    const [a, b] = chunksOf(sink.messages);
    for (let i = 1; i < 5; i++) expect(a!.rowId(i).compare(a!.rowId(i - 1))).toBe(1);
    expect(b!.rowId(0).compare(a!.rowId(4))).toBe(1);
    expect(a!.id.equals(b!.id)).toBe(false);
  });
});

describe("timelines", () => {
  it("stamps log_tick 0, 1, 2… and log_time (wall clock) on every row", () => {
    const { rec, sink } = recording();
    const before = BigInt(Date.now() - 1000) * 1_000_000n;
    rec.log("a", tiny());
    rec.log("b", tiny());
    rec.log("a", tiny());
    const after = BigInt(Date.now() + 1000) * 1_000_000n;
    rec.flush();
    const [a, b] = chunksOf(sink.messages);
    expect(a!.entityPath).toBe("/a");
    expect(times(a!, "log_tick")).toEqual([0n, 2n]);
    expect(times(b!, "log_tick")).toEqual([1n]);
    expect(a!.timelines.get("log_tick")!.timeline.type).toBe("sequence");
    expect(a!.timelines.get("log_time")!.timeline.type).toBe("timestamp");
    const logTimes = [...times(a!, "log_time"), ...times(b!, "log_time")];
    for (const t of logTimes) {
      expect(t).toBeGreaterThan(before);
      expect(t).toBeLessThan(after);
    }
    expect(times(a!, "log_time")[1]!).toBeGreaterThanOrEqual(times(a!, "log_time")[0]!);
  });

  it("adds timelines set with setTimeSequence / setTimeSeconds / setTimeNanos / setTimestamp", () => {
    const { rec, sink } = recording();
    rec.setTimeSequence("frame", 42);
    rec.setTimeSequence("frame_big", 9_007_199_254_740_993n);
    rec.setTimeSeconds("sim", 1.5);
    rec.setTimeNanos("sim_ns", 1234n);
    rec.setTimeNanos("sim_ns_number", 77);
    rec.setTimestamp("ts_date", new Date(1_700_000_000_123));
    rec.setTimestamp("ts_seconds", 1_700_000_000.5);
    rec.setTimestamp("ts_nanos", 1_700_000_000_123_456_789n);
    rec.setTime("dur", { duration: 0.25 });
    rec.log("a", tiny());
    rec.flush();
    const [chunk] = chunksOf(sink.messages);
    const expected: Record<string, [string, bigint]> = {
      frame: ["sequence", 42n],
      frame_big: ["sequence", 9_007_199_254_740_993n],
      sim: ["duration", 1_500_000_000n],
      sim_ns: ["duration", 1234n],
      sim_ns_number: ["duration", 77n],
      ts_date: ["timestamp", 1_700_000_000_123_000_000n],
      ts_seconds: ["timestamp", 1_700_000_000_500_000_000n],
      ts_nanos: ["timestamp", 1_700_000_000_123_456_789n],
      dur: ["duration", 250_000_000n],
    };
    expect([...chunk!.timelines.keys()].sort()).toEqual(
      [...Object.keys(expected), "log_tick", "log_time"].sort(),
    );
    for (const [name, [type, value]] of Object.entries(expected)) {
      expect(chunk!.timelines.get(name)!.timeline.type, name).toBe(type);
      expect(times(chunk!, name), name).toEqual([value]);
    }
  });

  it("converts Dates to nanoseconds exactly (milliseconds × 10⁶)", () => {
    const { rec, sink } = recording();
    const millis = [1_700_000_000_001, 1_700_000_000_999, 1_234_567_890_123, 0, -1];
    rec.setTimestamp("t", new Date(millis[0]!));
    rec.log("a", tiny());
    for (const ms of millis.slice(1)) {
      rec.setTime("t", { timestamp: new Date(ms) });
      rec.log("a", tiny());
    }
    rec.flush();
    expect(times(chunksOf(sink.messages)[0]!, "t")).toEqual(millis.map((ms) => BigInt(ms) * 1_000_000n));
  });

  it("refuses invalid times", () => {
    const { rec } = recording();
    expect(() => rec.setTimeSequence("f", 1.5)).toThrow(TimelineError);
    expect(() => rec.setTimeSeconds("s", Number.NaN)).toThrow(TimelineError);
    expect(() => rec.setTimestamp("t", new Date(Number.NaN))).toThrow(TimelineError);
    expect(() => rec.setTimeNanos("n", 0.5)).toThrow(IrisError);
    expect(() => rec.setTimeSequence("", 1)).toThrow(TimelineError);
  });

  it("disableTimeline drops one timeline, resetTime drops all set ones", () => {
    const { rec, sink } = recording();
    rec.setTimeSequence("frame", 1);
    rec.setTimeSeconds("sim", 2);
    rec.log("a", tiny());
    rec.disableTimeline("frame");
    rec.log("a", tiny());
    rec.resetTime();
    rec.log("a", tiny());
    rec.flush();
    const keys = chunksOf(sink.messages).map((c) => [...c.timelines.keys()].sort());
    expect(keys).toEqual([
      ["frame", "log_tick", "log_time", "sim"],
      ["log_tick", "log_time", "sim"],
      ["log_tick", "log_time"],
    ]);
  });

  it("without default timelines rows carry only the timelines that were set", () => {
    const { rec, sink } = recording({ defaultTimelines: false });
    rec.setTimeSequence("frame", 3);
    rec.log("a", tiny());
    rec.resetTime();
    rec.log("b", tiny());
    rec.flush();
    const [a, b] = chunksOf(sink.messages);
    expect([...a!.timelines.keys()]).toEqual(["frame"]);
    expect(times(a!, "frame")).toEqual([3n]);
    // No time at all: the row has no index columns, i.e. it is static.
    expect(b!.timelines.size).toBe(0);
    expect(b!.isStatic).toBe(true);
    expect(arrowMsgs(sink.messages)[1]!.isStatic).toBe(true);
  });

  it("one timeline name with two types throws TimelineError type-mismatch", () => {
    const { rec } = recording();
    rec.setTimeSequence("t", 1);
    const error = (() => {
      try {
        rec.setTimeSeconds("t", 1);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TimelineError);
    expect((error as TimelineError).kind).toBe("type-mismatch");
    expect((error as Error).message).toContain("sequence");
    expect((error as Error).message).toContain("duration");
    expect(() => rec.setTimestamp("t", 1n)).toThrow(TimelineError);
    // Disabling does not forget the type.
    rec.disableTimeline("t");
    expect(() => rec.setTimeNanos("t", 1n)).toThrow(TimelineError);
    rec.setTimeSequence("t", 2);
  });

  it("the type check also covers sendColumns", () => {
    const { rec } = recording();
    rec.setTimeSequence("step", 1);
    expect(() =>
      rec.sendColumns("a", [new TimeColumn("step", { duration: [1] })], Image.columns({ opacity: [1] })),
    ).toThrow(TimelineError);
  });

  it("the default timelines keep their types: log_tick is a sequence, log_time a timestamp", () => {
    const { rec } = recording();
    rec.log("a", tiny());
    expect(() => rec.setTimeSequence("log_time", 1)).toThrow(TimelineError);
    expect(() => rec.setTimeSeconds("log_tick", 1)).toThrow(TimelineError);
    expect(() =>
      rec.sendColumns("a", [new TimeColumn("log_time", { sequence: [1] })], Image.columns({ opacity: [1] })),
    ).toThrow(TimelineError);
  });
});

describe("static logging and chunking", () => {
  it("static logging makes a static chunk with no timelines", () => {
    const { rec, sink } = recording();
    rec.setTimeSequence("frame", 1);
    rec.log("a", Image.fromFields({ format: { width: 2, height: 2 } }), { static: true });
    rec.flush();
    const msgs = arrowMsgs(sink.messages);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.isStatic).toBe(true);
    const chunk = chunkFromIpc(msgs[0]!.ipc);
    expect(chunk.isStatic).toBe(true);
    expect(chunk.timelines.size).toBe(0);
    expect([...chunk.components.keys()]).toEqual(["Image:format"]);
  });

  it("rows with different timeline sets go to different chunks; equal sets share one", () => {
    const { rec, sink } = recording();
    rec.setTimeSequence("frame", 1);
    rec.log("a", tiny());
    rec.setTimeSeconds("sim", 1);
    rec.log("a", tiny());
    rec.setTimeSequence("frame", 2);
    rec.log("a", tiny());
    rec.log("a", tiny(), { static: true });
    rec.flush();
    const chunks = chunksOf(sink.messages);
    expect(chunks).toHaveLength(3);
    const byKeys = new Map(chunks.map((c) => [[...c.timelines.keys()].sort().join(","), c]));
    expect(byKeys.get("frame,log_tick,log_time")!.numRows).toBe(1);
    expect(byKeys.get("frame,log_tick,log_time,sim")!.numRows).toBe(2);
    expect(times(byKeys.get("frame,log_tick,log_time,sim")!, "frame")).toEqual([1n, 2n]);
    expect(byKeys.get("")!.isStatic).toBe(true);
  });

  it("rows of different entities go to different chunks", () => {
    const { rec, sink } = recording();
    rec.log("a", tiny());
    rec.log("b", tiny());
    rec.log("a", tiny());
    rec.flush();
    expect(chunksOf(sink.messages).map((c) => [c.entityPath, c.numRows])).toEqual([
      ["/a", 2],
      ["/b", 1],
    ]);
  });

  it("a row that logs only some components leaves the others null", () => {
    const { rec, sink } = recording();
    rec.log("a", tiny());
    rec.log("a", Image.fromFields({ opacity: 0.5 }));
    rec.flush();
    const [chunk] = chunksOf(sink.messages);
    expect(chunk!.componentValues("Image:buffer", 1, ImageBufferType)).toBeNull();
    expect(chunk!.componentValues("Image:buffer", 0, ImageBufferType)).toHaveLength(1);
  });
});

describe("batcher thresholds", () => {
  it("flushRows sends a chunk as soon as that many rows are pending", () => {
    const { rec, sink } = recording({ batcher: { flushRows: 2, flushIntervalMs: 0 } });
    rec.log("a", tiny());
    expect(arrowMsgs(sink.messages)).toHaveLength(0);
    rec.log("a", tiny());
    expect(chunksOf(sink.messages).map((c) => c.numRows)).toEqual([2]);
    rec.log("a", tiny());
    expect(arrowMsgs(sink.messages)).toHaveLength(1);
    rec.flush();
    expect(chunksOf(sink.messages).map((c) => c.numRows)).toEqual([2, 1]);
  });

  it("flushBytes sends a chunk once the pending rows hold that many bytes", () => {
    const { rec, sink } = recording({ batcher: { flushBytes: 1000, flushIntervalMs: 0 } });
    rec.log("a", new Image(new Uint8Array(300), { width: 10, height: 10 }));
    rec.log("a", new Image(new Uint8Array(300), { width: 10, height: 10 }));
    expect(arrowMsgs(sink.messages)).toHaveLength(0);
    rec.log("a", new Image(new Uint8Array(600), { width: 20, height: 10, colorModel: "RGB" }));
    expect(chunksOf(sink.messages).map((c) => c.numRows)).toEqual([3]);
    // A single row larger than the threshold goes out at once.
    rec.log("b", new Image(new Uint8Array(5000), { width: 50, height: 100 }));
    expect(chunksOf(sink.messages).map((c) => c.numRows)).toEqual([3, 1]);
  });

  it("flushIntervalMs sends pending rows after the interval", () => {
    vi.useFakeTimers();
    const { rec, sink } = recording({ batcher: { flushIntervalMs: 200 } });
    rec.log("a", tiny());
    vi.advanceTimersByTime(100);
    rec.log("a", tiny());
    vi.advanceTimersByTime(99);
    expect(arrowMsgs(sink.messages)).toHaveLength(0);
    vi.advanceTimersByTime(1);
    // The timer starts with the first pending row.
    expect(chunksOf(sink.messages).map((c) => c.numRows)).toEqual([2]);
    rec.log("a", tiny());
    vi.advanceTimersByTime(199);
    expect(arrowMsgs(sink.messages)).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(arrowMsgs(sink.messages)).toHaveLength(2);
    vi.advanceTimersByTime(10_000);
    expect(arrowMsgs(sink.messages)).toHaveLength(2);
  });

  it("the default interval is 200 ms", () => {
    vi.useFakeTimers();
    const sink = new MemorySink();
    const rec = new RecordingStream({ applicationId: "x", sendProperties: false, sink });
    rec.log("a", tiny());
    vi.advanceTimersByTime(199);
    expect(arrowMsgs(sink.messages)).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(arrowMsgs(sink.messages)).toHaveLength(1);
  });

  it("flush() sends everything pending and cancels the timer", () => {
    vi.useFakeTimers();
    const { rec, sink } = recording({ batcher: { flushIntervalMs: 200 } });
    rec.log("a", tiny());
    rec.log("b", tiny());
    rec.flush();
    expect(arrowMsgs(sink.messages)).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect(arrowMsgs(sink.messages)).toHaveLength(2);
    rec.flush();
    expect(arrowMsgs(sink.messages)).toHaveLength(2);
  });
});

describe("sendColumns", () => {
  it("sends all rows as one chunk on exactly the given timelines", () => {
    const { rec, sink } = recording();
    rec.setTimeSequence("frame", 99);
    const buffers = [
      Uint8Array.from([1, 2, 3, 4]),
      Uint8Array.from([5, 6, 7, 8]),
      Uint8Array.from([9, 9, 9, 9]),
    ];
    rec.sendColumns(
      "cols",
      [new TimeColumn("step", { sequence: [0, 1, 2] }), new TimeColumn("sim", { duration: [0.5, 1, 1.5] })],
      Image.columns({ buffer: buffers }),
    );
    const chunks = chunksOf(sink.messages);
    expect(chunks).toHaveLength(1);
    const chunk = chunks[0]!;
    expect([...chunk.timelines.keys()].sort()).toEqual(["sim", "step"]);
    expect(times(chunk, "step")).toEqual([0n, 1n, 2n]);
    expect(times(chunk, "sim")).toEqual([500_000_000n, 1_000_000_000n, 1_500_000_000n]);
    expect([...chunk.components.keys()]).toEqual(["Image:buffer"]);
    for (let row = 0; row < 3; row++) {
      expect(chunk.componentValues("Image:buffer", row, ImageBufferType)).toEqual([buffers[row]]);
    }
  });

  it("without index columns sends a static chunk", () => {
    const { rec, sink } = recording();
    rec.sendColumns("s", [], Image.columns({ opacity: [0.5] }));
    const msgs = arrowMsgs(sink.messages);
    expect(msgs[0]!.isStatic).toBe(true);
    expect(chunkFromIpc(msgs[0]!.ipc).isStatic).toBe(true);
  });

  it("refuses mismatched lengths, duplicate timelines and duplicate components", () => {
    const { rec } = recording();
    const two = new TimeColumn("step", { sequence: [0, 1] });
    expect(sdkErrorKind(() => rec.sendColumns("a", [two, new TimeColumn("x", { sequence: [0] })], []))).toBe(
      "column-length-mismatch",
    );
    expect(sdkErrorKind(() => rec.sendColumns("a", [two], Image.columns({ opacity: [1, 1, 1] })))).toBe(
      "column-length-mismatch",
    );
    expect(
      sdkErrorKind(() =>
        rec.sendColumns(
          "a",
          [two, new TimeColumn("step", { sequence: [5, 6] })],
          Image.columns({ opacity: [1, 1] }),
        ),
      ),
    ).toBe("invalid-time-column");
    const opacity = Image.columns({ opacity: [1, 1] });
    expect(sdkErrorKind(() => rec.sendColumns("a", [two], [...opacity, ...opacity]))).toBe(
      "invalid-archetype",
    );
  });
});

describe("misuse", () => {
  it("log with something that is not an archetype throws", () => {
    const { rec } = recording();
    for (const bad of [{}, null, 42, "image", { asComponentBatches: 1 }]) {
      expect(sdkErrorKind(() => rec.log("a", bad as never))).toBe("invalid-archetype");
    }
  });

  it("log and sendColumns after close throw", () => {
    const { rec, sink } = recording();
    rec.log("a", tiny());
    rec.close();
    expect(arrowMsgs(sink.messages)).toHaveLength(1);
    expect(sdkErrorKind(() => rec.log("a", tiny()))).toBe("closed");
    expect(sdkErrorKind(() => rec.sendColumns("a", [], Image.columns({ opacity: [1] })))).toBe("closed");
    rec.close();
  });
});

describe("sinks", () => {
  it("setSink replays what a MemorySink buffered into the new sink", () => {
    const first = new MemorySink();
    const rec = new RecordingStream({
      applicationId: "app",
      sendProperties: false,
      recordingId: "r",
      sink: first,
    });
    rec.log("before", tiny());
    const second = new MemorySink();
    rec.setSink(second);
    expect(first.messages).toHaveLength(0);
    expect(second.messages.map((m) => m.kind)).toEqual(["setStoreInfo", "arrowMsg"]);
    rec.log("after", tiny());
    rec.flush();
    expect(chunksOf(second.messages).map((c) => c.entityPath)).toEqual(["/before", "/after"]);
    expect(rec.currentSink).toBe(second);
  });

  it("setSink from a non-buffering sink opens the new one with a SetStoreInfo and closes the old one", () => {
    const bytes = new BytesSink({ compression: "none" });
    const rec = new RecordingStream({
      applicationId: "app",
      sendProperties: false,
      recordingId: "r",
      sink: bytes,
    });
    rec.log("a", tiny());
    const next = new MemorySink();
    rec.setSink(next);
    expect(next.messages.map((m) => m.kind)).toEqual(["setStoreInfo"]);
    const decoded = decodeRrd(bytes.toBytes());
    expect(decoded.messages.map((m) => m.kind)).toEqual(["setStoreInfo", "arrowMsg"]);
  });

  it("BytesSink output decodes to what was logged", () => {
    for (const compression of ["lz4", "none"] as const) {
      const sink = new BytesSink({ compression });
      const rec = new RecordingStream({
        applicationId: "bytes_app",
        sendProperties: false,
        recordingId: "b",
        sink,
      });
      rec.setTimeSequence("frame", 7);
      rec.log(
        "img",
        new Image(new Uint16Array([1, 2, 3, 4, 5, 6]), { width: 2, height: 1, colorModel: "RGB" }),
      );
      rec.close();
      const bytes = sink.toBytes();
      expect(sink.sizeBytes).toBe(bytes.length);
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0x52, 0x52, 0x46, 0x32]); // "RRF2"
      const { messages, warnings } = decodeRrd(bytes);
      expect(warnings).toEqual([]);
      expect(messages.map((m) => m.kind)).toEqual(["setStoreInfo", "arrowMsg"]);
      expect(messages[0]!.kind === "setStoreInfo" && messages[0]!.storeId).toEqual({
        kind: "recording",
        recordingId: "b",
        applicationId: "bytes_app",
      });
      const chunk = chunksOf(messages)[0]!;
      expect(times(chunk, "frame")).toEqual([7n]);
      expect(Array.from(chunk.componentValues("Image:buffer", 0, ImageBufferType)![0]!)).toEqual([
        1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0,
      ]);
      expect(chunk.componentValues("Image:format", 0, ImageFormatType)).toEqual([
        { width: 2, height: 1, colorModel: 2, channelDatatype: 8 },
      ]);
    }
  });
});

describe("arrays reused by the caller", () => {
  it("keeps each logged frame's pixels when one buffer is refilled for every frame", () => {
    const sink = new MemorySink();
    const rec = new RecordingStream({ applicationId: "reuse", sendProperties: false, sink });
    const pixels = new Uint8Array(16 * 16);
    for (let t = 0; t < 5; t++) {
      pixels.fill(t + 1);
      rec.setTimeSequence("t", t);
      rec.log("img", new Image(pixels, { width: 16, height: 16 }));
    }
    pixels.fill(99);
    rec.close();
    const firstBytes: number[] = [];
    for (const m of sink.messages) {
      if (m.kind !== "arrowMsg") continue;
      const chunk = chunkFromIpc(m.ipc);
      for (let r = 0; r < chunk.numRows; r++) {
        const buffer = chunk.componentValues("Image:buffer", r, ImageBufferType)?.[0];
        if (buffer) firstBytes.push(buffer[0]!, buffer[255]!);
      }
    }
    expect(firstBytes).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });
});
