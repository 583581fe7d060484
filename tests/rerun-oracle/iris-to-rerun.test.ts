// Iris → Rerun: every Iris example and an Iris-written copy of the Rerun-logged format space are checked by the
// real Rerun 0.41: `rerun rrd verify`, `rerun rrd compare` against the same data logged by Rerun's Python SDK, and
// Rerun's Python API (the catalog server's dataframe reader and the RrdReader chunk stream) reading every image
// buffer back, byte for byte (sha256 of the reference arrays).
import { createHash } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allExamples } from "../../examples/src/all-examples.ts";
import { moreExamples } from "../../examples/src/more-examples.ts";
import { movingRectangleFrame } from "../../examples/src/moving-rectangle.ts";
import { writeExample } from "../../examples/src/run-example.ts";
import { logFormatSpaceWithIris, notLoggableByIris } from "./log-with-iris.ts";
import { type FormatSpace, logFormatSpace, python, rerun } from "./rerun-venv.ts";

/** Examples that the Python snippet equivalents (scripts/rerun-oracle/log_examples.py) also log. */
const COMPARED = [
  "image_simple",
  "image_row_updates",
  "image_column_updates",
  "segmentation_image_simple",
  "depth_image_simple",
];
const examples = [...allExamples, ...moreExamples];

let space: FormatSpace;
let irisDir: string;
let pyDir: string;
const exampleFiles = new Map<string, string>();
let irisFormatSpace: Record<string, string>;

beforeAll(async () => {
  space = await logFormatSpace();
  irisDir = path.join(space.dir, "iris");
  pyDir = path.join(space.dir, "python-examples");
  await mkdir(irisDir, { recursive: true });
  const pythonExamples = python("log_examples.py", [pyDir, ...COMPARED]);
  for (const example of examples) {
    exampleFiles.set(example.name, await writeExample(example, path.join(irisDir, `${example.name}.rrd`)));
  }
  irisFormatSpace = await logFormatSpaceWithIris(space, irisDir);
  await pythonExamples;
}, 180_000);

