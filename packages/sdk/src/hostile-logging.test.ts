// Hostile buffers and rows at log() time: a bad row is rejected atomically (nothing of it stays in the batcher),
// one failing row never costs another entity's rows, and the timer flush never throws out of its callback.
import { Float32 } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import type { ArrowMsgMessage, RrdMessage } from "@iris/rrd";
import {
  type ComponentBatch,
  type ComponentType,
  Image,
  ImageBufferType,
  ImageFormatError,
  batch,
} from "@iris/types";
import { RecordingStream } from "./recording-stream.ts";
import { SdkError } from "./sdk-error.ts";
import { MemorySink } from "./sinks/memory-sink.ts";

/** An ArrayBuffer with `maxByteLength` (ES2024; the project's lib is older). */
interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}
const ResizableBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

const pixel = (v: number): Image => new Image(Uint8Array.from([v]), { width: 1, height: 1 });

/** [entity, first pixel byte] of every row of every ArrowMsg, in order. */
function rowsOf(messages: readonly RrdMessage[]): [string, number][] {
  const out: [string, number][] = [];
  for (const m of messages.filter((x): x is ArrowMsgMessage => x.kind === "arrowMsg")) {
    const chunk = chunkFromIpc(m.ipc);
    for (let row = 0; row < chunk.numRows; row++) {
      const values = chunk.componentValues("Image:buffer", row, ImageBufferType);
      out.push([chunk.entityPath, values?.[0]?.[0] ?? -1]);
    }
  }
  return out;
}

