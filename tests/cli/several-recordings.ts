// A file holding several recordings, as `cat a.rrd b.rrd c.rrd > abc.rrd` makes it: three .rrd files written by
// the SDK, concatenated. The values logged are formulas of the recording, so a test can say which one it read.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";

export const IMAGE_WIDTH = 4;
export const IMAGE_HEIGHT = 3;

export interface WrittenRecording {
  readonly applicationId: string;
  readonly recordingId: string;
  /** How many frames were logged, on the sequence timeline `frame` (0 … frames - 1). */
  readonly frames: number;
  /** The L8 value of pixel (x, y) at frame f. */
  readonly pixel: (f: number, x: number, y: number) => number;
}

/** A recording id with a terminal escape and a bidi override, as a file may hold. */
export const HOSTILE_RECORDING_ID = "rec-\u001b[31mc\u202e";

/**
 * The three recordings of the concatenated file: two share the application id `app_two`; `app_one` is one's
 * alone.
 */
export const RECORDINGS: readonly WrittenRecording[] = [
  { applicationId: "app_one", recordingId: "rec-a", frames: 3, pixel: (f, x, y) => 10 + f + x * 3 + y * 50 },
  { applicationId: "app_two", recordingId: "rec-b", frames: 5, pixel: (f, x, y) => 200 - f * 7 - x - y * 2 },
  { applicationId: "app_two", recordingId: HOSTILE_RECORDING_ID, frames: 2, pixel: (f) => 99 + f },
];

/** Writes each recording to its own file, then all of them, concatenated, to one; returns the paths. */
export function writeSeveralRecordings(
  dir: string,
  recordings: readonly WrittenRecording[] = RECORDINGS,
): { single: readonly string[]; concatenated: string } {
  const single = recordings.map((r, i) => {
    const path = join(dir, `single-${i}.rrd`);
    const rec = new RecordingStream({
      applicationId: r.applicationId,
      recordingId: r.recordingId,
      defaultTimelines: false,
      sink: new FileSink(path),
    });
    for (let f = 0; f < r.frames; f++) {
      rec.setTimeSequence("frame", f);
      const pixels = new Uint8Array(IMAGE_WIDTH * IMAGE_HEIGHT);
      for (let y = 0; y < IMAGE_HEIGHT; y++)
        for (let x = 0; x < IMAGE_WIDTH; x++) pixels[y * IMAGE_WIDTH + x] = r.pixel(f, x, y);
      rec.log("img", new Image(pixels, { width: IMAGE_WIDTH, height: IMAGE_HEIGHT, colorModel: "L" }));
    }
    rec.close();
    return path;
  });
  const concatenated = join(dir, "several.rrd");
  writeFileSync(concatenated, Buffer.concat(single.map((p) => readFileSync(p))));
  return { single, concatenated };
}

/** The pixels of recording `r` at frame `f`, row by row. */
export function framePixels(r: WrittenRecording, f: number): number[] {
  const out: number[] = [];
  for (let y = 0; y < IMAGE_HEIGHT; y++) for (let x = 0; x < IMAGE_WIDTH; x++) out.push(r.pixel(f, x, y));
  return out;
}