afterAll(async () => {
  if (space) await rm(space.dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/**
 * Both writers' files in the form `rerun rrd compare` can match: Rerun's own `filter` drops what the two sides
 * write differently (the `/__properties` start time both SDKs log at creation, a wall-clock value, and the
 * wall-clock `log_time` / `log_tick` timelines), then `optimize` with unbounded thresholds merges
 * each entity's rows into one chunk, since the two SDKs' batchers cut chunks at different rows.
 */
async function normalized(file: string, dropEntities: readonly string[] = []): Promise<string> {
  const filtered = `${file}.filtered.rrd`;
  const out = `${file}.norm.rrd`;
  const drops = ["/__properties", ...dropEntities].flatMap((e) => ["--drop-entity", e]);
  const filter = await rerun([
    "rrd",
    "filter",
    ...drops,
    "--drop-timeline",
    "log_time",
    "--drop-timeline",
    "log_tick",
    "-o",
    filtered,
    file,
  ]);
  expect(filter.code, filter.stderr).toBe(0);
  const optimize = await rerun([
    "rrd",
    "optimize",
    "--max-rows",
    "1000000",
    "--max-size",
    "4GiB",
    "-o",
    out,
    filtered,
  ]);
  expect(optimize.code, optimize.stderr).toBe(0);
  return out;
}

describe("Iris-written files checked by Rerun 0.41", () => {
  it("every example and the Iris copy of the format space load in `rerun rrd verify` (footers not required)", async () => {
    const files = [...exampleFiles.values(), ...Object.values(irisFormatSpace)];
    expect(files.length).toBe(examples.length + 3);
    const result = await rerun(["rrd", "verify", "--check-footers", "false", ...files]);
    expect(result.stderr + result.stdout).toContain(`${files.length} files verified without error.`);
    expect(result.code).toBe(0);
  });

  // Iris writes End + RrdFooter (chunk manifests) + StreamFooter (issue 13 item 6), so the default
  // `rerun rrd verify` (--check-footers true) accepts every file.
  it("every Iris file passes the default `rerun rrd verify`, footers included", async () => {
    const result = await rerun(["rrd", "verify", ...exampleFiles.values()]);
    expect(result.stderr).not.toContain("Missing RRD footer");
    expect(result.code).toBe(0);
  });

  it("`rerun rrd compare` finds the examples equal to the same data logged by Rerun's Python SDK", async () => {
    for (const name of COMPARED) {
      const iris = await normalized(exampleFiles.get(name)!);
      const py = await normalized(path.join(pyDir, `${name}.rrd`));
      const result = await rerun(["rrd", "compare", "--unordered", py, iris]);
      expect(result.code, `${name}: ${result.stderr.slice(0, 3000)}`).toBe(0);
    }
  });

  // docs/rerun-differences.md, "Chunking of rows with different components": Rerun's batcher puts rows whose
  // component datatypes differ into separate chunks (re_chunk batcher.rs, PendingRow::many_into_chunks: "one
  // sub-batch per unique set of datatypes"); Iris's batcher keeps one sparse chunk per entity and timeline set.
  // Same data, different chunks, so `rerun rrd compare` (which matches chunk by chunk, even after `optimize`)
  // reports transform3d_simple as different, and only on the two entities that mix Transform3D and Arrows3D rows.
  it("transform3d_simple: Iris writes Transform3D and Arrows3D rows of one entity in one chunk, Rerun in two", async () => {
    const log = path.join(pyDir, "transform3d_simple.rrd");
    await python("log_examples.py", [pyDir, "transform3d_simple"]);
    const iris = await normalized(exampleFiles.get("transform3d_simple")!);
    const py = await normalized(log);
    const chunksOf = async (file: string): Promise<string[]> =>
      (await rerun(["rrd", "print", file])).stdout
        .split("\n")
        .filter((l) => l.startsWith("Chunk("))
        .map((l) => l.replace(/^Chunk\(\w+\) with /, "").replace(/ \([^)]*\)/, ""))
        .sort();
    expect(await chunksOf(iris)).toEqual([
      "1 rows - /base - data columns: [Arrows3D:origins Arrows3D:vectors]",
      "2 rows - /base/rotated_scaled - data columns: [Arrows3D:origins Arrows3D:vectors Transform3D:rotation_axis_angle Transform3D:scale]",
      "2 rows - /base/translated - data columns: [Arrows3D:origins Arrows3D:vectors Transform3D:translation]",
    ]);
    expect(await chunksOf(py)).toEqual([
      "1 rows - /base - data columns: [Arrows3D:origins Arrows3D:vectors]",
      "1 rows - /base/rotated_scaled - data columns: [Arrows3D:origins Arrows3D:vectors]",
      "1 rows - /base/rotated_scaled - data columns: [Transform3D:rotation_axis_angle Transform3D:scale]",
      "1 rows - /base/translated - data columns: [Arrows3D:origins Arrows3D:vectors]",
      "1 rows - /base/translated - data columns: [Transform3D:translation]",
    ]);
    const result = await rerun(["rrd", "compare", "--unordered", py, iris]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("4 chunk(s) from");
  });

  it("`rerun rrd compare` finds the Iris copy of the row / column updates equal to Rerun's file", async () => {
    const iris = await normalized(irisFormatSpace.updates!);
    const py = await normalized(space.rrd("updates"));
    const result = await rerun(["rrd", "compare", "--unordered", py, iris]);
    expect(result.code, result.stderr.slice(0, 3000)).toBe(0);
  });

  it("`rerun rrd compare` finds the Iris copy of every ColorModel × datatype and PixelFormat equal to Rerun's", async () => {
    const bayer = space.items.filter(notLoggableByIris).map((i) => i.entity);
    expect(bayer.length).toBe(4);
    // Rerun's file also holds its blueprint store and a custom property; compare the recording's images only.
    const iris = await normalized(irisFormatSpace.formats!);
    const py = await normalized(space.rrd("formats"), [...bayer, "/__properties/oracle"]);
    const result = await rerun(["rrd", "compare", "--unordered", py, iris]);
    expect(result.code, result.stderr.slice(0, 3000)).toBe(0);
  });

  it("Rerun's Python API reads every Iris image buffer and blob back byte for byte (catalog server reader and RrdReader)", async () => {
    type Cell = { entity: string; static: boolean; times: Record<string, string>; sha256: string };
    type Read = {
      chunks: Cell[];
      server: Record<string, { column: string; time: string; sha256: string }[]>;
    };
    const cases = [
      { file: irisFormatSpace.formats!, manifestFile: "formats", timelines: ["frame"] },
      { file: irisFormatSpace.updates!, manifestFile: "updates", timelines: ["frame", "step"] },
      // DepthImage / SegmentationImage buffers and EncodedImage blobs.
      { file: irisFormatSpace.scene!, manifestFile: "scene", timelines: ["frame"] },
    ];
    for (const { file, manifestFile, timelines } of cases) {
      // Each logged buffer's sha256, from the reference arrays log_format_space.py saved.
      const items = space.items.filter(
        (i) => i.file === manifestFile && (i.buffer ?? i.blob) !== undefined && !notLoggableByIris(i),
      );
      const timeOf = (
        times: Readonly<Record<string, string>> | undefined,
        timeline: string,
      ): string | undefined => times?.[timeline];
      const expected = new Map<string, string>();
      for (const item of items) {
        const time = item.static
          ? "static"
          : (timeOf(item.times, "frame") ?? timeOf(item.times, "step") ?? String(item.time));
        expected.set(`${item.entity}@${time}`, sha256(await space.bytes((item.buffer ?? item.blob)!)));
      }
      const read = JSON.parse(await python("read_image_columns.py", [file, ...timelines])) as Read;
      // RrdReader: every stored cell, as written.
      const chunks = new Map(
        read.chunks.map((c) => [
          `${c.entity}@${c.static ? "static" : (c.times.frame ?? c.times.step)}`,
          c.sha256,
        ]),
      );
      expect(chunks, manifestFile).toEqual(expected);
      // The catalog server's dataframe reader: every temporal buffer at its own time on each timeline.
      for (const timeline of timelines) {
        const served = new Map(
          read.server[timeline]!.map((c) => [
            `${c.column.replace(/:\w+:(buffer|blob)$/, "")}@${c.time}`,
            c.sha256,
          ]),
        );
        const want = items.filter(
          (i) =>
            !i.static &&
            (timeOf(i.times, timeline) ?? (i.timeline === timeline ? String(i.time) : undefined)) !==
              undefined,
        );
        expect(want.length).toBeGreaterThan(0);
        for (const item of want) {
          const time = timeOf(item.times, timeline) ?? String(item.time);
          expect(
            served.get(`${item.entity}@${time}`),
            `${manifestFile} ${timeline} ${item.entity}@${time}`,
          ).toBe(
            expected.get(
              `${item.entity}@${timeOf(item.times, "frame") ?? timeOf(item.times, "step") ?? String(item.time)}`,
            ),
          );
        }
      }
    }
  });

  it("Rerun's Python API reads the image buffers of the examples back byte for byte", async () => {
    const read = JSON.parse(
      await python("read_image_columns.py", [exampleFiles.get("image_row_updates")!, "time"]),
    ) as {
      chunks: { times: Record<string, string>; sha256: string }[];
      server: Record<string, { time: string; sha256: string }[]>;
    };
    const want = Array.from({ length: 20 }, (_, t) => sha256(movingRectangleFrame(t)));
    expect(read.chunks.map((c) => [c.times.time, c.sha256]).sort()).toEqual(
      want.map((s, t) => [String(t), s]).sort(),
    );
    expect(read.server.time!.map((c) => [c.time, c.sha256])).toEqual(want.map((s, t) => [String(t), s]));
  });
});
