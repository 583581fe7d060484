import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Field, RecordBatch, Schema, Table, tableFromIPC, tableToIPC } from "apache-arrow";
import { type Recording, main, readRecordingFile, verifyRecordingReport } from "@iris/cli";
import { writeExample } from "../../examples/src/run-example.ts";
import { imageRowUpdates } from "../../examples/src/image_row_updates.ts";
import { imageColumnUpdates } from "../../examples/src/image_column_updates.ts";
import { imageSimple } from "../../examples/src/image_simple.ts";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "iris-cli-"));
const rowA = join(dir, "row_a.rrd");
const rowB = join(dir, "row_b.rrd");
const columns = join(dir, "columns.rrd");
const simple = join(dir, "simple.rrd");

beforeAll(async () => {
  await writeExample(imageRowUpdates, rowA);
  await writeExample(imageRowUpdates, rowB);
  await writeExample(imageColumnUpdates, columns);
  await writeExample(imageSimple, simple);
});

describe("iris print", () => {
  it("lists stores, timelines, entities and component types", async () => {
    const { code, out } = await run("print", columns);
    expect(code).toBe(0);
    expect(out).toContain("store recording:rerun_example_image_column_updates/");
    expect(out).toContain("step (sequence): 0 … 19");
    expect(out).toContain("/images: 2 chunks, 21 rows (1 static)");
    expect(out).toMatch(/Image:buffer {2}rerun\.components\.ImageBuffer {2}List<item: Uint8> {2}20 cells/);
    expect(out).toMatch(
      /Image:format {2}rerun\.components\.ImageFormat {2}Struct<width: Uint32, height: Uint32, pixel_format\?: Uint8/,
    );
  });

  it("prints row data with --verbose", async () => {
    const { out } = await run("print", columns, "--verbose");
    expect(out).toContain("Image:format: [300×200 RGB U8]");
    expect(out.match(/Image:buffer: \[<180000 bytes>\]/g)).toHaveLength(20);
    expect(out).toMatch(/row_[0-9A-F]{16}[0-9a-f]{16} step=19/);
  });

  it("reports what a truncated file lost", async () => {
    const bytes = readFileSync(rowA);
    const cut = join(dir, "cut.rrd");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const { code, out } = await run("print", cut);
    expect(code).toBe(0);
    expect(out).toMatch(/problem\(s\) while reading/);
    expect(out).toContain("truncated");
  });
});

