// iris print --footers: reads only the RrdFooter chunk manifests at the end of a file. Oracles: plain `iris print`
// (which decodes every chunk) and, for Rerun-written files, `rerun rrd print --footers true`.
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRecordingFile } from "@iris/cli";
import { writeExample } from "../../examples/src/run-example.ts";
import { imageColumnUpdates } from "../../examples/src/image_column_updates.ts";
import { run } from "./run-cli.ts";

const venv = join(import.meta.dirname, "../../.venv-rerun/bin");
const dir = mkdtempSync(join(tmpdir(), "iris-cli-footers-"));
const iris = join(dir, "iris.rrd");
const py = join(dir, "python.rrd");

const SCRIPT = `
import sys
import rerun as rr
rr.init("rerun_example_footers", recording_id="rec_f")
rr.save(sys.argv[1])
for i in range(3):
    rr.set_time("frame", sequence=i)
    rr.log("points", rr.Points2D([[i, 2 * i]]))
rr.log("label", rr.TextDocument("hi"), static=True)
`;

beforeAll(async () => {
  await writeExample(imageColumnUpdates, iris);
  const script = join(dir, "write.py");
  writeFileSync(script, SCRIPT);
  execFileSync(join(venv, "python"), [script, py]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface JsonStore {
  applicationId: string;
  recordingId: string;
  chunks: number;
  rows: number;
  timelines: { name: string; min: string | null; max: string | null }[];
  entities: { path: string; chunks: number; rows: number; staticRows: number }[];
  chunkManifest?: { offset: number; size: number; entityPath: string; rows: number; static: boolean }[];
}

async function jsonOf(...argv: string[]): Promise<{ stores: JsonStore[] }> {
  const { code, out, err } = await run("print", ...argv, "--json");
  expect(err).toBe("");
  expect(code).toBe(0);
  return JSON.parse(out) as { stores: JsonStore[] };
}

/** What both plain print and --footers must agree on, per store. */
function counts(stores: JsonStore[]): unknown {
  return stores
    .map((s) => ({
      store: `${s.applicationId}/${s.recordingId}`,
      chunks: s.chunks,
      rows: s.rows,
      entities: s.entities.map((e) => ({
        path: e.path,
        chunks: e.chunks,
        rows: e.rows,
        static: e.staticRows,
      })),
      timelines: s.timelines.map((t) => ({ name: t.name, min: t.min, max: t.max })),
    }))
    .sort((a, b) => (a.store < b.store ? -1 : 1));
}

describe("iris print --footers", () => {
  it("reports the same chunks, rows and time ranges per entity as plain print on an Iris-written file", async () => {
    const full = await jsonOf(iris);
    const footers = await jsonOf(iris, "--footers");
    expect(counts(footers.stores)).toEqual(counts(full.stores));
    const text = await run("print", iris, "--footers");
    expect(text.out).toContain("/images: 2 chunks, 21 rows (1 static)");
    expect(text.out).toContain("step (sequence): 0 … 19");
  });

  it("reads the manifest the real Rerun 0.41 Python SDK wrote, as rerun rrd print --footers shows it", async () => {
    const footers = await jsonOf(py, "--footers", "--verbose");
    expect(counts(footers.stores)).toEqual(counts((await jsonOf(py)).stores));
    // Rerun's own footer table: entity ┆ chunk id ┆ static ┆ rows ┆ byte offset ┆ byte size ┆ …
    const table = execFileSync(join(venv, "rerun"), ["rrd", "print", "--footers", "true", py]).toString();
    const rerunRows = table
      .split("\n")
      .filter((line) => /^│ │ \/\S*\s+┆/.test(line))
      .map((line) =>
        line
          .replace(/^│ │/, "")
          .split("┆")
          .map((cell) => cell.trim()),
      )
      .map(([entityPath, , isStatic, rows, offset, size]) => ({
        entityPath,
        static: isStatic === "true",
        rows: Number(rows),
        offset: Number(offset),
        size: Number(size),
      }));
    expect(rerunRows.map((r) => r.entityPath).sort()).toEqual(["/__properties", "/label", "/points"]);
    const ours = footers.stores.flatMap((s) => s.chunkManifest ?? []);
    expect(ours.map((c) => ({ ...c }))).toEqual(rerunRows.map((r) => expect.objectContaining(r) as unknown));
    const text = await run("print", py, "--footers");
    expect(text.out).toContain("store recording:rerun_example_footers/rec_f");
    expect(text.out).toContain("/points: 1 chunks, 3 rows");
    expect(text.out).toContain("frame (sequence): 0 … 2");
  });

  it("does not read the chunks: garbage over every chunk payload changes nothing, while plain print fails", async () => {
    const bytes = readFileSync(iris);
    const damaged = new Uint8Array(bytes);
    // Chunk places from the full decode (not from the manifest): MessageHeader at `offset`, u64 LE length at +8.
    const chunks = readRecordingFile(iris).chunks;
    expect(chunks.length).toBeGreaterThan(1);
    const view = new DataView(damaged.buffer);
    for (const { offset } of chunks) {
      const length = Number(view.getBigUint64(offset + 8, true));
      damaged.fill(0xa5, offset + 16, offset + 16 + length);
    }
    const garbled = join(dir, "garbled.rrd");
    writeFileSync(garbled, damaged);
    const before = await run("print", iris, "--footers", "--verbose");
    const after = await run("print", garbled, "--footers", "--verbose");
    expect(after.code).toBe(0);
    expect(after.out.replace(garbled, "FILE")).toBe(before.out.replace(iris, "FILE"));
    const plain = await run("print", garbled);
    expect(plain.out).toMatch(/\d+ problem\(s\) while reading/);
    expect(plain.out).not.toContain("/images: 2 chunks");
  });

  it("reads a stream that starts 3 GiB into a (sparse) file, from its end", async () => {
    const bytes = readFileSync(iris);
    const start = 3 * 1024 ** 3;
    const big = join(dir, "big.rrd");
    const fd = openSync(big, "w");
    writeSync(fd, bytes, 0, bytes.length, start);
    closeSync(fd);
    const out = await jsonOf(big, "--footers", "--verbose");
    const small = await jsonOf(iris, "--footers", "--verbose");
    expect(counts(out.stores)).toEqual(counts(small.stores));
    const offsets = (r: { stores: JsonStore[] }): number[] =>
      r.stores.flatMap((s) => (s.chunkManifest ?? []).map((c) => c.offset));
    expect(offsets(out)).toEqual(offsets(small).map((o) => o + start));
    const text = await run("print", big, "--footers");
    expect(text.code).toBe(0);
    expect(text.out).toContain(`note: the footers cover bytes ${start}… only`);
  });

  it("says clearly that a file without footer has none, and exits with 1", async () => {
    // The Iris file cut just before its End message: every chunk intact, no footer.
    const last = readRecordingFile(iris).chunks.at(-1)!;
    const bytes = readFileSync(iris);
    const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(last.offset + 8, true));
    const cut = join(dir, "no-footer.rrd");
    writeFileSync(cut, bytes.subarray(0, last.offset + 16 + length));
    const { code, out, err } = await run("print", cut, "--footers");
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toContain("has no RrdFooter");
    expect(err).toContain("without --footers");
    expect((await run("print", cut)).code).toBe(0);
    const json = await run("print", cut, "--footers", "--json");
    expect(json.code).toBe(1);
    expect(json.out).toBe("");
  });
});
