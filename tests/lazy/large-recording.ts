// Writes large `.rrd` recordings fast, for the lazy-loading tests and bench. Each frame logs a greyscale image
// "camera/image" whose top `STRIPE_ROWS` rows are `frameValue(frame)` and the rest 0, and a 4×4 image "frame/id"
// of `frameValue(frame)`. The sink writes uncompressed messages and leaves the zero pixels of the large image as
// a hole in a sparse file, so a recording of several GB costs a few MB of disk and about a second per GB.
import { closeSync, ftruncateSync, openSync, statfsSync, writeSync } from "node:fs";
import { RrdEncoder, type RrdMessage } from "@iris/rrd";
import { Image, type LogSink, RecordingStream } from "@iris/sdk";

export const LARGE_WIDTH = 4096;
export const LARGE_HEIGHT = 2048;
/** Rows at the top of each large image that hold the frame's value (the rest are 0). */
export const STRIPE_ROWS = 16;

/** The grey value of frame `frame` (distinct for 256 consecutive frames, never 0). */
export function frameValue(frame: number): number {
  return ((frame * 37) % 255) + 1;
}

export interface LargeRecordingOptions {
  frames: number;
  /** Write the RrdFooter (default true). */
  footer?: boolean;
  width?: number;
  height?: number;
}

/** Writes the recording; returns the file's size. */
export function writeLargeRecording(path: string, options: LargeRecordingOptions): number {
  const width = options.width ?? LARGE_WIDTH;
  const height = options.height ?? LARGE_HEIGHT;
  const pixels = new Uint8Array(width * height);
  const stripe = Math.min(pixels.length, STRIPE_ROWS * width);
  const sink = new SparseFileSink(path, pixels, stripe, options.footer ?? true);
  const rec = new RecordingStream({ applicationId: "iris_lazy", sink, defaultTimelines: false });
  for (let frame = 0; frame < options.frames; frame++) {
    rec.setTimeSequence("frame", frame);
    pixels.fill(frameValue(frame), 0, stripe);
    rec.log("camera/image", new Image(pixels, { width, height, colorModel: "L" }));
    rec.log("frame/id", new Image(new Uint8Array(16).fill(frameValue(frame)), { width: 4, height: 4 }));
    rec.flush(); // written now: the stripe can be refilled for the next frame
  }
  rec.close();
  return sink.size;
}

/**
 * A file sink that writes the part of every message that views `pixels` only up to `writtenBytes` of it and
 * leaves the rest (zeros) as a hole. The recording hands a synchronous sink views of the logged arrays, so the
 * large image's pixels reach it as such a view.
 */
class SparseFileSink implements LogSink {
  readonly consumesSynchronously = true;
  size = 0;
  private readonly fd: number;
  private readonly encoder: RrdEncoder;

  constructor(
    path: string,
    private readonly pixels: Uint8Array,
    private readonly writtenBytes: number,
    footer: boolean,
  ) {
    this.fd = openSync(path, "w");
    this.encoder = new RrdEncoder({ write: (bytes) => this.put(bytes) }, { compression: "none", footer });
  }

  send(message: RrdMessage): void {
    this.encoder.write(message);
  }

  flush(): void {}

  close(): void {
    this.encoder.finish();
    ftruncateSync(this.fd, this.size);
    closeSync(this.fd);
  }

  private put(bytes: Uint8Array): void {
    let data = bytes;
    if (bytes.buffer === this.pixels.buffer) {
      const start = bytes.byteOffset - this.pixels.byteOffset;
      data = bytes.subarray(0, Math.max(0, Math.min(bytes.length, this.writtenBytes - start)));
    }
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, this.size + done);
    this.size += bytes.length;
  }
}

/** Free bytes on the file system holding `dir`. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}
