import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "@iris/cli";
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
