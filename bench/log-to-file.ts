// Benchmark: logging 1920×1080 RGB8 frames to a .rrd file (LZ4 on and off, rows and sendColumns), against
// writing the same raw pixel bytes with writev in the same run, on disk and on tmpfs, interleaved.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync, statSync, writevSync } from "node:fs";
import { join } from "node:path";
import { ChannelDatatype, ColorModel, Image, RecordingStream, TimeColumn } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import {
  type Timing,
  type TimingSummary,
  fmt,
  interleaveAsync,
  pairedRatio,
  range,
  summarizeTimings,
  timeAsync,
  timeSync,
} from "./stats.ts";
import { writeMcap } from "./mcap-writer.ts";

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
  repeats: number;
  /** Untimed rounds before the timed ones (see `warmupRuns`). */
  warmups: number;
  rawBytes: number;
  /** Variant → wall and CPU summaries, and the paired wall / CPU ratios to the raw write on the same medium. */
  rows: LogToFileRow[];
  lz4FileBytes: number;
  noneFileBytes: number;
  mcapFileBytes: number;
  /** Whether /dev/shm rows were measured. */
  tmpfs: boolean;
}

export interface LogToFileRow {
  name: string;
  medium: "disk" | "tmpfs";
  timing: TimingSummary;
  wallRatio: ReturnType<typeof pairedRatio>;
  cpuRatio: ReturnType<typeof pairedRatio>;
}

/** Writes the frames with one writev each (the same syscall FileSink uses), then one fsync. */
function rawWrite(path: string, pool: readonly Uint8Array[], frames: number): void {
  const fd = openSync(path, "w");
  for (let i = 0; i < frames; i++) writevSync(fd, [pool[i % pool.length]!]);
  fsyncSync(fd);
  closeSync(fd);
}

/** Logs `frames` 1080p RGB8 frames (cycling through `pool`) row by row to an `.rrd` file, as the bench sections do. */
export function logFramesToFile(
  path: string,
  pool: readonly Uint8Array[],
  frames: number,
  options: { applicationId: string; compression?: "lz4" | "none" },
): void {
  const sink = new FileSink(path, options.compression ? { compression: options.compression } : {});
  const rec = new RecordingStream({ applicationId: options.applicationId, sink });
  for (let i = 0; i < frames; i++) {
    rec.setTimeSequence("frame", i);
    rec.log(
      "camera/image",
      new Image(pool[i % pool.length]!, { width: WIDTH, height: HEIGHT, colorModel: "RGB" }),
    );
  }
  rec.close();
}

function logRows(
  path: string,
  pool: readonly Uint8Array[],
  frames: number,
  compression: "lz4" | "none",
): void {
  logFramesToFile(path, pool, frames, { applicationId: "iris_bench", compression });
}

function logColumns(path: string, pool: readonly Uint8Array[], frames: number): void {
  const rec = new RecordingStream({ applicationId: "iris_bench", sink: new FileSink(path) });
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
}

const TMPFS = "/dev/shm";
/**
 * Frames each variant writes untimed before the timed rounds. After one 20-frame file (the quick run's) V8 is still
 * optimizing the logging path: in the 40 files that followed 3 such files, its compiler threads used ~12 ms of CPU
 * per file (TurboFan, per perf), ~4 ms after 60 files — a cost a process logging a stream pays once, not per
 * frame. 200 frames is the full run's one warm-up file.
 */
export const WARMUP_FRAMES = 200;

/** Untimed rounds before the timed ones: enough for every variant to write `WARMUP_FRAMES` frames. */
export function warmupRuns(frames: number): number {
  return Math.max(1, Math.ceil(WARMUP_FRAMES / frames));
}

