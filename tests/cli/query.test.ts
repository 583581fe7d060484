import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { parquetReadObjects } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "@iris/cli";
import { writeExample } from "../../examples/src/run-example.ts";
import { imageColumnUpdates } from "../../examples/src/image_column_updates.ts";
import { imageRowUpdates } from "../../examples/src/image_row_updates.ts";
import {
  HOSTILE_RECORDING_ID,
  RECORDINGS,
  type WrittenRecording,
  framePixels,
  writeSeveralRecordings,
} from "./several-recordings.ts";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "iris-query-"));
const columns = join(dir, "columns.rrd");
const rows = join(dir, "rows.rrd");
let several: { single: readonly string[]; concatenated: string };

beforeAll(async () => {
  // image_column_updates: 20 steps (0…19) of a 300×200 RGB U8 buffer on /images, the format logged statically.
  await writeExample(imageColumnUpdates, columns);
  await writeExample(imageRowUpdates, rows);
  several = writeSeveralRecordings(dir);
});

describe("iris query", () => {
  it("prints columns with types, the row count and the first rows", async () => {
    const { code, out } = await run("query", columns, "--index", "step");
    expect(code).toBe(0);
    expect(out).toContain("dataframe on step (sequence), exact: 20 rows × 3 columns");
    expect(out).toContain("  step  Int64  index");
    expect(out).toContain("  /images:Image:buffer  List<List<Uint8>>  rerun.components.ImageBuffer");
    expect(out).toMatch(
      / {2}\/images:Image:format {2}List<Struct<.*> {2}rerun\.components\.ImageFormat, static/,
    );
    expect(out).toContain("first 10 rows:");
    expect(out).toContain(
      "  step=0  /images:Image:buffer=[<180000 bytes>]  /images:Image:format=[300×200 RGB U8]",
    );
    expect(out).toContain("  step=9  ");
    expect(out).not.toContain("  step=10  ");
  });

  it("applies --range and --rows", async () => {
    const { code, out } = await run("query", columns, "--index", "step", "--range", "5..7", "--rows", "2");
    expect(code).toBe(0);
    expect(out).toContain("3 rows × 3 columns");
    expect(out).toContain("first 2 rows:");
    expect(out).toContain("  step=5  ");
    expect(out).toContain("  step=6  ");
    expect(out).not.toContain("  step=7  ");
  });

  it("selects repeated --component flags and filters entities", async () => {
    const both = await run(
      "query",
      columns,
      "--index=step",
      "--component",
      "Image:buffer",
      "--component",
      "Image:format",
    );
    expect(both.out).toContain("20 rows × 3 columns");
    const one = await run("query", columns, "--index", "step", "--component", "Image:buffer");
    expect(one.out).toContain("20 rows × 2 columns");
    expect(one.out).not.toContain("Image:format");
    const none = await run("query", columns, "--index", "step", "--entity", "/nothing/**");
    expect(none.code).toBe(0);
    expect(none.out).toContain("0 rows × 1 columns");
  });

  it("writes Parquet and Arrow IPC by extension", async () => {
    const parquet = join(dir, "table.parquet");
    const a = await run("query", columns, "--index", "step", "--range", "3..4", "--out", parquet);
    expect(a.code).toBe(0);
    expect(a.out).toContain(`wrote 2 rows × 3 columns to ${parquet} (parquet`);
    const bytes = new Uint8Array(readFileSync(parquet));
    const read = await parquetReadObjects({ file: bytes.buffer as ArrayBuffer, utf8: false });
    expect(read.map((r) => r["step"])).toEqual([3n, 4n]);
    const buffers = read[0]!["/images:Image:buffer"] as Uint8Array[];
    expect(buffers).toHaveLength(1);
    expect(buffers[0]!.length).toBe(300 * 200 * 3);

    const arrow = join(dir, "table.arrow");
    const b = await run("query", columns, "--index", "step", "--out", arrow);
    expect(b.code).toBe(0);
    const table = tableFromIPC(readFileSync(arrow));
    expect(table.numRows).toBe(20);
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      "step",
      "/images:Image:buffer",
      "/images:Image:format",
    ]);
  });

  it("fails with exit 1 and the known timelines for an unknown timeline", async () => {
    const { code, err } = await run("query", rows, "--index", "nope");
    expect(code).toBe(1);
    expect(err).toContain('no timeline "nope"');
    expect(err).toMatch(/timelines: .*time/);
  });

  it("rejects bad usage with exit 2", async () => {
    expect((await run("query", columns)).code).toBe(2);
    expect((await run("query", columns, "--index", "step", "--range", "9..1")).code).toBe(2);
    expect((await run("query", columns, "--index", "step", "--out", "x.csv")).code).toBe(2);
  });
});

