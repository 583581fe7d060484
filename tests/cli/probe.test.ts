// `iris probe`: the values logged over 100 frames come back through CSV (stdout and file) and Parquet, read back
// by an independent reader (pandas + pyarrow in the Rerun oracle venv).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DepthImage, EncodedImage, Image, RecordingStream } from "@iris/sdk";
import { save } from "@iris/sdk/node";
import { requireVenv, runProcess, venvPython } from "../rerun-oracle/rerun-venv.ts";
import { run } from "./run-cli.ts";
import { RECORDINGS, type WrittenRecording, writeSeveralRecordings } from "./several-recordings.ts";

const W = 6;
const H = 4;
const FRAMES = 100;
const dir = mkdtempSync(join(tmpdir(), "iris-probe-"));
const file = join(dir, "probe.rrd");
let several: { single: readonly string[]; concatenated: string };

/** The logged values: formulas of frame, pixel and channel. */
const rgb = (f: number, x: number, y: number, c: number): number => (f * 5 + x * 17 + y * 31 + c * 67) % 256;
const depth = (f: number, x: number, y: number): number => (f * 653 + x * 101 + y * 7) % 65536;
const wide = (f: number, x: number, y: number): bigint => 2n ** 64n - 1n - BigInt(f * 999_983 + x * 3 + y);
const float = (f: number, x: number, y: number): number =>
  f === 13 ? NaN : Math.fround(f * 0.125 - x - y / 4);

function image<T>(channels: number, value: (x: number, y: number, c: number) => T): T[] {
  const out: T[] = [];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) for (let c = 0; c < channels; c++) out.push(value(x, y, c));
  return out;
}

beforeAll(async () => {
  const rec = new RecordingStream({ applicationId: "probe_test", defaultTimelines: false });
  save(file, rec);
  for (let f = 0; f < FRAMES; f++) {
    rec.setTimeSequence("frame", f);
    rec.log(
      "cam",
      new Image(Uint8Array.from(image(3, (x, y, c) => rgb(f, x, y, c))), {
        width: W,
        height: H,
        colorModel: "RGB",
      }),
    );
    rec.log(
      "depth",
      new DepthImage(Uint16Array.from(image(1, (x, y) => depth(f, x, y))), { width: W, height: H }),
    );
    rec.log(
      "wide",
      new Image(BigUint64Array.from(image(1, (x, y) => wide(f, x, y))), { width: W, height: H }),
    );
    rec.log(
      "float",
      new Image(Float32Array.from(image(1, (x, y) => float(f, x, y))), { width: W, height: H }),
    );
  }
  rec.log("jpeg", new EncodedImage(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), { mediaType: "image/jpeg" }));
  rec.close();
  several = writeSeveralRecordings(dir);
});

