// `iris query --out x.parquet` read back by an independent reader: pandas + pyarrow in the Rerun oracle venv
// (pyarrow refused the INTEGER logical type hyparquet-writer 0.17 writes; integer lists use converted types).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RecordingStream, TimeColumn } from "@iris/sdk";
import { column, uint8Component, uint16Component, float32Component } from "@iris/sdk/advanced";
import { save } from "@iris/sdk/node";
import { requireVenv, runProcess, venvPython } from "../rerun-oracle/rerun-venv.ts";
import { run } from "./run-cli.ts";

describe("iris query --out x.parquet", () => {
  it("writes integer and float list columns pandas reads back exactly", async () => {
    requireVenv();
    const dir = mkdtempSync(join(tmpdir(), "iris-query-pandas-"));
    const file = join(dir, "rec.rrd");
    const rec = new RecordingStream({ applicationId: "query_pandas", defaultTimelines: false });
    save(file, rec);
    const u8 = uint8Component("rerun.components.MagnificationFilter");
    const u16 = uint16Component("rerun.components.ClassId");
    const f32 = float32Component("rerun.components.Scalar");
    rec.sendColumns(
      "e",
      [new TimeColumn("frame", { sequence: [0, 1, 2] })],
      [
        column({ component: "Test:u8", componentType: u8.name }, u8, [[1], [2, 255], []]),
        column({ component: "Test:u16", componentType: u16.name }, u16, [[65535], [0], [7]]),
        column({ component: "Test:f32", componentType: f32.name }, f32, [[0.5], [-2], [1e-3]]),
      ],
    );
    rec.close();
    const out = join(dir, "t.parquet");
    expect((await run("query", file, "--index", "frame", "--out", out)).code).toBe(0);
    const program = `
import json, sys
import pandas as pd
df = pd.read_parquet(sys.argv[1])
print(json.dumps({c: [None if v is None else [x.item() if hasattr(x, "item") else x for x in v] for v in df[c].tolist()] if c != "frame" else df[c].tolist() for c in df.columns}))
`;
    const result = await runProcess(venvPython, ["-c", program, out]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      frame: [0, 1, 2],
      "/e:Test:u8": [[1], [2, 255], []],
      "/e:Test:u16": [[65535], [0], [7]],
      "/e:Test:f32": [[0.5], [-2], [Math.fround(1e-3)]],
    });
  });
});
