/**
 * Format parity with Rerun 0.41 (issue 13 item 6): Iris writes End + RrdFooter (chunk manifest) + StreamFooter and
 * the recording properties as the real rerun-sdk does, `rerun rrd verify` accepts Iris files, and Iris reads the
 * manifests (random access from the end of the file) of Rerun's files and its own.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RecordBatch, RecordBatchReader } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";
import { chunkFromIpc } from "@iris/chunk";
import {
  type RrdIndex,
  RrdDecoder,
  type RrdManifest,
  bytesSource,
  decodeRrd,
  lz4,
  readChunkAt,
  readRrdIndex,
} from "@iris/rrd";
import { Image, RecordingStream } from "@iris/sdk";
import { save } from "@iris/sdk/node";
import { concatBytes } from "@iris/types";
import { rerunRrd, runRerunPython } from "../rerun-oracle/rerun-venv.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-footer-"));
const rerunFile = join(dir, "rerun.rrd");
const irisFile = join(dir, "iris.rrd");

/** The same data from both SDKs: two frames of /img, /a\/b at frame 5, a static image, the properties. */
const PYTHON = `
import numpy as np, rerun as rr
rec = rr.RecordingStream("parity_app", recording_id="parity-rec")
rec.save(${JSON.stringify(rerunFile)})
rec.send_recording_name("parity name")
rec.set_time("frame", sequence=3)
rec.log("img", rr.Image(np.zeros((2, 3, 3), dtype=np.uint8)))
rec.set_time("frame", sequence=5)
rec.log("img", rr.Image(np.ones((2, 3, 3), dtype=np.uint8)))
rec.log(r"a\\/b", rr.Image(np.ones((2, 3, 3), dtype=np.uint8)))
rec.log("static", rr.Image(np.ones((2, 3, 3), dtype=np.uint8)), static=True)
rec.flush()
`;

function writeIris(path: string, applicationId: string, recordingId: string): void {
  const rec = new RecordingStream({
    applicationId,
    recordingId,
    defaultTimelines: false,
  });
  save(path, rec);
  rec.sendRecordingName("parity name"); // as the Python above: start time at creation, the name after
  const image = (fill: number): Image => new Image(new Uint8Array(18).fill(fill), { width: 3, height: 2 });
  rec.setTime("frame", { sequence: 3 });
  rec.log("img", image(0));
  rec.setTime("frame", { sequence: 5 });
  rec.log("img", image(1));
  rec.log("a\\/b", image(1));
  rec.log("static", image(1), { static: true });
  rec.close();
}

beforeAll(() => {
  runRerunPython(PYTHON);
  writeIris(irisFile, "parity_app", "parity-rec");
}, 60_000);

function manifestBatch(path: string): RecordBatch {
  const decoder = new RrdDecoder();
  decoder.push(new Uint8Array(readFileSync(path)));
  decoder.end();
  const manifests = decoder.rrdFooters.flatMap((f) => f.manifests);
  expect(manifests).toHaveLength(1);
  const part = manifests[0]!.data!;
  const ipc =
    part.compression === 2
      ? lz4.decompressBlock(part.payload!, Number(part.uncompressedSize))
      : part.payload!;
  const reader = RecordBatchReader.from(ipc);
  return [...reader][0]!;
}

/** Every manifest column but Rerun's automatic `log_time` ones (Iris was asked for no default timelines). */
function columnsOf(batch: RecordBatch): string[] {
  return batch.schema.fields
    .filter((f) => !f.name.startsWith("log_time"))
    .map((f) => `${f.name} ${String(f.type)} ${f.nullable} ${JSON.stringify([...f.metadata].sort())}`);
}

/** Each chunk's entity, static flag, rows and per-column values, without ids, offsets, sizes and log_time. */
function rowsOf(batch: RecordBatch): string[] {
  const skip = /^(chunk_id|chunk_byte_|log_time)/;
  return batch
    .toArray()
    .map((row) => {
      const json = row.toJSON() as Record<string, unknown>;
      const kept = Object.entries(json).filter(([k]) => !skip.test(k));
      return JSON.stringify(kept, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));
    })
    .sort();
}

describe("RrdFooter and chunk manifest, as rerun-sdk 0.41 writes them", () => {
  it("rerun rrd verify accepts the Iris file and rerun rrd print reads its footer", () => {
    expect(rerunRrd("verify", irisFile)).toMatchObject({ code: 0 });
    const print = rerunRrd("print", "--footers", "true", "--footers-lod", "2", irisFile);
    expect(print.code).toBe(0);
    expect(print.out).not.toContain("Missing RRD footer");
    for (const column of [
      "chunk_byte_offset",
      "frame:Image:buffer:num_rows",
      "Image:format:has_static_data",
    ]) {
      expect(print.out).toContain(column);
    }
  });

  it("the manifest has the same columns (names, types, metadata) as Rerun's for the same data", () => {
    expect(columnsOf(manifestBatch(irisFile))).toEqual(columnsOf(manifestBatch(rerunFile)));
  });

  it("the manifest rows (entity, static, row counts, time ranges per timeline and component) equal Rerun's", () => {
    expect(rowsOf(manifestBatch(irisFile))).toEqual(rowsOf(manifestBatch(rerunFile)));
  });

  it("the recording properties chunk is Rerun's: static /__properties with RecordingInfo start_time and name", () => {
    const props = (path: string): string[] =>
      decodeRrd(new Uint8Array(readFileSync(path)))
        .messages.flatMap((m) => (m.kind === "arrowMsg" ? [chunkFromIpc(m.ipc)] : []))
        .filter((c) => c.entityPath === "/__properties")
        .flatMap((c) =>
          [...c.components.values()].map(
            (col) => `${c.isStatic} ${JSON.stringify(col.descriptor)} ${String(col.list.type)}`,
          ),
        )
        .sort();
    const iris = props(irisFile);
    expect(iris).toHaveLength(2);
    expect(iris).toEqual(props(rerunFile));
  });

  it("StoreInfo.store_version is filled", () => {
    const info = decodeRrd(new Uint8Array(readFileSync(irisFile))).messages.find(
      (m) => m.kind === "setStoreInfo",
    );
    expect(info?.kind === "setStoreInfo" && info.storeVersionBits).toBe(8448); // 0.33.0, the header's version
  });
});