function recording(options: { onError?: (e: SdkError) => void; flushIntervalMs?: number } = {}): {
  rec: RecordingStream;
  sink: MemorySink;
} {
  const sink = new MemorySink();
  const rec = new RecordingStream({
    applicationId: "hostile",
    sink,
    defaultTimelines: false,
    sendProperties: false,
    batcher: { flushIntervalMs: options.flushIntervalMs ?? 0 },
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return { rec, sink };
}

/** A component type whose Arrow conversion always fails (a value only the build step can reject). */
const failingType: ComponentType<number> = {
  name: "test.components.Failing",
  arrowType: new Float32(),
  toArrow: () => {
    throw new RangeError("this value cannot be converted");
  },
  fromArrow: () => 0,
};
const failingBatch = (): ComponentBatch =>
  batch({ component: "Test:failing", componentType: "test.components.Failing" }, failingType, [1]);

describe("hostile buffers at log()", () => {
  it("a detached pixel buffer is a typed error and poisons nothing: other rows, before and after, are sent", () => {
    const { rec, sink } = recording();
    rec.log("before", pixel(1));
    const bytes = Uint8Array.from([9]);
    const image = new Image(bytes, { width: 1, height: 1 });
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    expect(() => rec.log("bad", image)).toThrow(expect.objectContaining({ kind: "detached-buffer" }));
    rec.log("after", pixel(2));
    expect(() => rec.flush()).not.toThrow();
    expect(rowsOf(sink.drain())).toEqual([
      ["/before", 1],
      ["/after", 2],
    ]);
  });

  it("a shrunk resizable buffer is refused at log(), never written as a 0-byte image", () => {
    const { rec, sink } = recording();
    const fixed = new ResizableBuffer(4, { maxByteLength: 16 });
    const fixedImage = new Image(new Uint8Array(fixed, 0, 4), { width: 2, height: 2, colorModel: "L" });
    fixed.resize(1);
    expect(() => rec.log("fixed", fixedImage)).toThrow(SdkError);
    const tracking = new ResizableBuffer(4, { maxByteLength: 16 });
    // An Image of a whole ArrayBuffer views it with a length-tracking Uint8Array, which shrinks with it.
    const trackingImage = new Image(tracking, { width: 2, height: 2, colorModel: "L", datatype: "U8" });
    tracking.resize(2);
    let caught: unknown;
    try {
      rec.log("tracking", trackingImage);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImageFormatError);
    expect((caught as ImageFormatError).kind).toBe("size-mismatch");
    rec.log("ok", pixel(3));
    rec.flush();
    expect(rowsOf(sink.drain())).toEqual([["/ok", 3]]);
  });

  it("a resizable buffer is snapshotted at log(): growing or rewriting it later changes nothing logged", () => {
    const { rec, sink } = recording();
    const buffer = new ResizableBuffer(1, { maxByteLength: 16 });
    const view = new Uint8Array(buffer, 0, 1);
    view[0] = 5;
    rec.log("img", new Image(view, { width: 1, height: 1 }));
    view[0] = 6;
    buffer.resize(16);
    rec.flush();
    expect(rowsOf(sink.drain())).toEqual([["/img", 5]]);
  });

  it("a SharedArrayBuffer that another thread may change is copied at log()", () => {
    const { rec, sink } = recording();
    const shared = new Uint8Array(new SharedArrayBuffer(1));
    shared[0] = 7;
    rec.log("img", new Image(shared, { width: 1, height: 1 }));
    shared[0] = 8; // what a worker writing into the shared buffer would do while the row waits
    rec.flush();
    expect(rowsOf(sink.drain())).toEqual([["/img", 7]]);
  });
});

describe("failing rows at flush time", () => {
  it("a row that cannot be built loses only itself: other rows of its entity and other entities are sent", () => {
    const errors: SdkError[] = [];
    const { rec, sink } = recording({ onError: (e) => errors.push(e) });
    rec.log("a", pixel(1));
    rec.log("b", pixel(2));
    rec.log("a", [...pixel(3).asComponentBatches(), failingBatch()]);
    rec.log("a", pixel(4));
    rec.flush();
    expect(rowsOf(sink.drain())).toEqual([
      ["/a", 1],
      ["/a", 4],
      ["/b", 2],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SdkError);
    expect(errors[0]!.kind).toBe("flush-failed");
    expect(errors[0]!.message).toContain("1 of 3 row(s) of /a");
  });

  it("without onError, the dropped rows are reported by the next flush(), after every other row was sent", () => {
    const { rec, sink } = recording();
    rec.log("a", [failingBatch()]);
    rec.log("b", pixel(2));
    let caught: unknown;
    try {
      rec.flush();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SdkError);
    expect((caught as SdkError).kind).toBe("flush-failed");
    expect(rowsOf(sink.drain())).toEqual([["/b", 2]]);
    expect(() => rec.flush()).not.toThrow();
  });

  it("the 200 ms timer flush of a failing row never throws: the error goes to onError, other rows are sent", async () => {
    const errors: SdkError[] = [];
    const { rec, sink } = recording({ onError: (e) => errors.push(e), flushIntervalMs: 5 });
    rec.log("a", [failingBatch()]);
    rec.log("b", pixel(2));
    // An exception thrown by the timer callback would fail this test as an uncaught error.
    await new Promise((r) => setTimeout(r, 50));
    expect(errors.map((e) => e.kind)).toEqual(["flush-failed"]);
    expect(rowsOf(sink.drain())).toEqual([["/b", 2]]);
  });

  it("a sink that throws during a timer flush is reported, not thrown from the timer", async () => {
    const errors: SdkError[] = [];
    const sink = new MemorySink();
    const rec = new RecordingStream({
      applicationId: "hostile",
      sink,
      defaultTimelines: false,
      batcher: { flushIntervalMs: 5 },
      onError: (e) => errors.push(e),
    });
    sink.send = () => {
      throw new Error("disk full");
    };
    rec.log("a", pixel(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(errors.map((e) => e.kind)).toEqual(["flush-failed"]);
    expect(errors[0]!.message).toContain("disk full");
  });

  it("a row whose values cannot be copied while it waits is rejected whole, and the batcher keeps working", () => {
    const { rec, sink } = recording();
    const uncloneable = batch({ component: "Test:fn", componentType: "test.components.Fn" }, failingType, [
      (() => 1) as unknown as number,
    ]);
    expect(() => rec.log("a", [...pixel(1).asComponentBatches(), uncloneable])).toThrow(
      expect.objectContaining({ kind: "invalid-component" }),
    );
    rec.log("a", pixel(2));
    rec.flush();
    expect(rowsOf(sink.drain())).toEqual([["/a", 2]]);
  });
});
