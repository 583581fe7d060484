// File logging hands the pixels to writev as views of the logged arrays: no user-space copy of pixel bytes.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import {
  type ArrowMsgMessage,
  MESSAGE_HEADER_BYTES,
  STREAM_FOOTER_BYTES,
  decodeRrd,
  parseStreamFooter,
} from "@iris/rrd";
import { Image, ImageBufferType } from "@iris/types";
import { mulberry32 } from "../../../../tests/mulberry32.ts";
import { RecordingStream } from "../recording-stream.ts";
import { TimeColumn } from "../time-column.ts";
import { FileSink } from "./file-sink.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-zero-copy-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIDTH = 800;
const HEIGHT = 600; // 1.44 MB of RGB8: above the batcher's 1 MiB, so each frame is flushed as it is logged.
const RERUN = resolve(".venv-rerun/bin/rerun");

/** Sensor-noise-like frames (they do not compress, as camera frames often do not), inside a larger buffer. */
function frames(count: number, seed: number): Uint8Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const backing = new Uint8Array(WIDTH * HEIGHT * 3 + 64);
    for (let i = 0; i < backing.length; i++) backing[i] = (random() * 256) | 0;
    return backing.subarray(32, 32 + WIDTH * HEIGHT * 3);
  });
}

/** Everything the encoder handed to the sink, as the arrays themselves. */
function recordWrites(sink: FileSink): Uint8Array[] {
  const written: Uint8Array[] = [];
  const write = sink.write.bind(sink);
  vi.spyOn(sink, "write").mockImplementation((bytes: Uint8Array) => {
    written.push(bytes);
    write(bytes);
  });
  return written;
}

function decodedImages(path: string): Uint8Array[] {
  const { messages, warnings } = decodeRrd(new Uint8Array(readFileSync(path)));
  expect(warnings).toEqual([]);
  const out: Uint8Array[] = [];
  for (const m of messages.filter((x): x is ArrowMsgMessage => x.kind === "arrowMsg")) {
    const chunk = chunkFromIpc(m.ipc);
    for (let row = 0; row < chunk.numRows; row++) {
      out.push(...(chunk.componentValues("Image:buffer", row, ImageBufferType) ?? []));
    }
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytes of the footer written on close (End header + RrdFooter + StreamFooter), read from the file's trailer. */
function footerBytes(path: string): number {
  const bytes = new Uint8Array(readFileSync(path));
  const trailer = parseStreamFooter(bytes.subarray(bytes.length - STREAM_FOOTER_BYTES));
  return MESSAGE_HEADER_BYTES + Number(trailer.rrdFooterLengthBytes) + STREAM_FOOTER_BYTES;
}

/**
 * Each image reached the sink exactly once, as a view of its own memory; all other bytes (but the footer with the
 * chunk manifest) are small.
 */
function expectViews(written: readonly Uint8Array[], images: readonly Uint8Array[], path: string): void {
  for (const image of images) {
    const views = written.filter((w) => w.buffer === image.buffer);
    expect(views).toHaveLength(1);
    expect(views[0]!.byteOffset).toBe(image.byteOffset);
    expect(views[0]!.byteLength).toBe(image.byteLength);
  }
  const buffers = new Set(images.map((i) => i.buffer));
  const otherBytes =
    written.filter((w) => !buffers.has(w.buffer)).reduce((n, w) => n + w.byteLength, 0) - footerBytes(path);
  expect(otherBytes).toBeLessThan(4096 * (images.length + 1));
}

describe("FileSink zero-copy", () => {
  for (const compression of ["lz4", "none"] as const) {
    it(`log(): the pixels written are views of the logged arrays (${compression}), and the file round-trips`, () => {
      const path = join(dir, `log-${compression}.rrd`);
      const images = frames(3, 1);
      const sink = new FileSink(path, { compression });
      const written = recordWrites(sink);
      const flush = vi.spyOn(sink, "flush");
      const rec = new RecordingStream({ applicationId: "zero_copy", recordingId: "z", sink });
      images.forEach((pixels, i) => {
        rec.setTimeSequence("frame", i);
        rec.log("camera", new Image(pixels, { width: WIDTH, height: HEIGHT }));
      });
      rec.close();
      expect(flush).toHaveBeenCalledTimes(1); // one fsync, on close
      expectViews(written, images, path);
      const back = decodedImages(path);
      expect(back).toHaveLength(images.length);
      back.forEach((b, i) => expect(sameBytes(b, images[i]!)).toBe(true));
    });
  }

  it("sendColumns: several frames in one chunk are written from their own arrays, not concatenated", () => {
    const path = join(dir, "columns.rrd");
    const images = frames(3, 2);
    const sink = new FileSink(path, { compression: "none" });
    const written = recordWrites(sink);
    const rec = new RecordingStream({ applicationId: "zero_copy", recordingId: "c", sink });
    rec.sendColumns(
      "camera",
      [new TimeColumn("frame", { sequence: [0, 1, 2] })],
      Image.columns({ buffer: images }),
    );
    rec.close();
    expectViews(written, images, path);
    const back = decodedImages(path);
    expect(back).toHaveLength(images.length);
    back.forEach((b, i) => expect(sameBytes(b, images[i]!)).toBe(true));
  });

  it("the real Rerun CLI verifies a file written from parts", () => {
    expect(existsSync(RERUN), `${RERUN} (scripts/ensure-rerun-venv.sh makes it)`).toBe(true);
    const path = join(dir, "verify.rrd");
    const rec = new RecordingStream({
      applicationId: "zero_copy",
      recordingId: "v",
      sink: new FileSink(path),
    });
    frames(2, 3).forEach((pixels, i) => {
      rec.setTimeSequence("frame", i);
      rec.log("camera", new Image(pixels, { width: WIDTH, height: HEIGHT }));
    });
    rec.sendColumns(
      "columns",
      [new TimeColumn("frame", { sequence: [5, 6] })],
      Image.columns({ buffer: frames(2, 4) }),
    );
    rec.close();
    // Iris writes no footer (see RrdEncoder), so only the footer check is turned off.
    execFileSync(RERUN, ["rrd", "verify", "--check-footers", "false", path], { stdio: "pipe" });
  });
});
