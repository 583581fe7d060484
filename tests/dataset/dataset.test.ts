// iris dataset / iris sql over a generated dataset of hundreds of small recordings: the index (incremental,
// damaged members), the SQL tables against what was logged, the --out files, the selected-rows .rrd.
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { parquetReadObjects } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import { openFileSource } from "@iris/rrd/node";
import { main } from "@iris/cli";
import { openDatasetSql } from "../../packages/cli/src/dataset/dataset-sql.ts";
import { indexDataset } from "../../packages/cli/src/dataset/index-dataset.ts";
import { selectedRowsRrd } from "../../packages/cli/src/dataset/selected-rows.ts";
import { runQuery } from "../../packages/cli/src/dataset/sql-result.ts";
import { repoRoot, requireVenv, rerun, runProcess, venvPython } from "../rerun-oracle/rerun-venv.ts";
import { exited, startIris } from "../cli/run-cli.ts";
import { FRAMES, type LoggedRecording, START_TIME, makeDataset } from "./make-dataset.ts";

const COUNT = 200;
const dir = mkdtempSync(join(tmpdir(), "iris-dataset-"));
let logged: LoggedRecording[] = [];

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

/** Opens members through a counter: which files the indexer read. */
function countingOpen(): { open: typeof openFileSource; opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    open: (path) => {
      opened.push(path.slice(dir.length + 1));
      return openFileSource(path);
    },
  };
}

/** Min/max/mean per channel of what was logged, computed here from the logged values. */
function expectedStats(
  values: ArrayLike<number>,
  channels: number,
): { min: number[]; max: number[]; mean: number[] } {
  const out = { min: [] as number[], max: [] as number[], mean: [] as number[] };
  for (let c = 0; c < channels; c++) {
    const vs: number[] = [];
    for (let k = c; k < values.length; k += channels) vs.push(values[k]!);
    out.min.push(Math.min(...vs));
    out.max.push(Math.max(...vs));
    out.mean.push(vs.reduce((a, b) => a + b, 0) / vs.length);
  }
  return out;
}

beforeAll(() => {
  logged = makeDataset(dir, COUNT);
  // A damaged member: not an .rrd at all; and a truncated copy (a footerless file cut in a chunk).
  writeFileSync(join(dir, "batch-0", "damaged.rrd"), new TextEncoder().encode("this is not a recording"));
  const whole = readFileSync(logged[9]!.file);
  writeFileSync(join(dir, "batch-0", "truncated.rrd"), whole.subarray(0, Math.floor(whole.length * 0.6)));
}, 120_000);

describe("iris dataset index", () => {
  it("indexes every member, reports the damaged one and keeps going", async () => {
    const { code, out } = await run("dataset", "index", dir, "--json");
    expect(code).toBe(1);
    const report = JSON.parse(out) as {
      files: number;
      recordings: number;
      images: number;
      indexed: string[];
      failed: { file: string; error: string }[];
    };
    expect(report.files).toBe(COUNT + 2);
    expect(report.indexed).toHaveLength(COUNT + 2);
    expect(report.failed).toEqual([
      { file: "batch-0/damaged.rrd", error: expect.stringMatching(/not-rrd|RRF2|magic/i) },
    ]);
    // The truncated copy keeps what is intact before the cut (its recording, some chunks).
    expect(report.recordings).toBe(COUNT + 1);
    expect(report.images).toBeGreaterThanOrEqual(COUNT * FRAMES);
  });

  it("re-reads only changed files and drops removed ones", () => {
    const first = countingOpen();
    const again = indexDataset(dir, { open: first.open });
    expect(first.opened).toEqual([]);
    expect(again.unchanged).toHaveLength(COUNT + 2);

    const touched = logged[42]!.file;
    const later = new Date(Date.now() + 5000);
    utimesSync(touched, later, later);
    rmSync(join(dir, "batch-0", "truncated.rrd"));
    const second = countingOpen();
    const report = indexDataset(dir, { open: second.open });
    expect(second.opened).toEqual([touched.slice(dir.length + 1)]);
    expect(report.indexed).toEqual([touched.slice(dir.length + 1)]);
    expect(report.removed).toEqual(["batch-0/truncated.rrd"]);
    expect(report.unchanged).toHaveLength(COUNT);
    const member = report.index.members.find((m) => m.file === "batch-0/rec-9.rrd")!;
    expect(member.indexedWith).toBe("scan");
    expect(report.index.members.find((m) => m.file === "batch-0/rec-8.rrd")!.indexedWith).toBe("footer");
  });
});

