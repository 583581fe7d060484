// The probe of a recording read on demand: all of an entity's chunks are read into a store of its own (when they fit
// the budget), so the series is the one a whole load gives (the oracle here: the same file loaded whole).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { save } from "@iris/sdk/node";
import { probeImageSeries } from "@iris/store";
import { onDemandProbeStore, readEntityStore } from "../../packages/viewer/src/lazy-entity-store.ts";
import { openLazyRecording } from "../../packages/viewer/src/lazy-recording-source.ts";
import { attachLazySource, blobSource } from "../../packages/viewer/src/lazy-url-loader.ts";
import { Recording } from "../../packages/viewer/src/recording.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-lazy-probe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FRAMES = 40;

/** 40 frames of an 8×8 RGB image whose pixel (3, 5) changes per frame, and a second entity; the file's bytes. */
function recordingBytes(): Uint8Array<ArrayBuffer> {
  const path = join(dir, "probe.rrd");
  const rec = new RecordingStream({ applicationId: "lazy_probe", sendProperties: false });
  save(path, rec);
  for (let frame = 0; frame < FRAMES; frame++) {
    rec.setTimeSequence("frame", frame);
    const pixels = new Uint8Array(8 * 8 * 3).fill(7);
    pixels.set([frame, 2 * frame, 255 - frame], (5 * 8 + 3) * 3);
    rec.log("camera", new Image(pixels, { width: 8, height: 8, colorModel: "RGB" }));
    rec.log("other", new Image(new Uint8Array(4).fill(frame), { width: 2, height: 2 }));
    rec.flush(); // one chunk per entity and frame: a store in memory holds a few of them
  }
  rec.close();
  return new Uint8Array(readFileSync(path));
}

it("reads an entity's every chunk for the probe: the series a whole load gives; none beyond the budget", async () => {
  const bytes = recordingBytes();
  const whole = new Recording("probe.rrd");
  whole.push(bytes);
  whole.finish();
  const query = { entityPath: "/camera", timeline: "frame", region: { x: 3, y: 5, width: 1, height: 1 } };
  const expected = probeImageSeries(whole.store, query);
  expect(expected.samples).toHaveLength(FRAMES);

  const lazy = await openLazyRecording(blobSource(new Blob([bytes])), { memoryBudgetBytes: 1024 });
  await lazy.loader.ensureFrame({ timeline: "frame", time: 7n });
  // The frame-by-frame store holds only what frame 7 needs: a partial series.
  expect(probeImageSeries(lazy.store, query).samples.length).toBeLessThan(FRAMES);
  const read = await readEntityStore(lazy, "/camera", 1 << 20);
  expect(read.kind).toBe("store");
  if (read.kind !== "store") return;
  expect(probeImageSeries(read.store, query)).toEqual(expected);
  expect(read.store.entityPaths()).toEqual(["/camera"]);

  // The probe panel's path: an entity named without its leading "/", as the probe accepts it.
  const shown = new Recording("probe.rrd");
  await attachLazySource(shown, blobSource(new Blob([bytes])), { lazy: "on" });
  const forProbe = await onDemandProbeStore(shown, "camera");
  expect(forProbe?.notice).toBeUndefined();
  expect(probeImageSeries(forProbe!.store, query)).toEqual(expected);

  const small = await readEntityStore(lazy, "/camera", 100);
  expect(small).toMatchObject({ kind: "too-large", maxBytes: 100 });
  expect(small.kind === "too-large" && small.bytes > 100).toBe(true);
});
