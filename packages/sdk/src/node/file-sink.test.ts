import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import { type ArrowMsgMessage, type RrdMessage, decodeRrd } from "@iris/rrd";
import { Image, ImageBufferType } from "@iris/types";
import { init, setDefaultRecording } from "../default-recording.ts";
import { RecordingStream } from "../recording-stream.ts";
import { SdkError } from "../sdk-error.ts";
import { FileSink } from "./file-sink.ts";
import { save } from "./save.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-file-sink-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pixel = (v: number): Image => new Image(Uint8Array.from([v]), { width: 1, height: 1 });

function decodeFile(path: string): RrdMessage[] {
  const { messages, warnings } = decodeRrd(new Uint8Array(readFileSync(path)));
  expect(warnings).toEqual([]);
  return messages;
}

/** The single pixel value of every row, in file order, as [entity, value]. */
function pixels(messages: readonly RrdMessage[]): [string, number][] {
  const out: [string, number][] = [];
  for (const m of messages.filter((x): x is ArrowMsgMessage => x.kind === "arrowMsg")) {
    const chunk = chunkFromIpc(m.ipc);
    for (let row = 0; row < chunk.numRows; row++) {
      out.push([chunk.entityPath, chunk.componentValues("Image:buffer", row, ImageBufferType)![0]![0]!]);
    }
  }
  return out;
}

describe("FileSink", () => {
  it("a second FileSink on a path this process is writing is refused (file-locked); after close() it is free", () => {
    const path = join(dir, "twice.rrd");
    const first = new FileSink(path);
    const rec = new RecordingStream({
      applicationId: "lock",
      sink: first,
      defaultTimelines: false,
      sendProperties: false,
    });
    rec.log("a", pixel(1));
    let caught: unknown;
    try {
      new FileSink(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SdkError);
    expect((caught as SdkError).kind).toBe("file-locked");
    rec.close();
    // The refused sink neither truncated nor wrote into the first one's file.
    expect(pixels(decodeFile(path))).toEqual([["/a", 1]]);
    const second = new FileSink(path);
    second.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  for (const compression of ["lz4", "none"] as const) {
    it(`writes a file that decodes (${compression})`, () => {
      const path = join(dir, `direct-${compression}.rrd`);
      const sink = new FileSink(path, { compression });
      const rec = new RecordingStream({
        applicationId: "file_app",
        sendProperties: false,
        recordingId: "f",
        sink,
      });
      rec.setTimeSequence("frame", 1);
      rec.log("a", pixel(11));
      rec.setTimeSequence("frame", 2);
      rec.log("a", pixel(12));
      rec.close();
      const bytes = readFileSync(path);
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0x52, 0x52, 0x46, 0x32]);
      expect(bytes[8]).toBe(compression === "lz4" ? 1 : 0);
      const messages = decodeFile(path);
      expect(messages.map((m) => m.kind)).toEqual(["setStoreInfo", "arrowMsg"]);
      expect(pixels(messages)).toEqual([
        ["/a", 11],
        ["/a", 12],
      ]);
    });
  }

  it("has every complete message on disk after each send (no buffering in the sink)", () => {
    const path = join(dir, "incremental.rrd");
    const sink = new FileSink(path);
    const rec = new RecordingStream({
      applicationId: "inc",
      sendProperties: false,
      sink,
      batcher: { flushIntervalMs: 0 },
    });
    expect(decodeFile(path).map((m) => m.kind)).toEqual(["setStoreInfo"]);
    rec.log("a", pixel(1));
    rec.flush();
    const size = statSync(path).size;
    expect(pixels(decodeFile(path))).toEqual([["/a", 1]]);
    rec.log("b", pixel(2));
    rec.flush();
    expect(statSync(path).size).toBeGreaterThan(size);
    expect(pixels(decodeFile(path))).toEqual([
      ["/a", 1],
      ["/b", 2],
    ]);
    rec.close();
    sink.close();
  });
});

describe("save()", () => {
  it("writes what was logged before it was called, then what follows", () => {
    const path = join(dir, "saved.rrd");
    const rec = new RecordingStream({ applicationId: "save_app", sendProperties: false, recordingId: "s" });
    rec.log("before", pixel(1));
    rec.log("before", pixel(2));
    const sink = save(path, rec);
    expect(sink).toBeInstanceOf(FileSink);
    expect(rec.currentSink).toBe(sink);
    // Everything logged before save() is already in the file.
    expect(pixels(decodeFile(path))).toEqual([
      ["/before", 1],
      ["/before", 2],
    ]);
    rec.log("after", pixel(3));
    rec.close();
    const messages = decodeFile(path);
    expect(messages.filter((m) => m.kind === "setStoreInfo")).toHaveLength(1);
    expect(messages[0]!.kind).toBe("setStoreInfo");
    expect(messages[0]!.kind === "setStoreInfo" && messages[0]!.storeId).toEqual({
      kind: "recording",
      recordingId: "s",
      applicationId: "save_app",
    });
    expect(pixels(messages)).toEqual([
      ["/before", 1],
      ["/before", 2],
      ["/after", 3],
    ]);
  });

  it("uses the default recording when none is given", () => {
    const path = join(dir, "default.rrd");
    const rec = init("default_save_app", { sendProperties: false });
    rec.log("x", pixel(9));
    save(path);
    rec.close();
    expect(pixels(decodeFile(path))).toEqual([["/x", 9]]);
    setDefaultRecording(undefined);
  });
});
