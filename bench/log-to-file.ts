// Benchmark: logging 200 frames of 1920×1080 RGB8 to a .rrd file (LZ4 on and off), against writing the same
// raw pixel bytes with fs in the same run.
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { ChannelDatatype, ColorModel, Image, RecordingStream, TimeColumn } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { type Summary, fmt, summarize } from "./stats.ts";

export const WIDTH = 1920;
export const HEIGHT = 1080;
const DISTINCT_FRAMES = 8;

/** Camera-like frames: smooth gradients that move per frame, plus 3 bits of deterministic noise. */
export function makeFrames(count = DISTINCT_FRAMES): Uint8Array[] {
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 24;
  };
  return Array.from({ length: count }, (_, f) => {
    const pixels = new Uint8Array(WIDTH * HEIGHT * 3);
    for (let y = 0; y < HEIGHT; y++) {
      for (let x = 0; x < WIDTH; x++) {
        const i = (y * WIDTH + x) * 3;
        pixels[i] = ((x + f * 7) >> 3) + (rand() & 7);
        pixels[i + 1] = ((y + f * 5) >> 2) + (rand() & 7);
        pixels[i + 2] = ((x + y) >> 4) + (rand() & 7);
      }
    }
    return pixels;
  });
}

export interface LogToFileResult {
  frames: number;
  rawBytes: number;
  raw: Summary;
  lz4: Summary;
  none: Summary;
  /** The column path: the format once as static data, then `sendColumns` with 10 frames per call (LZ4 on). */
  columns: Summary;
  lz4FileBytes: number;
  noneFileBytes: number;
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function benchLogToFile(options: { frames: number; repeats: number; dir: string }): LogToFileResult {
  const { frames, repeats, dir } = options;
  mkdirSync(dir, { recursive: true });
  const pool = makeFrames();
  const rawPath = join(dir, "raw.bin");
  const rrdPath = join(dir, "bench.rrd");
  const raw: number[] = [];
  const lz4: number[] = [];
  const none: number[] = [];
  const columns: number[] = [];
  let lz4FileBytes = 0;
  let noneFileBytes = 0;

  for (let r = 0; r < repeats; r++) {
    raw.push(
      time(() => {
        const fd = openSync(rawPath, "w");
        for (let i = 0; i < frames; i++) writeSync(fd, pool[i % pool.length]!);
        fsyncSync(fd);
        closeSync(fd);
      }),
    );
    for (const compression of ["lz4", "none"] as const) {
      const ms = time(() => {
        const rec = new RecordingStream({
          applicationId: "iris_bench",
          sink: new FileSink(rrdPath, { compression }),
        });
        for (let i = 0; i < frames; i++) {
          rec.setTimeSequence("frame", i);
          rec.log(
            "camera/image",
            new Image(pool[i % pool.length]!, { width: WIDTH, height: HEIGHT, colorModel: "RGB" }),
          );
        }
        rec.close();
      });
      (compression === "lz4" ? lz4 : none).push(ms);
      const size = statSync(rrdPath).size;
      if (compression === "lz4") lz4FileBytes = size;
      else noneFileBytes = size;
    }
    columns.push(
      time(() => {
        const rec = new RecordingStream({ applicationId: "iris_bench", sink: new FileSink(rrdPath) });
        const format = {
          width: WIDTH,
          height: HEIGHT,
          colorModel: ColorModel.RGB,
          channelDatatype: ChannelDatatype.U8,
        };
        rec.log("camera/image", Image.fromFields({ format }), { static: true });
        const batch = 10;
        for (let start = 0; start < frames; start += batch) {
          const n = Math.min(batch, frames - start);
          const times = Array.from({ length: n }, (_, k) => start + k);
          rec.sendColumns(
            "camera/image",
            [new TimeColumn("frame", { sequence: times })],
            Image.columns({ buffer: times.map((i) => pool[i % pool.length]!) }),
          );
        }
        rec.close();
      }),
    );
  }
  rmSync(rawPath, { force: true });
  rmSync(rrdPath, { force: true });
  return {
    frames,
    rawBytes: frames * WIDTH * HEIGHT * 3,
    raw: summarize(raw),
    lz4: summarize(lz4),
    none: summarize(none),
    columns: summarize(columns),
    lz4FileBytes,
    noneFileBytes,
  };
}

/** The BENCHMARKS.md section for a `benchLogToFile` result. */
export function logToFileMarkdown(result: LogToFileResult): string {
  const mb = result.rawBytes / 1e6;
  const row = (name: string, s: Summary, fileBytes?: number): string =>
    `| ${name} | ${fmt(s.median, 0)} (${fmt(s.min, 0)}–${fmt(s.max, 0)}) | ${fmt(mb / (s.median / 1000), 0)} | ` +
    `${fmt(s.median / result.raw.median)}× | ${fileBytes === undefined ? "–" : fmt(fileBytes / 1e6, 1)} |`;
  return `## Logging ${result.frames} frames of 1920×1080 RGB8 to a file

Each frame is logged with \`rec.log("camera/image", new Image(...))\` on a sequence timeline, through the batcher,
chunk builder, Arrow IPC, the rrd encoder and \`FileSink\` (one synchronous write per message), ending with
\`close()\` (fsync). The frames are camera-like (moving gradients plus 3 bits of noise; 8 distinct frames cycled).
Baseline: the same ${fmt(mb, 0)} MB of raw pixels written with \`fs.writeSync\` per frame and one fsync.

| path | ms | MB/s of pixels | ratio to raw write | file MB |
|---|---|---|---|---|
${row("raw `fs.writeSync` (baseline)", result.raw)}
${row("Iris, LZ4 on (default)", result.lz4, result.lz4FileBytes)}
${row("Iris, LZ4 off", result.none, result.noneFileBytes)}
${row("Iris column path (`sendColumns`, 10 frames per call, LZ4 on)", result.columns)}
`;
}
