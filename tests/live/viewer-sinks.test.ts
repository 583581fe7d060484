// The in-page sinks of @iris/sdk/browser, with fake viewers (the browser suites drive the real ones).
import { expect, it } from "vitest";
import { type RrdMessage, decodeRrd } from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { toRerunWebViewer, toViewer } from "@iris/sdk/browser";
import { imagesOf } from "./live-helpers.ts";

const pixel = (v: number): Image => new Image(Uint8Array.from([v]), { width: 1, height: 1 });

it("toRerunWebViewer: every send_rrd call is a complete stream with SetStoreInfo first; waits until ready", async () => {
  const calls: Uint8Array[] = [];
  const channel = { ready: false, send_rrd: (b: Uint8Array) => calls.push(b), close: () => undefined };
  const rec = new RecordingStream({
    applicationId: "web_sink",
    recordingId: "w",
    batcher: { flushIntervalMs: 0 },
  });
  rec.setTimeSequence("time", 0);
  rec.log("a", pixel(1)); // logged before the sink exists: replayed
  const sink = toRerunWebViewer({ open_channel: () => channel }, rec, { batchMs: 5 });
  rec.flush();
  await new Promise((r) => setTimeout(r, 30));
  expect(calls).toEqual([]); // not ready yet: queued
  channel.ready = true;
  await new Promise((r) => setTimeout(r, 300));
  rec.setTimeSequence("time", 1);
  rec.log("a", pixel(2));
  rec.flush();
  await new Promise((r) => setTimeout(r, 50));
  expect(calls.length).toBe(2);
  const decoded = calls.map((c) => decodeRrd(c));
  for (const d of decoded) {
    expect(d.warnings).toEqual([]);
    expect(d.messages[0]).toMatchObject({ kind: "setStoreInfo", storeId: { recordingId: "w" } });
  }
  expect(imagesOf(decoded[0]!.messages).map((i) => i.pixels[0])).toEqual([1]);
  expect(imagesOf(decoded[1]!.messages).map((i) => i.pixels[0])).toEqual([2]);
  expect(sink.droppedMessages).toBe(0);
});

it("toRerunWebViewer: a full queue drops the oldest data and counts it", () => {
  const channel = { ready: false, send_rrd: () => undefined, close: () => undefined };
  const rec = new RecordingStream({
    applicationId: "drop",
    sendProperties: false,
    batcher: { flushIntervalMs: 0 },
  });
  const sink = toRerunWebViewer({ open_channel: () => channel }, rec, { maxQueueBytes: 1 });
  for (let i = 0; i < 5; i++) {
    rec.log("a", pixel(i));
    rec.flush();
  }
  expect(sink.droppedMessages).toBe(4);
  sink.close();
});

it("toViewer: messages reach the in-page viewer as they are flushed", () => {
  const received: RrdMessage[] = [];
  const rec = new RecordingStream({ applicationId: "in_page", batcher: { flushIntervalMs: 0 } });
  toViewer({ pushMessage: (m) => received.push(m) }, rec);
  rec.setTimeSequence("time", 0);
  rec.log("a", pixel(7));
  rec.flush();
  expect(received[0]!.kind).toBe("setStoreInfo");
  expect(imagesOf(received).map((i) => i.pixels[0])).toEqual([7]);
});