/** `iris query FILE --index frame --out X.parquet [extra…]`: the frames and the /img buffers it wrote. */
async function queryFrames(
  file: string,
  ...extra: string[]
): Promise<{ frames: bigint[]; pixels: number[][] }> {
  const parquet = join(dir, `frames-${Math.random().toString(36).slice(2)}.parquet`);
  const { code, err } = await run("query", file, "--index", "frame", "--out", parquet, ...extra);
  expect(err).toBe("");
  expect(code).toBe(0);
  const bytes = new Uint8Array(readFileSync(parquet));
  const read = await parquetReadObjects({ file: bytes.buffer as ArrayBuffer, utf8: false });
  return {
    frames: read.map((r) => r["frame"] as bigint),
    pixels: read.map((r) => [...(r["/img:Image:buffer"] as Uint8Array[])[0]!]),
  };
}

function logged(r: WrittenRecording): { frames: bigint[]; pixels: number[][] } {
  const frames = Array.from({ length: r.frames }, (_, f) => f);
  return { frames: frames.map(BigInt), pixels: frames.map((f) => framePixels(r, f)) };
}

describe("iris query on a file holding several recordings (concatenated .rrd files)", () => {
  const [a, b, c] = RECORDINGS as [WrittenRecording, WrittenRecording, WrittenRecording];
  /** The listing line of a recording (the hostile id's escapes written out by hand). */
  const line = (r: WrittenRecording): string =>
    `  application id "${r.applicationId}", recording id ` +
    `"${r === c ? "rec-\\x1b[31mc\\u202e" : r.recordingId}" (`;

  it("fails without --recording, listing every recording (escaped) and how to choose", async () => {
    for (const extra of [[], ["--json"]]) {
      const { code, out, err } = await run("query", several.concatenated, "--index", "frame", ...extra);
      expect(code).toBe(1);
      expect(out).toBe("");
      expect(err).toContain(
        `iris query: ${several.concatenated} holds 3 recordings; choose one with --recording ID ` +
          "(its recording id, or an application id only it has):\n",
      );
      for (const r of RECORDINGS) expect(err).toContain(line(r));
      expect(err).not.toContain("\u001b");
      expect(err).not.toContain("\u202e");
    }
  });

  it("reads the recording --recording names, by recording id or by an application id only it has", async () => {
    const byId = await queryFrames(several.concatenated, "--recording", "rec-b");
    expect(byId).toEqual(logged(b));
    const byApp = await queryFrames(several.concatenated, "--recording", "app_one");
    expect(byApp).toEqual(logged(a));
    expect(byApp.pixels[0]).not.toEqual(byId.pixels[0]);
    const byBoth = await queryFrames(several.concatenated, "--recording", `app_two/${HOSTILE_RECORDING_ID}`);
    expect(byBoth).toEqual(logged(c));

    const { code, out } = await run(
      "query",
      several.concatenated,
      "--index",
      "frame",
      "--recording",
      "rec-b",
      "--json",
    );
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { recording: unknown; rows: number; notes: string[] };
    expect(doc.recording).toEqual({ applicationId: "app_two", recordingId: "rec-b" });
    expect(doc.rows).toBe(b.frames);
    expect(doc.notes).toEqual([]);
  });

  it("fails for a --recording that matches several recordings or none, listing them", async () => {
    const shared = await run("query", several.concatenated, "--index", "frame", "--recording", "app_two");
    expect(shared.code).toBe(1);
    expect(shared.err).toContain(
      `iris query: --recording "app_two" matches the application id of 2 recordings of ${several.concatenated}, ` +
        "expected one; choose by recording id:\n",
    );
    expect(shared.err).toContain(line(b));
    expect(shared.err).toContain(line(c));
    expect(shared.err).not.toContain('"rec-a"');

    const none = await run("query", several.concatenated, "--index", "frame", "--recording", "rec-z");
    expect(none.code).toBe(1);
    expect(none.err).toContain(
      `iris query: --recording "rec-z" matches no recording of ${several.concatenated} ` +
        "(expected a recording id or an application id); its recordings:\n",
    );
    for (const r of RECORDINGS) expect(none.err).toContain(line(r));
  });

  it("reads a file with one recording as before, and checks a --recording given for it", async () => {
    const [first] = several.single;
    expect(await queryFrames(first!)).toEqual(logged(a));
    expect(await queryFrames(first!, "--recording", "rec-a")).toEqual(logged(a));
    const plain = await run("query", first!, "--index", "frame");
    expect(plain.code).toBe(0);
    expect(plain.out).toContain(`dataframe on frame (sequence), exact: ${a.frames} rows × 3 columns`);
    expect(plain.out).not.toContain("notes");
    const other = await run("query", first!, "--index", "frame", "--recording", "rec-b");
    expect(other.code).toBe(1);
    expect(other.err).toContain(`--recording "rec-b" matches no recording of ${first}`);
    expect(other.err).toContain('  application id "app_one", recording id "rec-a"');
  });
});