export async function benchLogToFile(options: {
  frames: number;
  repeats: number;
  dir: string;
}): Promise<LogToFileResult> {
  const { frames, repeats, dir } = options;
  const warmups = warmupRuns(frames);
  mkdirSync(dir, { recursive: true });
  const pool = makeFrames();
  const tmpfs = existsSync(TMPFS);
  const tmpDir = join(TMPFS, `iris-bench-${process.pid}`);
  if (tmpfs) mkdirSync(tmpDir, { recursive: true });
  const disk = (name: string): string => join(dir, name);
  const shm = (name: string): string => join(tmpDir, name);
  let lz4FileBytes = 0;
  let noneFileBytes = 0;
  let mcapFileBytes = 0;
  // Every run writes a new file: the previous run's file is removed first, untimed. Truncating it instead (opening
  // it with "w") frees its ~125 MB of pages inside the timed region, 25-45 ms on either medium, which every variant
  // would pay alike and which would dilute every ratio towards 1.
  const timedSync =
    (path: string, write: (path: string) => void, after?: (path: string) => void): (() => Promise<Timing>) =>
    () => {
      rmSync(path, { force: true });
      const timing = timeSync(() => write(path));
      after?.(path);
      return Promise.resolve(timing);
    };
  const timedAsync =
    (path: string, write: (path: string) => Promise<void>, after?: (path: string) => void) =>
    async (): Promise<Timing> => {
      rmSync(path, { force: true });
      const timing = await timeAsync(() => write(path));
      after?.(path);
      return timing;
    };
  const raw = (path: string): void => rawWrite(path, pool, frames);
  const lz4 = (path: string): void => logRows(path, pool, frames, "lz4");
  const none = (path: string): void => logRows(path, pool, frames, "none");
  const columns = (path: string): void => logColumns(path, pool, frames);
  const mcap = (path: string): Promise<void> => writeMcap(path, pool, frames);
  const variants: Record<string, () => Promise<Timing>> = {
    "raw writev|disk": timedSync(disk("raw.bin"), raw),
    "Iris, LZ4 on (default)|disk": timedSync(disk("lz4.rrd"), lz4, (path) => {
      lz4FileBytes = statSync(path).size;
    }),
    "Iris, LZ4 off|disk": timedSync(disk("none.rrd"), none, (path) => {
      noneFileBytes = statSync(path).size;
    }),
    "Iris column path (`sendColumns`, 10 frames per call, LZ4 on)|disk": timedSync(
      disk("columns.rrd"),
      columns,
    ),
    "Foxglove MCAP writer (`@mcap/core`, peer)|disk": timedAsync(disk("frames.mcap"), mcap, (path) => {
      mcapFileBytes = statSync(path).size;
    }),
    ...(tmpfs
      ? {
          "raw writev|tmpfs": timedSync(shm("raw.bin"), raw),
          "Iris, LZ4 on (default)|tmpfs": timedSync(shm("lz4.rrd"), lz4),
          "Iris, LZ4 off|tmpfs": timedSync(shm("none.rrd"), none),
          "Iris column path (`sendColumns`, 10 frames per call, LZ4 on)|tmpfs": timedSync(
            shm("columns.rrd"),
            columns,
          ),
          "Foxglove MCAP writer (`@mcap/core`, peer)|tmpfs": timedAsync(shm("frames.mcap"), mcap),
        }
      : {}),
  };
  // The MCAP peer copies every frame and leaves ~125 MB of garbage per run, which V8 collects during whichever run
  // allocates next — with the raw writes allocating nothing, always the Iris row after them in the rotation. So the
  // peer runs in a pass of its own, interleaved with the raw writes it is compared with, after the Iris pass.
  const isPeer = (name: string): boolean => name.startsWith("Foxglove");
  const pick = (keep: (name: string) => boolean): Record<string, () => Promise<Timing>> =>
    Object.fromEntries(Object.entries(variants).filter(([name]) => keep(name)));
  let timings: Record<string, Timing[]>;
  let peerTimings: Record<string, Timing[]>;
  try {
    timings = await interleaveAsync(
      pick((name) => !isPeer(name)),
      repeats,
      warmups,
    );
    peerTimings = await interleaveAsync(
      pick((name) => isPeer(name) || name.startsWith("raw writev")),
      repeats,
      warmups,
    );
  } finally {
    for (const name of ["raw.bin", "lz4.rrd", "none.rrd", "columns.rrd", "frames.mcap"])
      rmSync(disk(name), { force: true });
    if (tmpfs) rmSync(tmpDir, { recursive: true, force: true });
  }
  const peerRows = Object.entries(peerTimings).filter(([key]) => isPeer(key));
  const rows = [...Object.entries(timings), ...peerRows].map(([key, runs]): LogToFileRow => {
    const [name, medium] = key.split("|") as [string, "disk" | "tmpfs"];
    const raw = (isPeer(key) ? peerTimings : timings)[`raw writev|${medium}`]!;
    return {
      name,
      medium,
      timing: summarizeTimings(runs),
      wallRatio: pairedRatio(runs, raw, "wallMs"),
      cpuRatio: pairedRatio(runs, raw, "cpuMs"),
    };
  });
  return {
    frames,
    repeats,
    warmups,
    rawBytes: frames * WIDTH * HEIGHT * 3,
    rows,
    lz4FileBytes,
    noneFileBytes,
    mcapFileBytes,
    tmpfs,
  };
}

