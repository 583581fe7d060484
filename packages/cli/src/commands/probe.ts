import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import type { StoreId } from "@iris/rrd";
import {
  ProbeError,
  type ProbeRegion,
  type ProbeSeries,
  type ProbeValue,
  formatProbeValue,
  probeImageSeries,
  probeToCsv,
  probeToParquetBytes,
} from "@iris/store";
import { type ParsedArgs, flagString } from "../args.ts";
import { MAX_DECOMPRESSED_BYTES_OPTION, readOptionsOf } from "../decompression-option.ts";
import { type CommandSpec, JSON_OPTION } from "../command-spec.ts";
import { formatBytes } from "../format-value.ts";
import { RECORDING_OPTION, recordingJson } from "../choose-recording.ts";
import { type CliIo, CliError, UsageError } from "../io.ts";
import { openRecordingStore } from "../open-recording-store.ts";
import { escapeTerminal as t, escapeTerminalLines, terminalSafeJson } from "@iris/types";

export const probeSpec: CommandSpec = {
  name: "probe",
  summary:
    "value of one pixel (or mean of a rectangle) of an image entity over a timeline, as CSV or Parquet",
  synopsis:
    "FILE --entity PATH (--pixel X,Y | --rect X,Y,W,H) --index TIMELINE [--recording ID]\n" +
    "                  [--out values.csv|values.parquet] [--json]",
  description:
    "Loads the recording of FILE (the one --recording names when FILE holds several, e.g. concatenated .rrd\n" +
    "files) and, at every time the entity logs its Image, DepthImage or SegmentationImage on the timeline,\n" +
    "reads the image as the viewer shows it at that time (latest-at) and reports the value per channel of\n" +
    "pixel X,Y in the image's own datatype (U64/I64 exact), or with --rect the mean per channel over the W×H\n" +
    "rectangle at X,Y (float64). Pixel formats (NV12, YUY2, Y_U_V…, Y8, Bayer) report the decoded R, G, B, as\n" +
    "Rerun's hover does. Writes CSV to stdout (header TIMELINE, channels…, status; one line per time), or a\n" +
    "CSV / Parquet file chosen by the extension of --out.\n" +
    "Exit code 1 for an unknown entity or timeline, an EncodedImage, a region outside the image, several\n" +
    "recordings without --recording, or a --recording that matches none or several of them.",
  options: {
    entity: { type: "string", value: "PATH", description: "the image entity (e.g. /camera/rgb) (required)" },
    pixel: {
      type: "string",
      value: "X,Y",
      description: "the pixel to probe (column X, row Y from the top left)",
    },
    rect: {
      type: "string",
      value: "X,Y,W,H",
      description: "probe the mean of the W×H rectangle whose top-left pixel is X,Y instead",
    },
    index: { type: "string", value: "TIMELINE", description: "the timeline to follow (required)" },
    recording: RECORDING_OPTION,
    out: {
      type: "string",
      value: "FILE",
      description: "write the values to FILE (.csv or .parquet) instead of stdout",
    },
    "max-decompressed-bytes": MAX_DECOMPRESSED_BYTES_OPTION,
    json: JSON_OPTION,
  },
  positionals: { min: 1, max: 1, name: "one FILE" },
  run: probeCommand,
};

