// A file holding two recordings (`cat a.rrd b.rrd`), read on demand by the viewer, lists both, as a whole load does
// (and as Rerun opens one recording per store id): the second recording was once left out when the file was large
// enough to be read on demand, a viewer hiding data.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { save } from "@iris/sdk/node";
import { ImageBufferType } from "@iris/types";
import { attachLazySource, blobSource } from "../../packages/viewer/src/lazy-url-loader.ts";
import { Recording } from "../../packages/viewer/src/recording.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-lazy-multi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A recording `recordingId` of 3 frames whose 4×4 image "camera" is `base + frame` everywhere; its file's bytes. */
function recordingBytes(applicationId: string, recordingId: string, base: number): Uint8Array {
  const path = join(dir, `${recordingId}.rrd`);
  const rec = new RecordingStream({ applicationId, recordingId, sendProperties: false });
  save(path, rec);
  for (let frame = 0; frame < 3; frame++) {
    rec.setTimeSequence("frame", frame);
    rec.log("camera", new Image(new Uint8Array(16).fill(base + frame), { width: 4, height: 4 }));
  }
  rec.close(); // flushes and closes the file (synchronous writes)
  return new Uint8Array(readFileSync(path));
}

function pixelAt(recording: Recording, frame: number): number | undefined {
  return recording.store.latestAtValues(
    { entityPath: "/camera", timeline: "frame", time: BigInt(frame), component: "Image:buffer" },
    ImageBufferType,
  )?.[0]?.[0];
}

it("lists and reads on demand every recording of a concatenated file, as a whole load does", async () => {
  const a = recordingBytes("app_a", "rec_a", 10);
  const b = recordingBytes("app_b", "rec_b", 100);
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);

  // The whole load (the oracle): the first recording, and the second split off.
  const whole = new Recording("both.rrd");
  const wholeSplits: Recording[] = [];
  whole.on("split", (r) => wholeSplits.push(r));
  whole.push(both);
  whole.finish();
  expect([whole.recordingId, ...wholeSplits.map((r) => r.recordingId)]).toEqual(["rec_a", "rec_b"]);

  // On demand: the same two recordings, each with its own store and loader.
  const lazy = new Recording("both.rrd");
  const lazySplits: Recording[] = [];
  lazy.on("split", (r) => lazySplits.push(r));
  await attachLazySource(lazy, blobSource(new Blob([both])), { lazy: "on" });
  expect([lazy.recordingId, ...lazySplits.map((r) => r.recordingId)]).toEqual(["rec_a", "rec_b"]);
  expect([lazy.applicationId, ...lazySplits.map((r) => r.applicationId)]).toEqual(["app_a", "app_b"]);
  const second = lazySplits[0]!;
  expect(second.lazy).toBeDefined();
  expect(second.done).toBe(true);
  expect(second.store).not.toBe(lazy.store);

  for (const frame of [2, 0, 1]) {
    await lazy.lazy!.loader.ensureFrame({ timeline: "frame", time: BigInt(frame) });
    await second.lazy!.loader.ensureFrame({ timeline: "frame", time: BigInt(frame) });
    expect(pixelAt(lazy, frame)).toBe(10 + frame);
    expect(pixelAt(second, frame)).toBe(100 + frame);
    // The same values as the whole load shows.
    expect(pixelAt(lazy, frame)).toBe(pixelAt(whole, frame));
    expect(pixelAt(second, frame)).toBe(pixelAt(wholeSplits[0]!, frame));
  }
});