/** pandas reads the file; every cell comes back as text (ints exact, floats as repr, missing as ""). */
async function pandasRead(path: string): Promise<Record<string, string[]>> {
  requireVenv();
  const program = `
import json, sys
import pandas as pd
path = sys.argv[1]
df = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
def text(v):
    if isinstance(v, bool) or v is None: return str(v)
    if isinstance(v, int): return str(v)
    if isinstance(v, float): return "nan" if v != v else repr(v)
    return str(v)
print(json.dumps({"dtypes": {c: str(t) for c, t in df.dtypes.items()}, "cols": {c: [text(v) for v in df[c].tolist()] for c in df.columns}}))
`;
  const result = await runProcess(venvPython, ["-c", program, path]);
  if (result.code !== 0) throw new Error(`pandas failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as {
    dtypes: Record<string, string>;
    cols: Record<string, string[]>;
  };
  return { ...parsed.cols, __dtypes: Object.entries(parsed.dtypes).map(([c, t]) => `${c}:${t}`) };
}

const frames = Array.from({ length: FRAMES }, (_, f) => f);

describe("iris probe", () => {
  it("writes the pixel's RGB values per frame as CSV on stdout", async () => {
    const { code, out, err } = await run(
      "probe",
      file,
      "--entity",
      "/cam",
      "--pixel",
      "5,3",
      "--index",
      "frame",
    );
    expect(err).toBe("");
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe("frame,R,G,B,status");
    expect(lines.slice(1)).toEqual(
      frames.map((f) => `${f},${rgb(f, 5, 3, 0)},${rgb(f, 5, 3, 1)},${rgb(f, 5, 3, 2)},ok`),
    );
  });

  it("writes CSV and Parquet files that pandas reads back with the logged values (U16 depth, exact U64)", async () => {
    const csv = join(dir, "depth.csv");
    expect(
      (await run("probe", file, "--entity", "depth", "--pixel", "2,1", "--index", "frame", "--out", csv))
        .code,
    ).toBe(0);
    const fromCsv = await pandasRead(csv);
    expect(fromCsv["frame"]).toEqual(frames.map(String));
    expect(fromCsv["depth"]).toEqual(frames.map((f) => String(depth(f, 2, 1))));

    const parquet = join(dir, "wide.parquet");
    const written = await run(
      "probe",
      file,
      "--entity",
      "/wide",
      "--pixel",
      "4,2",
      "--index",
      "frame",
      "--out",
      parquet,
    );
    expect(written.code).toBe(0);
    expect(written.out).toMatch(
      /^wrote 100 samples of \/wide pixel 4,2 \(L\) to .*wide\.parquet \(parquet, /,
    );
    const fromParquet = await pandasRead(parquet);
    expect(fromParquet["__dtypes"]).toEqual(["frame:int64", "L:uint64", "status:str"]);
    expect(fromParquet["L"]).toEqual(frames.map((f) => String(wide(f, 4, 2))));
    const wideCsv = join(dir, "wide.csv");
    await run("probe", file, "--entity", "/wide", "--pixel", "4,2", "--index", "frame", "--out", wideCsv);
    expect((await pandasRead(wideCsv))["L"]).toEqual(frames.map((f) => String(wide(f, 4, 2))));
  });

  it("writes rectangle means (float64) with NaN where the logged data has one", async () => {
    const parquet = join(dir, "mean.parquet");
    expect(
      (
        await run(
          "probe",
          file,
          "--entity",
          "/float",
          "--rect",
          "1,1,3,2",
          "--index",
          "frame",
          "--out",
          parquet,
        )
      ).code,
    ).toBe(0);
    const back = await pandasRead(parquet);
    expect(back["__dtypes"]).toEqual(["frame:int64", "L:float64", "status:str"]);
    const expected = frames.map((f) => {
      let sum = 0;
      for (let y = 1; y < 3; y++) for (let x = 1; x < 4; x++) sum += float(f, x, y);
      return sum / 6;
    });
    back["L"]!.forEach((text, f) => {
      if (f === 13) expect(text).toBe("nan");
      else expect(Number(text)).toBeCloseTo(expected[f]!, 9);
    });
    const csv = await run("probe", file, "--entity", "/float", "--rect", "1,1,3,2", "--index", "frame");
    expect(csv.out.split("\n")[14]).toBe("13,NaN,ok");
  });

  it("prints JSON with exact 64-bit values as strings", async () => {
    const { code, out } = await run(
      "probe",
      file,
      "--entity",
      "/wide",
      "--pixel",
      "0,0",
      "--index",
      "frame",
      "--json",
    );
    expect(code).toBe(0);
    const doc = JSON.parse(out) as {
      kind: string;
      datatype: string;
      channels: string[];
      samples: { time: string; values: string[]; status: string }[];
    };
    expect(doc.kind).toBe("Image");
    expect(doc.datatype).toBe("U64");
    expect(doc.channels).toEqual(["L"]);
    expect(doc.samples).toHaveLength(FRAMES);
    expect(doc.samples[99]).toEqual({ time: "99", values: [String(wide(99, 0, 0))], status: "ok" });
  });

  it("exits 1 with a clear message for unknown entities and timelines, EncodedImage and out-of-bounds pixels", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["--entity", "/nope", "--pixel", "0,0", "--index", "frame"],
        /no entity "\/nope" in the recording; image entities: \/cam, \/depth, \/float, \/jpeg, \/wide/,
      ],
      [
        ["--entity", "/cam", "--pixel", "0,0", "--index", "time"],
        /no timeline "time" in the recording; timelines: frame/,
      ],
      [["--entity", "/jpeg", "--pixel", "0,0", "--index", "frame"], /\/jpeg holds an EncodedImage/],
      [
        ["--entity", "/cam", "--pixel", "6,0", "--index", "frame"],
        /pixel \(6, 0\) is outside the image at every time: expected x \+ width ≤ 6 and y \+ height ≤ 4 \(image 6×4\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, out, err } = await run("probe", file, ...args);
      expect(code, args.join(" ")).toBe(1);
      expect(out).toBe("");
      expect(err).toMatch(/^iris probe: /);
      expect(err).toMatch(message);
    }
  });

  it("exits 2 for bad usage", async () => {
    const cases: [string[], string][] = [
      [["--pixel", "0,0", "--index", "frame"], "needs --entity PATH"],
      [["--entity", "/cam", "--index", "frame"], "needs --pixel X,Y or --rect X,Y,W,H"],
      [
        ["--entity", "/cam", "--pixel", "0,0", "--rect", "0,0,1,1", "--index", "frame"],
        "takes --pixel or --rect, not both",
      ],
      [
        ["--entity", "/cam", "--pixel", "-1,0", "--index", "frame"],
        '--pixel must be X,Y (two non-negative integers), got "-1,0"',
      ],
      [
        ["--entity", "/cam", "--rect", "0,0,0,1", "--index", "frame"],
        '--rect needs W and H ≥ 1, got "0,0,0,1"',
      ],
      [
        ["--entity", "/cam", "--pixel", "0,0", "--index", "frame", "--out", "x.txt"],
        '--out must end in .csv or .parquet, got "x.txt"',
      ],
      [["--entity", "/cam", "--pixel", "0,0"], "needs --index TIMELINE"],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await run("probe", file, ...args);
      expect(code, args.join(" ")).toBe(2);
      expect(err).toContain(`iris probe: ${message}`);
      expect(err).toContain("usage: iris probe FILE --entity PATH");
    }
  });
});

describe("iris probe on a file holding several recordings (concatenated .rrd files)", () => {
  const [a, b] = RECORDINGS as [WrittenRecording, WrittenRecording];
  const probe = (path: string, ...extra: string[]): ReturnType<typeof run> =>
    run("probe", path, "--entity", "/img", "--pixel", "3,2", "--index", "frame", ...extra);
  /** The CSV `iris probe` writes for pixel (3, 2) of recording `r`, from the logged values. */
  const csv = (r: WrittenRecording): string =>
    ["frame,L,status", ...Array.from({ length: r.frames }, (_, f) => `${f},${r.pixel(f, 3, 2)},ok`)]
      .map((l) => `${l}\n`)
      .join("");

  it("fails without --recording, listing the recordings, and for a --recording that matches none or several", async () => {
    const cases: [string[], string][] = [
      [[], `${several.concatenated} holds 3 recordings; choose one with --recording ID`],
      [["--recording", "app_two"], '--recording "app_two" matches the application id of 2 recordings'],
      [["--recording", "nope"], `--recording "nope" matches no recording of ${several.concatenated}`],
    ];
    for (const [extra, message] of cases) {
      const { code, out, err } = await probe(several.concatenated, ...extra);
      expect(code, extra.join(" ")).toBe(1);
      expect(out).toBe("");
      expect(err).toContain(`iris probe: ${message}`);
      expect(err).toContain('  application id "app_two", recording id "rec-\\x1b[31mc\\u202e" (');
    }
  });

  it("probes the recording --recording names", async () => {
    const fromB = await probe(several.concatenated, "--recording", "rec-b");
    expect(fromB.err).toBe("");
    expect(fromB.out).toBe(csv(b));
    const fromA = await probe(several.concatenated, "--recording", "app_one");
    expect(fromA.out).toBe(csv(a));
    expect(fromA.out).not.toBe(fromB.out);
    const json = await probe(several.concatenated, "--recording", "rec-b", "--json");
    expect((JSON.parse(json.out) as { recording: unknown }).recording).toEqual({
      applicationId: "app_two",
      recordingId: "rec-b",
    });
  });

  it("probes a file with one recording as before", async () => {
    const plain = await probe(several.single[1]!);
    expect(plain.code).toBe(0);
    expect(plain.err).toBe("");
    expect(plain.out).toBe(csv(b));
  });
});
