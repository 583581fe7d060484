// A generated dataset of many small recordings, and what was logged into each (the tests' independent truth).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BytesSink, Image, RecordingStream, Transform3D } from "@iris/sdk";

export const FRAMES = 3;
export const START_TIME = 1_700_000_000_000_000_000n;

export interface LoggedImage {
  readonly recordingId: string;
  readonly frame: number;
  readonly width: number;
  readonly height: number;
  readonly colorModel: "RGB" | "L";
  readonly datatype: "U8" | "U16";
  /** Channel values in stored order. */
  readonly values: Uint8Array | Uint16Array;
}

export interface LoggedRecording {
  readonly file: string;
  readonly applicationId: string;
  readonly recordingId: string;
  readonly name: string;
  readonly images: LoggedImage[];
}

/** Pixel values of recording `i`, frame `f`: a small deterministic pattern, different per recording and frame. */
function pixels(i: number, f: number, n: number, wide: boolean): Uint8Array | Uint16Array {
  const out = wide ? new Uint16Array(n) : new Uint8Array(n);
  for (let k = 0; k < n; k++) out[k] = ((i * 37 + f * 11 + k * 5) % (wide ? 4000 : 250)) + (wide ? 0 : f);
  return out;
}

/**
 * Writes `count` recordings under `dir` (in sub-folders of 50): application `fleet_<i mod 3>`, recording id
 * `rec-<i>`, name `run <i>`, start time START_TIME + i seconds; `/camera` gets FRAMES images on the `frame`
 * sequence timeline (every tenth file has no footer; even i: 4×3 RGB U8 with the format logged once statically; odd i: 2×2 L U16 logged whole
 * per row) and `/rig` a Transform3D translation per frame.
 */
export function makeDataset(dir: string, count: number): LoggedRecording[] {
  const out: LoggedRecording[] = [];
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `batch-${Math.floor(i / 50)}`);
    mkdirSync(sub, { recursive: true });
    const file = join(sub, `rec-${i}.rrd`);
    const applicationId = `fleet_${i % 3}`;
    const recordingId = `rec-${i}`;
    // One name with a terminal escape, which printed tables must show escaped.
    const name = i === 7 ? "run 7\u001b[31mred" : `run ${i}`;
    const rec = new RecordingStream({ applicationId, recordingId, recordingName: name });
    rec.sendRecordingStartTime(START_TIME + BigInt(i) * 1_000_000_000n);
    // Every tenth file without an RrdFooter (as written by a crashed logger): indexed by one sequential pass.
    const sink = new BytesSink({ footer: i % 10 !== 9 });
    rec.setSink(sink);
    const images: LoggedImage[] = [];
    const rgb = i % 2 === 0;
    if (rgb)
      rec.log(
        "camera",
        Image.fromFields({ format: { width: 4, height: 3, colorModel: "RGB", channelDatatype: "U8" } }),
        { static: true },
      );
    for (let f = 0; f < FRAMES; f++) {
      rec.setTimeSequence("frame", f);
      if (rgb) {
        const values = pixels(i, f, 4 * 3 * 3, false);
        rec.log("camera", Image.fromFields({ buffer: values as Uint8Array }));
        images.push({
          recordingId,
          frame: f,
          width: 4,
          height: 3,
          colorModel: "RGB",
          datatype: "U8",
          values,
        });
      } else {
        const values = pixels(i, f, 2 * 2, true);
        rec.log("camera", new Image(values, { width: 2, height: 2, colorModel: "L" }));
        images.push({ recordingId, frame: f, width: 2, height: 2, colorModel: "L", datatype: "U16", values });
      }
      rec.log("rig", new Transform3D({ translation: [i, f, 1] }));
    }
    rec.close();
    writeFileSync(file, sink.toBytes());
    out.push({ file, applicationId, recordingId, name, images });
  }
  return out;
}
