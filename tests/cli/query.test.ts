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

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "iris-query-"));
const columns = join(dir, "columns.rrd");
const rows = join(dir, "rows.rrd");

beforeAll(async () => {
  // image_column_updates: 20 steps (0…19) of a 300×200 RGB U8 buffer on /images, the format logged statically.
  await writeExample(imageColumnUpdates, columns);
  await writeExample(imageRowUpdates, rows);
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