describe("iris sql", () => {
  it("recordings: application id, recording id, name, start time and file as logged", async () => {
    const index = indexDataset(dir).index;
    const db = await openDatasetSql(dir, index);
    try {
      const result = await runQuery(
        db.connection,
        "SELECT application_id, recording_id, name, start_time_ns, file FROM recordings ORDER BY file",
      );
      const expected = logged
        .map((r, i) => [
          r.applicationId,
          r.recordingId,
          r.name,
          START_TIME + BigInt(i) * 1_000_000_000n,
          r.file.slice(dir.length + 1),
        ])
        .sort((a, b) => String(a[4]).localeCompare(String(b[4])));
      expect(result.rows).toEqual(expected);
      const files = await runQuery(db.connection, "SELECT file, error FROM files WHERE error IS NOT NULL");
      expect(files.rows).toEqual([["batch-0/damaged.rrd", expect.any(String)]]);
    } finally {
      db.close();
    }
  });

  it("per-image statistics, formats and bytes equal what was logged", async () => {
    const index = indexDataset(dir).index;
    const db = await openDatasetSql(dir, index, { entities: { referencedBy: '"/camera"' } });
    try {
      const result = await runQuery(
        db.connection,
        'SELECT recording_id, frame, width, height, color_model, channel_datatype, image, min_0, max_0, mean_0, min_1, max_1, mean_1, min_2, max_2, mean_2, min_3 FROM "/camera" ORDER BY recording_id, frame',
      );
      const expected = logged
        .flatMap((r) => r.images)
        .sort((a, b) =>
          a.recordingId < b.recordingId ? -1 : a.recordingId > b.recordingId ? 1 : a.frame - b.frame,
        )
        .map((img) => {
          const channels = img.colorModel === "RGB" ? 3 : 1;
          const s = expectedStats(img.values, channels);
          const stat = (c: number): (number | null)[] =>
            c < channels ? [s.min[c]!, s.max[c]!, s.mean[c]!] : [null, null, null];
          return [
            img.recordingId,
            BigInt(img.frame),
            img.width,
            img.height,
            img.colorModel,
            img.datatype,
            new Uint8Array(img.values.buffer, img.values.byteOffset, img.values.byteLength),
            ...stat(0),
            ...stat(1),
            ...stat(2),
            null,
          ];
        });
      expect(result.rows.length).toBe(COUNT * FRAMES);
      expect(result.rows.map((r) => r.map((v) => (v instanceof Uint8Array ? new Uint8Array(v) : v)))).toEqual(
        expected,
      );
      // A query over the statistics: the brightest RGB frames by mean red, as computed from the logged values.
      const top = await runQuery(
        db.connection,
        `SELECT recording_id, frame FROM "/camera" WHERE color_model = 'RGB' ORDER BY mean_0 DESC, recording_id, frame LIMIT 3`,
      );
      const ranked = logged
        .flatMap((r) => r.images)
        .filter((img) => img.colorModel === "RGB")
        .map((img) => ({ img, mean: expectedStats(img.values, 3).mean[0]! }))
        .sort(
          (a, b) =>
            b.mean - a.mean || (a.img.recordingId < b.img.recordingId ? -1 : 1) || a.img.frame - b.img.frame,
        )
        .slice(0, 3)
        .map(({ img }) => [img.recordingId, BigInt(img.frame)]);
      expect(top.rows).toEqual(ranked);
    } finally {
      db.close();
    }
  });

  it("prints an escaped table and writes Parquet and Arrow", async () => {
    const printed = await run(
      "sql",
      "SELECT name FROM recordings WHERE recording_id = 'rec-7'",
      "--dataset",
      dir,
    );
    expect(printed.code).toBe(0);
    expect(printed.out).toContain("run 7\\x1b[31mred");
    expect(printed.out).not.toContain("\u001b");
    expect(printed.out).toContain("(1 row)");

    const query = `SELECT recording_id, frame, image, mean_0, "Transform3D:translation" FROM "/camera" JOIN "/rig" USING (recording_id, frame) WHERE recording_id = 'rec-3' ORDER BY frame`;
    const parquet = join(dir, "..", `${Date.now()}-out.parquet`);
    expect((await run("sql", query, "--dataset", dir, "--out", parquet)).code).toBe(0);
    const rows = await parquetReadObjects({ file: await asyncBuffer(parquet) });
    expect(rows.map((r) => [r.recording_id, r.frame, r["Transform3D:translation"]])).toEqual([
      ["rec-3", 0n, "[[3,0,1]]"],
      ["rec-3", 1n, "[[3,1,1]]"],
      ["rec-3", 2n, "[[3,2,1]]"],
    ]);
    const arrow = parquet.replace(/\.parquet$/, ".arrow");
    expect((await run("sql", query, "--dataset", dir, "--out", arrow)).code).toBe(0);
    const table = tableFromIPC(readFileSync(arrow));
    expect(table.numRows).toBe(3);
    const logged3 = logged[3]!.images[1]!.values;
    expect([...(table.getChild("image")!.get(1) as Uint8Array)]).toEqual([
      ...new Uint8Array(logged3.buffer, logged3.byteOffset, logged3.byteLength),
    ]);
    rmSync(parquet);
    rmSync(arrow);
  });

  it("reports a bad query as an error, not a crash", async () => {
    const { code, err } = await run("sql", "SELECT nope FROM recordings", "--dataset", dir);
    expect(code).toBe(1);
    expect(err).toMatch(/iris sql: the query failed: .*nope/);
  });

  it("writes the selected rows as an .rrd that Iris and Rerun read back", async () => {
    const index = indexDataset(dir).index;
    const db = await openDatasetSql(dir, index, { entities: { referencedBy: '"/camera"' } });
    let selection;
    try {
      const result = await runQuery(
        db.connection,
        `SELECT recording_id, row_id FROM "/camera" WHERE frame = 1 AND recording_id IN ('rec-4', 'rec-5')`,
      );
      selection = result.rows.map((r) => ({ recordingId: String(r[0]), rowId: String(r[1]) }));
    } finally {
      db.close();
    }
    expect(selection).toHaveLength(2);
    const out = mkdtempSync(join(tmpdir(), "iris-selection-"));
    const file = join(out, "selection.rrd");
    writeFileSync(file, selectedRowsRrd(dir, index, selection));
    const again = indexDataset(out).index;
    const frames = again.members[0]!.images.map((img) => img.recordingId).sort();
    expect(frames).toEqual(["rec-4", "rec-5"]);
    const db2 = await openDatasetSql(out, again, { entities: { referencedBy: '"/camera"' } });
    try {
      const r = await runQuery(db2.connection, 'SELECT recording_id, frame, width FROM "/camera" ORDER BY 1');
      expect(r.rows).toEqual([
        ["rec-4", 1n, 4],
        ["rec-5", 1n, 2],
      ]);
    } finally {
      db2.close();
    }
    requireVenv();
    // Rerun's verify wants an RrdFooter, so the footerless members (rec-9, …) are not among these.
    const verified = await rerun(["rrd", "verify", file, logged[0]!.file, logged[1]!.file]);
    expect(verified.stderr + verified.stdout).toContain("3 files verified without error");
    expect(verified.code).toBe(0);
    rmSync(out, { recursive: true });
  }, 60_000);
});

