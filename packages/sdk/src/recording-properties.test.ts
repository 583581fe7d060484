/**
 * Recording properties are sent by default, as Rerun's `RecordingStreamBuilder` does (`should_send_properties:
 * true`, start time = `Timestamp::now()` when the stream is created, one static `RecordingInfo` chunk at
 * `/__properties` before any row), and `sendProperties: false` opts out as Python's `send_properties=False`.
 */
import { describe, expect, it } from "vitest";
import { type Chunk, chunkFromIpc } from "@iris/chunk";
import { int64Component, utf8Component, Image } from "@iris/types";
import { RecordingStream } from "./recording-stream.ts";
import { SdkError } from "./sdk-error.ts";
import { MemorySink } from "./sinks/memory-sink.ts";

const Timestamp = int64Component("rerun.components.Timestamp");
const Name = utf8Component("rerun.components.Name");

function chunks(sink: MemorySink): Chunk[] {
  return sink.messages.flatMap((m) => (m.kind === "arrowMsg" ? [chunkFromIpc(m.ipc)] : []));
}

const nowNanos = (): bigint => BigInt(Date.now()) * 1_000_000n;

describe("recording properties", () => {
  it("by default: SetStoreInfo, then one static /__properties chunk with the creation time, before any row", () => {
    const sink = new MemorySink();
    const before = nowNanos();
    const rec = new RecordingStream({ applicationId: "props", sink, defaultTimelines: false });
    const after = nowNanos() + 1_000_000n;
    rec.log("img", new Image(new Uint8Array(4), { width: 2, height: 2 }));
    rec.flush();
    expect(sink.messages.map((m) => m.kind)).toEqual(["setStoreInfo", "arrowMsg", "arrowMsg"]);
    const [props, img] = chunks(sink);
    expect(props!.entityPath).toBe("/__properties");
    expect(props!.isStatic).toBe(true);
    expect(props!.numRows).toBe(1);
    expect([...props!.components.keys()]).toEqual(["RecordingInfo:start_time"]);
    const start = props!.componentValues("RecordingInfo:start_time", 0, Timestamp)![0]!;
    expect(start >= before && start <= after).toBe(true);
    expect(img!.entityPath).toBe("/img");
  });

  it("recordingName goes into the same chunk, as RecordingStreamBuilder::recording_name", () => {
    const sink = new MemorySink();
    new RecordingStream({ applicationId: "props", sink, recordingName: "my run" });
    const [props] = chunks(sink);
    expect(chunks(sink)).toHaveLength(1);
    expect([...props!.components.keys()].sort()).toEqual(["RecordingInfo:name", "RecordingInfo:start_time"]);
    expect(props!.componentValues("RecordingInfo:name", 0, Name)).toEqual(["my run"]);
  });

  it("sendProperties: false sends none; sendRecordingName / sendRecordingStartTime send them later", () => {
    const sink = new MemorySink();
    const rec = new RecordingStream({ applicationId: "props", sink, sendProperties: false });
    expect(sink.messages.map((m) => m.kind)).toEqual(["setStoreInfo"]);
    rec.sendRecordingName("later");
    rec.sendRecordingStartTime(1_700_000_000_000_000_000n);
    const [name, start] = chunks(sink);
    expect(name!.componentValues("RecordingInfo:name", 0, Name)).toEqual(["later"]);
    expect(start!.componentValues("RecordingInfo:start_time", 0, Timestamp)).toEqual([
      1_700_000_000_000_000_000n,
    ]);
    expect([name!.isStatic, start!.isStatic]).toEqual([true, true]);
  });

  it("a name that is not a string, or a start time that is not bigint nanoseconds, is a typed error", () => {
    const kind = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(SdkError);
        return (e as SdkError).kind;
      }
      return "no error";
    };
    const sink = new MemorySink();
    expect(
      kind(() => new RecordingStream({ applicationId: "p", sink, recordingName: 3 as unknown as string })),
    ).toBe("invalid-option");
    expect(sink.messages).toEqual([]); // refused before anything was sent
    const rec = new RecordingStream({ applicationId: "p", sink: new MemorySink() });
    expect(kind(() => rec.sendRecordingName(null as unknown as string))).toBe("invalid-option");
    expect(kind(() => rec.sendRecordingStartTime(1.5 as unknown as bigint))).toBe("invalid-time-value");
  });
});
