// The documented --json shapes (docs/cli.md) of print, verify, compare and query (probe's: probe.test.ts).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { run } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-cli-json-"));
const a = join(dir, "a.rrd");
const b = join(dir, "b.rrd");
/** 2001-09-09T01:46:40.000000001Z: beyond a double's integer precision in ns. */
const T = 1_000_000_000_000_000_001n;

function write(path: string, frames: number): void {
  const rec = new RecordingStream({ applicationId: "json_app", recordingId: "r1", sink: new FileSink(path) });
  for (let i = 0; i < frames; i++) {
    rec.setTimeSequence("frame", i);
    rec.setTimestamp("when", T + BigInt(i));
    rec.log("img", new Image(new Uint8Array(12).fill(i), { width: 2, height: 2 }));
  }
  rec.close();
}

beforeAll(() => {
  write(a, 3);
  write(b, 2);
});

async function json(...argv: string[]): Promise<{ code: number; value: Record<string, unknown> }> {
  const { code, out, err } = await run(...argv, "--json");
  expect(err).toBe("");
  return { code, value: JSON.parse(out) as Record<string, unknown> };
}

describe("--json", () => {
  it("print: file, sizes, stores with source, timelines as exact strings, entities, problems", async () => {
    const { code, value } = await json("print", a, "--verbose");
    expect(code).toBe(0);
    expect(Object.keys(value)).toEqual(["file", "sizeBytes", "messages", "stores", "chunks", "problems"]);
    expect(value["sizeBytes"]).toBe(readFileSync(a).length);
    const [store] = value["stores"] as Record<string, unknown>[];
    expect(Object.keys(store!)).toEqual([
      "kind",
      "applicationId",
      "recordingId",
      "source",
      "writtenBy",
      "chunks",
      "rows",
      "arrowBytes",
      "timelines",
      "entities",
    ]);
    expect(store).toMatchObject({ kind: "recording", applicationId: "json_app", recordingId: "r1" });
    expect((store!["source"] as { kind: string }).kind).toBe("other");
    expect(store!["timelines"]).toContainEqual({
      name: "when",
      type: "timestamp",
      min: String(T),
      max: String(T + 2n),
    });
    expect(store!["timelines"]).toContainEqual({ name: "frame", type: "sequence", min: "0", max: "2" });
    // The recording properties (sent at creation, as Rerun does) are an entity of their own, like in `rerun rrd print`.
    const [properties, entity] = store!["entities"] as Record<string, unknown>[];
    expect(properties).toMatchObject({ path: "/__properties", rows: 1, staticRows: 1 });
    expect(entity).toMatchObject({ path: "/img", rows: 3, staticRows: 0 });
    const chunks = value["chunks"] as Record<string, unknown>[];
    expect(chunks.map((c) => c["entityPath"])).toEqual(["/__properties", "/img"]);
    const chunk = chunks[1]!;
    expect(Object.keys(chunk)).toEqual(["offset", "store", "entityPath", "chunkId", "static", "rows"]);
    const row = (
      chunk["rows"] as { rowId: string; times: Record<string, string>; cells: Record<string, string> }[]
    )[0]!;
    expect(row.times["when"]).toBe(String(T));
    expect(row.cells["Image:buffer"]).toBe("[<12 bytes>]");
    expect(value["problems"]).toEqual([]);
    expect(Object.keys((await json("print", a)).value)).toEqual([
      "file",
      "sizeBytes",
      "messages",
      "stores",
      "problems",
    ]);
  });

  it("verify: ok, counts and problems with offsets; exit code follows ok", async () => {
    const clean = await json("verify", a);
    expect(clean).toEqual({
      code: 0,
      value: {
        file: a,
        ok: true,
        messages: expect.any(Number) as number,
        chunks: expect.any(Number) as number,
        problems: [],
        warnings: [],
      },
    });
    const cut = join(dir, "cut.rrd");
    const bytes = readFileSync(a);
    writeFileSync(cut, bytes.subarray(0, bytes.length - 7));
    const damaged = await json("verify", cut);
    expect(damaged.code).toBe(1);
    expect(damaged.value["ok"]).toBe(false);
    const [problem] = damaged.value["problems"] as { offset: number; kind: string; message: string }[];
    expect(Object.keys(problem!)).toEqual(["offset", "kind", "message"]);
    expect(problem!.kind).toBe("truncated");
  });

  it("compare: equal and every difference, rows as canonical text", async () => {
    expect(await json("compare", a, a)).toEqual({
      code: 0,
      value: { a, b: a, equal: true, differences: [] },
    });
    const differ = await json("compare", a, b);
    expect(differ.code).toBe(1);
    expect(differ.value["equal"]).toBe(false);
    expect(differ.value["differences"]).toContainEqual({ message: "/img: 3 rows vs 2 rows" });
  });

  it("query: index, columns, first rows with exact index values, out, notes", async () => {
    const { code, value } = await json("query", a, "--index", "when", "--rows", "2");
    expect(code).toBe(0);
    expect(Object.keys(value)).toEqual([
      "file",
      "recording",
      "index",
      "sparseFill",
      "rows",
      "columns",
      "firstRows",
      "out",
      "notes",
    ]);
    expect(value["recording"]).toEqual({ applicationId: "json_app", recordingId: "r1" });
    expect(value["index"]).toEqual({ name: "when", type: "timestamp" });
    expect(value["rows"]).toBe(3);
    expect((value["columns"] as { name: string; kind: string }[]).map((c) => [c.name, c.kind])).toEqual([
      ["when", "index"],
      ["/img:Image:buffer", "component"],
      ["/img:Image:format", "component"],
    ]);
    expect(value["firstRows"]).toEqual([
      {
        index: String(T),
        cells: { "/img:Image:buffer": "[<12 bytes>]", "/img:Image:format": "[2×2 RGB U8]" },
      },
      {
        index: String(T + 1n),
        cells: { "/img:Image:buffer": "[<12 bytes>]", "/img:Image:format": "[2×2 RGB U8]" },
      },
    ]);
    expect(value["out"]).toBeNull();
    const parquet = join(dir, "t.parquet");
    const written = await json("query", a, "--index", "frame", "--out", parquet);
    expect(written.value["out"]).toEqual({
      path: parquet,
      format: "parquet",
      bytes: readFileSync(parquet).length,
    });
    expect(written.value["firstRows"]).toEqual([]);
  });
});