/** The BENCHMARKS.md section for a `benchLogToFile` result. */
export function logToFileMarkdown(result: LogToFileResult): string {
  const mb = result.rawBytes / 1e6;
  const row = (r: LogToFileRow): string =>
    `| ${r.name} | ${r.medium} | ${range(r.timing.wall)} | ${range(r.timing.cpu)} | ${fmt(mb / (r.timing.wall.median / 1000), 0)} | ` +
    `${fmt(r.wallRatio.median)}× (${fmt(r.wallRatio.min)}–${fmt(r.wallRatio.max)}) | ${fmt(r.cpuRatio.median)}× |`;
  return `## Logging ${result.frames} frames of 1920×1080 RGB8 to a file

Each frame is logged with \`rec.log("camera/image", new Image(...))\` on a sequence timeline, through the batcher,
chunk builder, Arrow IPC (written as parts: the pixels are handed to \`writev\` as views of the logged array, not
copied), the rrd encoder and \`FileSink\` (one synchronous \`writev\` per message), ending with \`close()\` (one
fsync). The frames are camera-like (moving gradients plus 3 bits of noise; 8 distinct frames cycled), so LZ4 (native
lz4-napi) finds them incompressible and stores them raw. Baseline: the same ${fmt(mb, 0)} MB of raw pixels written
with one \`writev\` per frame and one fsync, on the same medium (disk = \`bench/out/\`, tmpfs = /dev/shm). Every run
creates its file: the previous run's file is deleted first, untimed (truncating it would free ~125 MB of pages
inside every timed run alike). Each variant first ran ${result.warmups} untimed time${result.warmups === 1 ? "" : "s"} (≥ ${WARMUP_FRAMES} frames, so that V8 has
compiled the logging path), then ${result.repeats} interleaved rounds (the order rotates each round). Ratios are
the median of the per-round ratios to the raw write of the same round (min–max in brackets). The MCAP peer runs in
a second pass, interleaved with raw writes of its own (its ratios are to those), so that the garbage it leaves is not
collected during an Iris run. CPU = user + system time of the benchmark process.

| path | medium | wall ms | CPU ms | MB/s of pixels | wall ratio to raw writev | CPU ratio |
|---|---|---|---|---|---|---|
${result.rows.map(row).join("\n")}

File sizes: LZ4 on ${fmt(result.lz4FileBytes / 1e6, 1)} MB, LZ4 off ${fmt(result.noneFileBytes / 1e6, 1)} MB, MCAP ${fmt(result.mcapFileBytes / 1e6, 1)} MB.

Peer: Foxglove's MCAP writer (\`@mcap/core\` 2.2.2, bench/mcap-writer.ts) writes the same frames as messages on one
channel with its defaults (1 MiB chunks, no chunk compression, indexes and statistics), each message's data being the
raw pixels (no serialization), through a synchronous \`writeSync\` file writer, then one fsync; a ratio above the
Iris rows means MCAP is slower.
`;
}