/** `iris probe FILE --entity E --pixel X,Y | --rect X,Y,W,H --index T [--recording ID] [--out F] [--json]`. */
export function probeCommand(args: ParsedArgs, io: CliIo): number {
  const path = args.positional[0]!;
  const entity = flagString(args, "entity");
  if (entity === undefined) throw new UsageError("needs --entity PATH");
  const index = flagString(args, "index");
  if (index === undefined) throw new UsageError("needs --index TIMELINE");
  const pixel = flagString(args, "pixel");
  const rect = flagString(args, "rect");
  if (pixel !== undefined && rect !== undefined) throw new UsageError("takes --pixel or --rect, not both");
  if (pixel === undefined && rect === undefined) throw new UsageError("needs --pixel X,Y or --rect X,Y,W,H");
  const region: ProbeRegion = pixel !== undefined ? parsePixel(pixel) : parseRect(rect!);
  const out = flagString(args, "out");
  const format = out === undefined ? undefined : outputFormat(out);
  const json = args.flags.has("json");

  const { store, storeId, notes } = openRecordingStore(path, {
    ...readOptionsOf(args),
    recording: flagString(args, "recording"),
  });

  let series: ProbeSeries;
  try {
    series = probeImageSeries(store, {
      entityPath: entity,
      timeline: index,
      region,
      mean: rect !== undefined,
    });
  } catch (error) {
    if (error instanceof ProbeError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }

  let written: { path: string; format: string; bytes: number } | undefined;
  if (out !== undefined && format !== undefined) {
    const bytes =
      format === "parquet" ? probeToParquetBytes(series) : new TextEncoder().encode(probeToCsv(series));
    writeFileSync(out, bytes);
    written = { path: out, format, bytes: bytes.length };
  }
  if (json) {
    io.stdout(`${terminalSafeJson(probeJson(path, storeId, series, written, notes))}\n`);
    return 0;
  }
  if (!written) {
    // CSV on a terminal: the timeline name in the header is file data, so control characters are escaped.
    io.stdout(escapeTerminalLines(probeToCsv(series)));
  } else {
    const what = series.mean ? `mean of ${series.region.width}×${series.region.height} at` : "pixel";
    io.stdout(
      `wrote ${series.samples.length} samples of ${t(series.entityPath)} ${what} ` +
        `${series.region.x},${series.region.y} (${series.channels.names.join(", ")}) to ${t(written.path)} ` +
        `(${written.format}, ${formatBytes(written.bytes)})\n`,
    );
  }
  if (notes.length > 0)
    io.stderr(`${[`notes (${notes.length}):`, ...notes.map((n) => `  ${t(n)}`)].join("\n")}\n`);
  return 0;
}

function probeJson(
  path: string,
  storeId: StoreId | undefined,
  series: ProbeSeries,
  written: { path: string; format: string; bytes: number } | undefined,
  notes: readonly string[],
): unknown {
  const value = (v: ProbeValue): unknown =>
    typeof v === "bigint" || !Number.isFinite(v) ? formatProbeValue(v) : v;
  return {
    file: path,
    recording: recordingJson(storeId),
    entity: series.entityPath,
    kind: series.kind,
    index: { name: series.timeline, type: series.timeType },
    region: series.region,
    mean: series.mean,
    channels: series.channels.names,
    datatype: series.mean ? "F64" : series.channels.datatype,
    source: series.channels.source,
    samples: series.samples.map((s) => ({
      time: s.time,
      values: s.values ? s.values.map(value) : null,
      status: s.status,
    })),
    out: written ?? null,
    notes,
  };
}

function integers(text: string, count: number, what: string): number[] {
  const parts = text.split(",").map((p) => p.trim());
  const values = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
  if (parts.length !== count || values.some((v) => !Number.isSafeInteger(v))) {
    throw new UsageError(`${what}, got ${JSON.stringify(text)}`);
  }
  return values;
}

function parsePixel(text: string): ProbeRegion {
  const [x, y] = integers(text, 2, "--pixel must be X,Y (two non-negative integers)");
  return { x: x!, y: y!, width: 1, height: 1 };
}

function parseRect(text: string): ProbeRegion {
  const [x, y, width, height] = integers(
    text,
    4,
    "--rect must be X,Y,W,H (non-negative integers, W and H ≥ 1)",
  );
  if (width === 0 || height === 0)
    throw new UsageError(`--rect needs W and H ≥ 1, got ${JSON.stringify(text)}`);
  return { x: x!, y: y!, width: width!, height: height! };
}

function outputFormat(path: string): "csv" | "parquet" {
  const ext = extname(path).toLowerCase();
  if (ext === ".parquet") return "parquet";
  if (ext === ".csv") return "csv";
  throw new UsageError(`--out must end in .csv or .parquet, got ${JSON.stringify(path)}`);
}