describe("random access through the manifest (readRrdIndex / readChunkAt)", () => {
  const check = (bytes: Uint8Array, index: RrdIndex): void => {
    expect(index.complete).toBe(true);
    const chunks = index.streams.flatMap((s) => s.manifests.flatMap((m) => m.chunks));
    const decoded = decodeRrd(bytes).messages.flatMap((m) =>
      m.kind === "arrowMsg" ? [chunkFromIpc(m.ipc)] : [],
    );
    expect(chunks.map((c) => c.chunkId.toString()).sort()).toEqual(
      decoded.map((c) => c.id.toString()).sort(),
    );
    for (const entry of chunks) {
      const chunk = readChunkAt(bytesSource(bytes), entry);
      expect(chunk.id.toString()).toBe(entry.chunkId.toString());
      expect(chunk.entityPath).toBe(entry.entityPath);
      expect(chunk.numRows).toBe(entry.numRows);
      const frames = chunk.timelines.get("frame")?.times;
      if (frames === undefined) {
        expect(entry.timeRanges.has("frame")).toBe(false);
      } else {
        expect(entry.timeRanges.get("frame")).toEqual({
          min: frames.reduce((a, b) => (a < b ? a : b)),
          max: frames.reduce((a, b) => (a > b ? a : b)),
        });
      }
    }
  };

  it.each([
    ["Rerun", () => rerunFile],
    ["Iris", () => irisFile],
  ])("finds every chunk of a %s file from its footer, with entity, rows and time range", (_who, path) => {
    const bytes = new Uint8Array(readFileSync(path()));
    const index = readRrdIndex(bytesSource(bytes));
    expect(index.streams).toHaveLength(1);
    const manifest: RrdManifest = index.streams[0]!.manifests[0]!;
    expect(manifest.storeId).toEqual({
      kind: "recording",
      applicationId: "parity_app",
      recordingId: "parity-rec",
    });
    expect(manifest.timelines.get("frame")).toBe("sequence");
    expect(new Set(manifest.chunks.map((c) => c.entityPath))).toEqual(
      new Set(["/__properties", "/img", "/a\\/b", "/static"]),
    );
    check(bytes, index);
  });

  it("indexes concatenated files stream by stream with absolute offsets", () => {
    const other = join(dir, "other.rrd");
    writeIris(other, "other_app", "other-rec");
    const bytes = concatBytes([readFileSync(rerunFile), readFileSync(other)].map((b) => new Uint8Array(b)));
    const index = readRrdIndex(bytesSource(bytes));
    expect(index.streams.map((s) => s.manifests[0]!.storeId.recordingId)).toEqual([
      "parity-rec",
      "other-rec",
    ]);
    expect(index.streams[1]!.streamStartOffset).toBe(readFileSync(rerunFile).length);
    check(bytes, index);
  });

  it("a process that exits without close() still writes the footer (as Rerun's file sink does when dropped)", () => {
    const path = join(dir, "exit.rrd");
    const child = join(import.meta.dirname, "..", "hardening", "fixtures", "file-sink-child.ts");
    const tsx = join(import.meta.dirname, "..", "..", "node_modules", ".bin", "tsx");
    execFileSync(tsx, [child, path, "exit", "3"], { stdio: "ignore" });
    const bytes = new Uint8Array(readFileSync(path));
    const index = readRrdIndex(bytesSource(bytes));
    expect(index.complete).toBe(true);
    // The recording-properties chunk (1 static row, sent at creation) and the 3 image rows the batcher held.
    expect(index.streams[0]!.manifests[0]!.chunks.map((c) => [c.entityPath, c.numRows])).toEqual([
      ["/__properties", 1],
      ["/image", 3],
    ]);
    check(bytes, index);
  }, 60_000);

  it("reports a file without footer as incomplete and a damaged footer as a typed error", () => {
    const bytes = new Uint8Array(readFileSync(irisFile));
    expect(readRrdIndex(bytesSource(bytes.subarray(0, bytes.length - 1)))).toEqual({
      streams: [],
      complete: false,
    });
    const damaged = bytes.slice();
    damaged[damaged.length - 40] = damaged[damaged.length - 40]! ^ 0xff; // inside the RrdFooter payload: the XXH32 no longer matches
    expect(() => readRrdIndex(bytesSource(damaged))).toThrow(/checksum/);
  });
});