describe("iris sql --view", () => {
  it("serves an .rrd of exactly the selected frames to the viewer and exits on SIGTERM", async () => {
    const query = `SELECT recording_id, row_id FROM "/camera" WHERE frame = 2 AND recording_id IN ('rec-10', 'rec-11')`;
    const { child, match } = await startIris(
      ["sql", query, "--dataset", dir, "--view", "--port", "0", "--no-open"],
      /Iris viewer: (\S+)\n/,
    );
    try {
      const page = new URL(match[1]!);
      expect((await fetch(page)).status).toBe(200);
      const served = await fetch(new URL(page.searchParams.get("url")!, page));
      expect(served.status).toBe(200);
      const sub = mkdtempSync(join(tmpdir(), "iris-view-selection-"));
      writeFileSync(join(sub, "served.rrd"), new Uint8Array(await served.arrayBuffer()));
      const db = await openDatasetSql(sub, indexDataset(sub).index, {
        entities: { referencedBy: '"/camera"' },
      });
      try {
        const r = await runQuery(db.connection, 'SELECT recording_id, frame FROM "/camera" ORDER BY 1');
        expect(r.rows).toEqual([
          ["rec-10", 2n],
          ["rec-11", 2n],
        ]);
      } finally {
        db.close();
        rmSync(sub, { recursive: true });
      }
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited(child)).toBe(0);
  }, 60_000);
});

describe("the real Rerun reads the same files", () => {
  it("Rerun 0.41's dataset server (rr.server.Server(datasets=…)) serves them with the rows iris sql gives", async () => {
    requireVenv();
    // Six members with a footer (Rerun's dataset server registers files through their RrdFooter manifests).
    const sub = mkdtempSync(join(tmpdir(), "iris-rerun-dataset-"));
    const picked = [0, 1, 2, 3, 4, 6].map((i) => logged[i]!);
    for (const r of picked) writeFileSync(join(sub, `${r.recordingId}.rrd`), readFileSync(r.file));
    const served = await runProcess(venvPython, [
      join(repoRoot, "tests/dataset/rerun_dataset_server.py"),
      sub,
    ]);
    expect(served.code, served.stderr).toBe(0);
    const rerunView = JSON.parse(served.stdout.trim().split("\n").pop()!) as {
      segments: string[];
      rows: [string, number, string | null][];
    };
    expect(rerunView.segments).toEqual(picked.map((r) => r.recordingId).sort());
    const db = await openDatasetSql(sub, indexDataset(sub).index, {
      entities: { referencedBy: '"/camera"' },
    });
    try {
      const ours = await runQuery(db.connection, 'SELECT recording_id, frame, image FROM "/camera"');
      const rows = ours.rows
        .map((r) => [r[0], Number(r[1]), Buffer.from(r[2] as Uint8Array).toString("hex")])
        .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : Number(a[1]) - Number(b[1])));
      expect(rerunView.rows).toEqual(rows);
      expect(rows).toHaveLength(picked.length * FRAMES);
    } finally {
      db.close();
      rmSync(sub, { recursive: true });
    }
  }, 120_000);
});

async function asyncBuffer(path: string): Promise<ArrayBuffer> {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}
