import { describe, expect, it } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import type { ArrowMsgMessage } from "@iris/rrd";
import { Image } from "@iris/types";
import {
  disableTimeline,
  flush,
  getDefaultRecording,
  init,
  log,
  resetTime,
  sendColumns,
  setDefaultRecording,
  setTime,
  setTimeNanos,
  setTimeSeconds,
  setTimeSequence,
  setTimestamp,
} from "./default-recording.ts";
import { SdkError } from "./sdk-error.ts";
import { MemorySink } from "./sinks/memory-sink.ts";
import { TimeColumn } from "./time-column.ts";

const tiny = (): Image => new Image(new Uint8Array(1), { width: 1, height: 1 });

describe("default recording", () => {
  it("throws before init", () => {
    setDefaultRecording(undefined);
    expect(() => getDefaultRecording()).toThrow(SdkError);
    expect(() => log("a", tiny())).toThrow(/init/);
    expect(() => setTimeSequence("f", 1)).toThrow(SdkError);
    try {
      flush();
    } catch (e) {
      expect((e as SdkError).kind).toBe("invalid-option");
    }
  });

  it("init creates it; the free functions log into it", () => {
    const sink = new MemorySink();
    const rec = init("rerun_example_default", {
      sendProperties: false,
      recordingId: "default-rec",
      sink,
      batcher: { flushIntervalMs: 0 },
    });
    expect(getDefaultRecording()).toBe(rec);
    expect(rec.applicationId).toBe("rerun_example_default");

    setTimeSequence("frame", 1);
    setTimeSeconds("sim", 0.5);
    setTimeNanos("ns", 3n);
    setTimestamp("ts", 10n);
    setTime("other", { sequence: 4 });
    log("a", tiny());
    disableTimeline("ns");
    resetTime();
    log("b", tiny());
    sendColumns("c", [new TimeColumn("step", { sequence: [0, 1] })], Image.columns({ opacity: [0.1, 0.2] }));
    flush();

    expect(sink.messages[0]!.kind).toBe("setStoreInfo");
    expect(sink.messages[0]!.kind === "setStoreInfo" && sink.messages[0]!.storeId).toEqual({
      kind: "recording",
      recordingId: "default-rec",
      applicationId: "rerun_example_default",
    });
    const chunks = sink.messages
      .filter((m): m is ArrowMsgMessage => m.kind === "arrowMsg")
      .map((m) => chunkFromIpc(m.ipc));
    const byPath = new Map(chunks.map((c) => [c.entityPath, c]));
    expect([...byPath.keys()].sort()).toEqual(["/a", "/b", "/c"]);
    expect([...byPath.get("/a")!.timelines.keys()].sort()).toEqual([
      "frame",
      "log_tick",
      "log_time",
      "ns",
      "other",
      "sim",
      "ts",
    ]);
    expect(byPath.get("/a")!.timelines.get("sim")!.times[0]).toBe(500_000_000n);
    expect([...byPath.get("/b")!.timelines.keys()].sort()).toEqual(["log_tick", "log_time"]);
    expect(byPath.get("/c")!.numRows).toBe(2);
  });

  it("init again replaces it, flushing the previous one", () => {
    const first = new MemorySink();
    init("one", { sendProperties: false, sink: first, batcher: { flushIntervalMs: 0 } });
    log("x", tiny());
    expect(first.messages.map((m) => m.kind)).toEqual(["setStoreInfo"]);
    const second = new MemorySink();
    const rec = init("two", { sendProperties: false, sink: second });
    expect(first.messages.map((m) => m.kind)).toEqual(["setStoreInfo", "arrowMsg"]);
    expect(getDefaultRecording()).toBe(rec);
    setDefaultRecording(undefined);
    expect(() => getDefaultRecording()).toThrow(SdkError);
  });
});