describe("iris verify", () => {
  it("accepts every example", async () => {
    for (const file of [rowA, columns, simple]) {
      const { code, out } = await run("verify", file);
      expect(out).toContain(": ok (");
      expect(code).toBe(0);
    }
  });

  it("names a corrupt message with its byte offset and exits 1", async () => {
    const bytes = new Uint8Array(readFileSync(simple));
    // Offset 12 is the first MessageHeader (SetStoreInfo); its payload starts at 28. Find the ArrowMsg header.
    const setStoreInfoLen = Number(
      new DataView(bytes.buffer, bytes.byteOffset + 20, 8).getBigUint64(0, true),
    );
    const arrowOffset = 12 + 16 + setStoreInfoLen;
    const corrupt = bytes.slice();
    corrupt.fill(0xff, arrowOffset + 16, arrowOffset + 40);
    const file = join(dir, "corrupt.rrd");
    writeFileSync(file, corrupt);
    const { code, out } = await run("verify", file);
    expect(code).toBe(1);
    expect(out).toContain(`@${arrowOffset} `);
  });

  it("finds an image whose buffer does not match its format", async () => {
    const file = join(dir, "mismatch.rrd");
    const rec = new RecordingStream({ applicationId: "mismatch", sink: new FileSink(file) });
    // Format says 4×4 RGB (48 bytes); the buffer logged later for the same entity has 16 bytes.
    rec.log("img", Image.fromFields({ format: { width: 4, height: 4, colorModel: 2, channelDatatype: 6 } }), {
      static: true,
    });
    rec.log("img", Image.fromFields({ buffer: new Uint8Array(16) }));
    rec.close();
    const { code, out } = await run("verify", file);
    expect(code).toBe(1);
    expect(out).toContain(
      "image-size-mismatch: /img row 0: Image:buffer has 16 bytes, expected 48 for 4×4 RGB U8",
    );
  });

  it("warns about a newer Sorbet version; still flags a malformed one and a column without rerun:component", () => {
    const recording = readRecordingFile(simple);
    /** `recording` with every chunk's schema edited (what checkSchema reads). */
    const edited = (version: string, dropComponent: boolean): Recording => ({
      ...recording,
      chunks: recording.chunks.map((c) => {
        const batch = tableFromIPC(c.message.ipc).batches[0]!;
        const metadata = new Map(batch.schema.metadata).set("sorbet:version", version);
        const fields = batch.schema.fields.map((f) => {
          const m = new Map(f.metadata);
          m.delete("rerun:component_type"); // optional, as in AnyValues columns
          if (dropComponent) m.delete("rerun:component");
          return new Field(f.name, f.type, f.nullable, m);
        });
        const schema = new Schema(fields, metadata);
        const ipc = tableToIPC(new Table([new RecordBatch(schema, batch.data)]), "stream");
        return { ...c, message: { ...c.message, ipc } };
      }),
    });
    const clean = verifyRecordingReport(edited("0.1.4", false));
    expect(clean).toEqual({ problems: [], warnings: [] });
    const newer = verifyRecordingReport(edited("0.2.0", false));
    expect(newer.problems).toEqual([]);
    expect(newer.warnings.map((w) => `${w.kind}: ${w.message}`)).toEqual([
      "newer-sorbet-version: sorbet:version 0.2.0 is newer than this reader (0.1.4); reading it anyway",
    ]);
    const bad = verifyRecordingReport(edited("0.1", true));
    expect(bad.problems.map((p) => p.kind)).toContain("sorbet-version");
    expect(bad.problems.map((p) => p.message)).toContain("column Image:buffer has no rerun:component");
  });

  it("rejects a file that is not an rrd, saying so in words", async () => {
    const file = join(dir, "garbage.rrd");
    writeFileSync(file, new TextEncoder().encode("hello, not a recording"));
    const { code, err } = await run("verify", file);
    expect(code).toBe(1);
    expect(err).toContain("is not an .rrd file (expected the RRF2 magic");
  });
});

describe("iris compare", () => {
  it("treats two runs of the same program as equal (row ids and log_time ignored)", async () => {
    const { code, out } = await run("compare", rowA, rowB);
    expect(out).toContain("recordings are equal");
    expect(code).toBe(0);
  });

  it("finds a different frame", async () => {
    const file = join(dir, "changed.rrd");
    const rec = new RecordingStream({
      applicationId: "rerun_example_image_row_updates",
      sink: new FileSink(file),
    });
    await imageRowUpdates.run(rec);
    rec.setTimeSequence("time", 19);
    rec.log("image", new Image(new Uint8Array(300 * 200 * 3), { width: 300, height: 200 }));
    rec.close();
    const { code, out } = await run("compare", rowA, file);
    expect(code).toBe(1);
    expect(out).toContain("/image: 20 rows vs 21 rows");
  });

  it("compares order unless --unordered", async () => {
    const forward = join(dir, "forward.rrd");
    const backward = join(dir, "backward.rrd");
    for (const [file, order] of [
      [forward, [0, 1, 2]],
      [backward, [2, 1, 0]],
    ] as const) {
      const rec = new RecordingStream({
        applicationId: "order",
        sink: new FileSink(file),
        batcher: { flushRows: 1 },
        defaultTimelines: false,
      });
      for (const t of order) {
        rec.setTimeSequence("t", t);
        rec.log("x", new Image(new Uint8Array([t]), { width: 1, height: 1 }));
      }
      rec.close();
    }
    expect((await run("compare", forward, backward)).code).toBe(1);
    expect((await run("compare", forward, backward, "--unordered")).code).toBe(0);
  });

  it("explains usage errors with exit code 2", async () => {
    const { code, err } = await run("compare", rowA);
    expect(code).toBe(2);
    expect(err).toContain("iris compare: needs two files A B");
  });
});
